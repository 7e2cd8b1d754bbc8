//! Orders from clicks: selecting a unit, where it can go and by which path, preparing an
//! attack with the units that join it, and asking the driver to give the order; the
//! reason of a refusal is kept for the panel when the driver says what became of it.

use crate::scenario::ids::SideId;
use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use super::geometry::world_to_hex;
use super::messages::{Happened, Replaced, Request, WindowSystems};
use super::view::{CentreOn, Dialogs, PanelRects, Turn, ordering};
use crate::geo::Offset;
use crate::rules::combat::can_attack;
use crate::rules::movement::{self, Threats, allowance, can_end_in};
use crate::rules::orders::Order;
use crate::rules::state::{Board, Forces, ScenarioRes};
use crate::scenario::ids::UnitId;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Selection>()
        .init_resource::<Hovered>()
        .init_resource::<RailHover>()
        .add_systems(
            Update,
            (
                (click_map, next_unit_key).in_set(WindowSystems::RecordInput),
                note_outcomes.in_set(WindowSystems::React),
                (track_hover, refresh_reach).in_set(WindowSystems::Update),
            ),
        );
}

/// The selected unit, where it can go (and by which path), and an attack being considered.
#[derive(Resource, Default, Clone)]
pub(super) struct Selection {
    /// The selected unit.
    pub(super) unit: Option<UnitId>,
    /// Hexes it can end its move in.
    pub(super) reach: Vec<Offset>,
    /// The cheapest paths there.
    pub(super) paths: Option<movement::Reach>,
    /// An attack being prepared.
    pub(super) attack: Option<AttackPlan>,
    /// Why the last order was refused, or a click did nothing.
    pub(super) message: Option<String>,
    /// The hex the message is about, if one: it goes when the pointer leaves the hex.
    pub(super) message_hex: Option<Offset>,
    /// A strike chosen in the strike panel, waiting for its confirmation: the assets and
    /// the target.
    pub(super) strike: Option<(usize, crate::scenario::model::Target)>,
}

/// An attack being prepared: the target, the units that could join and which do.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AttackPlan {
    /// The hex attacked.
    pub(super) target: Offset,
    /// The units that could join.
    pub(super) eligible: Vec<UnitId>,
    /// Whether each of them joins.
    pub(super) chosen: Vec<bool>,
}

impl AttackPlan {
    pub(super) fn attackers(&self) -> Vec<UnitId> {
        self.eligible
            .iter()
            .zip(&self.chosen)
            .filter(|(_, c)| **c)
            .map(|(u, _)| *u)
            .collect()
    }
}

/// The station a rail move under the pointer (in the orders panel) would go to, drawn on
/// the map.
#[derive(Resource, Default, PartialEq)]
pub(super) struct RailHover(pub(super) Option<Offset>);

/// The on-map hex under the mouse pointer, if any (and not over a panel).
#[derive(Resource, Default, PartialEq)]
pub(super) struct Hovered(pub(super) Option<Offset>);

#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
fn track_hover(
    window: Single<&Window>,
    camera: Single<(&Camera, &GlobalTransform)>,
    wants: Res<EguiWantsInput>,
    panels: Res<PanelRects>,
    dialogs: Res<Dialogs>,
    scenario: Res<ScenarioRes>,
    mut hovered: ResMut<Hovered>,
    mut selection: ResMut<Selection>,
) {
    let (cam, transform) = *camera;
    let hex = window
        .cursor_position()
        .filter(|c| !dialogs.any() && !wants.is_pointer_over_area() && !panels.covers(*c))
        .and_then(|c| cam.viewport_to_world_2d(transform, c).ok())
        .and_then(|w| world_to_hex(&scenario.0, w));
    if hovered.0 != hex {
        hovered.0 = hex;
        // A message about a hex goes when the pointer leaves it (over a panel, it stays:
        // the player is reading it).
        if hex.is_some() && selection.message_hex.is_some_and(|m| Some(m) != hex) {
            selection.message = None;
            selection.message_hex = None;
        }
    }
}

/// Keeps, from what the driver says happened, why the last order was refused (an order
/// given ends the attack being prepared); a phase run or another game starts the
/// selection afresh.
fn note_outcomes(
    mut happened: MessageReader<Happened>,
    scenario: Res<ScenarioRes>,
    mut selection: ResMut<Selection>,
) {
    for h in happened.read() {
        match h {
            Happened::OrderGiven { order, outcome, .. } => {
                selection.message = outcome.as_ref().err().map(|r| r.describe(&scenario.0));
                selection.message_hex = match order {
                    Order::Move { to, .. } | Order::RailMove { to, .. } => Some(*to),
                    Order::Attack { target, .. } => Some(*target),
                    _ => None,
                };
                selection.attack = None;
            }
            Happened::PhasesRun { .. }
            | Happened::GameReplaced {
                why:
                    Replaced::Started | Replaced::Loaded(_) | Replaced::Resumed | Replaced::Watched(_),
                ..
            } => *selection = Selection::default(),
            Happened::GameReplaced { .. } | Happened::Saved { .. } | Happened::Refused { .. } => {}
        }
    }
}

