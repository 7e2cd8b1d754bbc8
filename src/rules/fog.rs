//! Fog of war: a side sees its own units, and enemy units within the reconnaissance reach
//! (`recon`, in hexes; at least the next hex) of one of its units on the map.

use crate::geo::offset_to_hex;
use crate::scenario::Scenario;

use super::state::Forces;

/// For each unit (by id), whether `side` can see it.
pub fn visible_to(s: &Scenario, forces: &Forces, side: usize) -> Vec<bool> {
    let eyes: Vec<(hexx::Hex, u32)> = forces
        .of_side(side)
        .map(|u| (offset_to_hex(u.hex), s.units[u.id].recon.max(1)))
        .collect();
    forces
        .units
        .iter()
        .map(|u| {
            u.side == side
                || (u.active()
                    && eyes
                        .iter()
                        .any(|(h, r)| h.unsigned_distance_to(offset_to_hex(u.hex)) <= *r))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::state::initial_state;

    #[test]
    fn enemies_are_seen_only_within_reconnaissance_reach() {
        let s = crate::scenario::load_or_default(None).unwrap();
        let (_, _, _, mut forces) = initial_state(&s);
        let ua = s.side_index("ua").unwrap();
        let seen = visible_to(&s, &forces, ua);
        // Own units are always seen; far enemies are not; the BARS detachment at Verbivka,
        // two hexes from the 92nd, is.
        assert!(
            forces
                .units
                .iter()
                .filter(|u| u.side == ua)
                .all(|u| seen[u.id])
        );
        let izium = s
            .units
            .iter()
            .position(|u| u.name == "13th Guards Tank Regiment (4th GTD)")
            .unwrap();
        assert!(!seen[izium]);
        let bars = s
            .units
            .iter()
            .position(|u| u.name == "BARS detachment")
            .unwrap();
        assert!(seen[bars]);
        // Move a Ukrainian unit next to Izium and the tank regiment is seen.
        let scout = s
            .units
            .iter()
            .position(|u| u.name == "4th Tank Brigade")
            .unwrap();
        forces.units[scout].hex = s.neighbours(forces.units[izium].hex).next().unwrap();
        assert!(visible_to(&s, &forces, ua)[izium]);
    }
}
