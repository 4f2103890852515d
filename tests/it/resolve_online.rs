//! Online license resolution against a registry on loopback that serves recorded answers:
//! success, 404, 429 with Retry-After, a timeout, malformed JSON, a redirect, the on-disk
//! cache, and the proof that without `--online` no request is made. Never reaches the internet.

use crate::resolve_support::{dep, fixtures};
use kataster::model::*;
use kataster::resolve::http::HttpSettings;
use kataster::resolve::{self, Env, ResolveOptions, RootRef};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn recorded(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("registry").join(name)).unwrap()
}

/// What the server does for a path: status, headers, body, delay; a list is served in turn
/// (the last entry repeats).
#[derive(Clone)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

fn ok(body: String) -> Answer {
    Answer { status: 200, headers: vec![("Content-Type", "application/json".into())], body, delay: Duration::ZERO }
}

fn status(code: u16, body: &str) -> Answer {
    Answer { status: code, headers: vec![], body: body.into(), delay: Duration::ZERO }
}

struct Seen {
    path: String,
    user_agent: String,
    at: Instant,
}

struct Registry {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Registry {
    fn start(routes: Vec<(&str, Vec<Answer>)>) -> Registry {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let routes: HashMap<String, Vec<Answer>> = routes.into_iter().map(|(p, a)| (p.to_string(), a)).collect();
        let counts = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let path = req.url().to_string();
                let ua = req
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("User-Agent"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                log.lock().unwrap().push(Seen { path: path.clone(), user_agent: ua, at: Instant::now() });
                let answer = match routes.get(&path) {
                    Some(list) => {
                        let mut c = counts.lock().unwrap();
                        let n = c.entry(path.clone()).or_default();
                        let a = list[(*n).min(list.len() - 1)].clone();
                        *n += 1;
                        a
                    }
                    None => status(404, "{\"errors\":[{\"detail\":\"Not Found\"}]}"),
                };
                // One thread per request: a slow answer must not hold up the others.
                std::thread::spawn(move || {
                    std::thread::sleep(answer.delay);
                    let mut resp = tiny_http::Response::from_string(answer.body).with_status_code(answer.status);
                    for (k, v) in answer.headers {
                        resp.add_header(tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap());
                    }
                    let _ = req.respond(resp);
                });
            }
        });
        Registry { url, seen }
    }

    fn paths(&self) -> Vec<String> {
        let mut p: Vec<String> = self.seen.lock().unwrap().iter().map(|s| s.path.clone()).collect();
        p.sort();
        p
    }
}

struct Setup {
    opts: ResolveOptions,
    env: Env,
    root: tempfile::TempDir,
    _cache: tempfile::TempDir,
}

fn setup(reg: &Registry) -> Setup {
    let root = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let opts = ResolveOptions {
        online: true,
        no_local_caches: true,
        registries: [Ecosystem::Cargo, Ecosystem::Npm, Ecosystem::Pypi]
            .into_iter()
            .map(|e| (e, reg.url.clone()))
            .collect(),
        http_cache_dir: Some(cache.path().to_path_buf()),
        http: Some(HttpSettings {
            timeout: Duration::from_millis(800),
            retries: 2,
            backoff: Duration::from_millis(50),
            ..HttpSettings::default()
        }),
        ..Default::default()
    };
    let env = Env::from_pairs(&[("HOME", &root.path().to_string_lossy())]);
    Setup { opts, env, root, _cache: cache }
}

fn run(s: &Setup, comps: &mut [Component]) -> Vec<Diagnostic> {
    resolve::resolve(comps, &[RootRef { label: "r", path: s.root.path() }], &s.opts, &s.env)
}

