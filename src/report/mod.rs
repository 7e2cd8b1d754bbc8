//! Reports for teachers: a game played and recorded day by day ([`record`]), written
//! as `daily.csv`, `events.jsonl`, maps, charts and one HTML page; comparisons of two
//! games; batches of seeded games and their distributions.
//!
//! Everything here is headless: the maps come from the same renderer as `railhead map`,
//! the charts from plotters drawing into memory with the project's own font.

pub mod account;
pub mod answer;
pub mod calibrate;
pub mod charts;
pub mod debrief;
pub mod embed;
pub mod facts;
pub mod html;
pub mod lesson;
pub mod record;
pub mod stats;
pub mod story;

use maud::{Markup, html};

use crate::render::MapView;
use crate::rules::events::{GameEvent, Logged};
use crate::rules::narrate;
use crate::scenario::Scenario;
use record::{GameRecord, daily_csv, events_jsonl, key_depots, withdrawal_days};

/// Pixels between hex centres on the day maps of a report.
const REPORT_HEX_PX: f32 = 13.0;

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let path = dir.join(name);
    crate::render::write_atomically(&path, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn map_png(s: &Scenario, view: &MapView) -> Result<Vec<u8>, String> {
    let style = crate::render::MapStyle {
        hex_px: REPORT_HEX_PX,
        ..crate::render::MapStyle::default()
    };
    crate::render::render_map(s, view, &style)
        .ok_or("the map is too large to draw")?
        .encode_png()
        .map_err(|e| e.to_string())
}

/// Writes the maps of the start and of each day's end as `prefix-day-NN.png`; returns
/// (file, caption) pairs.
fn write_maps(
    r: &GameRecord,
    dir: &std::path::Path,
    prefix: &str,
) -> Result<Vec<(String, String)>, String> {
    let s = &r.scenario;
    let mut files = Vec::new();
    let start = MapView::initial(s);
    let name = format!("{prefix}day-00.png");
    write(dir, &name, &map_png(s, &start)?)?;
    files.push((name, format!("Start, {}", s.start_date.format("%-d %B"))));
    for d in &r.days {
        let name = format!("{prefix}day-{:02}.png", d.turn);
        write(dir, &name, &map_png(s, &d.view)?)?;
        files.push((
            name,
            format!("Day {}, {} (end)", d.turn, d.date.format("%-d %B")),
        ));
    }
    Ok(files)
}

/// Why each grouping withdrew: the reasons with their numbers, and what its depots received
/// the day before the first cut and on the day of the order.
fn why(r: &GameRecord) -> Markup {
    let s = &r.scenario;
    let tonnes = |t: f64| crate::numbers::group_thousands(t.round() as u32);
    let withdrawals: Vec<&Logged> = r
        .events
        .iter()
        .filter(|l| matches!(l.event, GameEvent::WithdrawalOrdered { .. }))
        .collect();
    html! {
        @for l in &withdrawals {
            @if let GameEvent::WithdrawalOrdered { grouping, reasons, .. } = &l.event {
                p {
                    b { (s.grouping(*grouping).name) } ", day " (l.turn) " (" (l.date.format("%-d %B")) "): "
                    (reasons.iter().map(|x| narrate::reason_text(s, x)).collect::<Vec<_>>().join("; ")) "."
                }
                @if let Some(day) = r.days.iter().find(|d| d.turn == l.turn) {
                    ul {
                        @for d in account::depots_of(r, *grouping, l.turn) {
                            @let x = &day.depots[d];
                            @let first = r.days.first().map_or(0.0, |f| f.depots[d].inflow);
                            li {
                                (s.depots[d].name) ": received " (tonnes(x.inflow))
                                " t that day, of the " (tonnes(x.nominal_inflow))
                                " t open lines would bring (day 1: " (tonnes(first))
                                " t); stock " (tonnes(x.stock)) " t."
                            }
                        }
                    }
                }
            }
        }
        @if withdrawals.is_empty() {
            p { "No grouping was ordered to withdraw." }
        }
    }
}

fn modes(r: &GameRecord) -> String {
    r.scenario
        .sides
        .iter()
        .zip(&r.controllers)
        .map(|(s, c)| format!("{} {}", s.name, format!("{c:?}").to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes a demonstration's files into `dir`: `report.html`, the day maps, the charts,
/// `events.jsonl` and `daily.csv`; the page's calibration table is measured over `batch`
/// (games of further seeds), or over this game alone when `batch` is empty. Returns the
/// files written, the page first.
pub fn write_demo(
    r: &GameRecord,
    batch: &[stats::Outcome],
    dir: &std::path::Path,
) -> Result<Vec<String>, String> {
    into_folder(dir, |d| fill_demo(r, batch, d))
}

/// Writes a report's files whole into `dir`: into a fresh hidden folder beside it, then
/// swapped in, so that an interrupted command leaves the old report or the new one, never
/// a mix of both. A folder holding any file the new report does not write (the user's
/// own) is not swapped: the report's files are written into it one by one (each whole)
/// and nothing else in it is touched.
fn into_folder(
    dir: &std::path::Path,
    fill: impl FnOnce(&std::path::Path) -> Result<Vec<String>, String>,
) -> Result<Vec<String>, String> {
    use std::path::Path;
    if std::fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(format!("{} exists and is not a folder", dir.display()));
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        // `.` or `..`: no folder to swap; each file is written whole.
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        return fill(dir);
    };
    let prefix = format!(".{name}.");
    crate::render::clean_stale_temps(parent, &prefix);
    let tmp = tempfile::Builder::new()
        .prefix(&crate::render::temp_prefix(&prefix))
        .suffix(".tmp")
        .tempdir_in(parent)
        .map_err(|e| format!("cannot create a folder in {}: {e}", parent.display()))?;
    let files = fill(tmp.path())?;
    let only_reports = std::fs::read_dir(dir).map_or(true, |entries| {
        entries.flatten().all(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && files.iter().any(|f| *f == e.file_name().to_string_lossy())
        })
    });
    if !only_reports {
        for f in &files {
            let bytes = std::fs::read(tmp.path().join(f))
                .map_err(|e| format!("cannot read back {f}: {e}"))?;
            write(dir, f, &bytes)?;
        }
        return Ok(files);
    }
    let fresh = tmp.keep();
    let old = parent.join(format!("{}old.tmp", crate::render::temp_prefix(&prefix)));
    let had = dir.exists();
    if had && let Err(e) = std::fs::rename(dir, &old) {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(format!("cannot replace {}: {e}", dir.display()));
    }
    if let Err(e) = std::fs::rename(&fresh, dir) {
        if had {
            let _ = std::fs::rename(&old, dir);
        }
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(format!("cannot put the report in {}: {e}", dir.display()));
    }
    if had {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(files)
}

/// Pixels between hex centres on the day maps the page itself carries.
const THUMB_HEX_PX: f32 = 10.0;

/// Pixels between hex centres on a key day's map, drawn for a projector.
const KEY_HEX_PX: f32 = 22.0;

/// Writes the key days' maps of a story (ringed grouping, advances) as `key-day-NN.png`;
/// returns (file, caption, bytes).
fn write_key_maps(
    r: &GameRecord,
    st: &story::Story,
    dir: &std::path::Path,
) -> Result<Vec<(String, String, Vec<u8>)>, String> {
    let s = &r.scenario;
    let style = crate::render::MapStyle {
        hex_px: KEY_HEX_PX,
        ..crate::render::MapStyle::default()
    };
    let mut out = Vec::new();
    for &turn in &st.key_days {
        let Some(d) = r.days.iter().find(|d| d.turn == turn) else {
            continue;
        };
        let marks = story::marks(r, st.grouping, turn);
        let bytes = crate::render::render_marked(s, &d.view, &style, &marks)
            .ok_or("the map is too large to draw")?
            .encode_png()
            .map_err(|e| e.to_string())?;
        let name = format!("key-day-{turn:02}.png");
        write(dir, &name, &bytes)?;
        let what = match st.grouping {
            Some(g) => format!(", the {} ringed", s.grouping(g).name),
            None => String::new(),
        };
        out.push((
            name,
            format!("Day {turn}, {} (end of day){what}", d.date.format("%-d %B")),
            bytes,
        ));
    }
    Ok(out)
}

/// Writes a demonstration's files into `dir`, which exists. The page embeds its images
/// (one file to hand out); the PNGs, CSV and JSONL are written beside it as well.
fn fill_demo(
    r: &GameRecord,
    batch: &[stats::Outcome],
    dir: &std::path::Path,
) -> Result<Vec<String>, String> {
    let s = &r.scenario;
    let mut files = Vec::new();
    write(dir, "daily.csv", daily_csv(r).as_bytes())?;
    write(dir, "events.jsonl", events_jsonl(r).as_bytes())?;
    let depots = key_depots(r);
    let chart_depots = charts::depots(&[("game", r)], &depots)?;
    write(dir, "chart-depots.png", &chart_depots)?;
    let chart_territory = charts::territory(&[("game", r)])?;
    write(dir, "chart-territory.png", &chart_territory)?;
    let st = story::story(r);
    let keys = write_key_maps(r, &st, dir)?;
    let maps = write_maps(r, dir, "map-")?;
    // The page carries each day's map smaller than the files beside it.
    let thumb = crate::render::MapStyle {
        hex_px: THUMB_HEX_PX,
        ..crate::render::MapStyle::default()
    };
    let mut embedded = Vec::new();
    let views = std::iter::once(MapView::initial(s)).chain(r.days.iter().map(|d| d.view.clone()));
    for (view, (_, caption)) in views.zip(&maps) {
        let bytes = crate::render::render_map(s, &view, &thumb)
            .ok_or("the map is too large to draw")?
            .encode_png()
            .map_err(|e| e.to_string())?;
        embedded.push((embed::data_uri(&bytes)?, caption.clone()));
    }
    let open: Vec<u32> = r.withdrawals.iter().flatten().map(|(t, _)| *t).collect();
    let body = html! {
        h1 { (s.name) }
        p { (r.days.len()) " days from " (s.start_date.format("%-d %B %Y")) "; seed " (r.seed) "; " (modes(r)) "." }
        div.opening {
            @if let Some((_, caption, bytes)) = keys.first() {
                figure.key {
                    img src=(embed::data_uri(bytes)?) alt=(caption);
                    figcaption { (caption) }
                }
            }
            div {
                h2 { "What this game showed" }
                div.headline { p { (st.headline) } }
                (html::legend(s, true))
            }
        }
        h2 { "The chain of events" }
        (html::story(&st))
        @for (_, caption, bytes) in keys.iter().skip(1) {
            figure.key {
                img src=(embed::data_uri(bytes)?) alt=(caption);
                figcaption { (caption) }
            }
        }
        h2.pagebreak { "The scenario" }
        p.lead { (s.description) }
        h2 { "Every grouping's orders" }
        (html::headline(r))
        h2 { "Why" }
        (why(r))
        h2 { "Supply" }
        p { "The depots a cut reached: what they held and what the railways brought each day. "
            "A dotted line marks the day a depot changed hands: its stock falls to nothing there because it was taken, not because it ran dry." }
        (html::chart(&embed::data_uri(&chart_depots)?, "depot stocks and inflows"))
        h2 { "Territory" }
        p { "History's figures are points on their own dates, not a line carried between them." }
        (html::chart(&embed::data_uri(&chart_territory)?, "territory taken per day"))
        (html::territory_table(r))
        h2.pagebreak { "Timeline: the game and history" }
        (html::timeline(r))
        h2 { "The model beside history" }
        @if batch.is_empty() {
            (html::calibration(&calibrate::table(s, &[stats::Outcome::of(r)]), &[r.seed]))
        } @else {
            (html::calibration(&calibrate::table(s, batch), &batch.iter().map(|o| o.seed).collect::<Vec<_>>()))
        }
        h2 { "Losses and captures" }
        (html::losses_table(r))
        h2.pagebreak { "The map, day by day" }
        (html::legend(s, false))
        (html::maps(&embedded))
        h2 { "Day by day" }
        (html::narration(r, &open))
        h2 { "Summary" }
        (html::summary(r))
        h2 { "Glossary" }
        (html::glossary(s))
        p {
            "Beside this page in its folder: daily.csv (a row per day per side), events.jsonl "
            "(every event), and each map and chart as a PNG file."
        }
    };
    let page = html::page(&s.name, &body);
    write(dir, "report.html", page.as_bytes())?;
    files.push("report.html".to_string());
    files.extend(
        [
            "daily.csv",
            "events.jsonl",
            "chart-depots.png",
            "chart-territory.png",
        ]
        .map(String::from),
    );
    files.extend(keys.into_iter().map(|(f, _, _)| f));
    files.extend(maps.into_iter().map(|(f, _)| f));
    Ok(files)
}

/// Writes a comparison of two games into `dir` (`report.html`, charts of both, the maps of
/// each game's last day, each game's `daily.csv`); `spread` adds the withdrawal days over
/// several seeds of each.
pub fn write_compare(
    base: &GameRecord,
    variant: &GameRecord,
    spread: Option<(&[stats::Outcome], &[stats::Outcome])>,
    dir: &std::path::Path,
) -> Result<Vec<String>, String> {
    into_folder(dir, |d| fill_compare(base, variant, spread, d))
}

/// Writes a comparison's files into `dir`, which exists. The page opens with its answer
/// over all the games and embeds its images; the PNGs and CSVs are beside it too.
fn fill_compare(
    base: &GameRecord,
    variant: &GameRecord,
    spread: Option<(&[stats::Outcome], &[stats::Outcome])>,
    dir: &std::path::Path,
) -> Result<Vec<String>, String> {
    let (bs, vs) = (&base.scenario, &variant.scenario);
    let runs = [("base", base), ("variant", variant)];
    let mut depots = key_depots(base);
    for d in key_depots(variant) {
        if !depots.contains(&d) && d < bs.depots.len() {
            depots.push(d);
        }
    }
    depots.retain(|d| *d < vs.depots.len() && bs.depots[*d].name == vs.depots[*d].name);
    depots.truncate(4);
    let chart_depots = charts::depots(&runs, &depots)?;
    write(dir, "chart-depots.png", &chart_depots)?;
    let chart_territory = charts::territory(&runs)?;
    write(dir, "chart-territory.png", &chart_territory)?;
    write(dir, "base-daily.csv", daily_csv(base).as_bytes())?;
    write(dir, "variant-daily.csv", daily_csv(variant).as_bytes())?;
    let mut files = vec!["report.html".to_string()];
    files.extend(
        [
            "chart-depots.png",
            "chart-territory.png",
            "base-daily.csv",
            "variant-daily.csv",
        ]
        .map(String::from),
    );
    let shown = [stats::Outcome::of(base)];
    let shown_v = [stats::Outcome::of(variant)];
    let (b, v) = spread.unwrap_or((&shown, &shown_v));
    if spread.is_some() {
        write(dir, "base-batch.csv", stats::batch_csv(bs, b).as_bytes())?;
        write(dir, "variant-batch.csv", stats::batch_csv(vs, v).as_bytes())?;
        files.extend(["base-batch.csv", "variant-batch.csv"].map(String::from));
    }
    let mut maps = Vec::new();
    for (r, prefix) in [(base, "base"), (variant, "variant")] {
        let name = format!("{prefix}-last-day.png");
        let view = r
            .days
            .last()
            .map_or_else(|| MapView::initial(&r.scenario), |d| d.view.clone());
        let bytes = map_png(&r.scenario, &view)?;
        write(dir, &name, &bytes)?;
        maps.push((
            embed::data_uri(&bytes)?,
            format!("{}: {}", prefix, view.caption),
        ));
        files.push(name);
    }
    let show = |d: Option<u32>| d.map_or("none".to_string(), |d| format!("day {d}"));
    let vw = withdrawal_days(variant);
    let body = html! {
        h1 { "What if?" }
        p.lead {
            b { "Base:" } " " (bs.name) br;
            b { "Variant:" } " " (vs.name) " — " (vs.description)
        }
        h2 { "The answer" }
        (answer::section(base, variant, b, v))
        @if spread.is_some() {
            p { small { "Every game's outcome: base-batch.csv and variant-batch.csv, beside this page." } }
        }
        h2 { "One game of each, seed " (base.seed) }
        p { (modes(base)) "." }
        table {
            tr { th { "grouping" } th { "base" } th { "variant" } }
            @for (g, day) in withdrawal_days(base) {
                @let other = vw.iter().find(|(n, _)| *n == g).and_then(|(_, d)| *d);
                tr { td { (g) } td { (show(day)) } td { (show(other)) } }
            }
        }
        h2 { "Supply" }
        p { "Solid lines: the base; dashed: the variant. A dotted upright line marks the day a depot changed hands." }
        (html::chart(&embed::data_uri(&chart_depots)?, "depot stocks and inflows, both games"))
        h2 { "Territory" }
        (html::chart(&embed::data_uri(&chart_territory)?, "territory per day, both games"))
        h3 { "Base" } (html::territory_table(base))
        h3 { "Variant" } (html::territory_table(variant))
        h2 { "Losses and captures" }
        h3 { "Base" } (html::losses_table(base))
        h3 { "Variant" } (html::losses_table(variant))
        h2 { "The last day" }
        (html::legend(bs, false))
        (html::maps(&maps))
        h2 { "Why" }
        h3 { "Base" } (why(base))
        h3 { "Variant" } (why(variant))
        h2 { "Day by day" }
        h3 { "Base" } (html::narration(base, &[]))
        h3 { "Variant" } (html::narration(variant, &[]))
        h2 { "Glossary" }
        (html::glossary(bs))
        p { small { "Beside this page: base-daily.csv and variant-daily.csv (a row per day per side), and the charts and maps as PNG files." } }
    };
    let page = html::page(&format!("{} / {}", bs.name, vs.name), &body);
    write(dir, "report.html", page.as_bytes())?;
    Ok(files)
}