/// Left click (not a drag) on the map: select, move or set up an attack; Shift+click only
/// selects. Nothing while a dialog is open.
#[allow(clippy::too_many_arguments)]
fn click_map(
    buttons: Res<ButtonInput<MouseButton>>,
    keys: Res<ButtonInput<KeyCode>>,
    window: Single<&Window>,
    camera: Single<(&Camera, &GlobalTransform)>,
    wants: Res<EguiWantsInput>,
    panels: Res<PanelRects>,
    dialogs: Res<Dialogs>,
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    turn: Option<Res<State<Turn>>>,
    mut selection: ResMut<Selection>,
    mut requests: MessageWriter<Request>,
    mut pressed_at: Local<Option<Vec2>>,
) {
    let Some(cursor) = window.cursor_position() else {
        return;
    };
    if buttons.just_pressed(MouseButton::Left) {
        *pressed_at = (!dialogs.any() && !wants.is_pointer_over_area() && !panels.covers(cursor))
            .then_some(cursor);
    }
    if !buttons.just_released(MouseButton::Left) {
        return;
    }
    let Some(start) = pressed_at.take() else {
        return;
    };
    if start.distance(cursor) > 5.0 {
        return; // a drag pans the map
    }
    let Some(side) = ordering(turn.as_deref()) else {
        return;
    };
    let (cam, transform) = *camera;
    let Ok(world_pos) = cam.viewport_to_world_2d(transform, cursor) else {
        return;
    };
    let s = &scenario.0;
    let Some(hex) = world_to_hex(s, world_pos) else {
        return;
    };
    let select_only = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    if let Some(order) = click_hex(s, &forces, side, hex, select_only, &mut selection) {
        requests.write(Request::Give(order));
    }
}

/// What a click on `hex` does for `side`'s player: moves the selected unit there if it
/// can go there (onto its own side's units too: stacks move; the rules refuse a full
/// hex), else selects (cycling through a stack), or sets up an attack by every unit that
/// can make it. With `select_only` (Shift), a hex of its own units is selected, never
/// moved to. Returns the order to give.
pub(super) fn click_hex(
    s: &crate::scenario::Scenario,
    forces: &Forces,
    side: crate::scenario::ids::SideId,
    hex: Offset,
    select_only: bool,
    selection: &mut Selection,
) -> Option<Order> {
    selection.message = None;
    selection.message_hex = None;
    let own: Vec<UnitId> = forces
        .in_hex(hex)
        .filter(|u| u.side == side)
        .map(|u| u.id)
        .collect();
    if !select_only
        && let Some(unit) = selection.unit
        && forces.units[unit].hex() != hex
        && (selection.reach.contains(&hex)
            || (!own.is_empty()
                && selection
                    .paths
                    .as_ref()
                    .is_some_and(|p| p.cost.get(&hex).is_some())))
    {
        return Some(Order::Move { unit, to: hex });
    }
    if !own.is_empty() {
        // Select the next of our units in this hex.
        let next = match selection
            .unit
            .and_then(|u| own.iter().position(|x| *x == u))
        {
            Some(i) => own[(i + 1) % own.len()],
            None => own[0],
        };
        selection.unit = Some(next);
        selection.attack = None;
        return None;
    }
    if forces.in_hex(hex).any(|e| e.side != side) {
        // An enemy: every unit of ours that can attack it joins the plan, whichever (if
        // any) is selected; the player unticks those that should stay out.
        let eligible: Vec<UnitId> = forces
            .units
            .iter()
            .filter(|a| can_attack(s, a, side, hex))
            .map(|a| a.id)
            .collect();
        if eligible.is_empty() {
            selection.attack = None;
            selection.message_hex = Some(hex);
            selection.message = Some(if s.rules.artillery_range > 1 {
                format!(
                    "None of your units can attack it (move next to it, or guns within {}; a \
                     unit attacks once a day).",
                    crate::numbers::count(s.rules.artillery_range, "hex", "hexes")
                )
            } else {
                "None of your units next to it can attack (move next to it; a unit attacks \
                 once a day)."
                    .into()
            });
        } else {
            // The panel shows the attack: a unit selected that is not in it is let go.
            if selection.unit.is_some_and(|u| !eligible.contains(&u)) {
                selection.unit = None;
            }
            let chosen = vec![true; eligible.len()];
            selection.attack = Some(AttackPlan {
                target: hex,
                eligible,
                chosen,
            });
        }
        return None;
    }
    // An empty hex it cannot reach: nothing is selected any more.
    selection.unit = None;
    selection.attack = None;
    None
}

