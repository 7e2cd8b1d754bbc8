//! Damage and repairs on dates (`Damage(...)`, `Repair(...)` in `events`): each names a
//! crossing, a railway or a depot, with the numbers its kind of target takes.

use super::super::model::{Crossing, DatedDamage, Depot, Harm, RailLink, RailNode, Target};
use super::super::raw::{LinkMode, RawEvent, RawScenario, RawTarget};
use super::check::{Checker, Names};

/// Most days a repair may take.
pub const MAX_REPAIR_DAYS: u32 = 1_000;

/// The lists damage may name.
pub struct Targets<'a> {
    /// The crossings.
    pub crossings: &'a [Crossing],
    /// The rail links.
    pub links: &'a [RailLink],
    /// The depots.
    pub depots: &'a [Depot],
    /// The rail nodes.
    pub nodes: &'a [RailNode],
}

impl Targets<'_> {
    /// The target a raw target names, or a problem at `path`.
    pub fn resolve(&self, c: &mut Checker, path: &str, target: &RawTarget) -> Option<Target> {
        let table = |what: &str, names: Vec<&str>| Names::fixed(what, &names);
        match target {
            RawTarget::Crossing(name) => {
                let names = table(
                    "crossing",
                    self.crossings.iter().map(|x| x.name.as_str()).collect(),
                );
                if self.crossings.iter().filter(|x| &x.name == name).count() > 1 {
                    c.hint(
                        path,
                        format!("two crossings are named `{name}`"),
                        "give each crossing a name of its own to name it here",
                    );
                    return None;
                }
                c.lookup(path, name, &names).map(Target::Crossing)
            }
            RawTarget::Link(name) => {
                let names = table(
                    "rail link",
                    self.links.iter().map(|l| l.name.as_str()).collect(),
                );
                let l = c.lookup(path, name, &names)?;
                if self.links[l].mode == LinkMode::Truck {
                    c.hint(
                        path,
                        format!(
                            "`{name}` is a lorry haul: roads are not cut, only their crossings"
                        ),
                        "name the crossing it uses instead",
                    );
                    return None;
                }
                Some(Target::Link(l))
            }
            RawTarget::Depot(name) => {
                let names = table(
                    "depot",
                    self.depots.iter().map(|d| d.name.as_str()).collect(),
                );
                c.lookup(path, name, &names).map(Target::Depot)
            }
            RawTarget::Node(name) => {
                let names = table(
                    "rail node",
                    self.nodes.iter().map(|n| n.name.as_str()).collect(),
                );
                c.lookup(path, name, &names).map(Target::Node)
            }
        }
    }
}

/// Checks the dated damage and repairs, in date order.
pub fn damage(c: &mut Checker, raw: &RawScenario, targets: &Targets) -> Vec<DatedDamage> {
    let mut found = Vec::new();
    for (i, e) in raw.events.iter().enumerate() {
        let p = format!("events[{i}]");
        let (date, target, harm, reason) = match e {
            RawEvent::Damage {
                date,
                target,
                capacity_left,
                days,
                stock_lost,
                reason,
            } => (
                date,
                target,
                Some((capacity_left, days, stock_lost)),
                reason,
            ),
            RawEvent::Repair {
                date,
                target,
                reason,
            } => (date, target, None, reason),
            _ => continue,
        };
        let last = raw.start_date + chrono::Days::new(u64::from(raw.turns.saturating_sub(1)));
        if *date > last {
            c.hint(
                format!("{p}.date"),
                format!("{date} is after the scenario's last day ({last})"),
                "date it within the scenario, or leave it out",
            );
        }
        let turn = (*date - raw.start_date).num_days().max(0) as u32 + 1;
        let Some(target) = targets.resolve(c, &format!("{p}.target"), target) else {
            continue;
        };
        let harm = match harm {
            None => {
                if let Target::Depot(_) = target {
                    c.hint(
                        format!("{p}.target"),
                        "a depot is not repaired: its stock is refilled by its trains",
                        "name a crossing or a railway",
                    );
                    continue;
                }
                None
            }
            Some((capacity_left, days, stock_lost)) => {
                match harm_of(c, &p, target, *capacity_left, *days, *stock_lost) {
                    Some(h) => Some(h),
                    None => continue,
                }
            }
        };
        found.push(DatedDamage {
            turn,
            target,
            harm,
            reason: reason.clone(),
        });
    }
    found.sort_by_key(|d| d.turn);
    found
}

