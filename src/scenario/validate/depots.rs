//! Depots: where each side's supply is stocked, at a rail node connected to its sources.

use super::super::model::Depot;
use super::super::raw::RawScenario;
use super::check::{Checker, Names};
use super::rail::Rail;
use super::ranges;
use crate::scenario::ids::SideId;

/// Checks the depots: their ranges, and that each is joined by rail to a source of its side.
pub fn depots(c: &mut Checker, raw: &RawScenario, side_ids: &Names, rail: &Rail) -> Vec<Depot> {
    c.names(
        "depots",
        "depot",
        raw.depots.iter().map(|d| d.name.as_str()),
    );
    let mut depots = Vec::new();
    for (i, d) in raw.depots.iter().enumerate() {
        let p = format!("depots[{i}]");
        let side = c
            .lookup(&format!("{p}.side"), &d.side, side_ids)
            .map(SideId);
        let node = c.lookup(&format!("{p}.node"), &d.node, &rail.node_ids);
        c.ranges(&p, d, ranges::DEPOT);
        if d.stock > d.capacity {
            c.hint(
                format!("{p}.stock"),
                format!(
                    "depot `{}` starts with {} t, more than its capacity of {} t",
                    d.name, d.stock, d.capacity
                ),
                "lower the stock or raise the capacity",
            );
        }
        let (Some(side), Some(node)) = (side, node) else {
            continue;
        };
        let fed = rail
            .sources
            .iter()
            .any(|s| s.side == side && rail.network.equiv(s.node, node));
        if !fed {
            let own: Vec<&str> = rail
                .sources
                .iter()
                .filter(|s| s.side == side)
                .map(|s| s.name.as_str())
                .collect();
            c.hint(
                format!("{p}.node"),
                format!("depot `{}` at rail node `{}` is not connected by rail to any supply source of side `{}`", d.name, d.node, d.side),
                if own.is_empty() { format!("side `{}` has no supply source in rail.sources", d.side) } else { format!("add rail links from `{}` to the network of: {}", d.node, own.join(", ")) },
            );
        }
        let Some(hex) = rail.node_hexes[node] else {
            continue;
        };
        depots.push(Depot {
            name: d.name.clone(),
            side,
            node,
            hex,
            stock: d.stock,
            capacity: d.capacity,
            range: d.range,
        });
    }

    depots
}

/// A depot or supply source must start on ground its side holds: on the enemy's it falls
/// (or feeds the enemy) on the first day.
pub fn on_own_ground(
    c: &mut Checker,
    depots: &[Depot],
    rail: &Rail,
    sides: &super::sides::Sides,
    columns: usize,
) {
    let holder = |hex: crate::geo::Offset| -> Option<SideId> {
        let i = usize::try_from(hex.row).ok()? * columns + usize::try_from(hex.col).ok()?;
        sides.control.get(i).copied().flatten()
    };
    let name = |id: SideId| sides.sides.get(id.0).map_or("?", |s| s.id.as_str());
    for (i, d) in depots.iter().enumerate() {
        if let Some(other) = holder(d.hex).filter(|h| *h != d.side) {
            c.hint(
                format!("depots[{i}].node"),
                format!(
                    "depot `{}` of `{}` stands in hex {}, which `{}` holds at the start: it would fall on day 1",
                    d.name,
                    name(d.side),
                    d.hex,
                    name(other)
                ),
                "put the depot at a node on its own side's ground, or give that ground to its side in `map.control` or `areas` (`railhead where` says who holds a hex)",
            );
        }
    }
    for (i, s) in rail.sources.iter().enumerate() {
        let Some(node) = rail.nodes.get(s.node) else {
            continue;
        };
        if let Some(other) = holder(node.hex).filter(|h| *h != s.side) {
            c.hint(
                format!("rail.sources[{i}].node"),
                format!(
                    "supply source `{}` of `{}` enters at rail node `{}` in hex {}, which `{}` holds at the start",
                    s.name,
                    name(s.side),
                    node.name,
                    node.hex,
                    name(other)
                ),
                "let it enter at a node on its own side's ground (a railhead at the map's edge behind its lines)",
            );
        }
    }
}
