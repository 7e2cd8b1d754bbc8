//! What feeds each depot: the pointer on a depot's hex lights up the rail and lorry lines
//! that fed it today, each with its tonnes, and the tooltip says what it holds, received
//! and needs. A side's own depots are told exactly; the enemy's as its intelligence
//! estimates them (off by up to the rules' `intel_error`, twice that beyond the sight of
//! its units), marked as estimates, so that a player can find why a depot across the front
//! holds on: which lines still reach it.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::geometry::{HEX_WORLD, hex_to_world};
use super::messages::WindowSystems;
use super::orders::Hovered;
use super::view::{Screen, Viewer};
use crate::numbers::group_thousands;
use crate::rules::cursor::DayCursor;
use crate::rules::fog::Sight;
use crate::rules::state::{Depots, Dice, Feeding, Forces, ScenarioRes};
use crate::scenario::Scenario;
use crate::scenario::ids::{LinkId, SideId};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        draw_feeding
            .run_if(in_state(Screen::Game))
            .in_set(WindowSystems::Update),
    )
    .add_systems(
        EguiPrimaryContextPass,
        feeding_labels.run_if(in_state(Screen::Game)),
    );
}

/// How a side's intelligence rates the enemy's depots today: a factor from `1 - error` to
/// `1 + error` for each depot, drawn from the game's seed, the day and the depot (not from
/// the running dice: looking changes nothing), so the same depot is estimated the same all
/// day.
#[derive(Debug, Clone, Copy)]
pub(super) struct Intel {
    seed: [u8; 32],
    turn: u32,
}

impl Intel {
    /// Today's intelligence.
    pub(super) fn of(dice: &Dice, cursor: &DayCursor) -> Self {
        Intel {
            seed: dice.0.get_seed(),
            turn: cursor.turn,
        }
    }

    /// The factor an estimate of depot `d` is off by: up to the rules' `intel_error`,
    /// twice that when no unit of the side sees the depot.
    pub(super) fn factor(&self, s: &Scenario, d: usize, in_sight: bool) -> f64 {
        use rand::{Rng, SeedableRng};
        let mut seed = self.seed;
        for (i, b) in self
            .turn
            .to_le_bytes()
            .into_iter()
            .chain((d as u64).to_le_bytes())
            .chain(*b"depot!!!")
            .enumerate()
        {
            seed[i] ^= b.rotate_left(5) ^ 0x3C;
        }
        let u: f64 = rand_chacha::ChaCha8Rng::from_seed(seed).random();
        let error = s.rules.intel_error * if in_sight { 1.0 } else { 2.0 };
        1.0 + error * (2.0 * u - 1.0)
    }
}

/// What a side is told of a depot: exactly, or (`estimate`) as an estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Told {
    /// Exact figures (its own depot, or instructor mode).
    Exactly,
    /// Figures off by this factor, rounded to the hundred tonnes and marked.
    Estimate(f64),
}

impl Told {
    /// How the depot's side is told of depot `d` by `viewer` (`None`: everything).
    pub(super) fn of(
        s: &Scenario,
        depots: &Depots,
        forces: &Forces,
        intel: &Intel,
        viewer: Option<SideId>,
        d: usize,
    ) -> Told {
        match viewer {
            Some(v) if v != depots.owner(s, d) => {
                let hex = s.depots[d].hex;
                let in_sight = Sight::of(s, forces, v).sees(s, (hex.col, hex.row));
                Told::Estimate(intel.factor(s, d, in_sight))
            }
            _ => Told::Exactly,
        }
    }

    /// Tonnes as told: `1,234 t`, or `about 1,200 t`.
    pub(super) fn tonnes(self, t: f64) -> String {
        match self {
            Told::Exactly => format!("{} t", group_thousands(t.round().max(0.0) as u32)),
            Told::Estimate(f) => {
                let t = ((t * f) / 100.0).round() * 100.0;
                format!("about {} t", group_thousands(t.max(0.0) as u32))
            }
        }
    }
}

/// The tooltip's lines for depot `d`: what it holds, received (against its lines open)
/// and needs, how long its stock lasts, and the lines that fed it today.
pub(super) fn depot_lines(
    s: &Scenario,
    depots: &Depots,
    feeding: &Feeding,
    told: Told,
    d: usize,
) -> Vec<String> {
    let st = &depots.0[d];
    let depot = &s.depots[d];
    if st.demand == 0.0 && st.inflow == 0.0 && st.nominal_inflow == 0.0 {
        // Its side's supply phase has not come yet in this game.
        return vec![format!(
            "{}: stock {}; its first supply comes in its side's phase",
            depot.name,
            told.tonnes(st.stock)
        )];
    }
    let estimate = if matches!(told, Told::Estimate(_)) {
        " (your intelligence's estimate)"
    } else {
        ""
    };
    let mut lines = vec![format!(
        "{}{estimate}: stock {}; received {} of {} with its lines open; needed {}; {}",
        depot.name,
        told.tonnes(st.stock),
        told.tonnes(st.inflow),
        told.tonnes(st.nominal_inflow),
        told.tonnes(st.demand),
        stock_outlook(st.stock, st.inflow, st.demand),
    )];
    let fed = feeding.0.get(d).cloned().unwrap_or_default();
    let mut by: Vec<String> = fed
        .lines
        .iter()
        .map(|(l, t)| format!("{} {}", s.rail_link(*l).name, told.tonnes(*t as f64)))
        .collect();
    if fed.at_railhead > 0 {
        by.push(format!(
            "its own railhead {}",
            told.tonnes(fed.at_railhead as f64)
        ));
    }
    if by.is_empty() {
        lines.push("Fed today by: nothing (no line reached it).".to_string());
    } else {
        lines.push(format!("Fed today by: {}.", by.join(", ")));
    }
    lines
}