/// The next unit of `side` after `after` (by the scenario's order, round again) that can
/// still act today: on the map, neither moved nor attacked.
pub(super) fn next_to_act(forces: &Forces, side: SideId, after: Option<UnitId>) -> Option<UnitId> {
    let can_act = |u: &&crate::rules::state::UnitState| !u.moved && !u.attacked;
    let start = after.map_or(0, |a| a.0 + 1);
    forces
        .of_side(side)
        .filter(can_act)
        .find(|u| u.id.0 >= start)
        .or_else(|| forces.of_side(side).find(can_act))
        .map(|u| u.id)
}

/// N selects the next unit that can still act, and brings it to the middle of the view.
fn next_unit_key(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    dialogs: Res<Dialogs>,
    turn: Option<Res<State<Turn>>>,
    forces: Res<Forces>,
    mut selection: ResMut<Selection>,
    mut centre: MessageWriter<CentreOn>,
) {
    if !keys.just_pressed(KeyCode::KeyN) || wants.wants_keyboard_input() || dialogs.any() {
        return;
    }
    let Some(side) = ordering(turn.as_deref()) else {
        return;
    };
    if let Some(next) = next_to_act(&forces, side, selection.unit) {
        *selection = Selection {
            unit: Some(next),
            ..Selection::default()
        };
        centre.write(CentreOn(forces.units[next].hex()));
    }
}

/// Where the selected unit can end its move.
fn refresh_reach(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    board: Res<Board>,
    mut selection: ResMut<Selection>,
) {
    if !(forces.is_changed() || selection.is_changed()) {
        return;
    }
    let s = &scenario.0;
    let (reach, paths) = match selection.unit.map(|id| &forces.units[id]) {
        Some(u) if u.active() && !u.moved && !u.attacked => {
            let threats = Threats::for_side(s, &forces, u.side);
            let paths = movement::reach(s, &board, &threats, u, allowance(s, u));
            let reach = paths
                .cost
                .keys()
                .copied()
                .filter(|h| *h != u.hex() && can_end_in(s, &threats, u, *h))
                .collect();
            (reach, Some(paths))
        }
        _ => (Vec::new(), None),
    };
    if selection.reach != reach {
        selection.reach = reach;
        selection.paths = paths;
    }
}

/// The path the selected unit would take to the hovered hex, with what it costs.
pub(super) fn previewed_path(
    selection: &Selection,
    forces: &Forces,
    hovered: &Hovered,
) -> Option<(Vec<Offset>, u32)> {
    let hex = hovered.0.filter(|h| selection.reach.contains(h))?;
    let start = forces.units[selection.unit?].hex();
    let paths = selection.paths.as_ref()?;
    Some((paths.path(start, hex)?, paths.cost.get(&hex)?.0))
}

