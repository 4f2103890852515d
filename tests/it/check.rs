//! End-to-end tests of `kataster check` and `kataster license`: verdicts, conflicts between
//! declared and detected licenses, the policy (rules, exceptions with expiry, clarifications
//! pinned to file hashes) and the exit codes.

use crate::fs_support;
use crate::kataster;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn policy_fixture(name: &str) -> PathBuf {
    fixtures().join("policy").join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = kataster().args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `check ROOT -o json=FILE` plus extra args: (exit code, inventory, findings text).
fn check_json(root: &Path, extra: &[&str]) -> (i32, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("inv.json");
    let spec = format!("json={}", json.display());
    let mut args = vec!["check", root.to_str().unwrap(), "-o", &spec, "-q"];
    args.extend_from_slice(extra);
    let r = run(&args);
    let inv: Value = serde_json::from_str(
        &std::fs::read_to_string(&json)
            .unwrap_or_else(|e| panic!("no inventory written ({e}); code {}, stderr: {}", r.code, r.stderr)),
    )
    .unwrap();
    (r.code, inv, r.stdout)
}

fn component<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["components"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| {
        let ids: Vec<_> = inv["components"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
        panic!("no component {id}; have {ids:?}")
    })
}

fn finding<'a>(inv: &'a Value, id: &str) -> Option<&'a Value> {
    inv["findings"].as_array().unwrap().iter().find(|f| f["component"] == id)
}

