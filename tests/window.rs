//! The game window renders the Kharkiv scenario: run `railhead play --screenshot` under a
//! virtual X server (Xvfb, with Mesa's software Vulkan) and look at the picture.
//!
//! Without an X server the test says so and passes, except under CI (`CI` set), where
//! `.ci/run` installs Xvfb and Mesa and the test must run.
#![cfg(feature = "gui")]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM, so that the server removes its lock file and socket; a killed server
        // leaves them behind for every later run to trip over.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A display to draw on: a fresh Xvfb that picks a free display number itself
/// (`-displayfd`), clearing stale locks of dead servers as it does.
fn start_xvfb(screen: &str) -> Option<(Xvfb, String)> {
    use std::io::BufRead;
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            screen,
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let xvfb = Xvfb(child);
    // Xvfb writes the display number once it accepts connections.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(20)).ok()?;
    let n: u32 = line.trim().parse().ok()?;
    Some((xvfb, format!(":{n}")))
}

/// A display of the given size (`WIDTHxHEIGHTxDEPTH`), or `None` when this machine has no
/// Xvfb (the test then says it skipped; under CI it fails instead).
fn display(screen: &str) -> Option<(Xvfb, String)> {
    let started = start_xvfb(screen);
    if started.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Xvfb could not be started under CI: .ci/run must install xvfb and mesa-vulkan-drivers"
        );
        eprintln!("SKIPPED: the window test needs Xvfb (apt-get install xvfb mesa-vulkan-drivers)");
    }
    started
}

#[test]
fn the_window_shows_the_map_with_both_sides() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    let png: PathBuf =
        std::env::temp_dir().join(format!("railhead-window-{}.png", std::process::id()));
    let _ = std::fs::remove_file(&png);
    let out = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .args(["play", "--frames", "15", "--screenshot"])
        .arg(&png)
        .output()
        .expect("railhead runs");
    assert!(
        out.status.success(),
        "railhead play failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).expect("a screenshot was written");
    let pm = tiny_skia::Pixmap::decode_png(&bytes).expect("the screenshot is a PNG");
    assert_eq!((pm.width(), pm.height()), (1280, 900));

    let mut colours = std::collections::BTreeMap::<(u8, u8, u8), usize>::new();
    for p in pm.pixels() {
        *colours.entry((p.red(), p.green(), p.blue())).or_default() += 1;
    }
    assert!(
        colours.len() > 200,
        "only {} colours: the window looks blank",
        colours.len()
    );
    let scenario = railhead::scenario::load_or_default(None).unwrap();
    let close = |a: (u8, u8, u8), b: (u8, u8, u8)| {
        (i32::from(a.0) - i32::from(b.0)).abs()
            + (i32::from(a.1) - i32::from(b.1)).abs()
            + (i32::from(a.2) - i32::from(b.2)).abs()
            < 30
    };
    let count = |want: (u8, u8, u8)| {
        colours
            .iter()
            .filter(|(c, _)| close(**c, want))
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    for side in &scenario.sides {
        let c = side.colour;
        assert!(
            count((c.0, c.1, c.2)) > 100,
            "{} counters are not visible",
            side.name
        );
    }
    // Terrain: open ground and forest, each tinted by the side holding it (a wash of the
    // side's colour, multiplied in linear light), cover much of the picture.
    let linear = |v: u8| (f32::from(v) / 255.0).powf(2.2);
    let srgb = |v: f32| (v.clamp(0.0, 1.0).powf(1.0 / 2.2) * 255.0).round() as u8;
    let tinted = |t: (u8, u8, u8), side: (u8, u8, u8)| {
        let wash = |s: u8| linear(((1.0 - 0.32 * (1.0 - f32::from(s) / 255.0)) * 255.0) as u8);
        (
            srgb(linear(t.0) * wash(side.0)),
            srgb(linear(t.1) * wash(side.1)),
            srgb(linear(t.2) * wash(side.2)),
        )
    };
    let terrain: usize = scenario
        .terrain_types
        .iter()
        .flat_map(|t| {
            scenario.sides.iter().map(move |s| {
                (
                    (t.colour.0, t.colour.1, t.colour.2),
                    (s.colour.0, s.colour.1, s.colour.2),
                )
            })
        })
        .map(|(t, s)| count(tinted(t, s)))
        .sum();
    assert!(
        terrain > 1280 * 900 / 10,
        "terrain covers only {terrain} pixels"
    );
    let _ = std::fs::remove_file(&png);
}

/// What the screen showed at each `Look` of a script, by label.
#[derive(Debug)]
struct Looks(std::collections::BTreeMap<String, serde_json::Value>);

impl Looks {
    /// The look with this label (the test fails if the script did not reach it).
    fn at(&self, label: &str) -> &serde_json::Value {
        self.0
            .get(label)
            .unwrap_or_else(|| panic!("no look `{label}` in {self:?}"))
    }
}

/// Runs `railhead play` with a script of pointer moves, clicks and keys, and returns what
/// the screen showed at each `Look`.
fn play_script(display: &str, side: &str, steps: &str) -> Looks {
    play_script_with(display, &["--side", side], steps)
}

/// [`play_script`] with `railhead play`'s arguments (a scenario, a side).
fn play_script_with(display: &str, args: &[&str], steps: &str) -> Looks {
    // The same game every run (a new game otherwise draws a fresh seed).
    let mut all = vec!["play"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--seed", "1"]);
    run_script(display, &all, steps)
}

/// Runs `railhead` with these arguments and a script, and returns what the screen showed
/// at each `Look`.
fn run_script(display: &str, args: &[&str], steps: &str) -> Looks {
    // Tests run in parallel in one process: one file per script.
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!("railhead-script-{}-{n}.ron", std::process::id()));
    std::fs::write(&file, steps).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .args(args)
        .arg("--script")
        .arg(&file)
        .output()
        .expect("railhead runs");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "railhead {} --script failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    Looks(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| Some((v["look"].as_str()?.to_string(), v)))
            .collect(),
    )
}

