//! Running the binary and external tools the same way in every test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Variables through which kataster finds a machine's package caches and its own cache. A
/// test run sets none of them unless the test itself gives one.
const CACHE_VARS: &[&str] = &[
    "CARGO_HOME",
    "COMPOSER_HOME",
    "GEM_HOME",
    "GEM_PATH",
    "GOMODCACHE",
    "GOPATH",
    "GRADLE_USER_HOME",
    "NUGET_PACKAGES",
    "USERPROFILE",
    "UV_CACHE_DIR",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
];

/// The empty home folder of this test process (removed when the process ends).
pub fn isolated_home() -> &'static Path {
    static HOME: OnceLock<tempfile::TempDir> = OnceLock::new();
    HOME.get_or_init(|| tempfile::Builder::new().prefix("kataster-test-home").tempdir().unwrap()).path()
}

/// Give a command the isolated environment: HOME is an empty folder and no cache variable
/// points anywhere else. A test that wants a cache sets its variable after this.
pub fn isolate(cmd: &mut Command) -> &mut Command {
    for v in CACHE_VARS {
        cmd.env_remove(v);
    }
    cmd.env("HOME", isolated_home())
}

/// The kataster binary under test, isolated from the machine's caches.
pub fn kataster() -> assert_cmd::Command {
    let mut cmd = Command::new(kataster_path());
    isolate(&mut cmd);
    assert_cmd::Command::from_std(cmd)
}

/// The path of the kataster binary under test.
pub fn kataster_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kataster"))
}

/// Run an external program with a time limit: `Err` says why it could not be started;
/// a program still running after `limit` is killed and the test fails naming it.
pub fn run_with_timeout(program: &str, args: &[&str], limit: Duration) -> std::io::Result<Output> {
    let mut cmd = Command::new(program);
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // Its own process group, so that a timeout stops the helpers it started too (Chromium).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn()?;
    // Read both pipes on threads so that a chatty program cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut b).map(|_| b)
    });
    let err_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut b).map(|_| b)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if start.elapsed() > limit {
            #[cfg(unix)]
            let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{program}` did not finish within {} s and was stopped", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Output { status, stdout: out_t.join().unwrap()?, stderr: err_t.join().unwrap()? })
}

/// Assert that an inventory validates against `docs/inventory.schema.json`, listing every
/// error with its place.
pub fn assert_valid_inventory(inv: &serde_json::Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/inventory.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(inv).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}
