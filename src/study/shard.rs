//! Shard files and their merge.
//!
//! A shard file is JSON lines: a header (the study's name and hash, the shard `I/N`, the
//! Railhead version, the number of games, and the study's [`Meta`]), then one
//! [`GameRow`] per game. A merge reads the shards of one study, checks that they are of
//! the same study and version, that every shard `1..=N` is there exactly once and whole,
//! and puts the games back in the study's order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

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
    /// The study.
    pub meta: Meta,
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
    let header = Header {
        railhead_study_shard: super::FORMAT,
        study: meta.name.clone(),
        hash: meta.hash(),
        shard: index,
        of,
        version: VERSION.to_string(),
        games: rows.len() as u64,
        meta: meta.clone(),
    };
    let mut text = serde_json::to_string(&header).unwrap_or_default();
    text.push('\n');
    for r in rows {
        text.push_str(&serde_json::to_string(r).unwrap_or_default());
        text.push('\n');
    }
    text
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

/// Reads a shard file, checking that it is whole: its games are the shard's, each once.
pub fn read_shard(path: &Path) -> Result<Shard, String> {
    let name = path.display();
    let bytes = crate::files::read_regular(path, MAX_SHARD_BYTES)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    let text = crate::files::text(&bytes)
        .map_err(|e| format!("{name} is not a Railhead study shard ({e})"))?;
    let mut lines = text.lines();
    let header: Header = lines
        .next()
        .and_then(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| {
            format!("{name} is not a Railhead study shard (its first line is not a shard header)")
        })?;
    if header.railhead_study_shard != super::FORMAT {
        return Err(format!(
            "{name} is a shard of format {}; this Railhead reads format {}",
            header.railhead_study_shard,
            super::FORMAT
        ));
    }
    if header.of == 0 || header.shard == 0 || header.shard > header.of {
        return Err(format!(
            "{name} says it is shard {} of {}, which cannot be",
            header.shard, header.of
        ));
    }
    if header.meta.hash() != header.hash {
        return Err(format!(
            "{name} is damaged: its study does not match the hash it names"
        ));
    }
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        let row: GameRow = serde_json::from_str(line)
            .map_err(|e| format!("{name}:{}: not a game of the study: {e}", n + 2))?;
        rows.push(row);
    }
    let expected: Vec<u64> = shard_games(header.meta.games(), header.shard, header.of).collect();
    let got: Vec<u64> = rows.iter().map(|r| r.game).collect();
    let columns = header.meta.columns.len();
    let consistent = rows.iter().all(|r| {
        let (case, seed) = header.meta.game(r.game);
        r.case == case && r.seed == seed && r.values.len() == columns
    });
    if got != expected || header.games != rows.len() as u64 || !consistent {
        return Err(format!(
            "{name} is incomplete or damaged: shard {} of {} should hold {} games, it holds {} ({} in its header)",
            header.shard,
            header.of,
            expected.len(),
            rows.len(),
            header.games
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
