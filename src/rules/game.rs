//! One game state: every resource that makes up a game in progress, listed once, taken from
//! a world and put back whole (a new game, undo, the instructor's days, loading a save),
//! and one stable hash of it.
//!
//! The list lives in the `game_state!` invocation below and nowhere else: adding a
//! resource to the rules' state means adding one line there, and a test fails when a
//! resource of the rules is in the world but not in the list.

use bevy::prelude::*;

use super::cursor::DayCursor;
use super::events::Chronicle;
use super::orders::OrderLog;
use super::state::{Board, Depots, Dice, Feeding, Forces, HighCommand, Territory};

/// The [`GameStateRef::hash`] at the end of each day played: (turn, hash).
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct StateHashes(pub Vec<(u32, String)>);

/// Present in a game played only to be measured (a batch, a study, a report's games),
/// which is never saved nor replayed: its days are not hashed ([`StateHashes`] stays
/// empty), which saves a tenth of the time of a game. Not part of the game's state.
#[derive(Resource, Debug, Default)]
pub struct Unhashed;

/// Present in a game that replays a save of format 3: each day's end also records the
/// state's hash as that format took it ([`GameStateRef::hash_of_text`]), to be compared
/// with the save's: (turn, hash). Not part of the game's state.
#[derive(Resource, Debug, Default)]
pub struct TextHashes(pub Vec<(u32, String)>);