#[test]
fn registries_answer_and_a_second_run_is_served_from_the_cache() {
    let reg = Registry::start(vec![
        ("/api/v1/crates/serde_json/1.0.154", vec![ok(recorded("crates-serde_json-1.0.154.json"))]),
        ("/ms/2.1.3", vec![ok(recorded("npm-ms-2.1.3.json"))]),
        ("/@isaacs%2fstring-locale-compare/1.1.0", vec![ok(recorded("npm-isaacs-string-locale-compare-1.1.0.json"))]),
        ("/pypi/six/1.16.0/json", vec![ok(recorded("pypi-six-1.16.0.json"))]),
    ]);
    let s = setup(&reg);
    let fresh = || {
        vec![
            dep("cargo", "serde_json", "1.0.154", None),
            dep("npm", "ms", "2.1.3", None),
            dep("npm", "@isaacs/string-locale-compare", "1.1.0", None),
            dep("pypi", "six", "1.16.0", None),
        ]
    };
    let mut comps = fresh();
    let diags = run(&s, &mut comps);
    assert!(diags.is_empty(), "{diags:?}");
    let lic: Vec<_> = comps.iter().map(|c| c.declared_license.as_deref()).collect();
    assert_eq!(lic, vec![Some("MIT OR Apache-2.0"), Some("MIT"), Some("ISC"), Some("MIT")]);
    let c = &comps[0];
    assert_eq!(c.license_sources, vec![LicenseSource::Registry]);
    assert_eq!(c.evidence[0].path, format!("{}/api/v1/crates/serde_json/1.0.154", reg.url));
    assert_eq!(c.evidence[0].source, LicenseSource::Registry);
    assert_eq!(reg.paths().len(), 4);
    let ua = reg.seen.lock().unwrap()[0].user_agent.clone();
    assert!(ua.starts_with(&format!("kataster/{} (", env!("CARGO_PKG_VERSION"))), "{ua}");

    // Second run, same cache: no request at all, same answers.
    let mut again = fresh();
    run(&s, &mut again);
    assert_eq!(reg.paths().len(), 4, "the second run went to the registry: {:?}", reg.paths());
    assert_eq!(again, comps);
}

#[test]
fn not_found_is_a_diagnostic_and_cached() {
    let reg = Registry::start(vec![(
        "/api/v1/crates/no-such-crate/1.0.0",
        vec![Answer { status: 404, ..ok(recorded("crates-not-found.json")) }],
    )]);
    let s = setup(&reg);
    let mut comps = vec![dep("cargo", "no-such-crate", "1.0.0", None)];
    let diags = run(&s, &mut comps);
    assert_eq!(comps[0].declared_license, None);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, DiagnosticCode::LicenseUnresolved);
    assert_eq!(diags[0].path, "Cargo.lock");
    assert!(diags[0].message.contains("cargo no-such-crate@1.0.0"), "{}", diags[0].message);
    run(&s, &mut [dep("cargo", "no-such-crate", "1.0.0", None)]);
    assert_eq!(reg.paths().len(), 1, "a 404 is remembered");
}

#[test]
fn too_many_requests_waits_for_retry_after_then_succeeds() {
    let mut limited = status(429, "rate limited");
    limited.headers.push(("Retry-After", "1".into()));
    let reg = Registry::start(vec![("/ms/2.1.3", vec![limited, ok(recorded("npm-ms-2.1.3.json"))])]);
    let s = setup(&reg);
    let mut comps = vec![dep("npm", "ms", "2.1.3", None)];
    let diags = run(&s, &mut comps);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(comps[0].declared_license.as_deref(), Some("MIT"));
    let seen = reg.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let waited = seen[1].at.duration_since(seen[0].at);
    assert!(waited >= Duration::from_millis(950), "retried after {waited:?}, Retry-After said 1 s");
}

