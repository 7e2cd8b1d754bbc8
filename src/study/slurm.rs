//! A ready `sbatch` script for a study: a job array with one task per shard, and a merge
//! job that waits for the whole array (`--dependency=afterok`).
//!
//! The first task of the array submits the merge job, with the array's id as its
//! dependency, so the user submits one script and gets `results.csv` and `study.html`
//! when every shard has succeeded. If a shard fails the merge is never run
//! (`--kill-on-invalid-dep=yes`); `railhead study merge` can be run by hand once the
//! failed shards have been re-run (`sbatch --array=I script`).

use std::fmt::Write;
use std::path::Path;

/// What the script is made of.
#[derive(Debug, Clone)]
pub struct Script<'a> {
    /// The study's name (for the jobs' names).
    pub name: &'a str,
    /// The study's hash (written in the script's heading).
    pub hash: &'a str,
    /// The railhead program, as the nodes will run it.
    pub program: &'a Path,
    /// The study file.
    pub study: &'a Path,
    /// The folder for the results (shards go into `shards/`, logs into `logs/`).
    pub out: &'a Path,
    /// Shards (array tasks).
    pub shards: u64,
    /// Threads of each task (`--cpus-per-task`, `--jobs`).
    pub jobs: usize,
    /// The partition, if not the cluster's default.
    pub partition: Option<&'a str>,
    /// The time limit of a task, if not the partition's default (`--time`).
    pub time: Option<&'a str>,
}

/// Quotes a word for a POSIX shell (single quotes, with any single quote spelled out).
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Quotes a word for a POSIX shell in double quotes (`\`, `"`, `$` and backquotes
/// escaped).
fn dquote(s: &str) -> String {
    let mut q = String::from('"');
    for c in s.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

/// A value of an `#SBATCH` directive as sbatch reads it: in double quotes, with `\` and
/// `"` escaped by a backslash (sbatch's own directive parser; spaces, `'` and `#` are
/// then plain characters).
fn directive(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', r"\\").replace('"', "\\\""))
}

/// A path as a Slurm filename pattern that means only itself: `%` doubled.
fn literal_pattern(s: &str) -> String {
    s.replace('%', "%%")
}

/// A path Slurm can carry in a script: no control character (a newline would end a
/// directive and start a command), and no backslash (Slurm takes a backslash in an output
/// file name as a sign to strip every backslash from it), and UTF-8.
pub fn check_path(what: &str, path: &Path) -> Result<String, String> {
    let text = path.to_str().ok_or_else(|| {
        format!(
            "{what} ({}) is not UTF-8: a Slurm script cannot name it",
            path.display()
        )
    })?;
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{what} ({}) holds a control character ({:?}): a Slurm script cannot carry it in a directive; choose a folder without one",
            path.display(),
            c
        ));
    }
    if text.contains('\\') {
        return Err(format!(
            "{what} ({}) holds a backslash: Slurm strips backslashes from the names of its log files; choose a folder without one",
            path.display()
        ));
    }
    Ok(text.to_string())
}

/// A partition for `--partition`, as Slurm names them: letters, digits, `.`, `_` and `-`,
/// or several such names separated by commas.
pub fn partition(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 200
        && s.split(',').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        });
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{}` is not a Slurm partition name: use letters, digits, `.`, `_` and `-` (several names separated by commas)",
            s.escape_debug()
        ))
    }
}

/// A time limit for `--time`, in one of Slurm's forms: `minutes`, `minutes:seconds`,
/// `hours:minutes:seconds`, `days-hours`, `days-hours:minutes`,
/// `days-hours:minutes:seconds`, or `UNLIMITED` (`INFINITE`).
pub fn time_limit(s: &str) -> Result<String, String> {
    let number = |p: &str| !p.is_empty() && p.len() <= 9 && p.chars().all(|c| c.is_ascii_digit());
    let clock = |p: &str, most: usize| {
        let parts: Vec<&str> = p.split(':').collect();
        parts.len() <= most && parts.iter().all(|x| number(x))
    };
    let ok = matches!(s, "UNLIMITED" | "INFINITE")
        || match s.split_once('-') {
            Some((days, rest)) => number(days) && clock(rest, 3),
            None => clock(s, 3),
        };
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{}` is not a Slurm time limit: write minutes (`90`), `hours:minutes:seconds` (`01:30:00`), `days-hours:minutes:seconds` (`2-00:00:00`) or `UNLIMITED`",
            s.escape_debug()
        ))
    }
}

/// A job name from the study's name: letters, digits, `-` and `_`, at most 40.
fn job_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    format!("railhead-{}", clean.trim_matches('-'))
}

