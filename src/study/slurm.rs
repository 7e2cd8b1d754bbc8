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

/// Quotes a word for the shell (single quotes, with any single quote spelled out).
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
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
    /// The script's text.
    pub fn text(&self) -> String {
        let job = job_name(self.name);
        let p = |x: &Path| quote(&x.display().to_string());
        let (program, study, out) = (p(self.program), p(self.study), p(self.out));
        let logs = self.out.join("logs");
        let mut s = String::new();
        let _ = writeln!(s, "#!/bin/bash");
        let _ = writeln!(
            s,
            "# Railhead study `{}` (hash {}), in {} shards.",
            self.name.replace('\n', " "),
            self.hash,
            self.shards
        );
        let _ = writeln!(
            s,
            "# Submit it from a login node:  sbatch {}",
            quote(&self.out.join("study.sbatch").display().to_string())
        );
        let _ = writeln!(
            s,
            "# Each array task plays one shard into {}/shards; the first task submits the",
            self.out.display()
        );
        let _ = writeln!(
            s,
            "# merge job, which runs once every task has succeeded (--dependency=afterok) and"
        );
        let _ = writeln!(
            s,
            "# writes results.csv and study.html into {}.",
            self.out.display()
        );
        let _ = writeln!(s, "#SBATCH --job-name={job}");
        let _ = writeln!(s, "#SBATCH --array=1-{}", self.shards);
        let _ = writeln!(s, "#SBATCH --ntasks=1");
        let _ = writeln!(s, "#SBATCH --cpus-per-task={}", self.jobs);
        if let Some(part) = self.partition {
            let _ = writeln!(s, "#SBATCH --partition={part}");
        }
        if let Some(t) = self.time {
            let _ = writeln!(s, "#SBATCH --time={t}");
        }
        let _ = writeln!(s, "#SBATCH --output={}/shard-%a.log", logs.display());
        let _ = writeln!(s, "set -euo pipefail");
        let _ = writeln!(s, "RAILHEAD={program}");
        let _ = writeln!(s, "STUDY={study}");
        let _ = writeln!(s, "OUT={out}");
        let _ = writeln!(
            s,
            "if [ \"$SLURM_ARRAY_TASK_ID\" = \"${{SLURM_ARRAY_TASK_MIN:-1}}\" ]; then"
        );
        let mut merge = format!(
            "  sbatch --parsable --job-name={job}-merge --dependency=afterok:\"$SLURM_ARRAY_JOB_ID\" --kill-on-invalid-dep=yes --ntasks=1 --cpus-per-task=1 --output=\"$OUT/logs/merge.log\""
        );
        if let Some(part) = self.partition {
            let _ = write!(merge, " --partition={part}");
        }
        if let Some(t) = self.time {
            let _ = write!(merge, " --time={t}");
        }
        let _ = writeln!(
            merge,
            " \\\n    --wrap=\"$(printf '%q ' \"$RAILHEAD\" study merge \"$OUT/shards\" --out \"$OUT\")\" > \"$OUT/logs/merge-job-id\""
        );
        s.push_str(&merge);
        let _ = writeln!(s, "fi");
        let _ = writeln!(
            s,
            "exec \"$RAILHEAD\" study \"$STUDY\" --shard \"$SLURM_ARRAY_TASK_ID/{}\" --jobs \"${{SLURM_CPUS_PER_TASK:-{}}}\" --out \"$OUT/shards\"",
            self.shards, self.jobs
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
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
        .text();
        assert!(s.starts_with("#!/bin/bash\n"));
        for line in [
            "#SBATCH --array=1-7",
            "#SBATCH --cpus-per-task=4",
            "#SBATCH --partition=short",
            "#SBATCH --time=00:30:00",
            "--dependency=afterok:\"$SLURM_ARRAY_JOB_ID\"",
            "--shard \"$SLURM_ARRAY_TASK_ID/7\"",
        ] {
            assert!(s.contains(line), "{line} missing from\n{s}");
        }
    }
}
