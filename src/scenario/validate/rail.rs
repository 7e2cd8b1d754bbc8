//! The rail network: nodes, links (laid along hex lines between their waypoints) and the
//! off-map sources each side's supply enters from.

use crate::scenario::ids::SideId;
use petgraph::unionfind::UnionFind;

use super::super::model::{LinkCrossing, RailLink, RailNode, SupplySource};
use super::super::raw::{CrossingKind, LinkMode, Location, RawScenario};
use super::check::{Checker, Names};
use super::places::Resolver;
use super::ranges;
use crate::geo::Offset;

/// The rail network as the later sections need it.
#[derive(Debug, Clone)]
pub struct Rail {
    /// The nodes, in the file's order (a node whose place is invalid sits at hex 0, 0; its
    /// problem is reported).
    pub nodes: Vec<RailNode>,
    /// Node names, to resolve references.
    pub node_ids: Names,
    /// The hex of each node, if valid.
    pub node_hexes: Vec<Option<Offset>>,
    /// The valid links.
    pub links: Vec<RailLink>,
    /// The valid sources.
    pub sources: Vec<SupplySource>,
    /// Which nodes the links join into one network.
    pub network: UnionFind<usize>,
}

/// Checks the rail network.
pub fn rail(c: &mut Checker, raw: &RawScenario, resolver: &Resolver, side_ids: &Names) -> Rail {
    let node_ids = c.names(
        "rail.nodes",
        "rail node",
        raw.rail.nodes.iter().map(|n| n.name.as_str()),
    );
    let mut node_hexes: Vec<Option<Offset>> = Vec::new();
    for (i, n) in raw.rail.nodes.iter().enumerate() {
        node_hexes.push(resolver.hex(
            c,
            &format!("rail.nodes[{i}].at"),
            &format!("rail node `{}`", n.name),
            &n.at,
            true,
        ));
    }
    c.names(
        "rail.links",
        "rail link",
        raw.rail.links.iter().map(|l| l.name.as_str()),
    );
    let mut rail_links = Vec::new();
    let mut network = UnionFind::<usize>::new(raw.rail.nodes.len());
    for (i, l) in raw.rail.links.iter().enumerate() {
        let p = format!("rail.links[{i}]");
        let from = c.lookup(&format!("{p}.from"), &l.from, &node_ids);
        let to = c.lookup(&format!("{p}.to"), &l.to, &node_ids);
        c.ranges(&p, l, ranges::RAIL_LINK);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if from == to {
            c.err(
                format!("{p}.to"),
                format!("rail link `{}` runs from `{}` to itself", l.name, l.from),
            );
            continue;
        }
        let (Some(fh), Some(th)) = (node_hexes[from], node_hexes[to]) else {
            continue;
        };
        let from_loc = Location::Hex(fh.col, fh.row);
        let to_loc = Location::Hex(th.col, th.row);
        let mut points: Vec<(String, &Location)> = vec![(format!("{p}.from"), &from_loc)];
        points.extend(
            l.via
                .iter()
                .enumerate()
                .map(|(k, v)| (format!("{p}.via[{k}]"), v)),
        );
        points.push((format!("{p}.to"), &to_loc));
        if let Some(hexes) = resolver.path(c, &format!("rail link `{}`", l.name), &points) {
            network.union(from, to);
            rail_links.push(RailLink {
                name: l.name.clone(),
                from,
                to,
                capacity: l.capacity,
                hexes,
                mode: l.mode,
                repair_days: l.repair_days,
                crossings: Vec::new(),
            });
        }
    }
    let rail_nodes: Vec<RailNode> = raw
        .rail
        .nodes
        .iter()
        .zip(&node_hexes)
        .map(|(n, h)| RailNode {
            name: n.name.clone(),
            hex: h.unwrap_or(Offset { col: 0, row: 0 }),
        })
        .collect();
    c.names(
        "rail.sources",
        "supply source",
        raw.rail.sources.iter().map(|s| s.name.as_str()),
    );
    let mut sources = Vec::new();
    for (i, s) in raw.rail.sources.iter().enumerate() {
        let p = format!("rail.sources[{i}]");
        let side = c
            .lookup(&format!("{p}.side"), &s.side, side_ids)
            .map(SideId);
        let node = c.lookup(&format!("{p}.node"), &s.node, &node_ids);
        c.ranges(&p, s, ranges::SUPPLY_SOURCE);
        if let (Some(side), Some(node)) = (side, node) {
            sources.push(SupplySource {
                name: s.name.clone(),
                side,
                node,
                supply: s.supply,
            });
        }
    }

    Rail {
        nodes: rail_nodes,
        node_ids,
        node_hexes,
        links: rail_links,
        sources,
        network,
    }
}

/// The crossings each link passes, in order from its `from`, and the links over each
/// crossing (`crossings[c].rail_links`). A link that crosses a river where the river has
/// no crossing, or a railway that crosses anywhere but at a bridge, is a problem at the
/// link, with the hexes either side. Run only on a network whose every link is valid (so
/// that `rail.links[i]` is the file's `i`-th link), and when `required`.
pub fn crossings(
    c: &mut Checker,
    raw: &RawScenario,
    links: &mut [RailLink],
    waters: &mut super::rivers::Waters,
    required: bool,
) {
    let aligned = links.len() == raw.rail.links.len() && required;
    for (l, link) in links.iter_mut().enumerate() {
        let p = format!("rail.links[{l}]");
        let mut passed: Vec<LinkCrossing> = Vec::new();
        for w in link.hexes.windows(2) {
            let key = super::super::model::edge_key(w[0], w[1]);
            let Some(edge) = waters.edges.get(&key) else {
                continue;
            };
            let river = &waters.rivers[edge.river].name;
            let Some(x) = edge.crossing else {
                if aligned {
                    c.hint(
                        &p,
                        format!(
                            "rail link `{}` crosses river `{river}` between hexes {} and {}, \
                             where the river has no crossing",
                            link.name, w[0], w[1]
                        ),
                        format!(
                            "add a Crossing at hex {} or {} to river `{river}`'s crossings, or \
                             lead the link over an existing crossing with `via` (`railhead map` \
                             draws the crossings)",
                            w[0], w[1]
                        ),
                    );
                }
                continue;
            };
            let crossing = &waters.crossings[x];
            if link.mode == LinkMode::Rail && crossing.kind != CrossingKind::Bridge && aligned {
                c.hint(
                    &p,
                    format!(
                        "railway `{}` crosses river `{river}` at `{}`, a {}: trains cross only \
                         at a bridge",
                        link.name,
                        crossing.name,
                        crossing.kind.text()
                    ),
                    "make the link `mode: Truck` (a lorry haul), or make the crossing a Bridge",
                );
            }
            if passed.iter().any(|p| p.crossing == x) {
                continue;
            }
            passed.push(LinkCrossing {
                crossing: x,
                from_on_own_bank: w[0] == crossing.hex,
            });
            waters.crossings[x].rail_links.push(l);
        }
        link.crossings = passed;
    }
}