/// How long a depot's stock lasts at today's rate: days while its units use more than it
/// receives (up to a month; beyond, it is as good as holding), else holding.
pub(super) fn stock_outlook(stock: f64, inflow: f64, demand: f64) -> String {
    let short = demand - inflow;
    if short <= 0.0 {
        return "its inflow covers its use".to_string();
    }
    let days = stock / short;
    if days >= 30.0 {
        "its stock lasts over a month at today's rate".to_string()
    } else if days < 1.0 {
        "its stock runs out today".to_string()
    } else {
        format!("its stock lasts {days:.0} days at today's rate")
    }
}

/// The active depots in a hex.
fn depots_at(s: &Scenario, depots: &Depots, hex: crate::geo::Offset) -> Vec<usize> {
    (0..s.depots.len())
        .filter(|d| s.depots[*d].hex == hex && depots.0[*d].active)
        .collect()
}

/// The colour the lines feeding a hovered depot are drawn in: bright cyan, apart from the
/// overlays' greens, oranges and reds and from both sides' territory tints.
pub(super) const FEEDING: Color = Color::srgb(0.0, 0.85, 1.0);

/// Lights up the lines that fed the depot under the pointer today.
fn draw_feeding(
    scenario: Res<ScenarioRes>,
    depots: Res<Depots>,
    feeding: Res<Feeding>,
    hovered: Res<Hovered>,
    mut gizmos: Gizmos,
) {
    let Some(hex) = hovered.0 else {
        return;
    };
    let s = &scenario.0;
    for d in depots_at(s, &depots, hex) {
        let at = hex_to_world(s, s.depots[d].hex);
        gizmos.circle_2d(at, HEX_WORLD * 0.55, FEEDING);
        for (l, _) in feeding.0.get(d).map_or(&[][..], |f| f.lines.as_slice()) {
            draw_link(s, *l, &mut gizmos);
        }
    }
}

/// A link drawn thick: its path and two lines beside it.
fn draw_link(s: &Scenario, l: LinkId, gizmos: &mut Gizmos) {
    for w in s.rail_link(l).hexes.windows(2) {
        let (a, b) = (hex_to_world(s, w[0]), hex_to_world(s, w[1]));
        let across = (b - a).perp().normalize_or_zero() * HEX_WORLD * 0.06;
        for k in [-1.0, 0.0, 1.0] {
            gizmos.line_2d(a + across * k, b + across * k, FEEDING);
        }
    }
}

/// The tonnes each line brought the hovered depot, written at the line's middle.
#[allow(
    clippy::too_many_arguments,
    reason = "a system: each resource it reads"
)]
fn feeding_labels(
    mut contexts: EguiContexts,
    scenario: Res<ScenarioRes>,
    depots: Res<Depots>,
    feeding: Res<Feeding>,
    forces: Res<Forces>,
    dice: Res<Dice>,
    cursor: Res<DayCursor>,
    hovered: Res<Hovered>,
    viewer: Res<Viewer>,
    camera: Single<(&Camera, &GlobalTransform)>,
    panels: Res<super::view::PanelRects>,
) -> Result {
    let Some(hex) = hovered.0 else {
        return Ok(());
    };
    let s = &scenario.0;
    let ctx = contexts.ctx_mut()?;
    let intel = Intel::of(&dice, &cursor);
    for d in depots_at(s, &depots, hex) {
        let told = Told::of(s, &depots, &forces, &intel, viewer.0, d);
        for (l, t) in feeding.0.get(d).map_or(&[][..], |f| f.lines.as_slice()) {
            let hexes = &s.rail_link(*l).hexes;
            let middle = hex_to_world(s, hexes[hexes.len() / 2]);
            let Some(at) = panels.label_at(ctx, *camera, middle, Vec2::ZERO) else {
                continue;
            };
            egui::Area::new(egui::Id::new(("feeding", d, l.0)))
                .order(egui::Order::Foreground)
                .fixed_pos(at)
                .constrain_to(panels.map_rect(ctx))
                .interactable(false)
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.label(told.tonnes(*t as f64));
                    });
                });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::setup::initial_state;

    #[test]
    fn a_depots_outlook_is_said_in_days_only_where_days_mean_something() {
        assert_eq!(
            stock_outlook(1000.0, 500.0, 400.0),
            "its inflow covers its use"
        );
        assert_eq!(
            stock_outlook(5000.0, 499.0, 500.0),
            "its stock lasts over a month at today's rate"
        );
        assert_eq!(
            stock_outlook(1000.0, 300.0, 500.0),
            "its stock lasts 5 days at today's rate"
        );
        assert_eq!(stock_outlook(100.0, 0.0, 500.0), "its stock runs out today");
    }

    #[test]
    fn an_enemy_depot_is_estimated_within_the_error_the_same_all_day() {
        let s = crate::scenario::load_or_default(None).unwrap();
        let dice = Dice::new(1);
        let (cursor, _, _, _) = initial_state(&s);
        let intel = Intel::of(&dice, &cursor);
        let e = s.rules.intel_error;
        for d in 0..s.depots.len() {
            for in_sight in [true, false] {
                let f = intel.factor(&s, d, in_sight);
                let bound = if in_sight { e } else { 2.0 * e };
                assert!((1.0 - bound..=1.0 + bound).contains(&f), "{f}");
                assert_eq!(f, intel.factor(&s, d, in_sight), "the same all day");
            }
        }
        assert_eq!(Told::Exactly.tonnes(1234.4), "1,234 t");
        assert_eq!(Told::Estimate(1.1).tonnes(1000.0), "about 1,100 t");
    }
}