fn reasons(c: &Value) -> String {
    c["classification"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn write_policy(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("policy.toml");
    std::fs::write(&p, text).unwrap();
    p
}

fn sha_of(inv: &Value, path: &str) -> String {
    inv["files"].as_array().unwrap().iter().find(|f| f["path"] == path).unwrap()["sha256"].as_str().unwrap().to_string()
}

#[test]
fn real_crate_whose_files_contradict_its_manifest_is_flagged_for_review() {
    // zstd-sys 2.1.3 (crates.io) declares `BSD-3-Clause AND BSD-2-Clause`, but a vendored
    // CMake module carries `SPDX-License-Identifier: (MIT OR CC0-1.0)`. nix 0.32.0 declares
    // MIT and a test module says `GPL-2.0+ or MIT`: that file offers MIT, so no conflict.
    let (code, inv, text) = check_json(&policy_fixture("crates"), &[]);
    assert_eq!(code, 0, "review items alone do not fail: {text}");
    let zstd = component(&inv, "crates:project:cargo:zstd-sys");
    assert_eq!(zstd["declared_license"], "BSD-3-Clause AND BSD-2-Clause");
    // Its LICENSE agrees with the manifest; the CMake module copied in from elsewhere is a
    // discovered license: its (permissive) obligations add up, it does not change the verdict.
    assert_eq!(zstd["scope_license"], "BSD-3-Clause");
    assert_eq!(zstd["concluded_by"], "declared-confirmed-by-license-file");
    assert_eq!(zstd["concluded_license"], "BSD-3-Clause AND BSD-2-Clause");
    assert_eq!(zstd["discovered_licenses"], serde_json::json!(["(MIT OR CC0-1.0)"]));
    assert_eq!(zstd["classification"]["needs_review"], false);
    let why = reasons(zstd);
    assert!(
        why.contains("discovered (MIT OR CC0-1.0) in zstd-sys/zstd/build/cmake/CMakeModules/JoinPaths.cmake:4"),
        "{why}"
    );
    assert!(finding(&inv, "crates:project:cargo:zstd-sys").is_none(), "{text}");

    let nix = component(&inv, "crates:project:cargo:nix");
    assert_eq!(nix["concluded_by"], "declared-confirmed-by-license-file");
    assert_eq!(nix["concluded_license"], "MIT");
    assert_eq!(nix["classification"]["category"], "permissive");
    assert_eq!(nix["classification"]["open_source"], "yes");
    assert_eq!(nix["classification"]["needs_review"], false);
    assert!(finding(&inv, "crates:project:cargo:nix").is_none());
}

#[test]
fn manifest_mit_over_gpl_files_is_a_conflict_with_both_obligations() {
    let (code, inv, _) = check_json(&policy_fixture("mit-over-gpl"), &[]);
    assert_eq!(code, 0);
    let c = component(&inv, "mit-over-gpl:project:cargo:.");
    assert_eq!(c["declared_license"], "MIT");
    // COPYING holds the GPL-3.0 text: the scope's license file contradicts the manifest. The
    // manifest's MIT stands, flagged for review, with the GPL's obligations beside it; the
    // GPL-3.0-or-later tag in src/lib.rs is a discovered license the MIT does not cover.
    assert_eq!(c["scope_license"], "GPL-3.0-only");
    assert_eq!(c["discovered_licenses"], serde_json::json!(["GPL-3.0-or-later"]));
    assert_eq!(c["concluded_by"], "declared-license-file-conflict");
    assert_eq!(c["concluded_license"], "MIT");
    let k = &c["classification"];
    assert_eq!(k["needs_review"], true);
    let obligations: Vec<&str> = k["obligations"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
    assert!(obligations.contains(&"disclose-source-whole-work"), "{obligations:?}");
    let why = reasons(c);
    assert!(why.contains("declares MIT but the license file says GPL-3.0-only (COPYING:1-673)"), "{why}");
    assert!(why.contains("discovered GPL-3.0-or-later (strong-copyleft) in src/lib.rs:1"), "{why}");
    // --fail-on review makes the conflict fail the build.
    let (code, _, _) = check_json(&policy_fixture("mit-over-gpl"), &["--fail-on", "review"]);
    assert_eq!(code, 1);
}

#[test]
fn npm_package_declaring_mit_over_a_gpl_license_file_is_a_conflict() {
    // package.json says MIT; LICENSE holds the full GPL-3.0 text.
    let (_, inv, _) = check_json(&policy_fixture("npm-mit-over-gpl"), &[]);
    let c = component(&inv, "npm-mit-over-gpl:project:npm:.");
    assert_eq!(c["declared_license"], "MIT");
    assert_eq!(c["concluded_by"], "declared-license-file-conflict");
    assert_eq!(c["classification"]["needs_review"], true);
    assert_eq!(c["concluded_license"], "MIT");
    let why = reasons(c);
    assert!(why.contains("package.json") && why.contains("declares MIT but the license file says GPL-3.0"), "{why}");
    assert!(why.contains("(LICENSE:"), "{why}");
}

const DENY_COPYLEFT: &str = r#"
[licenses]
allow = ["permissive", "public-domain", "weak-copyleft"]
review = ["unknown"]
deny = ["strong-copyleft", "network-copyleft", "proprietary"]
"#;

#[test]
fn a_denied_license_fails_the_check_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let policy = write_policy(dir.path(), DENY_COPYLEFT);
    let root = policy_fixture("gpl-app");
    let r = run(&["check", root.to_str().unwrap(), "--policy", policy.to_str().unwrap()]);
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.contains("DENY   pkg:cargo/meldewesen@1.4.0  [gpl-app:project:cargo:.]"), "{}", r.stdout);
    assert!(r.stdout.contains("license:  GPL-3.0-or-later"), "{}", r.stdout);
    assert!(r.stdout.contains("rule:     licenses.deny: strong-copyleft"), "{}", r.stdout);
    assert!(r.stdout.contains("evidence: Cargo.toml:1, src/main.rs:1"), "{}", r.stdout);
    assert!(r.stdout.contains("kataster check: 1 denied"), "{}", r.stdout);
    // Without the policy nothing is denied.
    assert_eq!(run(&["check", root.to_str().unwrap(), "-q"]).code, 0);
    // A license id rule beats the category rule.
    let allow_gpl = format!("{DENY_COPYLEFT}\n").replace("allow = [", "allow = [\"GPL-3.0-or-later\", ");
    let policy = write_policy(dir.path(), &allow_gpl);
    assert_eq!(run(&["check", root.to_str().unwrap(), "--policy", policy.to_str().unwrap(), "-q"]).code, 0);
}

#[test]
fn the_policy_in_the_scanned_root_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("app");
    std::fs::create_dir_all(root.join("src")).unwrap();
    for f in ["Cargo.toml", "src/main.rs"] {
        std::fs::copy(policy_fixture("gpl-app").join(f), root.join(f)).unwrap();
    }
    std::fs::write(root.join("kataster.toml"), DENY_COPYLEFT).unwrap();
    let r = run(&["check", root.to_str().unwrap(), "-q"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    // `scan` applies the same policy to the inventory but does not fail on it.
    let r = run(&["scan", root.to_str().unwrap(), "-q", "-o", "json"]);
    assert_eq!(r.code, 0);
    let inv: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(finding(&inv, "app:project:cargo:.").unwrap()["decision"], "deny");
}

#[test]
fn exceptions_excuse_a_component_until_they_expire() {
    let dir = tempfile::tempdir().unwrap();
    let root = policy_fixture("gpl-app");
    let valid = format!(
        "{DENY_COPYLEFT}\n[[exception]]\ncomponent = \"pkg:cargo/meldewesen@*\"\nlicense = \"GPL-3.0-or-later\"\n\
         reason = \"Runs only inside the town hall; approved by the legal office\"\nexpires = \"2099-12-31\"\n"
    );
    let policy = write_policy(dir.path(), &valid);
    let (code, inv, text) = check_json(&root, &["--policy", policy.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    let f = finding(&inv, "gpl-app:project:cargo:.").unwrap();
    assert_eq!(f["decision"], "allow");
    assert_eq!(f["rule"], "exception: pkg:cargo/meldewesen@*");
    assert!(f["reason"].as_str().unwrap().contains("approved by the legal office (until 2099-12-31"), "{f}");

    // An exception for another license does not excuse this one.
    let other = valid.replace("license = \"GPL-3.0-or-later\"", "license = \"AGPL-3.0-only\"");
    let policy = write_policy(dir.path(), &other);
    let (code, _, _) = check_json(&root, &["--policy", policy.to_str().unwrap()]);
    assert_eq!(code, 1);

    // Expired: the denial stands, the finding and a diagnostic say so.
    let expired = valid.replace("2099-12-31", "2020-01-31");
    let policy = write_policy(dir.path(), &expired);
    let (code, inv, _) = check_json(&root, &["--policy", policy.to_str().unwrap()]);
    assert_eq!(code, 1);
    let f = finding(&inv, "gpl-app:project:cargo:.").unwrap();
    assert_eq!(f["decision"], "deny");
    assert!(f["reason"].as_str().unwrap().contains("expired on 2020-01-31"), "{f}");
    let d = inv["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "policy-exception-expired");
    assert!(d.is_some_and(|d| d["message"].as_str().unwrap().contains("pkg:cargo/meldewesen@*")));
}

/// Copy a fixture to a temporary root so a test can change its files.
fn copy_fixture(name: &str, to: &Path) -> PathBuf {
    let root = to.join(name);
    fs_support::copy_tree(&policy_fixture(name), &root);
    root
}

#[test]
fn component_clarification_holds_while_its_pinned_file_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture("mit-over-gpl", dir.path());
    let (_, before, _) = check_json(&root, &[]);
    let sha = sha_of(&before, "COPYING");
    let policy = write_policy(
        dir.path(),
        &format!(
            "[[clarification]]\ncomponent = \"pkg:cargo/stadtplan@2.1.0\"\nlicense = \"GPL-3.0-or-later\"\n\
             reason = \"The MIT in Cargo.toml is a mistake; upstream confirmed GPL\"\n\
             files = [{{ path = \"COPYING\", sha256 = \"{sha}\" }}]\n"
        ),
    );
    let (code, inv, _) = check_json(&root, &["--policy", policy.to_str().unwrap(), "--fail-on", "review"]);
    assert_eq!(code, 0, "the clarification settles the conflict");
    let c = component(&inv, "mit-over-gpl:project:cargo:.");
    assert_eq!(c["concluded_by"], "clarification");
    assert_eq!(c["concluded_license"], "GPL-3.0-or-later");
    assert_eq!(c["declared_license"], "MIT", "the declaration itself is kept");
    assert_eq!(c["classification"]["needs_review"], false);
    assert!(reasons(c).contains("upstream confirmed GPL"), "{}", reasons(c));

    // The license file changes: the clarification stops applying, with a diagnostic.
    let copying = root.join("COPYING");
    let mut text = std::fs::read_to_string(&copying).unwrap();
    text.push_str("\nAdditional permission: none.\n");
    std::fs::write(&copying, text).unwrap();
    let (code, inv, _) = check_json(&root, &["--policy", policy.to_str().unwrap(), "--fail-on", "review"]);
    assert_eq!(code, 1);
    let c = component(&inv, "mit-over-gpl:project:cargo:.");
    assert_eq!(c["concluded_by"], "declared-license-file-conflict");
    assert_eq!(c["classification"]["needs_review"], true);
    assert!(reasons(c).contains("no longer applies: COPYING changed"), "{}", reasons(c));
    let d = inv["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "clarification-stale").unwrap();
    assert_eq!(d["path"], "COPYING");
    assert_eq!(d["severity"], "warning");
}

#[test]
fn file_clarification_replaces_what_was_found_in_that_file_only_while_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_fixture("mit-over-gpl", dir.path());
    // Only the tagged source file contradicts the manifest here.
    std::fs::remove_file(root.join("COPYING")).unwrap();
    let (_, before, _) = check_json(&root, &[]);
    let sha = sha_of(&before, "src/lib.rs");
    let policy = write_policy(
        dir.path(),
        &format!(
            "[[clarification]]\nfile = \"src/lib.rs\"\nsha256 = \"{sha}\"\nlicense = \"MIT\"\n\
             reason = \"Header copied from a template by mistake\"\n"
        ),
    );
    let (code, inv, _) = check_json(&root, &["--policy", policy.to_str().unwrap(), "--fail-on", "review"]);
    assert_eq!(code, 0);
    let c = component(&inv, "mit-over-gpl:project:cargo:.");
    assert_eq!(c["discovered_licenses"], serde_json::json!(["GPL-3.0-or-later"]), "what was found stays");
    assert_eq!(c["concluded_license"], "MIT");
    assert_eq!(c["concluded_by"], "declared");
    assert_eq!(c["classification"]["needs_review"], false);
    assert!(reasons(c).contains("src/lib.rs clarified as MIT"), "{}", reasons(c));

    std::fs::write(root.join("src/lib.rs"), "// SPDX-License-Identifier: GPL-3.0-or-later\npub fn changed() {}\n")
        .unwrap();
    let (code, inv, _) = check_json(&root, &["--policy", policy.to_str().unwrap(), "--fail-on", "review"]);
    assert_eq!(code, 1);
    let c = component(&inv, "mit-over-gpl:project:cargo:.");
    assert_eq!(c["classification"]["needs_review"], true);
    assert!(
        inv["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "clarification-stale" && d["path"] == "src/lib.rs")
    );
}

#[test]
fn check_output_validates_against_the_schema_and_records_the_license_db() {
    let (_, inv, _) = check_json(&policy_fixture("crates"), &[]);
    crate::support::assert_valid_inventory(&inv);
    let v = inv["tool"]["license_db_version"].as_str().unwrap();
    assert!(v.contains("SPDX 3."), "{v}");
    assert!(inv["summary"]["by_category"]["unknown"].as_u64().unwrap() > 0);
    assert!(inv["summary"]["by_category"]["permissive"].as_u64().unwrap() >= 1);
}

#[test]
fn exit_codes() {
    let root = policy_fixture("gpl-app");
    let root = root.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // 2: a policy with a mistake, naming the file; a root that does not exist.
    let bad = write_policy(dir.path(), "[licenses]\ndeny = [\"strong-copyleftt\"]\n");
    let r = run(&["check", root, "--policy", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("policy.toml") && r.stderr.contains("strong-copyleftt"), "{}", r.stderr);
    assert_eq!(run(&["check", "/no/such/dir"]).code, 2);
    assert_eq!(run(&["check", root, "--fail-on", "sometimes"]).code, 2);
    // 3: the report could not be written (takes precedence over the policy result).
    let deny = write_policy(dir.path(), DENY_COPYLEFT);
    let r = run(&["check", root, "--policy", deny.to_str().unwrap(), "-o", "json=/no/such/dir/inv.json"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    // 1 and 0.
    assert_eq!(run(&["check", root, "--policy", deny.to_str().unwrap(), "-q"]).code, 1);
    assert_eq!(run(&["check", root, "-q"]).code, 0);
}

#[test]
fn license_explains_expressions_in_english_and_german() {
    let r = run(&["license", "MIT OR GPL-3.0-only"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Applies: MIT"), "{}", r.stdout);
    assert!(r.stdout.contains("chose MIT over GPL-3.0-only"), "{}", r.stdout);
    let r = run(&["license", "The Apache Software License, Version 2.0", "--lang", "de"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Ausdruck: Apache-2.0"), "{}", r.stdout);
    assert!(r.stdout.contains("Open Source: ja"), "{}", r.stdout);
    assert!(r.stdout.contains("NOTICE-Datei mitliefern"), "{}", r.stdout);
    let r = run(&["license", "BUSL-1.1"]);
    assert!(r.stdout.contains("Open source: no") && r.stdout.contains("change-date"), "{}", r.stdout);
    let r = run(&["license", "quite unheard of"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a license expression"), "{}", r.stderr);
}

/// A copy of the GPL application as the repository `NAME`, with its own `kataster.toml`.
fn repo_with_own_policy(dir: &Path, name: &str, own_policy: &str) -> PathBuf {
    let root = dir.join(name);
    std::fs::create_dir_all(root.join("src")).unwrap();
    for f in ["Cargo.toml", "src/main.rs"] {
        std::fs::copy(policy_fixture("gpl-app").join(f), root.join(f)).unwrap();
    }
    std::fs::write(root.join("kataster.toml"), own_policy).unwrap();
    root
}

fn diagnostic<'a>(inv: &'a Value, code: &str) -> Option<&'a Value> {
    inv["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == code)
}

#[test]
fn a_repository_cannot_overrule_the_central_policy() {
    let dir = tempfile::tempdir().unwrap();
    // The repository allows its own strong copyleft and excuses itself.
    let own = "[licenses]\nallow = [\"strong-copyleft\", \"proprietary\"]\n\n[[exception]]\n\
               component = \"pkg:cargo/meldewesen@*\"\nreason = \"we say so\"\n";
    let root = repo_with_own_policy(dir.path(), "meldewesen-repo", own);
    // Scanned on its own, its policy is the policy.
    assert_eq!(run(&["check", root.to_str().unwrap(), "-q", "--no-local-caches"]).code, 0);
    // Under the central policy the denial stands, and the inventory says what was ignored.
    let central = write_policy(dir.path(), DENY_COPYLEFT);
    let (code, inv, text) = check_json(&root, &["--policy", central.to_str().unwrap(), "--no-local-caches"]);
    assert_eq!(code, 1, "{text}");
    let f = finding(&inv, "meldewesen-repo:project:cargo:.").unwrap();
    assert_eq!((f["decision"].as_str(), f["rule"].as_str()), (Some("deny"), Some("licenses.deny: strong-copyleft")));
    let d = diagnostic(&inv, "policy-proposal-ignored").expect("a diagnostic for the ignored rules");
    assert_eq!((d["root"].as_str(), d["path"].as_str()), (Some("meldewesen-repo"), Some("kataster.toml")));
    assert!(d["message"].as_str().unwrap().contains("rules and exceptions are ignored"), "{d}");
    assert!(text.contains("warning: meldewesen-repo/kataster.toml:"), "{text}");
}

#[test]
fn clarifications_proposed_in_a_repository_count_only_when_the_central_policy_accepts_them() {
    let dir = tempfile::tempdir().unwrap();
    let own = "[[clarification]]\ncomponent = \"pkg:cargo/meldewesen@1.4.0\"\nlicense = \"MIT\"\n\
               reason = \"Relicensed by the town, decision 2026-04\"\n";
    let root = repo_with_own_policy(dir.path(), "meldewesen-repo", own);
    let id = "meldewesen-repo:project:cargo:.";
    // Not accepted: the component keeps its GPL and is denied.
    let central = write_policy(dir.path(), DENY_COPYLEFT);
    let (code, inv, text) = check_json(&root, &["--policy", central.to_str().unwrap(), "--no-local-caches"]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(component(&inv, id)["concluded_license"], "GPL-3.0-or-later");
    let d = diagnostic(&inv, "policy-proposal-ignored").unwrap();
    assert!(d["message"].as_str().unwrap().contains("does not accept proposals from `meldewesen-repo`"), "{d}");
    assert!(diagnostic(&inv, "policy-proposal-accepted").is_none());
    // Accepted for this repository: the clarification applies, and the inventory says whose it was.
    let accepting = format!("{DENY_COPYLEFT}\n[proposals]\naccept_clarifications_from = [\"meldewesen-*\"]\n");
    let central = write_policy(dir.path(), &accepting);
    let (code, inv, text) = check_json(&root, &["--policy", central.to_str().unwrap(), "--no-local-caches"]);
    assert_eq!(code, 0, "{text}");
    let c = component(&inv, id);
    assert_eq!((c["concluded_license"].as_str(), c["concluded_by"].as_str()), (Some("MIT"), Some("clarification")));
    assert!(reasons(c).contains("proposed in"), "{}", reasons(c));
    let d = diagnostic(&inv, "policy-proposal-accepted").expect("the accepted proposal is recorded");
    assert_eq!(d["severity"], "info");
    assert!(d["message"].as_str().unwrap().contains("meldewesen-*"), "{d}");
    assert!(text.contains("note: meldewesen-repo/kataster.toml:"), "{text}");
    // A proposal that does not parse is a warning under a central policy, not a stopped run.
    std::fs::write(root.join("kataster.toml"), "[licences]\n").unwrap();
    let (code, inv, _) = check_json(&root, &["--policy", central.to_str().unwrap(), "--no-local-caches"]);
    assert_eq!(code, 1);
    let d = diagnostic(&inv, "policy-proposal-invalid").unwrap();
    assert!(d["message"].as_str().unwrap().contains("kataster.toml"), "{d}");
}

#[test]
fn a_policy_pattern_of_thirty_thousand_alternatives_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let alternatives: Vec<String> = (0..30_000).map(|i| format!("a{i}")).collect();
    let own = format!("[[exception]]\ncomponent = \"pkg:npm/{{{}}}@*\"\nreason = \"r\"\n", alternatives.join(","));
    let root = repo_with_own_policy(dir.path(), "app", &own);
    let r = run(&["check", root.to_str().unwrap(), "-q", "--no-local-caches"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", &r.stderr[..r.stderr.len().min(400)]);
    assert!(r.stderr.contains("kataster.toml: exception 1"), "{}", &r.stderr[..r.stderr.len().min(400)]);
    assert!(r.stderr.contains("30000 alternatives; at most 64"), "{}", &r.stderr[..r.stderr.len().min(400)]);
    assert!(r.stderr.len() < 600, "the message stays short: {} bytes", r.stderr.len());
    // The same in a central policy.
    let central = write_policy(dir.path(), &own);
    std::fs::remove_file(root.join("kataster.toml")).unwrap();
    let r = run(&["check", root.to_str().unwrap(), "-q", "--no-local-caches", "--policy", central.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("policy.toml: exception 1") && r.stderr.contains("alternatives"), "{}", r.stderr);
}

#[test]
fn names_with_terminal_escapes_reach_the_check_output_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("app");
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::write(
        root.join("package.json"),
        "{\"name\": \"evil\\u001b]0;owned\\u0007\\u001b[2J\", \"version\": \"1.0.0\\u001b[31m\", \"license\": \"AGPL-3.0-only\"}",
    )
    .unwrap();
    // A file name that would clear the screen, as evidence of the finding.
    std::fs::write(root.join("lib/x\u{1b}[2J\u{1b}]0;owned\u{7}.js"), "// SPDX-License-Identifier: AGPL-3.0-only\n")
        .unwrap();
    let central = write_policy(dir.path(), DENY_COPYLEFT);
    let r = run(&["check", root.to_str().unwrap(), "--no-local-caches", "--policy", central.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}') && !r.stdout.contains('\r'), "{:?}", r.stdout);
    assert!(r.stdout.contains("lib/x\\u{1b}[2J\\u{1b}]0;owned\\u{7}.js:1"), "{}", r.stdout);
    // The table of `scan` too: names and versions.
    let r = run(&["scan", root.to_str().unwrap(), "-q", "--no-local-caches"]);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains('\u{1b}') && !r.stdout.contains('\r'), "{:?}", r.stdout);
    assert!(r.stdout.contains("evil\\u{1b}]0;ow"), "{}", r.stdout);
    assert!(r.stdout.contains("1.0.0\\u{1b}[31m"), "{}", r.stdout);
}

#[test]
fn a_baseline_of_a_format_kataster_does_not_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = policy_fixture("gpl-app");
    let (_, inv, _) = check_json(&root, &["--no-local-caches"]);
    for version in ["99.0", "banana", "", "1.0"] {
        let mut old = inv.clone();
        old["schema_version"] = Value::from(version);
        let path = dir.path().join("old.json");
        std::fs::write(&path, serde_json::to_vec(&old).unwrap()).unwrap();
        let r =
            run(&["check", root.to_str().unwrap(), "-q", "--no-local-caches", "--baseline", path.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{version}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("inventory format `{version}` is not one this kataster reads")),
            "{}",
            r.stderr
        );
    }
    // The format it writes is read.
    let path = dir.path().join("same.json");
    std::fs::write(&path, serde_json::to_vec(&inv).unwrap()).unwrap();
    let r = run(&["check", root.to_str().unwrap(), "-q", "--no-local-caches", "--baseline", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn an_in_tree_policy_that_links_out_of_the_root_or_is_a_fifo_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let outside = write_policy(dir.path(), "[licenses]\nallow = [\"strong-copyleft\"]\n");
    let root = repo_with_own_policy(dir.path(), "app", "");
    std::fs::remove_file(root.join("kataster.toml")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("kataster.toml")).unwrap();
    let r = run(&["check", root.to_str().unwrap(), "-q", "--no-local-caches"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("kataster.toml: links to a file outside the scanned root"), "{}", r.stderr);
    // A FIFO would block the run; it is refused at once.
    std::fs::remove_file(root.join("kataster.toml")).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(root.join("kataster.toml")).status().unwrap().success());
    let r = run(&["check", root.to_str().unwrap(), "-q", "--no-local-caches"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("kataster.toml: not a regular file"), "{}", r.stderr);
}