macro_rules! game_state {
    ($($(#[$doc:meta])* $field:ident: $ty:ty,)*) => {
        /// Every resource of a game in progress, owned: a snapshot of the rules' state.
        #[derive(Debug, Clone)]
        pub struct GameState {
            $($(#[$doc])* pub $field: $ty,)*
        }

        /// Every resource of a game in progress, borrowed from a world.
        #[derive(Debug, Clone, Copy)]
        pub struct GameStateRef<'a> {
            $($(#[$doc])* pub $field: &'a $ty,)*
        }

        impl GameState {
            /// A copy of the state in a world that has the rules.
            pub fn take(world: &World) -> Self {
                GameState { $($field: world.resource::<$ty>().clone(),)* }
            }

            /// Puts this state into a world, replacing the one there.
            pub fn restore(&self, world: &mut World) {
                self.clone().insert(world);
            }

            /// Moves this state into a world, replacing the one there.
            pub fn insert(self, world: &mut World) {
                $(world.insert_resource(self.$field);)*
            }

            /// Borrows it.
            pub fn as_ref(&self) -> GameStateRef<'_> {
                GameStateRef { $($field: &self.$field,)* }
            }

            /// The types of the resources it gathers, for the test that none is left out.
            pub fn resource_types() -> Vec<std::any::TypeId> {
                vec![$(std::any::TypeId::of::<$ty>(),)*]
            }
        }

        impl<'a> GameStateRef<'a> {
            /// Borrows the state of a world that has the rules.
            pub fn of(world: &'a World) -> Self {
                GameStateRef { $($field: world.resource::<$ty>(),)* }
            }
        }
    };
}

game_state! {
    /// Where the game stands in its days.
    cursor: DayCursor,
    /// Control, rail links, bridges, caches, objectives.
    board: Board,
    /// Depot stocks and flows.
    depots: Depots,
    /// The units.
    forces: Forces,
    /// Who commands, withdrawals, plans' progress.
    command: HighCommand,
    /// The dice.
    dice: Dice,
    /// Territory taken, per side.
    territory: Territory,
    /// Every event so far.
    chronicle: Chronicle,
    /// Every order applied so far.
    orders: OrderLog,
    /// The state hash at each day's end.
    hashes: StateHashes,
    /// Which lines fed each depot today (told, not hashed).
    feeding: Feeding,
}

impl GameState {
    /// The state's hash ([`GameStateRef::hash`]).
    pub fn hash(&self) -> String {
        self.as_ref().hash()
    }
}

impl GameStateRef<'_> {
    /// A short fingerprint of the rules' state: the same state gives the same text on any
    /// machine. It covers what decides the rest of the game (the cursor, board, depots,
    /// forces, withdrawals and plans' progress, territory and the dice's position), not
    /// who commands nor the records of what happened (events, orders, earlier hashes).
    /// Replays compare it day by day to find where two games part.
    ///
    /// The parts are encoded with postcard (a compact binary form: numbers as they are,
    /// no names, nothing to format), a third of the bytes of the text
    /// [`GameStateRef::hash_of_text`] hashes, in a third of its time. Saves of format 3
    /// hold hashes of that text.
    pub fn hash(&self) -> String {
        thread_local! {
            /// The encoding's buffer, kept between days.
            static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUF.with_borrow_mut(|buf| {
            use sha2::Digest;
            buf.clear();
            let state = (
                self.cursor,
                self.board,
                self.depots,
                self.forces,
                (&self.command.withdrawals, &self.command.progress),
                &self.territory.0,
                self.dice.0.get_word_pos(),
            );
            // Into a Vec, encoding cannot fail: an error would leave the text so far.
            *buf = postcard::to_extend(&state, std::mem::take(buf)).unwrap_or_default();
            crate::numbers::hex(&sha2::Sha256::digest(buf.as_slice())[..16])
        })
    }

    /// The hash saves of format 3 hold: the same parts as [`GameStateRef::hash`], written as
    /// JSON text. Kept to replay those saves.
    pub fn hash_of_text(&self) -> String {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        let parts = [
            serde_json::to_vec(self.cursor),
            serde_json::to_vec(self.board),
            serde_json::to_vec(self.depots),
            serde_json::to_vec(self.forces),
            serde_json::to_vec(&(&self.command.withdrawals, &self.command.progress)),
            serde_json::to_vec(&self.territory.0),
        ];
        for p in parts {
            h.update(p.unwrap_or_default());
            h.update([0u8]);
        }
        h.update(self.dice.0.get_word_pos().to_le_bytes());
        crate::numbers::hex(&h.finalize()[..16])
    }
}

/// The hash of the state in a world that has the rules.
pub fn state_hash(world: &World) -> String {
    GameStateRef::of(world).hash()
}

/// At each day's end (before the clock moves on), the state's hash joins the record, in
/// a game that keeps one ([`Unhashed`]).
pub(super) fn record_state_hash(world: &mut World) {
    if world.contains_resource::<Unhashed>() {
        return;
    }
    let h = state_hash(world);
    let turn = world.resource::<DayCursor>().turn;
    world.resource_mut::<StateHashes>().0.push((turn, h));
    if world.contains_resource::<TextHashes>() {
        let h = GameStateRef::of(world).hash_of_text();
        world.resource_mut::<TextHashes>().0.push((turn, h));
    }
}

#[cfg(test)]
mod tests {
    use std::any::TypeId;
    use std::sync::Arc;

    use bevy::ecs::message::Messages;

    use super::*;
    use crate::rules::RulesPlugin;
    use crate::rules::events::GameEvent;
    use crate::rules::orders::OrderQueue;
    use crate::rules::setup::default_controllers;
    use crate::rules::simulation::Simulation;
    use crate::rules::state::ScenarioRes;

    /// The resources a world holds, by type.
    fn resource_types(world: &World) -> Vec<TypeId> {
        world
            .iter_resources()
            .filter_map(|(info, _)| info.type_id())
            .collect()
    }

    #[test]
    fn every_resource_the_rules_add_is_in_the_game_state_or_named_as_not_state() {
        let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(ScenarioRes(s.clone()));
        let before = resource_types(app.world());
        app.add_plugins(RulesPlugin {
            seed: 1,
            controllers: default_controllers(&s),
        });
        let state = GameState::resource_types();
        // Not state: the orders waiting to be applied (empty between orders) and the
        // buffer of this schedule's events (drained into the chronicle).
        let not_state = [
            TypeId::of::<OrderQueue>(),
            TypeId::of::<Messages<GameEvent>>(),
        ];
        let added: Vec<TypeId> = resource_types(app.world())
            .into_iter()
            .filter(|t| !before.contains(t))
            .collect();
        assert!(added.len() >= state.len(), "{added:?}");
        for t in &added {
            assert!(
                state.contains(t) || not_state.contains(t),
                "the rules add a resource ({:?}) that GameState does not gather",
                app.world()
                    .components()
                    .get_id(*t)
                    .and_then(|id| app.world().components().get_info(id))
                    .map(|i| i.name().to_string())
            );
        }
        for t in &state {
            assert!(
                added.contains(t),
                "GameState gathers a resource the rules do not add"
            );
        }
    }

    #[test]
    fn take_and_restore_give_back_the_same_state_and_hash() {
        let s = Arc::new(crate::scenario::load_or_default(None).unwrap());
        let mut sim = Simulation::new(s.clone(), 4, default_controllers(&s));
        sim.play_day();
        let start = GameState::take(sim.world());
        let hash = start.hash();
        assert_eq!(hash, state_hash(sim.world()));
        sim.play_day();
        assert_ne!(state_hash(sim.world()), hash, "a day changed nothing");
        start.restore(sim.world_mut());
        assert_eq!(state_hash(sim.world()), hash);
        assert_eq!(GameState::take(sim.world()).chronicle.0, start.chronicle.0);
        // And the game goes on from there as it did the first time.
        sim.play_day();
        let mut again = Simulation::new(s.clone(), 4, default_controllers(&s));
        again.play_day();
        again.play_day();
        assert_eq!(state_hash(sim.world()), state_hash(again.world()));
    }
}