impl Script<'_> {
    /// The script's text (a POSIX `sh` script), or why a path in it cannot be written in
    /// one.
    pub fn text(&self) -> Result<String, String> {
        let job = job_name(self.name);
        let program = check_path("the railhead program", self.program)?;
        let study = check_path("the study file", self.study)?;
        let out = check_path("the --out folder", self.out)?;
        let sub = |name: &str| format!("{}/{name}", out.trim_end_matches('/'));
        // Comments hold text only on one line.
        let one_line = |t: &str| -> String {
            t.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        };
        let mut s = String::new();
        let _ = writeln!(s, "#!/bin/sh");
        let _ = writeln!(
            s,
            "# Railhead study `{}` (hash {}), in {} shards.",
            one_line(self.name),
            self.hash,
            self.shards
        );
        let _ = writeln!(
            s,
            "# Submit it from a login node:  sbatch {}",
            quote(&sub("study.sbatch"))
        );
        let _ = writeln!(
            s,
            "# Each array task plays one shard into {}; the first task submits the",
            quote(&sub("shards"))
        );
        let _ = writeln!(
            s,
            "# merge job, which runs once every task has succeeded (--dependency=afterok) and"
        );
        let _ = writeln!(
            s,
            "# writes results.csv and study.html into {}.",
            quote(&out)
        );
        let _ = writeln!(s, "#SBATCH --job-name={job}");
        let _ = writeln!(s, "#SBATCH --array=1-{}", self.shards);
        let _ = writeln!(s, "#SBATCH --ntasks=1");
        let _ = writeln!(s, "#SBATCH --cpus-per-task={}", self.jobs);
        if let Some(part) = self.partition {
            let _ = writeln!(s, "#SBATCH --partition={}", directive(&partition(part)?));
        }
        if let Some(t) = self.time {
            let _ = writeln!(s, "#SBATCH --time={}", directive(&time_limit(t)?));
        }
        let _ = writeln!(
            s,
            "#SBATCH --output={}",
            directive(&format!("{}/shard-%a.log", literal_pattern(&sub("logs"))))
        );
        let _ = writeln!(s, "set -eu");
        let _ = writeln!(s, "RAILHEAD={}", dquote(&program));
        let _ = writeln!(s, "STUDY={}", dquote(&study));
        let _ = writeln!(s, "OUT={}", dquote(&out));
        let _ = writeln!(
            s,
            "if [ \"$SLURM_ARRAY_TASK_ID\" = \"${{SLURM_ARRAY_TASK_MIN:-1}}\" ]; then"
        );
        let mut merge = format!(
            "  sbatch --parsable --job-name={job}-merge --dependency=afterok:\"$SLURM_ARRAY_JOB_ID\" --kill-on-invalid-dep=yes --ntasks=1 --cpus-per-task=1 --output={}",
            dquote(&literal_pattern(&sub("logs/merge.log")))
        );
        if let Some(part) = self.partition {
            let _ = write!(merge, " --partition={}", dquote(part));
        }
        if let Some(t) = self.time {
            let _ = write!(merge, " --time={}", dquote(t));
        }
        // The merge job's command, for the /bin/sh that --wrap runs it with.
        let wrap = format!(
            "{} study merge {} --out {}",
            quote(&program),
            quote(&sub("shards")),
            quote(&out)
        );
        let _ = writeln!(
            merge,
            " \\\n    --wrap={} > \"$OUT/logs/merge-job-id\"",
            dquote(&wrap)
        );
        s.push_str(&merge);
        let _ = writeln!(s, "fi");
        let _ = writeln!(
            s,
            "exec \"$RAILHEAD\" study \"$STUDY\" --shard \"$SLURM_ARRAY_TASK_ID/{}\" --jobs \"${{SLURM_CPUS_PER_TASK:-{}}}\" --out \"$OUT/shards\"",
            self.shards, self.jobs
        );
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(dquote(r#"a "b" $c `d` \e"#), r#""a \"b\" \$c \`d\` \\e""#);
        assert_eq!(directive(r#"My "x" \ 'y' #z"#), r#""My \"x\" \\ 'y' #z""#);
        assert_eq!(literal_pattern("100%/logs"), "100%%/logs");
        assert_eq!(
            job_name("Kupiansk & Izium: 3 cases"),
            "railhead-Kupiansk---Izium--3-cases"
        );
    }

    #[test]
    fn the_script_is_an_array_with_a_dependent_merge() {
        let s = Script {
            name: "x",
            hash: "abc",
            program: Path::new("/opt/railhead"),
            study: Path::new("/home/me/s.ron"),
            out: Path::new("/scratch/out"),
            shards: 7,
            jobs: 4,
            partition: Some("short"),
            time: Some("00:30:00"),
        }
        .text()
        .unwrap();
        assert!(s.starts_with("#!/bin/sh\n"));
        for line in [
            "#SBATCH --array=1-7",
            "#SBATCH --cpus-per-task=4",
            "#SBATCH --partition=\"short\"",
            "#SBATCH --time=\"00:30:00\"",
            "--dependency=afterok:\"$SLURM_ARRAY_JOB_ID\"",
            "--shard \"$SLURM_ARRAY_TASK_ID/7\"",
        ] {
            assert!(s.contains(line), "{line} missing from\n{s}");
        }
    }
}