#[test]
fn a_registry_that_does_not_answer_in_time_is_a_diagnostic_and_the_rest_resolves() {
    let slow = Answer { delay: Duration::from_secs(3), ..ok(recorded("npm-ms-2.1.3.json")) };
    let reg = Registry::start(vec![
        ("/ms/2.1.3", vec![slow]),
        ("/pypi/six/1.16.0/json", vec![ok(recorded("pypi-six-1.16.0.json"))]),
    ]);
    let s = setup(&reg);
    let mut comps = vec![dep("npm", "ms", "2.1.3", None), dep("pypi", "six", "1.16.0", None)];
    let t0 = Instant::now();
    let diags = run(&s, &mut comps);
    assert!(t0.elapsed() < Duration::from_secs(8), "took {:?}", t0.elapsed());
    assert_eq!(comps[0].declared_license, None);
    assert_eq!(comps[1].declared_license.as_deref(), Some("MIT"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, DiagnosticCode::RegistryLookupFailed);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert!(diags[0].message.contains("timed out"), "{}", diags[0].message);
    // Three attempts: the first and two retries.
    assert_eq!(reg.paths().iter().filter(|p| *p == "/ms/2.1.3").count(), 3);
}

#[test]
fn malformed_json_is_a_diagnostic_naming_the_url() {
    let reg = Registry::start(vec![("/ms/2.1.3", vec![ok(recorded("malformed.json"))])]);
    let s = setup(&reg);
    let mut comps = vec![dep("npm", "ms", "2.1.3", None)];
    let diags = run(&s, &mut comps);
    assert_eq!(comps[0].declared_license, None);
    assert_eq!(diags.len(), 1);
    assert!(diags[0].message.contains("not valid JSON"), "{}", diags[0].message);
    assert!(diags[0].message.contains(&format!("{}/ms/2.1.3", reg.url)), "{}", diags[0].message);
}

#[test]
fn redirects_are_followed() {
    let moved = Answer {
        status: 301,
        headers: vec![("Location", "/api/v1/crates/serde_json/1.0.154".into())],
        body: String::new(),
        delay: Duration::ZERO,
    };
    let reg = Registry::start(vec![
        ("/api/v1/crates/serde-json/1.0.154", vec![moved]),
        ("/api/v1/crates/serde_json/1.0.154", vec![ok(recorded("crates-serde_json-1.0.154.json"))]),
    ]);
    let s = setup(&reg);
    let mut comps = vec![dep("cargo", "serde-json", "1.0.154", None)];
    let diags = run(&s, &mut comps);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(comps[0].declared_license.as_deref(), Some("MIT OR Apache-2.0"));
    assert_eq!(reg.paths(), vec!["/api/v1/crates/serde-json/1.0.154", "/api/v1/crates/serde_json/1.0.154"]);
}

fn scan_cargo_fixture(reg: &Registry, online: bool) -> Value {
    let f = fixtures().join("cargo");
    let home = tempfile::tempdir().unwrap();
    let mut cmd = crate::kataster();
    cmd.arg("scan")
        .arg(f.join("project"))
        .args(["-o", "json", "-q", "--registry"])
        .arg(format!("cargo={}", reg.url))
        .env("HOME", home.path())
        .env("CARGO_HOME", f.join("cargo-home"))
        .env("KATASTER_CACHE_DIR", home.path())
        .env_remove("XDG_CACHE_HOME");
    if online {
        cmd.arg("--online");
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn component<'a>(inv: &'a Value, name: &str) -> &'a Value {
    inv["components"].as_array().unwrap().iter().find(|c| c["name"] == name && c["kind"] == "dependency").unwrap()
}

#[test]
fn without_online_the_registry_sees_no_request() {
    let reg = Registry::start(vec![(
        "/api/v1/crates/serde_json/1.0.154",
        vec![ok(recorded("crates-serde_json-1.0.154.json"))],
    )]);
    let inv = scan_cargo_fixture(&reg, false);
    // Offline sources still work: the crate cache of CARGO_HOME.
    let itoa = component(&inv, "itoa");
    assert_eq!(itoa["declared_license"], "MIT OR Apache-2.0");
    assert_eq!(itoa["license_sources"], serde_json::json!(["local-cache"]));
    assert_eq!(component(&inv, "serde_json")["declared_license"], Value::Null);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(reg.paths(), Vec::<String>::new(), "kataster made requests without --online");

    // The same scan with --online asks the registry (and so the test above could fail).
    let inv = scan_cargo_fixture(&reg, true);
    let sj = component(&inv, "serde_json");
    assert_eq!(sj["declared_license"], "MIT OR Apache-2.0");
    assert_eq!(sj["license_sources"], serde_json::json!(["registry"]));
    assert!(reg.paths().contains(&"/api/v1/crates/serde_json/1.0.154".to_string()));
    // What the cache resolved was not asked for.
    assert!(!reg.paths().iter().any(|p| p.contains("/itoa/")), "{:?}", reg.paths());
}

#[test]
fn a_redirect_to_another_host_is_refused() {
    let elsewhere = Registry::start(vec![(
        "/api/v1/crates/serde_json/1.0.154",
        vec![ok(recorded("crates-serde_json-1.0.154.json"))],
    )]);
    let moved = Answer {
        status: 302,
        headers: vec![("Location", format!("{}/api/v1/crates/serde_json/1.0.154", elsewhere.url))],
        body: String::new(),
        delay: Duration::ZERO,
    };
    let reg = Registry::start(vec![("/api/v1/crates/serde-json/1.0.154", vec![moved])]);
    let s = setup(&reg);
    let mut comps = vec![dep("cargo", "serde-json", "1.0.154", None)];
    let diags = run(&s, &mut comps);
    assert_eq!(comps[0].declared_license, None, "the other host's answer is not used");
    assert!(elsewhere.paths().is_empty(), "the other host is never asked: {:?}", elsewhere.paths());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("not the registry's host"), "{}", diags[0].message);
}

