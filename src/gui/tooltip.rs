//! What is under the pointer, without a click: the hex (place, terrain, who holds it,
//! objective points), the units there that the viewer can see (strength, readiness,
//! supply, and for its own units why they are short), a depot (stock, what it received
//! and needs, days left) and the rail lines through it (capacity, today's use, cut or
//! wrecked).

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::depots::{Intel, Told, depot_lines};
use super::orders::Hovered;
use super::view::{PanelRects, Screen, Viewer};
use crate::geo::Offset;
use crate::numbers::group_thousands;
use crate::rules::cursor::DayCursor;
use crate::rules::narrate::supply_word;
use crate::rules::state::{Board, Depots, Dice, Feeding, Forces, ScenarioRes, SupplyLevel};
use crate::scenario::Scenario;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        hover_tip.run_if(in_state(Screen::Game)),
    );
}

/// What the tooltip reads of the game, and for whom: `viewer` (`None`: everything).
pub(super) struct Known<'a> {
    /// The board.
    pub(super) board: &'a Board,
    /// The units.
    pub(super) forces: &'a Forces,
    /// The depots.
    pub(super) depots: &'a Depots,
    /// The lines that fed each depot today.
    pub(super) feeding: &'a Feeding,
    /// Today's estimates of the enemy's depots.
    pub(super) intel: Intel,
    /// Whose view.
    pub(super) viewer: Option<crate::scenario::ids::SideId>,
}

/// The lines the tooltip shows for a hex, as the viewer may know them.
pub(super) fn hex_lines(s: &Scenario, known: &Known, hex: Offset) -> Vec<String> {
    let Known {
        board,
        forces,
        depots,
        feeding,
        intel,
        viewer,
    } = *known;
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
    if viewer.is_none() {
        // Instructor view: what an author checks a map by (`railhead where` says more).
        let c = s.frame.hex_center(hex);
        let sides = crate::scenario::whereis::river_sides(s, hex);
        lines.push(format!(
            "Hex ({}, {}), centre ({:.4}, {:.4}); river sides: {}",
            hex.col,
            hex.row,
            c.lat,
            c.lon,
            if sides.is_empty() {
                "none".to_string()
            } else {
                sides.join("; ")
            }
        ));
    }
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
        if depot.hex != hex || !depots.0[d].active {
            continue;
        }
        let told = Told::of(s, depots, forces, &intel, viewer, d);
        lines.extend(depot_lines(s, depots, feeding, told, d));
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

/// Where the tooltip goes so that it covers nothing near the pointer: in the corner of the
/// map's area across from it (below when the pointer is in the upper half, to the right
/// when it is in the left half), as a pivot and a point.
fn away_from(pointer: egui::Pos2, area: egui::Rect) -> (egui::Align2, egui::Pos2) {
    const MARGIN: f32 = 10.0;
    // (The bottom edge leaves room for the Save and Undo buttons.)
    const BOTTOM: f32 = 56.0;
    let right = pointer.x < area.center().x;
    let below = pointer.y < area.center().y;
    let x = if right {
        area.max.x - MARGIN
    } else {
        area.min.x + MARGIN
    };
    let y = if below {
        area.max.y - BOTTOM
    } else {
        area.min.y + MARGIN
    };
    let pivot = match (right, below) {
        (true, true) => egui::Align2::RIGHT_BOTTOM,
        (true, false) => egui::Align2::RIGHT_TOP,
        (false, true) => egui::Align2::LEFT_BOTTOM,
        (false, false) => egui::Align2::LEFT_TOP,
    };
    (pivot, egui::pos2(x, y))
}

/// What the tooltip reads.
#[derive(bevy::ecs::system::SystemParam)]
struct Game<'w> {
    scenario: Res<'w, ScenarioRes>,
    board: Res<'w, Board>,
    forces: Res<'w, Forces>,
    depots: Res<'w, Depots>,
    feeding: Res<'w, Feeding>,
    dice: Res<'w, Dice>,
    cursor: Res<'w, DayCursor>,
    viewer: Res<'w, Viewer>,
}

