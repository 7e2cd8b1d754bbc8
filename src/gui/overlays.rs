//! What is drawn over the map on request: the supply overlay (O) and the selected unit's
//! reach, path and attack.

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use super::geometry::hex_corners;
use super::orders::{Hovered, RailHover, Selection, previewed_path};
use super::view::Viewer;
use crate::geo::Offset;
use crate::rules::state::{Forces, ScenarioRes, SupplyLevel};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SupplyOverlay>().add_systems(
        Update,
        (toggle_supply_overlay, draw_supply_overlay, draw_selection),
    );
}

/// Whether the supply overlay is shown: each unit ringed by its supply state and joined to
/// the depot it draws from.
#[derive(Resource, Default)]
pub(super) struct SupplyOverlay(pub(super) bool);

fn toggle_supply_overlay(
    keys: Res<ButtonInput<KeyCode>>,
    wants: Res<EguiWantsInput>,
    mut overlay: ResMut<SupplyOverlay>,
) {
    if keys.just_pressed(KeyCode::KeyO) && !wants.wants_keyboard_input() {
        overlay.0 = !overlay.0;
    }
}

fn draw_supply_overlay(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    overlay: Res<SupplyOverlay>,
    viewer: Res<Viewer>,
    mut gizmos: Gizmos,
) {
    if !overlay.0 {
        return;
    }
    let s = &scenario.0;
    // Fog of war: enemy units the viewing side cannot see are not drawn.
    let seen = viewer
        .0
        .map(|v| crate::rules::fog::visible_to(s, &forces, v));
    for u in forces
        .units
        .iter()
        .filter(|u| u.active() && seen.as_ref().is_none_or(|v| v[u.id]))
    {
        let colour = match u.supply {
            SupplyLevel::Supplied => Color::srgb(0.1, 0.7, 0.2),
            SupplyLevel::Short => Color::srgb(0.95, 0.7, 0.1),
            SupplyLevel::OutOfSupply => Color::srgb(0.9, 0.1, 0.1),
        };
        let at = super::geometry::hex_to_world(s, u.hex());
        gizmos.circle_2d(at, super::geometry::HEX_WORLD * 0.45, colour);
        if let Some(d) = u.depot {
            gizmos.line_2d(
                at,
                super::geometry::hex_to_world(s, s.depots[d].hex),
                colour.with_alpha(0.6),
            );
        }
    }
}

fn outline(gizmos: &mut Gizmos, s: &crate::scenario::Scenario, hex: Offset, colour: Color) {
    let c = hex_corners(s, hex);
    for i in 0..6 {
        gizmos.line_2d(c[i], c[(i + 1) % 6], colour);
    }
}

fn draw_selection(
    scenario: Res<ScenarioRes>,
    forces: Res<Forces>,
    selection: Res<Selection>,
    hovered: Res<Hovered>,
    rail_hover: Res<RailHover>,
    mut gizmos: Gizmos,
) {
    let s = &scenario.0;
    if let (Some(to), Some(u)) = (rail_hover.0, selection.unit) {
        // The station a rail move would go to, and a line from where the unit stands.
        let cyan = Color::srgb(0.0, 0.85, 1.0);
        outline(&mut gizmos, s, to, cyan);
        let from = super::geometry::hex_to_world(s, forces.units[u].hex());
        gizmos.arrow_2d(from, super::geometry::hex_to_world(s, to), cyan);
    }
    for h in &selection.reach {
        outline(&mut gizmos, s, *h, Color::srgba(1.0, 0.85, 0.1, 0.9));
    }
    if let Some(u) = selection.unit {
        outline(&mut gizmos, s, forces.units[u].hex(), Color::WHITE);
    }
    if let Some(plan) = &selection.attack {
        outline(&mut gizmos, s, plan.target, Color::srgb(1.0, 0.1, 0.1));
        let to = super::geometry::hex_to_world(s, plan.target);
        for a in plan.attackers() {
            let from = super::geometry::hex_to_world(s, forces.units[a].hex());
            gizmos.arrow_2d(from, from.lerp(to, 0.75), Color::srgb(1.0, 0.1, 0.1));
        }
    }
    if let Some((path, _)) = previewed_path(&selection, &forces, &hovered) {
        let white = Color::srgb(1.0, 1.0, 1.0);
        for w in path.windows(2) {
            let (a, b) = (
                super::geometry::hex_to_world(s, w[0]),
                super::geometry::hex_to_world(s, w[1]),
            );
            gizmos.line_2d(a, b, white);
            gizmos.line_2d(a + Vec2::Y, b + Vec2::Y, white);
        }
        if let Some(end) = path.last() {
            gizmos.circle_2d(super::geometry::hex_to_world(s, *end), 6.0, white);
        }
    }
}