/// A Ukrainian unit, an enemy it can see, and an empty hex next to the enemy that the unit
/// can move to today, on the first day of the Kharkiv scenario.
fn unit_enemy_and_a_hex_beside_it() -> (String, String, (i32, i32), (i32, i32)) {
    use railhead::rules::movement::{Threats, allowance, can_end_in, reach};
    let s = railhead::scenario::load_or_default(None).unwrap();
    let (_, board, _, forces) = railhead::rules::setup::initial_state(&s);
    let ua = s.side_index("ua").unwrap();
    let seen = railhead::rules::fog::visible_to(&s, &forces, ua);
    let threats = Threats::for_side(&s, &forces, ua);
    for u in forces.of_side(ua).filter(|u| u.active()) {
        let r = reach(&s, &board, &threats, u, allowance(&s, u));
        for e in forces
            .units
            .iter()
            .filter(|e| e.active() && e.side != ua && seen[e.id.0])
        {
            let beside = r.cost.keys().copied().find(|h| {
                *h != u.hex()
                    && can_end_in(&s, &threats, u, *h)
                    && forces.in_hex(*h).next().is_none()
                    && s.neighbours(*h).any(|n| n == e.hex())
            });
            if let Some(h) = beside {
                return (
                    s.units[u.id].name.clone(),
                    s.units[e.id].name.clone(),
                    (e.hex().col, e.hex().row),
                    (h.col, h.row),
                );
            }
        }
    }
    panic!("no Ukrainian unit can reach an enemy on the first day");
}

