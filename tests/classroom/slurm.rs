//! A study through Slurm: a real single-node cluster (munged, slurmctld, slurmd) started on
//! this machine, the script `railhead study --slurm-script` writes submitted with
//! `sbatch --wait`, and the merged results compared with a one-machine run.
//!
//! Needs root and Debian's `slurm-wlm` and `munge` (`.ci/run` installs them). Where they
//! are missing the test says it skipped and why, unless `RAILHEAD_REQUIRE_CLUSTER_TOOLS`
//! is set (as CI sets it), when it fails instead.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::study_support::{ok, p, railhead, study_dir};

fn run(cmd: &str, args: &[&str]) -> std::io::Result<Output> {
    Command::new(cmd).args(args).output()
}

fn found(cmd: &str) -> bool {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .any(|d| Path::new(d).join(cmd).exists())
}

/// Why Slurm cannot be started here, if it cannot.
fn missing() -> Option<String> {
    let uid = run("id", &["-u"]).ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("starting a Slurm cluster needs root".into());
    }
    let absent: Vec<&str> = [
        "munged",
        "munge",
        "unmunge",
        "slurmctld",
        "slurmd",
        "sbatch",
        "sinfo",
        "runuser",
    ]
    .into_iter()
    .filter(|c| !found(c))
    .collect();
    (!absent.is_empty()).then(|| {
        format!(
            "{} not installed (Debian: apt-get install slurm-wlm munge)",
            absent.join(", ")
        )
    })
}

/// A free TCP port on the loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The daemons this test started, stopped (by their PID files) when it ends.
struct Cluster {
    dir: tempfile::TempDir,
    conf: PathBuf,
    started: Vec<PathBuf>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for pid_file in self.started.iter().rev() {
            if let Ok(pid) = std::fs::read_to_string(pid_file) {
                let _ = run("kill", &[pid.trim()]);
            }
        }
    }
}

impl Cluster {
    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    fn command(&self, cmd: &str) -> Command {
        let mut c = Command::new(cmd);
        c.env("SLURM_CONF", &self.conf);
        c
    }
}

