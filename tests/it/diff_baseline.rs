//! `kataster check --baseline OLD.json`: a merge request fails only on findings the
//! baseline does not have.

use crate::fs_support;

use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/estate-multi/bauportal")
}

fn check(root: &Path, policy: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = crate::kataster().arg("check").arg(root).arg("--policy").arg(policy).args(extra).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn only_findings_missing_from_the_baseline_fail_the_check() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("bauportal");
    fs_support::copy_tree(&fixture(), &repo);
    let policy = d.path().join("policy.toml");
    std::fs::write(&policy, "[licenses]\ndeny = [\"BSD-3-Clause\"]\n").unwrap();
    let base = d.path().join("base.json");
    let spec = format!("json={}", base.display());

    // The vendored map library is denied: without a baseline the check fails.
    let (code, _, stderr) = check(&repo, &policy, &["-o", &spec]);
    assert_eq!(code, 1, "{stderr}");
    let inv: serde_json::Value = serde_json::from_slice(&std::fs::read(&base).unwrap()).unwrap();
    assert!(
        inv["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["component"] == "bauportal:vendored:vendor/kartenlib" && f["decision"] == "deny"),
        "{}",
        inv["findings"]
    );

    // Against itself as the baseline nothing is new: the check passes, and says why.
    let (code, stdout, stderr) = check(&repo, &policy, &["--baseline", base.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("in the baseline and do not fail the check"), "{stderr}");
    assert!(stdout.contains("kartenlib"), "known findings are still listed: {stdout}");

    // A second vendored library under a denied license is new: the check fails again.
    let lib = repo.join("vendor/druckvorlagen");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::copy(repo.join("vendor/kartenlib/LICENSE"), lib.join("LICENSE")).unwrap();
    std::fs::write(lib.join("vorlage.js"), "// SPDX-License-Identifier: BSD-3-Clause\nexport const a4 = [210, 297];\n")
        .unwrap();
    let (code, stdout, stderr) = check(&repo, &policy, &["--baseline", base.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("druckvorlagen"), "{stdout}");

    // A baseline that cannot be read is a usage error naming it.
    let bad = d.path().join("missing.json");
    let (code, _, stderr) = check(&repo, &policy, &["--baseline", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.json"), "{stderr}");
}