#[test]
fn a_player_selects_hovers_previews_and_orders() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    let (unit, enemy, (ec, er), (hc, hr)) = unit_enemy_and_a_hex_beside_it();
    let steps = format!(
        r#"[
            Click(Unit("{unit}")), Look("selected"),
            Hover(Hex({ec}, {er})), Look("hovering the enemy"),
            Click(Hex({hc}, {hr})), Wait(20), Look("moved"),
            Click(Hex({ec}, {er})), Look("attack prepared"),
            Click(Button("Attack")), Wait(20), Look("attacked"),
        ]"#
    );
    let seen = play_script(&display, "ua", &steps);
    let look = |label: &str| seen.at(label);
    // Select: the unit, with the hexes it can reach.
    let selected = look("selected");
    assert_eq!(selected["selected"], unit.as_str(), "{selected}");
    assert!(selected["reach"].as_u64().unwrap() > 0, "{selected}");
    // Hover: the hex under the pointer and its tooltip, naming the enemy.
    let hovering = look("hovering the enemy");
    assert_eq!(hovering["hovered"], serde_json::json!([ec, er]));
    let tip = hovering["tooltip"].to_string();
    assert!(
        tip.contains(&enemy),
        "the tooltip does not name {enemy}: {tip}"
    );
    // Order: the move is in the order log.
    let moved = look("moved");
    let orders = moved["orders"].to_string();
    assert!(orders.contains("Move"), "no move order: {orders}");
    // Preview: clicking the enemy prepares an attack the unit joins, with its column and
    // odds shown.
    let prepared = look("attack prepared");
    let attack = &prepared["attack"];
    assert_eq!(attack["target"], serde_json::json!([ec, er]), "{prepared}");
    assert!(
        attack["attackers"].to_string().contains(&unit),
        "{unit} does not join: {attack}"
    );
    assert!(
        attack["column"].is_string() && attack["odds"].is_string(),
        "{attack}"
    );
    // Order: the attack button gives the attack.
    let attacked = look("attacked");
    let orders = attacked["orders"].to_string();
    assert!(orders.contains("Attack"), "no attack order: {orders}");
    assert!(
        attacked["attack"].is_null(),
        "the panel still shows the attack"
    );
}

/// A Russian unit of a grouping with a fallback line, and a Russian unit on a station far
/// from the front with a station it can go to by rail, at the start of the Kharkiv scenario.
fn russian_levers() -> (String, String, String) {
    let s = railhead::scenario::load_or_default(None).unwrap();
    let (_, board, _, forces) = railhead::rules::setup::initial_state(&s);
    let ru = s.side_index("ru").unwrap();
    let withdrawer = forces
        .of_side(ru)
        .find(|u| u.active() && !s.grouping(u.grouping).fallback.is_empty())
        .map(|u| s.units[u.id].name.clone())
        .expect("a Russian grouping with a fallback line");
    let far_from_the_front = |h: railhead::geo::Offset| {
        forces.units.iter().filter(|e| e.side != ru).all(|e| {
            railhead::geo::offset_to_hex(e.hex())
                .unsigned_distance_to(railhead::geo::offset_to_hex(h))
                > 8
        })
    };
    for u in forces
        .of_side(ru)
        .filter(|u| u.active() && far_from_the_front(u.hex()))
    {
        let places = railhead::rules::check::rail_destinations(&s, &board, &forces, u.id);
        if let Some((to, _)) = places.iter().find(|(h, _)| far_from_the_front(*h)) {
            let station = s.rail_nodes.iter().find(|n| n.hex == *to).unwrap();
            return (withdrawer, s.units[u.id].name.clone(), station.name.clone());
        }
    }
    panic!("no Russian unit far from the front can move by rail");
}

