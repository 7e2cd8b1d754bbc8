//! Shard files and their merge.
//!
//! A shard file is JSON lines: a header (the study's name and hash, the shard `I/N`, the
//! Railhead version, the number of games, a checksum of the games' lines, and the study's
//! [`Meta`]), then one [`GameRow`] per game. Reading one checks every number of its
//! header before using it, refuses a file far larger than its games could fill before
//! reading them, streams the games (a line at a time, each of bounded length) and checks
//! them against the checksum: an edited or cut shard is refused by name. A merge reads
//! the shards of one study, checks that they are of the same study, of this Railhead's
//! version, that every shard `1..=N` is there exactly once and whole, and puts the games
//! back in the study's order.
//!
//! The checksum guards against damage and edits by mistake, not against a forger: anyone
//! can compute it again.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use sha2::Digest;

use super::file::{MAX_CASES, MAX_GAMES};
use super::{GameRow, Meta, shard_games};

/// The first line of a shard file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Says what the file is.
    pub railhead_study_shard: u32,
    /// The study's name.
    pub study: String,
    /// The study's hash ([`Meta::hash`]).
    pub hash: String,
    /// This shard, from 1.
    pub shard: u64,
    /// Shards in all.
    pub of: u64,
    /// The Railhead version that played it.
    pub version: String,
    /// Games in this shard.
    pub games: u64,
    /// A checksum of the lines of its games (SHA-256, the first 16 bytes in hex).
    pub rows: String,
    /// The study.
    pub meta: Meta,
}

/// The format of shard files this Railhead writes and reads (2: with the games'
/// checksum).
pub const SHARD_FORMAT: u32 = 2;

/// The longest header line read (the study's description, cases and columns).
const MAX_HEADER_BYTES: u64 = 16 << 20;

/// The most columns a study records (each case's history and territory days make them).
const MAX_COLUMNS: usize = 100_000;

/// The longest line a game of `meta` can take: its numbers, one value per column, and
/// each side's territory on each day, each written in full.
fn row_limit(meta: &Meta) -> u64 {
    let sides = meta.sides.len() as u64;
    let days = u64::from(meta.turns) + 1;
    256 + 48 * meta.columns.len() as u64 + 32 * sides * days
}

/// The checksum of a shard's game lines, from their digest.
fn checksum(digest: sha2::Sha256) -> String {
    super::hex(&digest.finalize()[..16])
}

/// The version written into shards.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The largest shard file read (a million games of a few dozen columns fit).
pub const MAX_SHARD_BYTES: u64 = 4 << 30;

/// The file name of shard `index` of `of`.
pub fn file_name(index: u64, of: u64) -> String {
    format!("shard-{index:04}-of-{of:04}.jsonl")
}

/// A shard file's text.
pub fn shard_text(meta: &Meta, (index, of): (u64, u64), rows: &[GameRow]) -> String {
    let mut lines = String::new();
    for r in rows {
        lines.push_str(&serde_json::to_string(r).unwrap_or_default());
        lines.push('\n');
    }
    let header = Header {
        railhead_study_shard: SHARD_FORMAT,
        study: meta.name.clone(),
        hash: meta.hash(),
        shard: index,
        of,
        version: VERSION.to_string(),
        games: rows.len() as u64,
        rows: checksum(sha2::Sha256::new_with_prefix(lines.as_bytes())),
        meta: meta.clone(),
    };
    let mut text = serde_json::to_string(&header).unwrap_or_default();
    text.push('\n');
    text.push_str(&lines);
    text
}

