//! What is under the pointer, without a click: the hex (place, terrain, who holds it,
//! objective points), the units there that the viewer can see (strength, readiness,
//! supply, and for its own units why they are short), a depot (stock, what it received
//! and needs, days left) and the rail lines through it (capacity, today's use, cut or
//! wrecked).

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::orders::Hovered;
use super::view::{Screen, Viewer};
use crate::geo::Offset;
use crate::numbers::group_thousands;
use crate::rules::narrate::supply_word;
use crate::rules::state::{Board, Depots, Forces, ScenarioRes, SupplyLevel};
use crate::scenario::Scenario;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        hover_tip.run_if(in_state(Screen::Game)),
    );
}

/// The lines the tooltip shows for a hex, as `viewer` may know them.
pub(super) fn hex_lines(
    s: &Scenario,
    board: &Board,
    forces: &Forces,
    depots: &Depots,
    viewer: Option<crate::scenario::ids::SideId>,
    hex: Offset,
) -> Vec<String> {
    let mut lines = Vec::new();
    let i = s.index(hex);
    let place = s.places.iter().position(|p| p.hex == hex);
    let holder = board.control[i].map_or("nobody".to_string(), |c| s.sides[c].name.clone());
    let terrain = s.terrain_at(hex);
    lines.push(format!(
        "{}: {} (defence x{:.1}, {} movement), held by {holder}",
        place.map_or_else(
            || format!("hex ({}, {})", hex.col, hex.row),
            |p| format!("{} ({}, {})", s.places[p].name, hex.col, hex.row)
        ),
        terrain.id,
        terrain.defence,
        terrain.move_cost
    ));
    if let Some(o) = place.and_then(|p| s.objectives.iter().find(|o| o.place == p)) {
        lines.push(format!("Objective: {} points", o.points));
    }
    let seen = viewer.map(|v| crate::rules::fog::visible_to(s, forces, v));
    for u in forces.in_hex(hex) {
        if seen.as_ref().is_some_and(|v| !v[u.id.0]) {
            continue;
        }
        let mut line = format!(
            "{} ({}): strength {:.0}%, readiness {:.0}%, {}",
            s.units[u.id].name,
            s.sides[u.side].name,
            u.strength * 100.0,
            u.readiness * 100.0,
            supply_word(u.supply)
        );
        if u.supply != SupplyLevel::Supplied && viewer.is_none_or(|v| v == u.side) {
            line.push_str(". ");
            line.push_str(
                &crate::rules::supply::trace::trace(s, board, forces, depots, u.id).describe(s),
            );
        }
        lines.push(line);
    }
    for (d, depot) in s.depots.iter().enumerate() {
        let st = &depots.0[d];
        if depot.hex != hex || !st.active || viewer.is_some_and(|v| v != depots.owner(s, d)) {
            continue;
        }
        let days = stock_outlook(st.stock, st.inflow, st.demand);
        lines.push(format!(
            "{}: stock {} t; received {} t of {} t with its lines open; needed {} t; {days}",
            depot.name,
            group_thousands(st.stock.round().max(0.0) as u32),
            group_thousands(st.inflow.round().max(0.0) as u32),
            group_thousands(st.nominal_inflow.round().max(0.0) as u32),
            group_thousands(st.demand.round().max(0.0) as u32),
        ));
    }
    for (l, link) in s.rail_links.iter().enumerate() {
        if !link.hexes.contains(&hex) {
            continue;
        }
        let c = &board.rail[l];
        let state = if c.wrecked {
            match crate::rules::track::repair_outlook(s, board, l) {
                Some(1) => "wrecked, running again after tonight's repair".to_string(),
                Some(days) => format!("wrecked, {days} days of repair left"),
                None => "wrecked: its repair starts once one side holds all of it".to_string(),
            }
        } else if let Some(op) = c.operator {
            let cut = board.link_cut_by[op][l].is_some();
            let used = board.link_flow[op][l];
            format!(
                "{} trains{}, {} t today",
                s.sides[op].name,
                if cut { ", cut" } else { "" },
                group_thousands(used as u32)
            )
        } else {
            "unused".to_string()
        };
        lines.push(format!(
            "{}: {} t a day; {state}",
            link.name,
            group_thousands(link.capacity)
        ));
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

#[allow(clippy::too_many_arguments)]
fn hover_tip(
    mut contexts: EguiContexts,
    hovered: Res<Hovered>,
    scenario: Res<ScenarioRes>,
    board: Res<Board>,
    forces: Res<Forces>,
    depots: Res<Depots>,
    viewer: Res<Viewer>,
    buttons: Res<ButtonInput<MouseButton>>,
) -> Result {
    let Some(hex) = hovered.0 else {
        return Ok(());
    };
    if buttons.get_pressed().next().is_some() {
        return Ok(()); // dragging the map
    }
    let ctx = contexts.ctx_mut()?;
    let Some(pointer) = ctx.pointer_hover_pos() else {
        return Ok(());
    };
    let lines = hex_lines(&scenario.0, &board, &forces, &depots, viewer.0, hex);
    egui::Area::new("hover_tip".into())
        .order(egui::Order::Tooltip)
        .fixed_pos(pointer + egui::vec2(18.0, 18.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(420.0);
                for (k, line) in lines.iter().enumerate() {
                    if k == 0 {
                        ui.strong(line);
                    } else {
                        ui.label(line);
                    }
                }
            });
        });
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
    fn the_tooltip_names_the_place_its_depot_lines_and_only_units_in_sight() {
        let s = crate::scenario::load_or_default(None).unwrap();
        let (_, board, depots, forces) = initial_state(&s);
        let kharkiv = s.place("Kharkiv").unwrap().hex;
        let lines = hex_lines(&s, &board, &forces, &depots, None, kharkiv);
        assert!(lines[0].starts_with("Kharkiv ("), "{lines:?}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Kharkiv depot: stock 20,000 t")),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains(" t a day; ")), "{lines:?}");
        // An enemy unit out of sight is not listed; in instructor view (no side), it is.
        let ua = s.side_index("ua").unwrap();
        let ru_far = forces
            .units
            .iter()
            .find(|u| {
                u.side != ua
                    && u.active()
                    && !crate::rules::fog::visible_to(&s, &forces, ua)[u.id.0]
            })
            .expect("some Russian unit is out of Ukraine's sight at the start");
        let name = &s.units[ru_far.id].name;
        let as_ua = hex_lines(&s, &board, &forces, &depots, Some(ua), ru_far.hex());
        let as_none = hex_lines(&s, &board, &forces, &depots, None, ru_far.hex());
        assert!(
            !as_ua.iter().any(|l| l.contains(name.as_str())),
            "{as_ua:?}"
        );
        assert!(
            as_none.iter().any(|l| l.contains(name.as_str())),
            "{as_none:?}"
        );
    }
}