/// The harm a `Damage` does to its kind of target: the numbers it takes, checked, and
/// the numbers it does not take refused.
pub fn harm_of(
    c: &mut Checker,
    p: &str,
    target: Target,
    capacity_left: Option<f64>,
    days: Option<u32>,
    stock_lost: Option<f64>,
) -> Option<Harm> {
    let before = c.problems.len();
    let share = |c: &mut Checker, field: &str, v: f64| {
        if !(0.0..=1.0).contains(&v) {
            c.err(
                format!("{p}.{field}"),
                format!("{field} is {v}, out of range: it must lie from 0 to 1"),
            );
        }
    };
    let refuse = |c: &mut Checker, field: &str, what: &str| {
        c.hint(
            format!("{p}.{field}"),
            format!("`{field}` does not apply to {what}"),
            "leave it out",
        );
    };
    let need = |c: &mut Checker, field: &str, what: &str| {
        c.hint(
            p.to_string(),
            format!("damage to {what} needs `{field}`"),
            format!("add `{field}: ...`"),
        );
    };
    if let Some(d) = days
        && !(1..=MAX_REPAIR_DAYS).contains(&d)
    {
        c.err(
            format!("{p}.days"),
            format!("days is {d}, out of range: it must lie from 1 to {MAX_REPAIR_DAYS}"),
        );
    }
    let harm = match target {
        Target::Crossing(_) => {
            if stock_lost.is_some() {
                refuse(c, "stock_lost", "a crossing");
            }
            let left = capacity_left.unwrap_or(0.0);
            share(c, "capacity_left", left);
            if days.is_none() {
                need(c, "days", "a crossing");
            }
            Harm {
                capacity_left: left,
                days: days.unwrap_or(1),
                stock_lost: 0.0,
            }
        }
        Target::Link(_) | Target::Node(_) => {
            if stock_lost.is_some() {
                refuse(c, "stock_lost", "a railway");
            }
            if capacity_left.is_some() {
                refuse(c, "capacity_left", "a railway (it is cut while repaired)");
            }
            if days.is_none() {
                need(c, "days", "a railway");
            }
            Harm {
                capacity_left: 0.0,
                days: days.unwrap_or(1),
                stock_lost: 0.0,
            }
        }
        Target::Depot(_) => {
            if capacity_left.is_some() {
                refuse(c, "capacity_left", "a depot");
            }
            if days.is_some() {
                refuse(c, "days", "a depot (its stock is refilled by its trains)");
            }
            let lost = stock_lost.unwrap_or(0.0);
            share(c, "stock_lost", lost);
            if stock_lost.is_none() {
                need(c, "stock_lost", "a depot");
            }
            Harm {
                capacity_left: 1.0,
                days: 0,
                stock_lost: lost,
            }
        }
    };
    (c.problems.len() == before).then_some(harm)
}

/// Checks each side's strike assets.
pub fn strike_assets(
    c: &mut Checker,
    raw: &RawScenario,
    sides: &Names,
) -> Vec<super::super::model::StrikeAssets> {
    c.names(
        "strikes",
        "strike asset",
        raw.strikes.iter().map(|a| a.name.as_str()),
    );
    let turn_of = |d: chrono::NaiveDate| (d - raw.start_date).num_days().max(0) as u32 + 1;
    let mut found = Vec::new();
    for (i, a) in raw.strikes.iter().enumerate() {
        let p = format!("strikes[{i}]");
        let before = c.problems.len();
        let side = c.lookup(&format!("{p}.side"), &a.side, sides);
        c.ranges(&p, a, super::ranges::STRIKE_ASSETS);
        let kinds = [
            ("crossings", &a.crossings, Target::Crossing(0)),
            ("links", &a.links, Target::Link(0)),
            ("depots", &a.depots, Target::Depot(0)),
            ("nodes", &a.nodes, Target::Node(0)),
        ];
        if kinds.iter().all(|(_, h, _)| h.is_none()) {
            c.hint(
                &p,
                format!("strike asset `{}` can strike nothing", a.name),
                "give it what a hit does to `crossings`, `links`, `depots` or `nodes`, e.g. `crossings: Harm(capacity_left: 0.0, days: 3)`",
            );
        }
        let mut harms = [None, None, None, None];
        for (k, (field, h, kind)) in kinds.iter().enumerate() {
            if let Some(h) = h {
                harms[k] = harm_of(
                    c,
                    &format!("{p}.{field}"),
                    *kind,
                    h.capacity_left,
                    h.days,
                    h.stock_lost,
                );
            }
        }
        let first = a.from.map_or(1, turn_of);
        let last = a.until.map_or(raw.turns, turn_of);
        if first > last {
            c.err(
                format!("{p}.until"),
                format!(
                    "strike asset `{}` is available until before it is from",
                    a.name
                ),
            );
        }
        let Some(side) = side else { continue };
        if c.problems.len() != before {
            continue;
        }
        let [crossings, links, depots, nodes] = harms;
        found.push(super::super::model::StrikeAssets {
            name: a.name.clone(),
            side: crate::scenario::ids::SideId(side),
            per_day: a.per_day,
            range: a.range,
            hit: a.hit,
            intercepted: a.intercepted,
            turns: (first, last),
            crossings,
            links,
            depots,
            nodes,
        });
    }
    found
}