#[test]
fn a_russian_player_orders_a_grouping_back_and_moves_a_unit_by_rail() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    let (withdrawer, traveller, station) = russian_levers();
    let steps = format!(
        r#"[
            AwaitOrders(3000),
            Click(Unit("{withdrawer}")), Look("selected"),
            Click(Button("Order it back to its line")), Wait(20), Look("ordered back"),
            Click(Unit("{traveller}")), Click(Button("{station}")), Wait(20), Look("by rail"),
        ]"#
    );
    let seen = play_script(&display, "ru", &steps);
    let look = |label: &str| seen.at(label);
    assert_eq!(look("selected")["selected"], withdrawer.as_str());
    // Each button adds its order to the log (the AI's orders of the day are there too).
    let count = |label: &str, kind: &str| look(label)["orders"].to_string().matches(kind).count();
    assert_eq!(
        count("ordered back", "Withdraw"),
        count("selected", "Withdraw") + 1,
        "no withdrawal order: {}",
        look("ordered back")["orders"]
    );
    assert_eq!(
        count("by rail", "RailMove"),
        count("ordered back", "RailMove") + 1,
        "no rail move: {}",
        look("by rail")["orders"]
    );
}

#[test]
fn on_a_small_screen_the_window_fits_it() {
    let Some((_xvfb, display)) = display("1280x800x24") else {
        return;
    };
    let png = std::env::temp_dir().join(format!("railhead-small-{}.png", std::process::id()));
    let steps = format!("[Wait(5), Look(\"start\"), Screenshot({png:?}), Wait(5)]");
    let seen = play_script(&display, "ua", &steps);
    // The counters' strength figures at the zoom a game opens at, in pixels (measured
    // 10.7 here, the counters 35 pixels square).
    let start = seen.at("start");
    let digits = start["digits_px"].as_f64().unwrap();
    assert!(digits >= 10.0, "figures {digits:.1} pixels high: {start}");
    let bytes = std::fs::read(&png).expect("a screenshot was written");
    let pm = tiny_skia::Pixmap::decode_png(&bytes).expect("the screenshot is a PNG");
    let _ = std::fs::remove_file(&png);
    assert!(
        pm.width() <= 1280 && pm.height() <= 800 - 60,
        "a {}x{} window on a 1280x800 screen",
        pm.width(),
        pm.height()
    );
    assert!(
        pm.width() >= 1200 && pm.height() >= 700,
        "{}x{}",
        pm.width(),
        pm.height()
    );
}

#[test]
fn the_frame_time_is_measured_for_the_game_and_for_an_empty_scene() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    for extra in [&["--side", "ua"][..], &["--empty-scene"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_railhead"))
            .args(["play", "--frame-time", "20"])
            .args(extra)
            .env("DISPLAY", &display)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{extra:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("frame time over 20 frames: mean ") && text.contains(" ms, median "),
            "{extra:?}: {text}"
        );
    }
}

/// The day, whose phase it is and the window's turn at a look.
fn when(look: &serde_json::Value) -> (u64, String, String) {
    (
        look["day"].as_u64().unwrap_or(0),
        look["phase"].as_str().unwrap_or_default().to_string(),
        look["turn"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn the_enemys_moves_are_shown_and_enter_waits_for_them() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    // Blue's scout watches the Hollow grouping, which Red's plan sends west on day 1.
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/enemy_in_sight.ron"
    );
    let steps = r#"[
        AwaitOrders(3000), Look("start"),
        Key("Return"), Wait(2), Click(Button("End the phase")), Wait(3), Look("ended"),
        Key("Return"), Wait(2), Look("enter while shown"),
        AwaitQuiet(3000), Look("shown"),
    ]"#;
    let seen = play_script_with(&display, &[scenario, "--side", "blue"], steps);
    assert_eq!(when(seen.at("start")).0, 1);
    let ended = seen.at("ended");
    assert_eq!(when(ended).0, 2, "{ended}");
    let showing = ended["showing"].to_string();
    assert!(
        showing.contains("move Hollow "),
        "Red's moves are not shown to Blue: {showing}"
    );
    // Enter while Red's moves are being shown ends nothing and asks nothing (the showing
    // takes seconds; a machine slow enough to finish it first would ask, still ending
    // nothing).
    let during = seen.at("enter while shown");
    assert_eq!(when(during), when(ended), "{during}");
    if !during["showing"].as_array().unwrap().is_empty() {
        assert!(during["dialog"] == "None", "{during}");
    }
    let shown = seen.at("shown");
    assert_eq!(when(shown), when(ended), "a day lost to a key: {shown}");
}