/// Checks every number of a header that reading and merging use, before they are used.
fn check_header(h: &Header) -> Result<(), String> {
    let m = &h.meta;
    if m.cases.is_empty() || m.cases.len() > MAX_CASES {
        return Err(format!(
            "its study has {} cases; a study has 1 to {MAX_CASES}",
            m.cases.len()
        ));
    }
    if m.case_scenarios.len() != m.cases.len() || m.case_commanders.len() != m.cases.len() {
        return Err("its study's cases do not match their scenarios and commanders".into());
    }
    if m.seeds == 0 || m.seeds > MAX_GAMES || m.first_seed.checked_add(m.seeds).is_none() {
        return Err(format!(
            "its study plays {} seeds from seed {}; a study plays 1 to {MAX_GAMES}",
            m.seeds, m.first_seed
        ));
    }
    let games = (m.cases.len() as u64)
        .checked_mul(m.seeds)
        .filter(|g| *g <= MAX_GAMES)
        .ok_or_else(|| format!("its study would hold more than {MAX_GAMES} games"))?;
    if h.of == 0 || h.of > games || h.shard == 0 || h.shard > h.of {
        return Err(format!(
            "it says it is shard {} of {} of a study of {games} games, which cannot be",
            h.shard, h.of
        ));
    }
    let expected = (games - (h.shard - 1)).div_ceil(h.of);
    if h.games != expected {
        return Err(format!(
            "it says it holds {} games; shard {} of {} of this study holds {expected}",
            h.games, h.shard, h.of
        ));
    }
    if m.columns.len() > MAX_COLUMNS
        || m.sides.len() > crate::scenario::validate::ranges::MAX_SIDES
        || m.turns > crate::scenario::validate::ranges::MAX_TURNS
    {
        return Err(format!(
            "its study records {} columns for {} sides over {} days, more than any study can",
            m.columns.len(),
            m.sides.len(),
            m.turns
        ));
    }
    Ok(())
}

/// The format of a shard, read before the rest of its header.
#[derive(Deserialize)]
struct Format {
    railhead_study_shard: u32,
}

