//! What a side learns of a day is what its units saw that day: the chronicle keeps it,
//! so a past day reads the same later, whatever the units see by then.

use std::sync::Arc;

use railhead::rules::events::GameEvent;
use railhead::rules::fog::{Sight, event_known, visible_to};
use railhead::rules::narrate::narrate_day;
use railhead::rules::setup::default_controllers;
use railhead::rules::simulation::Simulation;
use railhead::rules::state::Forces;
use railhead::scenario::load_or_default;

#[test]
fn a_past_day_reads_as_it_was_learned() {
    let s = Arc::new(load_or_default(None).unwrap());
    let ua = s.side_index("ua").unwrap();
    let mut sim = Simulation::new(s.clone(), 3, default_controllers(&s));
    sim.play_day();
    // Day 1 as Ukraine learned it, judged by what its units see at the end of day 1.
    let seen = visible_to(&s, sim.world().resource::<Forces>(), ua);
    let day1: Vec<_> = sim
        .chronicle()
        .iter()
        .filter(|l| l.turn == 1)
        .cloned()
        .collect();
    let learned: Vec<_> = day1.iter().filter(|l| l.known_to(ua)).cloned().collect();
    assert!(learned.len() < day1.len(), "fog hides something of day 1");
    // Its own units' moves are always known to it.
    for l in &day1 {
        if let GameEvent::UnitMoved { unit, .. } = &l.event
            && s.unit(*unit).side == ua
        {
            assert!(l.known_to(ua));
        }
    }
    let told = narrate_day(&s, &learned);
    for _ in 0..5 {
        sim.play_day();
    }
    let later: Vec<_> = sim
        .chronicle()
        .iter()
        .filter(|l| l.turn == 1 && l.known_to(ua))
        .cloned()
        .collect();
    assert_eq!(
        narrate_day(&s, &later),
        told,
        "day 1 reads the same on day 6"
    );
    // Judged by today's sight instead, day 1 would read differently: the reason to keep it.
    let today = Sight::of(&s, sim.world().resource::<Forces>(), ua);
    assert_ne!(
        seen, today.units,
        "Ukraine's sight changed between day 1 and day 6"
    );
    let rejudged: Vec<_> = day1
        .iter()
        .filter(|l| event_known(&s, &l.event, ua, &today))
        .cloned()
        .collect();
    assert_ne!(narrate_day(&s, &rejudged), told);
}
