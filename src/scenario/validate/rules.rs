//! The rules' numbers, and the checks that depend on them (stacking at the start).

use std::collections::BTreeMap;

use super::super::raw::{COMBAT_COLUMNS, RawRules, RawScenario};
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
    if let Some(table) = &r.combat_table {
        combat_table(c, table);
    }
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

/// Largest retreat of the combat results table, in hexes.
pub const MAX_RETREAT: u32 = 10;

/// The combat results table: a row for each odds column, six results in each, losses
/// shares of strength and retreats a few hexes.
fn combat_table(c: &mut Checker, table: &[Vec<super::super::raw::CombatResult>]) {
    let columns = COMBAT_COLUMNS.join(", ");
    if table.len() != COMBAT_COLUMNS.len() {
        c.hint(
            "rules.combat_table",
            format!(
                "the combat table has {} rows; it needs {}",
                table.len(),
                COMBAT_COLUMNS.len()
            ),
            format!("one row for each odds column, in order: {columns}"),
        );
    }
    for (i, row) in table.iter().enumerate().take(COMBAT_COLUMNS.len()) {
        let path = format!("rules.combat_table[{i}]");
        if row.len() != 6 {
            c.hint(
                &path,
                format!(
                    "the {} row of the combat table has {} results; it needs 6",
                    COMBAT_COLUMNS[i],
                    row.len()
                ),
                "one for each face of the die, 1 to 6: (attacker_loss, defender_loss, retreat)",
            );
        }
        for (d, (att, def, back)) in row.iter().enumerate() {
            let path = format!("{path}[{d}]");
            let what =
                |part: &str| format!("{part} at {} for a die of {}", COMBAT_COLUMNS[i], d + 1);
            c.range(&path, &what("attacker_loss"), *att, 0.0, 1.0);
            c.range(&path, &what("defender_loss"), *def, 0.0, 1.0);
            c.range(
                &path,
                &what("retreat"),
                f64::from(*back),
                0.0,
                f64::from(MAX_RETREAT),
            );
        }
    }
}