#[test]
fn an_answer_beyond_the_size_cap_is_neither_kept_nor_cached() {
    let big = format!("{{\"version\": {{\"license\": \"MIT\"}}, \"padding\": \"{}\"}}", "x".repeat(50_000));
    let reg = Registry::start(vec![("/api/v1/crates/big/1.0.0", vec![ok(big)])]);
    let mut s = setup(&reg);
    if let Some(h) = s.opts.http.as_mut() {
        h.max_body = 10_000;
    }
    let mut comps = vec![dep("cargo", "big", "1.0.0", None)];
    let diags = run(&s, &mut comps);
    assert_eq!(comps[0].declared_license, None);
    assert!(diags.iter().any(|d| d.message.contains("larger than 10000 bytes")), "{diags:?}");
    let cached = walkdir_count(s._cache.path());
    assert_eq!(cached, 0, "nothing cached");
    // Within the cap it is read.
    if let Some(h) = s.opts.http.as_mut() {
        h.max_body = 100_000;
    }
    let mut comps = vec![dep("cargo", "big", "1.0.0", None)];
    assert!(run(&s, &mut comps).is_empty());
    assert_eq!(comps[0].declared_license.as_deref(), Some("MIT"));
}

fn walkdir_count(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| if e.path().is_dir() { walkdir_count(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

#[test]
fn package_names_are_percent_encoded_in_registry_urls() {
    let reg = Registry::start(vec![]);
    let s = setup(&reg);
    let mut comps = vec![
        dep("cargo", "a?x=1#frag", "1.0.0", None),
        dep("npm", "../../evil", "1.0.0", None),
        dep("npm", "@scope/../x", "1.0.0", None),
        dep("pypi", "..", "1.0.0", None),
        dep("cargo", "ok", "..", None),
    ];
    let diags = run(&s, &mut comps);
    assert_eq!(
        reg.paths(),
        vec!["/..%2F..%2Fevil/1.0.0", "/@scope%2f..%2Fx/1.0.0", "/api/v1/crates/a%3Fx%3D1%23frag/1.0.0"],
        "one encoded path segment per name; `..` alone is never asked for"
    );
    let refused: Vec<&str> =
        diags.iter().map(|d| d.message.as_str()).filter(|m| m.contains("is not a package name")).collect();
    assert_eq!(refused.len(), 2, "{diags:?}");
}