#[test]
fn enter_behind_the_menu_and_on_the_hand_over_screen_ends_nothing() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    let menu = play_script(
        &display,
        "ua",
        r#"[AwaitOrders(3000), Look("start"), Key("Escape"), Wait(2), Key("Return"), Wait(3), Key("Return"), Wait(3), Look("enter behind the menu")]"#,
    );
    let behind = menu.at("enter behind the menu");
    assert_eq!(when(behind), when(menu.at("start")), "{behind}");
    assert_eq!(behind["dialog"], "Some(Menu)", "{behind}");
    let hot_seat = play_script(
        &display,
        "hotseat",
        r#"[Wait(20), Look("hand-over"), Key("Return"), Wait(3), Key("Return"), Wait(3), Look("after enter")]"#,
    );
    let before = hot_seat.at("hand-over");
    assert!(when(before).2.starts_with("HandOver"), "{before}");
    assert_eq!(when(hot_seat.at("after enter")), when(before));
}

/// A Ukrainian unit and a hex it can move to today that holds another Ukrainian unit,
/// with room for one more, on the first day of the Kharkiv scenario.
fn a_unit_and_a_friendly_hex_it_can_join() -> (String, String, (i32, i32)) {
    use railhead::rules::movement::{Threats, allowance, can_end_in, reach};
    let s = railhead::scenario::load_or_default(None).unwrap();
    let (_, board, _, forces) = railhead::rules::setup::initial_state(&s);
    let ua = s.side_index("ua").unwrap();
    let threats = Threats::for_side(&s, &forces, ua);
    for u in forces.of_side(ua) {
        let r = reach(&s, &board, &threats, u, allowance(&s, u));
        for h in r.cost.keys().copied() {
            let there: Vec<_> = forces.in_hex(h).filter(|o| o.side == ua).collect();
            if h != u.hex() && !there.is_empty() && can_end_in(&s, &threats, u, h) {
                return (
                    s.units[u.id].name.clone(),
                    s.units[there[0].id].name.clone(),
                    (h.col, h.row),
                );
            }
        }
    }
    panic!("no Ukrainian unit can join another on the first day");
}

#[test]
fn a_unit_moves_onto_a_friendly_units_hex() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    let (unit, other, (c, r)) = a_unit_and_a_friendly_hex_it_can_join();
    let steps = format!(
        r#"[
            AwaitOrders(3000),
            Click(Unit("{unit}")), Look("selected"),
            Click(Hex({c}, {r})), Wait(10), Look("moved"),
        ]"#
    );
    let seen = play_script(&display, "ua", &steps);
    assert_eq!(seen.at("selected")["selected"], unit.as_str());
    let moved = seen.at("moved");
    let orders = moved["orders"].to_string();
    assert!(
        orders.contains("Move") && orders.contains(&format!(r#""col":{c},"row":{r}"#)),
        "{unit} did not move onto {other}'s hex ({c}, {r}): {moved}"
    );
    assert!(moved["message"].is_null(), "{moved}");
}

#[test]
fn the_lines_that_feed_an_enemy_depot_are_lit_up_with_their_estimated_tonnes() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    // After Russia's first supply phase, Izium's depot (Russia's) under the pointer.
    let steps = r#"[
        AwaitOrders(3000),
        Key("Return"), Wait(2), Click(Button("End the phase")), Wait(3), AwaitOrders(3000),
        Hover(Place("Izium")), Wait(5), Look("izium"),
    ]"#;
    let seen = play_script(&display, "ua", steps);
    let izium = seen.at("izium");
    assert_eq!(when(izium).0, 2, "{izium}");
    let tip = izium["tooltip"].to_string();
    assert!(
        tip.contains("Izium depot (your intelligence's estimate)")
            && tip.contains("Fed today by: "),
        "{tip}"
    );
    let lit = izium["feeding"].as_array().unwrap();
    assert!(!lit.is_empty(), "no line lit up: {izium}");
    for line in lit {
        let name = line.as_str().unwrap();
        assert!(
            tip.contains(&format!("{name} about ")),
            "{name} not in the tooltip: {tip}"
        );
    }
}

