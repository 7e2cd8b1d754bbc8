//! Lessons: the shipped lesson checks and its answers are the game's own; a lesson's
//! mistakes are reported at their line and column with a hint; the decision's choices
//! play as directives (early, left to the commander, held) and differ as history says
//! they should; the worksheet and answer key are single files, printed to PDF when
//! Chromium is installed.

use std::path::{Path, PathBuf};

use crate::study_support::{ok, p, railhead};
use railhead::lesson::file::{load_lesson, load_lesson_str};
use railhead::lesson::{Answer, play, run_decision};

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/kharkiv_why_izium_fell.ron")
}

#[test]
fn the_shipped_lesson_answers_with_the_games_own_numbers() {
    let lesson = load_lesson(&shipped()).unwrap_or_else(|e| panic!("{e}"));
    assert!(lesson.steps.len() >= 5 && lesson.decision.is_some());
    let played = play(&lesson);
    let r = &played.record;
    assert_eq!(r.seed, lesson.seed);
    let s = &lesson.scenario;
    let mut checked = 0;
    for (st, answer) in lesson.steps.iter().zip(&played.answers) {
        let q = st.question.as_ref().expect("every shipped step asks");
        let a = answer.as_deref().unwrap();
        match q.answer {
            Answer::DepotInflow { depot, day } => {
                let d = &r.days[day as usize - 1].depots[depot.0];
                let t = railhead::numbers::group_thousands(d.inflow.round() as u32);
                assert!(a.contains(&format!("received {t} t")), "{a}");
                checked += 1;
            }
            Answer::Withdrawal { grouping } => {
                let (day, date) = r.withdrawals[grouping.0].expect("ordered back");
                assert!(
                    a.contains(&format!("day {day} ({})", date.format("%-d %B"))),
                    "{a}"
                );
                assert!(a.contains("History: 9 September"), "{a}");
                checked += 1;
            }
            Answer::Territory { side, day } => {
                let km2 = r.days[day as usize - 1].sides[side.0].territory_km2;
                let said = railhead::numbers::group_thousands(km2.round() as u32);
                assert!(a.contains(&format!("{said} km²")), "{a}");
                checked += 1;
            }
            Answer::LeftBehind { grouping } => {
                let acc = railhead::report::account::account(r, grouping);
                assert!(a.contains(&format!("left {} items", acc.abandoned)), "{a}");
                checked += 1;
            }
            Answer::DaysOfSupply { grouping, .. } => {
                assert!(a.contains(&s.grouping(grouping).name), "{a}");
                assert!(a.contains("threshold"), "{a}");
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked >= 5, "{checked} answers checked");
}

/// An answer tells the game as it stood at its step's day: a step before the order learns
/// that the grouping had not been ordered back by then, and what it had left so far; the
/// same questions on the last day tell the whole game.
#[test]
fn an_answer_tells_no_more_than_its_steps_day() {
    let text = |early: u32| {
        format!(
            r#"Lesson(
    title: "Before and after",
    scenario: "../scenarios/kharkiv_2022.ron",
    steps: [
        Step(title: "Before", day: {early}, camera: Camera(at: Place("Izium")), text: "a",
            question: Question(ask: "Ordered back?", answer: Withdrawal(grouping: "Izium grouping"))),
        Step(title: "Before", day: {early}, camera: Camera(at: Place("Izium")), text: "b",
            question: Question(ask: "Left?", answer: LeftBehind(grouping: "Izium grouping"))),
        Step(title: "Before", day: {early}, camera: Camera(at: Place("Izium")), text: "c",
            question: Question(ask: "Taken?", answer: Taken(place: "Izium"))),
        Step(title: "End", day: 30, camera: Camera(at: Place("Izium")), text: "d",
            question: Question(ask: "Ordered back?", answer: Withdrawal(grouping: "Izium grouping"))),
        Step(title: "End", day: 30, camera: Camera(at: Place("Izium")), text: "e",
            question: Question(ask: "Left?", answer: LeftBehind(grouping: "Izium grouping"))),
    ],
)"#
        )
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let lesson = load_lesson_str(&text(1), "t.ron", &dir).unwrap_or_else(|e| panic!("{e}"));
    let played = play(&lesson);
    let r = &played.record;
    let s = &lesson.scenario;
    let g = s
        .grouping_ids()
        .find(|g| s.grouping(*g).name == "Izium grouping")
        .unwrap();
    let (day, _) = r.withdrawals[g.0].expect("ordered back in the lesson's game");
    let a: Vec<&str> = played
        .answers
        .iter()
        .map(|a| a.as_deref().unwrap())
        .collect();
    assert!(day > 1, "ordered back on day {day}");
    assert!(
        a[0].contains("had not been ordered back by the end of day 1 (6 September)"),
        "{}",
        a[0]
    );
    assert!(!a[0].contains(&format!("day {day}")), "{}", a[0]);
    assert!(
        a[1].starts_with("By the end of day 1 (6 September)"),
        "{}",
        a[1]
    );
    assert!(a[1].contains("left 0 items"), "{}", a[1]);
    assert!(
        a[2].contains("had not changed hands by the end of day 1"),
        "{}",
        a[2]
    );
    assert!(
        a[3].contains(&format!("ordered back on day {day}")),
        "{}",
        a[3]
    );
    let whole = railhead::report::account::account(r, g);
    assert!(
        whole.abandoned > 0,
        "the grouping left something in the whole game"
    );
    assert!(
        a[4].contains(&format!(
            "left {} items",
            railhead::numbers::group_thousands(whole.abandoned)
        )),
        "{}",
        a[4]
    );
    // On the order's day itself the answer tells it.
    let on = load_lesson_str(&text(day), "t.ron", &dir).unwrap();
    let played = play(&on);
    assert!(
        played.answers[0]
            .as_deref()
            .unwrap()
            .contains(&format!("ordered back on day {day}")),
        "{:?}",
        played.answers[0]
    );
}

/// The decision, each choice a directive, over a few games: pulled back at once it goes on
/// the day named in every game and leaves less than when left to its commander; held, it
/// is never ordered back and loses more of its units.
#[test]
fn the_decisions_choices_play_as_directives() {
    let mut lesson = load_lesson(&shipped()).unwrap();
    lesson.decision.as_mut().unwrap().runs = 4;
    let results = run_decision(&lesson, 2).unwrap();
    let [early, commander, held] = &results[..] else {
        panic!("three choices: {results:?}");
    };
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    assert_eq!(early.ordered, vec![3.0; 4], "pulled back on 8 September");
    assert_eq!(commander.ordered.len(), 4);
    assert!(median(&commander.ordered) > 3.0);
    assert!(held.ordered.is_empty(), "held: {:?}", held.ordered);
    assert!(
        median(&early.left_behind) < median(&commander.left_behind),
        "early {:?}, commander {:?}",
        early.left_behind,
        commander.left_behind
    );
    assert!(median(&held.units_lost) > median(&early.units_lost));
}

fn errors(text: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    match load_lesson_str(text, "bad.ron", &dir) {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_lessons_mistakes_are_placed_and_hinted() {
    let text = r#"Lesson(
    title: "Bad",
    scenario: "../scenarios/kharkiv_2022.ron",
    steps: [
        Step(title: "One", day: 3, camera: Camera(at: Place("Izum"), zoom: 20),
            highlight: [Depot("Izium depo")],
            text: "Look.",
            question: Question(ask: "How much?", answer: DepotInflow(depot: "Izium depot", day: 5))),
        Step(title: "Two", day: 2, camera: Camera(at: Hex(500, 2)), text: "Back."),
    ],
    decision: Decision(day: 2, grouping: "Izium grouping", ask: "Go?",
        choices: [Choice(label: "Late", directive: WithdrawOn("2023-01-01"))],
        camera: Camera(at: Place("Kupyansk"), zoom: 0.1)),
    glossary: ["depots"],
)"#;
    let errs = errors(text);
    let want = [
        ("5:", "no place `Izum`", "Izium"),
        ("5:", "zoom 20", "0.5"),
        ("6:", "no depot `Izium depo`", "Izium depot"),
        ("8:", "day 5 is not played by this step (day 3)", "1 to 3"),
        ("9:", "goes back to day 2 after day 3", "order"),
        ("9:", "hex (500, 2) is off the map", "columns"),
        ("12:", "1 choice(s)", "two or more"),
        ("12:", "2023-01-01 is outside the scenario", "2022-09-06"),
        ("13:", "no place `Kupyansk`", "Kupiansk"),
        ("13:", "zoom 0.1", "0.5"),
        ("14:", "no term `depots`", "depot"),
    ];
    for (line, message, hint) in want {
        assert!(
            errs.iter()
                .any(|e| e.starts_with(&format!("bad.ron:{line}"))
                    && e.contains(message)
                    && e.contains(hint)),
            "no `{message}` at line {line} with `{hint}` in {errs:#?}"
        );
    }
    // Not a lesson at all, and a scenario that cannot be read.
    assert!(errors("Study(name: \"x\")")[0].contains("not a Railhead lesson"));
    let missing = errors(r#"Lesson(title: "x", scenario: "nowhere.ron", steps: [])"#);
    assert!(missing[0].contains("nowhere.ron"), "{missing:?}");
}

/// `railhead lesson FILE --worksheet DIR` as a teacher runs it: a worksheet with a map
/// per step and room to answer, an answer key with the game's numbers (the same as
/// `--notes` prints), both single files; PDFs when Chromium is installed.
#[test]
fn the_worksheet_and_answer_key_are_written_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("sheet");
    let out = railhead(&[
        "lesson",
        p(&shipped()),
        "--worksheet",
        p(&out_dir),
        "--jobs",
        "2",
    ]);
    ok(&out);
    let sheet = std::fs::read_to_string(out_dir.join("worksheet.html")).unwrap();
    let key = std::fs::read_to_string(out_dir.join("answers.html")).unwrap();
    let lesson = load_lesson(&shipped()).unwrap();
    // Every step's map is embedded, and the decision's; nothing refers outside the file.
    assert_eq!(
        sheet.matches("src=\"data:image/png;base64,").count(),
        lesson.steps.len() + 1
    );
    assert!(
        sheet.contains("the Izium grouping ringed"),
        "the decision's map"
    );
    for page in [&sheet, &key] {
        assert!(!page.contains("src=\"http") && !page.contains("href=\"http"));
    }
    // The questions are on the worksheet, their answers only in the key.
    let played = play(&lesson);
    for (st, a) in lesson.steps.iter().zip(&played.answers) {
        let (q, a) = (st.question.as_ref().unwrap(), a.as_deref().unwrap());
        let esc = |t: &str| t.replace('\'', "&#39;").replace('"', "&quot;");
        assert!(
            sheet.contains(&esc(&q.ask)) || sheet.contains(&q.ask),
            "{}",
            q.ask
        );
        let a_html = a.replace('\'', "&#39;");
        assert!(key.contains(a) || key.contains(&a_html), "{a}");
        assert!(
            !sheet.contains(a) && !sheet.contains(&a_html),
            "answer on the worksheet: {a}"
        );
    }
    // The lesson's words with the scenario's own examples.
    let junction = lesson
        .glossary
        .iter()
        .find(|g| g.term == "junction")
        .unwrap();
    let example = junction.example.as_deref().expect("Kharkiv's junction");
    assert!(sheet.contains(example), "{example}");
    // The decision: its choices to tick on the sheet, their games in the key.
    for c in &lesson.decision.as_ref().unwrap().choices {
        assert!(sheet.contains(&c.label), "{}", c.label);
        assert!(key.contains(&c.label), "{}", c.label);
    }
    assert!(
        key.contains("played 20 times each"),
        "the lesson's 20 games a choice"
    );
    // --notes prints the same answers.
    let notes = railhead(&["lesson", p(&shipped()), "--notes", "--jobs", "2"]);
    ok(&notes);
    let said = String::from_utf8_lossy(&notes.stdout);
    for a in played.answers.iter().flatten() {
        assert!(said.contains(a.as_str()), "{a}");
    }
    // The steps' minutes summed against the lesson's, and what each step rings.
    let sum: u32 = lesson.steps.iter().filter_map(|st| st.minutes).sum();
    let total = lesson.minutes.unwrap();
    assert!(
        said.contains(&format!(
            "The steps take {sum} of the {total} minutes; {} are left",
            total - sum
        )),
        "{said}"
    );
    assert!(said.contains("Ringed: Izium grouping."), "{said}");
    // With Chromium (required where RAILHEAD_REQUIRE_BROWSER is set), the PDFs.
    if crate::report::browser_or_skip().is_some() {
        for pdf in ["worksheet.pdf", "answers.pdf"] {
            let bytes = std::fs::read(out_dir.join(pdf)).unwrap();
            assert!(bytes.starts_with(b"%PDF"), "{pdf}");
        }
    }
    // Neither --worksheet nor --notes opens the guided tour (`tests/window.rs` plays it);
    // a build without the window says so, as a usage error.
    if cfg!(not(feature = "gui")) {
        let bare = railhead(&["lesson", p(&shipped())]);
        assert_eq!(bare.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&bare.stderr).contains("--worksheet DIR or --notes"));
    }
    // `validate` knows a lesson.
    let v = railhead(&["validate", p(&shipped())]);
    ok(&v);
    assert!(String::from_utf8_lossy(&v.stderr).contains("ok: lesson `Why Izium fell`"));
}

/// Every lesson shipped in `lessons/` checks, and its game answers each of its questions.
#[test]
fn every_shipped_lesson_checks_and_answers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "ron") {
            continue;
        }
        let lesson = load_lesson(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let played = play(&lesson);
        for (st, a) in lesson.steps.iter().zip(&played.answers) {
            assert_eq!(
                st.question.is_some(),
                a.is_some(),
                "{}: {}",
                path.display(),
                st.title
            );
            if let Some(a) = a {
                assert!(!a.contains("did not reach"), "{}: {a}", path.display());
            }
        }
        n += 1;
    }
    assert!(n >= 2, "{n} lessons shipped");
}