/// Puts a unit of the first side that has not moved in an empty hex next to an enemy, for
/// tests of attacks; returns it and the enemy's hex.
#[cfg(test)]
pub(super) fn put_next_to_an_enemy(app: &mut App) -> (UnitId, Offset) {
    let s = app.world().resource::<ScenarioRes>().0.clone();
    let forces = app.world().resource::<Forces>();
    let enemy = forces
        .units
        .iter()
        .find(|u| u.side == SideId(1) && u.active())
        .unwrap();
    let me = forces
        .units
        .iter()
        .find(|u| u.side == SideId(0) && u.active() && !u.moved)
        .unwrap()
        .id;
    let (target, next) = (
        enemy.hex(),
        s.neighbours(enemy.hex())
            .find(|h| forces.in_hex(*h).next().is_none())
            .unwrap(),
    );
    app.world_mut().resource_mut::<Forces>().place(me, next);
    (me, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_unit_to_act_goes_round_the_units_that_can_still_act() {
        let mut app = crate::gui::driver::headless_app(true);
        app.world_mut().write_message(Request::GoOn);
        app.update();
        let forces = app.world().resource::<Forces>().clone();
        let ua: Vec<UnitId> = forces.of_side(SideId(0)).map(|u| u.id).collect();
        let first = next_to_act(&forces, SideId(0), None).unwrap();
        assert_eq!(first, ua[0]);
        assert_eq!(next_to_act(&forces, SideId(0), Some(first)), Some(ua[1]));
        // After the last, round again; a unit that has acted is passed over.
        assert_eq!(
            next_to_act(&forces, SideId(0), ua.last().copied()),
            Some(ua[0])
        );
        let mut spent = forces.clone();
        spent.units[ua[1].0].moved = true;
        assert_eq!(next_to_act(&spent, SideId(0), Some(first)), Some(ua[2]));
        for u in &ua {
            spent.units[u.0].attacked = true;
        }
        assert_eq!(next_to_act(&spent, SideId(0), None), None);
    }

    #[test]
    fn clicking_a_reachable_hex_of_friendly_units_moves_there_and_shift_selects() {
        use crate::gui::driver::{headless_app, request};
        let mut app = headless_app(true);
        request(&mut app, Request::GoOn);
        let s = app.world().resource::<ScenarioRes>().0.clone();
        let forces = app.world().resource::<Forces>().clone();
        let board = app.world().resource::<Board>().clone();
        // A unit of ours, and a hex it can reach that holds another of ours with room.
        let (mover, to) = forces
            .of_side(SideId(0))
            .find_map(|u| {
                let threats = Threats::for_side(&s, &forces, SideId(0));
                let r = movement::reach(&s, &board, &threats, u, allowance(&s, u));
                r.cost
                    .keys()
                    .copied()
                    .find(|h| {
                        *h != u.hex()
                            && can_end_in(&s, &threats, u, *h)
                            && forces.in_hex(*h).any(|o| o.side == SideId(0))
                    })
                    .map(|h| (u.id, h))
            })
            .expect("a unit that can join another");
        app.world_mut().insert_resource(Selection {
            unit: Some(mover),
            ..Selection::default()
        });
        app.update();
        let selection = app.world().resource::<Selection>().clone();
        let order = click_hex(&s, &forces, SideId(0), to, false, &mut selection.clone());
        assert_eq!(order, Some(Order::Move { unit: mover, to }));
        // Shift: the unit there is selected, nothing moves.
        let mut shifted = selection.clone();
        assert_eq!(
            click_hex(&s, &forces, SideId(0), to, true, &mut shifted),
            None
        );
        assert!(
            shifted
                .unit
                .is_some_and(|u| u != mover && forces.units[u].hex() == to)
        );
    }

    #[test]
    fn clicking_an_enemy_gathers_every_unit_that_can_attack_it_whichever_is_selected() {
        let mut app = crate::gui::driver::headless_app(true);
        app.world_mut().write_message(Request::GoOn);
        app.update();
        let (me, target) = put_next_to_an_enemy(&mut app);
        let s = app.world().resource::<ScenarioRes>().0.clone();
        // A second unit of ours next to the enemy.
        let other = {
            let forces = app.world().resource::<Forces>();
            let free = s
                .neighbours(target)
                .find(|h| forces.in_hex(*h).next().is_none())
                .unwrap();
            let id = forces
                .units
                .iter()
                .find(|u| u.side == SideId(0) && u.active() && u.id != me)
                .unwrap()
                .id;
            (id, free)
        };
        app.world_mut()
            .resource_mut::<Forces>()
            .place(other.0, other.1);
        let forces = app.world().resource::<Forces>();
        for selected in [None, Some(me), Some(other.0)] {
            let mut selection = Selection {
                unit: selected,
                ..Selection::default()
            };
            let order = click_hex(&s, forces, SideId(0), target, false, &mut selection);
            let plan = selection.attack.expect("an attack is prepared");
            assert_eq!(plan.target, target);
            assert!(plan.eligible.contains(&me) && plan.eligible.contains(&other.0));
            assert!(plan.chosen.iter().all(|c| *c), "all ticked");
            assert!(order.is_none(), "nothing is ordered before Attack");
        }
        // An enemy nobody of ours stands next to: no plan, and the reason.
        let far = forces
            .units
            .iter()
            .filter(|u| u.side == SideId(1) && u.active())
            .find(|e| {
                forces
                    .units
                    .iter()
                    .filter(|u| u.side == SideId(0) && u.active())
                    .all(|u| !s.neighbours(e.hex()).any(|n| n == u.hex()))
            })
            .unwrap()
            .hex();
        let mut selection = Selection::default();
        click_hex(&s, forces, SideId(0), far, false, &mut selection);
        assert!(selection.attack.is_none());
        assert!(selection.message.is_some());
    }
}