#[test]
fn the_range_rule_and_its_message_agree_at_the_boundary() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    // Westbury's depot reaches 6 movement points: one brigade stands exactly 6 from it,
    // the other 8.
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/depot_at_range.ron"
    );
    // The panel of the brigade selected, the tooltip of the one pointed at (a click on
    // the other's hex would move the selected brigade there).
    let steps = r#"[
        AwaitOrders(3000),
        Click(Unit("2nd Blue Rifles")), Look("beyond it"),
        Hover(Unit("1st Blue Armoured")), Look("at the range"),
    ]"#;
    let seen = play_script_with(&display, &[scenario, "--side", "blue"], steps);
    let beyond = seen.at("beyond it");
    assert_eq!(beyond["selected"], "2nd Blue Rifles", "{beyond}");
    let said = beyond["supply"].as_str().unwrap_or_default();
    assert!(
        said.starts_with("Out of range")
            && said.contains(" 8 movement points")
            && said.contains("up to 6"),
        "{said}"
    );
    let at = seen.at("at the range");
    let line = at["tooltip"]
        .as_array()
        .and_then(|lines| {
            lines
                .iter()
                .filter_map(|l| l.as_str())
                .find(|l| l.starts_with("1st Blue Armoured"))
        })
        .unwrap_or_else(|| panic!("no tooltip line for the brigade: {at}"));
    assert!(
        line.contains("supplied") && !line.contains("range"),
        "a unit at the depot's range is supplied: {line}"
    );
}

#[test]
fn a_player_strikes_a_bridge_seeing_what_it_cuts_first_and_what_it_did_after() {
    let Some((_xvfb, display)) = display("1600x1000x24") else {
        return;
    };
    // Eastland's rockets, the Lantern bridge in range: Westland's phase comes first.
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/bridgehead_strikes.ron"
    );
    let shot = std::env::temp_dir().join(format!("railhead-strike-{}.png", std::process::id()));
    let steps = format!(
        r#"[
        AwaitOrders(3000), Look("start"),
        Click(Button("the Lantern bridge")), Wait(3), Look("armed"),
        Click(Button("Strike")), Wait(3), Look("struck"),
        Screenshot("{}"), Wait(3),
    ]"#,
        shot.display()
    );
    let seen = play_script_with(&display, &[scenario, "--side", "east"], &steps);
    let start = seen.at("start");
    assert_eq!(start["phase"], "east", "{start}");
    assert!(start["strikes"].as_array().unwrap().is_empty(), "{start}");
    let armed = seen.at("armed");
    assert_eq!(armed["strike_armed"], "the Lantern bridge", "{armed}");
    // Chosen is not struck: the order waits for its confirmation.
    assert!(
        armed["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o.get("Strike").is_none()),
        "{armed}"
    );
    let struck = seen.at("struck");
    let orders = struck["orders"].to_string();
    assert!(orders.contains("Strike"), "{struck}");
    let made = struck["strikes"].as_array().unwrap();
    assert_eq!(made.len(), 1, "{struck}");
    // A hit damages the bridge; a miss or an interception leaves it as it was.
    let hit = made[0] == "Hit";
    assert_eq!(
        struck["damaged"].as_array().unwrap().len(),
        usize::from(hit),
        "{struck}"
    );
    assert!(struck["strike_armed"].is_null());
    assert!(shot.exists());
    let _ = std::fs::remove_file(shot);
}

