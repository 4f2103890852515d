//! Hostile manifests: one small file must neither abort nor stall a scan. Deep nesting in
//! the TOML lockfiles and in every XML format, a license expression of thousands of terms,
//! and byte-order marks: the scan finishes (exit 0), names the file in a diagnostic where
//! it refuses one, and reads everything else.

use crate::eco_support::diagnostics_for;
use serde_json::Value;
use std::path::Path;

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// `kataster scan ROOT -o json` without the machine's caches; it must exit 0.
fn scan(root: &Path) -> Value {
    let out = crate::kataster()
        .arg("scan")
        .arg(root)
        .args(["--no-local-caches", "-o", "json", "-q"])
        .env("HOME", root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn parse_error(inv: &Value, path: &str) -> String {
    let d = diagnostics_for(inv, path);
    d.iter()
        .find(|m| m.starts_with("parse-error"))
        .unwrap_or_else(|| panic!("no parse error for {path}: {d:?}"))
        .clone()
}

#[test]
fn deep_nesting_in_toml_lockfiles_is_a_parse_error() {
    let dir = tempfile::tempdir().unwrap();
    let n = 80 * 1024;
    let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
    let tables = format!("{}1{}", "{a = ".repeat(n / 5), "}".repeat(n / 5));
    let package = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n";
    write(dir.path(), "cargo/Cargo.lock", format!("version = 3\n\n{package}x = {arrays}\n"));
    write(dir.path(), "poetry/poetry.lock", format!("{package}x = {tables}\n"));
    write(dir.path(), "uv/uv.lock", format!("version = 1\n{package}x = {arrays}\n"));
    let inv = scan(dir.path());
    for f in ["cargo/Cargo.lock", "poetry/poetry.lock", "uv/uv.lock"] {
        let e = parse_error(&inv, f);
        assert!(e.contains("recursion"), "{f}: {e}");
    }
}

#[test]
fn deep_nesting_in_every_xml_format_is_a_parse_error() {
    let dir = tempfile::tempdir().unwrap();
    let deep = |root: &str| format!("<{root}>\n{}{}</{root}>", "<a>".repeat(150_000), "</a>".repeat(150_000));
    let files = [
        ("m/pom.xml", "project"),
        ("n/app.csproj", "Project"),
        ("n/packages.config", "packages"),
        ("n/Directory.Packages.props", "Project"),
        ("n/lib.nuspec", "package"),
    ];
    for (f, root) in files {
        write(dir.path(), f, deep(root));
    }
    let inv = scan(dir.path());
    for (f, _) in files {
        let e = parse_error(&inv, f);
        assert!(e.contains("line 2") && e.contains("nested deeper than 256 levels"), "{f}: {e}");
    }
}

#[test]
fn a_license_of_thousands_of_terms_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let license = vec!["MIT"; 5000].join(" OR ");
    write(dir.path(), "package.json", format!(r#"{{"name": "x", "version": "1.0.0", "license": "{license}"}}"#));
    let inv = scan(dir.path());
    let c = &inv["components"][0];
    assert_eq!(c["name"], "x");
    assert_eq!(c["classification"]["category"], "unknown");
    let reasons = c["classification"]["reasons"].to_string();
    assert!(reasons.contains("5000 license terms, more than the 512 kataster evaluates"), "{reasons:.300}");
    // `kataster license` refuses it the same way, with exit 2.
    let out = crate::kataster().arg("license").arg(&license).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("5000 license terms"));
}

#[test]
fn a_utf8_byte_order_mark_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let bom = |text: &str| [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    write(dir.path(), "py/requirements.txt", bom("requests==2.31.0\n"));
    write(
        dir.path(),
        "js/package.json",
        bom(r#"{"name": "b", "version": "1.0.0", "dependencies": {"left-pad": "1.3.0"}}"#),
    );
    write(dir.path(), "go/go.mod", bom("module example.com/b\n\ngo 1.21\n\nrequire golang.org/x/text v0.14.0\n"));
    write(
        dir.path(),
        "rb/Gemfile.lock",
        bom("GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.6)\n\nDEPENDENCIES\n  rake\n"),
    );
    let inv = scan(dir.path());
    assert_eq!(inv["diagnostics"], serde_json::json!([]));
    let ids: Vec<&str> = inv["components"].as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
    let root = dir.path().file_name().unwrap().to_str().unwrap();
    for want in [
        "pkg:pypi/requests@2.31.0",
        "project:npm:js",
        "pkg:npm/left-pad",
        "project:golang:go",
        "pkg:golang/golang.org/x/text@v0.14.0",
        "pkg:gem/rake@13.0.6",
    ] {
        assert!(ids.contains(&format!("{root}:{want}").as_str()), "{want} missing from {ids:?}");
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_names_that_read_alike_are_reported() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for (byte, name) in [(0xFFu8, "left"), (0xFE, "right")] {
        let folder = dir.path().join(std::ffi::OsStr::from_bytes(&[b'a', byte]));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("package.json"), format!(r#"{{"name": "{name}", "version": "1.0.0"}}"#)).unwrap();
    }
    let inv = scan(dir.path());
    let d = diagnostics_for(&inv, "a\u{FFFD}");
    assert_eq!(d.len(), 1, "{}", inv["diagnostics"]);
    assert!(d[0].starts_with("name-collision: 2 paths whose names are not valid UTF-8 read alike"), "{d:?}");
    assert!(d[0].contains(r#""a\xFE", "a\xFF""#), "{d:?}");
}
