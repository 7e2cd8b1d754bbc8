//! The rules' numbers, and the checks that depend on them (stacking at the start).

use std::collections::BTreeMap;

use super::super::raw::{RawRules, RawScenario};
use super::check::Checker;
use super::ranges;
use crate::geo::Offset;

/// Checks the rules' numbers, and that no hex starts with more units than the stacking
/// limit (`stacks`: the units of the file, by index, on each hex at the start).
pub fn rules(
    c: &mut Checker,
    raw: &RawScenario,
    stacks: &BTreeMap<Offset, Vec<usize>>,
) -> RawRules {
    let r = &raw.rules;
    c.ranges("rules", r, ranges::RULES);
    c.range(
        "rules.out_of_supply_share",
        "out_of_supply_share",
        r.out_of_supply_share,
        0.0,
        r.supplied_share.clamp(0.0, 1.0),
    );
    for (hex, stack) in stacks {
        if stack.len() > r.stacking_limit as usize {
            let last = *stack.last().unwrap_or(&0);
            let names: Vec<&str> = stack.iter().map(|k| raw.units[*k].name.as_str()).collect();
            c.hint(
                format!("units[{last}].at"),
                format!(
                    "{} units start in hex {hex}; the stacking limit is {}",
                    stack.len(),
                    r.stacking_limit
                ),
                format!("spread out: {}", names.join(", ")),
            );
        }
    }
    r.clone()
}