/// The shipped lesson's guided tour, played to its end on a projector-sized screen
/// (1280x720) with Next, Show the answer and Play each choice: at each stop the game shows
/// the step's day, the camera looks at the step's hex, the highlights are the step's, and
/// the answer is the one the game computes headless; presentation mode enlarges the
/// counters' figures; leaving the tour keeps the day, and the tour can be resumed.
#[test]
fn the_lessons_guided_tour_plays_to_its_end() {
    use railhead::lesson::file::load_lesson;
    let Some((_xvfb, display)) = display("1280x720x24") else {
        return;
    };
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lessons/kharkiv_why_izium_fell.ron");
    let lesson = load_lesson(&file).unwrap();
    let played = railhead::lesson::play(&lesson);
    let stops = lesson.steps.len() + usize::from(lesson.decision.is_some());
    let arrive = "Wait(20), AwaitQuiet(5000), Wait(20), AwaitQuiet(5000), Wait(20), AwaitQuiet(5000), Wait(40)";
    let mut steps = vec![arrive.to_string()];
    for k in 0..stops {
        steps.push(format!("Look(\"stop{k}\")"));
        let reveal = if k == 2 {
            "Play each choice"
        } else {
            "Show the answer"
        };
        steps.push(format!(
            "Click(Button(\"{reveal}\")), Wait(5), Look(\"answer{k}\")"
        ));
        if k == 3 {
            steps.push(
                "Key(\"KeyP\"), Wait(30), Look(\"presenting\"), Key(\"KeyP\"), Wait(10)".into(),
            );
        }
        if k + 1 < stops {
            steps.push(format!("Click(Button(\"Next\")), {arrive}"));
        }
    }
    steps.push("Click(Button(\"Leave the tour\")), Wait(10), Look(\"left\")".into());
    steps.push("Click(Button(\"Back to the lesson\")), Wait(10), Look(\"resumed\")".into());
    let script = format!("[{}]", steps.join(", "));
    let seen = run_script(&display, &["lesson", file.to_str().unwrap()], &script);
    let mut step = 0;
    for k in 0..stops {
        let look = seen.at(&format!("stop{k}"));
        let tour = &look["tour"];
        assert_eq!(tour["stop"], k + 1, "{look}");
        if tour["decision"] == true {
            let d = lesson.decision.as_ref().unwrap();
            assert_eq!(
                look["day"],
                d.day + 1,
                "the decision's day is shown: {look}"
            );
            let answer = seen.at(&format!("answer{k}"))["tour"]["answer"]
                .as_str()
                .unwrap()
                .to_string();
            for c in &d.choices {
                assert!(answer.contains(&c.label), "{answer}");
            }
            // The class looks at the grouping it decides for, ringed.
            let camera = d.camera.expect("the shipped decision sets its camera");
            assert_eq!(
                tour["looking_at"],
                serde_json::json!([camera.at.col, camera.at.row]),
                "{look}"
            );
            assert_eq!(
                tour["highlight"],
                serde_json::json!([lesson.scenario.grouping(d.grouping).name])
            );
            continue;
        }
        let st = &lesson.steps[step];
        // The clock stands at the start of the next day: the step's day is shown.
        assert_eq!(look["day"], st.day + 1, "{}: {look}", st.title);
        assert_eq!(
            tour["looking_at"],
            serde_json::json!([st.camera.at.col, st.camera.at.row]),
            "{}",
            st.title
        );
        let names: Vec<String> = st
            .highlight
            .iter()
            .map(|h| match *h {
                railhead::lesson::Highlight::Grouping(g) => {
                    lesson.scenario.grouping(g).name.clone()
                }
                railhead::lesson::Highlight::Depot(d) => lesson.scenario.depot(d).name.clone(),
                railhead::lesson::Highlight::Place(p) => lesson.scenario.places[p.0].name.clone(),
                railhead::lesson::Highlight::Link(l) => lesson.scenario.rail_link(l).name.clone(),
                railhead::lesson::Highlight::Crossing(c) => {
                    lesson.scenario.crossings[c.0].name.clone()
                }
                railhead::lesson::Highlight::Unit(u) => lesson.scenario.unit(u).name.clone(),
            })
            .collect();
        assert_eq!(tour["highlight"], serde_json::json!(names), "{}", st.title);
        assert!(tour["answer"].is_null(), "the answer waits to be asked for");
        assert_eq!(
            seen.at(&format!("answer{k}"))["tour"]["answer"].as_str(),
            played.answers[step].as_deref(),
            "{}",
            st.title
        );
        step += 1;
    }
    // Presentation mode: the counters' figures three quarters as large again, readable
    // projected (about 9 pixels to about 15 here).
    let (plain, big) = (seen.at("stop3"), seen.at("presenting"));
    let (a, b) = (
        plain["digits_px"].as_f64().unwrap(),
        big["digits_px"].as_f64().unwrap(),
    );
    assert!(
        big["presentation"] == true && b >= a * 1.6 && b >= 14.0,
        "{a:.1} -> {b:.1} px"
    );
    // The map's labels grow with the panels' type (13 pixels to about 17).
    let (la, lb) = (
        plain["label_px"].as_f64().unwrap(),
        big["label_px"].as_f64().unwrap(),
    );
    assert!(lb >= la * 1.3 && lb >= 16.0, "labels {la:.1} -> {lb:.1} px");
    // The tour's panel on the right leaves the map most of a 1280x720 window, its full
    // height below the top bar, in presentation mode too.
    for look in [&plain["tour"], &big["tour"]] {
        let (w, h) = (
            look["window"][0].as_f64().unwrap(),
            look["window"][1].as_f64().unwrap(),
        );
        let (mw, mh) = (
            look["map_area"][0].as_f64().unwrap(),
            look["map_area"][1].as_f64().unwrap(),
        );
        assert!(
            mw >= 0.6 * w && mh >= 0.8 * h,
            "map {mw}x{mh} of {w}x{h}: {look}"
        );
    }
    // Leaving keeps the game on its day; the tour comes back where it was.
    let (last, left, resumed) = (
        seen.at(&format!("stop{}", stops - 1)),
        seen.at("left"),
        seen.at("resumed"),
    );
    assert_eq!(left["tour"]["active"], false);
    assert_eq!(left["day"], last["day"]);
    assert_eq!(resumed["tour"]["active"], true);
    assert_eq!(resumed["tour"]["stop"], stops);
}