/// munged: the one running, or one started as the munge user.
fn munge(started: &mut Vec<PathBuf>) {
    let works = || {
        Command::new("sh")
            .arg("-c")
            .arg("munge -n | unmunge")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works() {
        return;
    }
    let key = Path::new("/etc/munge/munge.key");
    if !key.exists() {
        ok_cmd(run(
            "mungekey",
            &["--create", "--keyfile", "/etc/munge/munge.key"],
        ));
        ok_cmd(run("chown", &["munge:munge", "/etc/munge/munge.key"]));
        ok_cmd(run("chmod", &["0400", "/etc/munge/munge.key"]));
    }
    ok_cmd(run(
        "install",
        &[
            "-d",
            "-o",
            "munge",
            "-g",
            "munge",
            "-m",
            "0755",
            "/run/munge",
        ],
    ));
    ok_cmd(run("runuser", &["-u", "munge", "--", "munged"]));
    started.push(PathBuf::from("/run/munge/munged.pid"));
    let t = Instant::now();
    while !works() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "munged did not start"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn ok_cmd(out: std::io::Result<Output>) {
    let out = out.unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts a single-node cluster: this machine's CPUs, on the loopback, with no cgroups
/// (they do not work in these sandboxes) and no accounting.
fn start() -> Cluster {
    let mut started = Vec::new();
    munge(&mut started);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["state", "spool"] {
        std::fs::create_dir(d.join(sub)).unwrap();
    }
    let host = String::from_utf8(run("hostname", &["-s"]).unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let conf = d.join("slurm.conf");
    let text = format!(
        "ClusterName=railhead-test
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld}
SlurmdPort={slurmd}
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
MailProg=/bin/true
MinJobAge=5
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP
",
        ctld = free_port(),
        slurmd = free_port(),
        d = d.display()
    );
    std::fs::write(&conf, text).unwrap();
    let c = p(&conf).to_string();
    ok_cmd(run("slurmctld", &["-f", &c]));
    started.push(d.join("slurmctld.pid"));
    ok_cmd(run("slurmd", &["-f", &c, "-N", &host]));
    started.push(d.join("slurmd.pid"));
    let cluster = Cluster { dir, conf, started };
    let t = Instant::now();
    loop {
        let state = cluster.command("sinfo").args(["-h", "-o", "%T"]).output();
        if state.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "idle") {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_mins(1),
            "the node did not come up:\n{}\n{}",
            cluster.log("slurmctld.log"),
            cluster.log("slurmd.log")
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    cluster
}

#[test]
fn a_study_through_the_generated_sbatch_script_equals_one_machine() {
    if let Some(why) = missing() {
        assert!(
            std::env::var_os("RAILHEAD_REQUIRE_CLUSTER_TOOLS").is_none(),
            "Slurm is required here (RAILHEAD_REQUIRE_CLUSTER_TOOLS is set) but cannot be started: {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let cluster = start();
    let (dir, study) = study_dir(4, "through slurm");
    // A folder as people name them: a space, a quote, and a `%` Slurm would expand.
    let out = dir.path().join("My studies' 100%j");
    ok(&railhead(&[
        "study",
        p(&study),
        "--slurm-script",
        "--shards",
        "3",
        "--jobs",
        "1",
        "--time",
        "00:10:00",
        "--out",
        p(&out),
    ]));
    let script = out.join("study.sbatch");
    check_shell(&script);
    let submitted = cluster
        .command("sbatch")
        .args(["--wait", p(&script)])
        .output()
        .unwrap();
    let logs = || {
        let mut all = String::new();
        for f in std::fs::read_dir(out.join("logs"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let _ = write!(
                all,
                "--- {}\n{}\n",
                f.path().display(),
                std::fs::read_to_string(f.path()).unwrap_or_default()
            );
        }
        format!("{all}--- slurmctld\n{}", cluster.log("slurmctld.log"))
    };
    assert!(
        submitted.status.success(),
        "sbatch --wait failed: {}\n{}",
        String::from_utf8_lossy(&submitted.stderr),
        logs()
    );
    // The array is done; the merge job it submitted runs after it.
    let t = Instant::now();
    while !out.join("study.html").exists() {
        assert!(
            t.elapsed() < Duration::from_mins(3),
            "the merge job did not write the results:\n{}",
            logs()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    assert_eq!(
        std::fs::read_dir(out.join("shards")).unwrap().count(),
        3,
        "one shard file per array task"
    );
    // The logs went where the script said, under the folder's own name.
    for log in ["shard-1.log", "shard-3.log", "merge.log"] {
        assert!(
            out.join("logs").join(log).is_file(),
            "no {log}:\n{}",
            logs()
        );
    }
    let whole = dir.path().join("whole");
    ok(&railhead(&["study", p(&study), "--out", p(&whole)]));
    assert_eq!(
        std::fs::read(out.join("results.csv")).unwrap(),
        std::fs::read(whole.join("results.csv")).unwrap(),
        "the cluster's results are one machine's"
    );
    drop(cluster);
}

/// The script is POSIX shell: `sh -n` reads it, and `shellcheck` (where Debian's package
/// is installed; required where `RAILHEAD_REQUIRE_CLUSTER_TOOLS` is set) finds nothing.
fn check_shell(script: &Path) {
    let syntax = run("sh", &["-n", p(script)]).unwrap();
    assert!(
        syntax.status.success(),
        "sh -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    match run("shellcheck", &["-s", "sh", p(script)]) {
        Ok(o) => assert!(
            o.status.success(),
            "shellcheck:\n{}",
            String::from_utf8_lossy(&o.stdout)
        ),
        Err(_) => assert!(
            std::env::var_os("RAILHEAD_REQUIRE_CLUSTER_TOOLS").is_none(),
            "shellcheck is required here (apt-get install shellcheck)"
        ),
    }
}

#[test]
fn the_script_is_posix_shell_for_a_folder_of_any_name_it_can_carry() {
    let (dir, study) = study_dir(4, "quotes 'and' $(id) `id`");
    for name in ["plain", "My studies' 100%j", "a \"b\" $HOME `id` #c;d&e"] {
        let out = dir.path().join(name);
        ok(&railhead(&[
            "study",
            p(&study),
            "--slurm-script",
            "--shards",
            "2",
            "--partition",
            "debug,short",
            "--time",
            "1-00:30:00",
            "--out",
            p(&out),
        ]));
        let script = out.join("study.sbatch");
        check_shell(&script);
        let text = std::fs::read_to_string(&script).unwrap();
        let output = text
            .lines()
            .find(|l| l.starts_with("#SBATCH --output="))
            .unwrap();
        assert!(
            output.contains(
                &name
                    .replace('%', "%%")
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
            ),
            "the folder's name is not written as itself: {output}"
        );
    }
}