/// Reads one line of at most `limit` bytes into `buf` (without its end of line): false
/// at the end of the file.
fn read_line(reader: &mut impl BufRead, limit: u64, buf: &mut Vec<u8>) -> Result<bool, LineError> {
    use std::io::Read;
    buf.clear();
    let n = reader
        .by_ref()
        .take(limit.saturating_add(2))
        .read_until(b'\n', buf)
        .map_err(LineError::Io)?;
    if n == 0 {
        return Ok(false);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    if buf.len() as u64 > limit {
        return Err(LineError::TooLong);
    }
    Ok(true)
}

/// Why a line could not be read.
enum LineError {
    /// Longer than any line of its kind.
    TooLong,
    /// The system refused.
    Io(std::io::Error),
}

/// A shard read from its file.
#[derive(Debug, Clone)]
pub struct Shard {
    /// Where it was read.
    pub path: PathBuf,
    /// Its header.
    pub header: Header,
    /// Its games.
    pub rows: Vec<GameRow>,
}

/// Reads a shard file, checking that it is whole: its header in range, its games the
/// shard's, each once, as its checksum says. Reads a line at a time, and no more than its
/// header's games can fill.
pub fn read_shard(path: &Path) -> Result<Shard, String> {
    let name = path.display();
    let (file, len) = crate::files::open_regular(path, MAX_SHARD_BYTES)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut reader = std::io::BufReader::new(file);
    let not_a_shard = |why: &str| format!("{name} is not a Railhead study shard ({why})");
    let mut line = Vec::new();
    match read_line(&mut reader, MAX_HEADER_BYTES, &mut line) {
        Ok(true) => {}
        Ok(false) => return Err(not_a_shard("it is empty")),
        Err(LineError::TooLong) => return Err(not_a_shard("its first line is not a shard header")),
        Err(LineError::Io(e)) => return Err(format!("cannot read {name}: {e}")),
    }
    let header_bytes = line.len() as u64 + 1;
    let text = crate::files::text(&line).map_err(|e| not_a_shard(&e.to_string()))?;
    // The format first, on its own: a shard of another format has other fields.
    let format: Format = serde_json::from_str(text)
        .map_err(|_| not_a_shard("its first line is not a shard header"))?;
    if format.railhead_study_shard != SHARD_FORMAT {
        return Err(format!(
            "{name} is a shard of format {}; this Railhead reads format {SHARD_FORMAT}: play the study again with this Railhead",
            format.railhead_study_shard
        ));
    }
    let header: Header = serde_json::from_str(text)
        .map_err(|_| not_a_shard("its first line is not a shard header"))?;
    if header.version != VERSION {
        return Err(format!(
            "{name} was played by Railhead {}; this is Railhead {VERSION}, whose games may differ: play every shard with this version",
            header.version
        ));
    }
    check_header(&header).map_err(|why| format!("{name} is damaged: {why}"))?;
    if header.meta.hash() != header.hash {
        return Err(format!(
            "{name} is damaged: its study does not match the hash it names"
        ));
    }
    let limit = row_limit(&header.meta);
    let most = header_bytes.saturating_add(header.games.saturating_mul(limit + 2));
    if len > most {
        return Err(format!(
            "{name} is damaged: it is {len} bytes, more than its {} games could fill ({most} at the most)",
            header.games
        ));
    }
    let expected = shard_games(header.meta.games(), header.shard, header.of);
    let columns = header.meta.columns.len();
    // Room for the games the file can hold, whatever its header says.
    let mut rows = Vec::with_capacity(usize::try_from(header.games.min(len / 64)).unwrap_or(0));
    let mut digest = sha2::Sha256::new();
    let mut n = 1;
    let incomplete = |held: usize| {
        format!(
            "{name} is incomplete or damaged: shard {} of {} should hold {} games, it holds {held} or more, or other games",
            header.shard, header.of, header.games
        )
    };
    for want in expected {
        n += 1;
        match read_line(&mut reader, limit, &mut line) {
            Ok(true) => {}
            Ok(false) => return Err(incomplete(rows.len())),
            Err(LineError::TooLong) => {
                return Err(format!("{name}:{n}: longer than any game of the study"));
            }
            Err(LineError::Io(e)) => return Err(format!("cannot read {name}: {e}")),
        }
        digest.update(&line);
        digest.update(b"\n");
        let row: GameRow = serde_json::from_slice(&line)
            .map_err(|e| format!("{name}:{n}: not a game of the study: {e}"))?;
        let (case, seed) = header.meta.game(want);
        if row.game != want || row.case != case || row.seed != seed || row.values.len() != columns {
            return Err(format!(
                "{name}:{n}: not game {want} of the study (case {case}, seed {seed})"
            ));
        }
        rows.push(row);
    }
    // Nothing after the last game but an end.
    if read_line(&mut reader, 0, &mut line).is_ok_and(|more| more) || !line.is_empty() {
        return Err(incomplete(rows.len() + 1));
    }
    if checksum(digest) != header.rows {
        return Err(format!(
            "{name} is damaged: its games do not match their checksum (edited, or written over)"
        ));
    }
    Ok(Shard {
        path: path.to_path_buf(),
        header,
        rows,
    })
}

/// The shard files named: files as they are, folders by their `shard-*.jsonl` files.
pub fn shard_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input)
                .map_err(|e| format!("cannot read the folder {}: {e}", input.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("jsonl"))
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with("shard-"))
                })
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(format!(
                    "{} holds no shard files (shard-*.jsonl)",
                    input.display()
                ));
            }
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// Merges shards into the whole study: its meta and every game in the study's order.
pub fn merge(shards: Vec<Shard>) -> Result<(Meta, Vec<GameRow>), String> {
    let Some(first) = shards.first() else {
        return Err("no shards to merge".into());
    };
    let reference = first.header.clone();
    let first_path = first.path.display().to_string();
    let mut by_index: BTreeMap<u64, &Shard> = BTreeMap::new();
    for s in &shards {
        let h = &s.header;
        let name = s.path.display();
        if h.hash != reference.hash {
            return Err(format!(
                "{name} is a shard of another study: `{}` (hash {}), not `{}` (hash {}) as {first_path} is",
                h.study, h.hash, reference.study, reference.hash
            ));
        }
        if h.version != reference.version {
            return Err(format!(
                "{name} was played by Railhead {}, {first_path} by {}: play every shard with the same version",
                h.version, reference.version
            ));
        }
        if h.of != reference.of {
            return Err(format!(
                "{name} is shard {} of {}, {first_path} is one of {}: the shards come from two different splits",
                h.shard, h.of, reference.of
            ));
        }
        if let Some(other) = by_index.insert(h.shard, s) {
            return Err(format!(
                "shard {} of {} is given twice: {} and {name}",
                h.shard,
                h.of,
                other.path.display()
            ));
        }
    }
    let missing: Vec<String> = (1..=reference.of)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| format!("{} ({})", i, file_name(i, reference.of)))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{} of {} shards of `{}` missing: shard {}",
            missing.len(),
            reference.of,
            reference.study,
            missing.join(", ")
        ));
    }
    let mut rows: Vec<GameRow> = shards.into_iter().flat_map(|s| s.rows).collect();
    rows.sort_by_key(|r| r.game);
    Ok((reference.meta, rows))
}