fn hover_tip(
    mut contexts: EguiContexts,
    hovered: Res<Hovered>,
    panels: Res<PanelRects>,
    game: Game,
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
    let known = Known {
        board: &game.board,
        forces: &game.forces,
        depots: &game.depots,
        feeding: &game.feeding,
        intel: Intel::of(&game.dice, &game.cursor),
        viewer: game.viewer.0,
    };
    let lines = hex_lines(&game.scenario.0, &known, hex);
    let (pivot, at) = away_from(pointer, panels.map_rect(ctx));
    egui::Area::new("hover_tip".into())
        .order(egui::Order::Tooltip)
        .pivot(pivot)
        .fixed_pos(at)
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
    use super::super::view::map_area;
    use super::*;
    use crate::rules::setup::initial_state;

    #[test]
    fn the_tooltip_goes_to_the_corner_of_the_map_across_from_the_pointer() {
        let screen = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(1280.0, 900.0));
        let panels = [
            egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1280.0, 24.0)),
            egui::Rect::from_min_max(egui::pos2(900.0, 24.0), egui::pos2(1280.0, 900.0)),
        ];
        let area = map_area(screen, &panels);
        assert_eq!(
            area,
            egui::Rect::from_min_max(egui::pos2(0.0, 24.0), egui::pos2(900.0, 900.0))
        );
        // Pointer up and left: the tooltip hangs from the lower right corner.
        let (pivot, at) = away_from(egui::pos2(100.0, 100.0), area);
        assert_eq!(pivot, egui::Align2::RIGHT_BOTTOM);
        assert!(at.x > 800.0 && at.y > 800.0, "{at:?}");
        // Pointer down and right: from the upper left.
        let (pivot, at) = away_from(egui::pos2(800.0, 800.0), area);
        assert_eq!(pivot, egui::Align2::LEFT_TOP);
        assert!(at.x < 50.0 && at.y < 50.0, "{at:?}");
    }

    #[test]
    fn the_tooltip_names_the_place_its_depot_lines_and_only_units_in_sight() {
        let s = crate::scenario::load_or_default(None).unwrap();
        let (cursor, board, depots, forces) = initial_state(&s);
        let feeding = Feeding(vec![crate::rules::state::Fed::default(); s.depots.len()]);
        let dice = Dice::new(1);
        let known = |viewer| Known {
            board: &board,
            forces: &forces,
            depots: &depots,
            feeding: &feeding,
            intel: Intel::of(&dice, &cursor),
            viewer,
        };
        let kharkiv = s.place("Kharkiv").unwrap().hex;
        let lines = hex_lines(&s, &known(None), kharkiv);
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
        let as_ua = hex_lines(&s, &known(Some(ua)), ru_far.hex());
        let as_none = hex_lines(&s, &known(None), ru_far.hex());
        assert!(
            !as_ua.iter().any(|l| l.contains(name.as_str())),
            "{as_ua:?}"
        );
        assert!(
            as_none.iter().any(|l| l.contains(name.as_str())),
            "{as_none:?}"
        );
        // The instructor sees the hex's coordinates and river sides; a player does not.
        let kupiansk = s.place("Kupiansk").unwrap().hex;
        let author = hex_lines(&s, &known(None), kupiansk);
        let line = author
            .iter()
            .find(|l| {
                l.starts_with(&format!(
                    "Hex ({}, {}), centre (",
                    kupiansk.col, kupiansk.row
                ))
            })
            .unwrap_or_else(|| panic!("{author:?}"));
        assert!(line.contains("river sides: Oskil on its"), "{line}");
        assert!(
            !hex_lines(&s, &known(Some(ua)), kupiansk)
                .iter()
                .any(|l| l.starts_with("Hex (")),
        );
    }
}