/// The start screen offers the lessons of `lessons/`: choosing one starts its game (the
/// AI on both sides, the lesson's seed) with the tour at its first step.
#[test]
fn the_start_screen_gives_a_lesson() {
    let Some((_xvfb, display)) = display("1280x800x24") else {
        return;
    };
    let lesson = railhead::lesson::file::load_lesson(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lessons/kharkiv_why_izium_fell.ron"),
    )
    .unwrap();
    let steps = format!(
        // The lesson's games are prepared on a thread: a second or two, longer in a
        // debug build; the tour begins when they are ready.
        "[Wait(10), Click(Button(\"Give the lesson: {}\")), Wait(900), AwaitQuiet(5000), Wait(40), Look(\"first\")]",
        lesson.title
    );
    let seen = run_script(&display, &["play"], &steps);
    let first = seen.at("first");
    assert_eq!(first["tour"]["stop"], 1, "{first}");
    assert_eq!(first["tour"]["active"], true);
    assert_eq!(first["day"], lesson.steps[0].day + 1, "{first}");
    assert_eq!(
        first["phase"], "Dawn",
        "nobody commands: the AI plays: {first}"
    );
}

/// Without a display the window says so, in a sentence, and exits with an error instead
/// of a panic from the windowing library.
#[test]
fn without_a_display_the_window_says_so() {
    let out = Command::new(env!("CARGO_BIN_EXE_railhead"))
        .arg("play")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the window cannot open: no display is set"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
