//! Registry look-ups (`--online` only): the public JSON APIs of crates.io, the npm registry,
//! PyPI, Packagist, RubyGems, the NuGet flat container, Maven Central POMs and the Go
//! module proxy, each with a base URL that `--registry ECOSYSTEM=URL` replaces for mirrors.
//!
//! Owns the URLs and the reading of the answers; requests, caching and retries are
//! [`super::http`]'s. A look-up answers `Ok(None)` when the registry does not know the
//! version or names no license, and `Err` when it could not be asked.

use super::http::{Fetched, Http, HttpSettings};
use super::{Env, Found, LicenseSource, Query, Resolution, ResolveOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Default base URLs, per ecosystem.
pub const DEFAULT_REGISTRIES: &[(&str, &str)] = &[
    ("cargo", "https://crates.io"),
    ("npm", "https://registry.npmjs.org"),
    ("pypi", "https://pypi.org"),
    ("composer", "https://repo.packagist.org"),
    ("gem", "https://rubygems.org"),
    ("nuget", "https://api.nuget.org"),
    ("maven", "https://repo1.maven.org/maven2"),
    ("golang", "https://proxy.golang.org"),
];

/// A registry's answer for one dependency: a license, none, or why it could not be asked.
pub type Answer = Result<Option<Resolution>, String>;

pub struct Registry {
    http: Http,
    bases: BTreeMap<String, String>,
}

impl Registry {
    pub fn new(opts: &ResolveOptions, env: &Env) -> Registry {
        let cache = opts.http_cache_dir.clone().or_else(|| default_cache_dir(env));
        Registry::with_settings(opts, cache, opts.http.clone().unwrap_or_default())
    }

    pub fn with_settings(opts: &ResolveOptions, cache: Option<std::path::PathBuf>, settings: HttpSettings) -> Registry {
        let mut bases: BTreeMap<String, String> =
            DEFAULT_REGISTRIES.iter().map(|(e, u)| (e.to_string(), u.to_string())).collect();
        for (e, u) in &opts.registries {
            bases.insert(e.clone(), u.trim_end_matches('/').to_string());
        }
        Registry { http: Http::new(cache, settings), bases }
    }

    fn base(&self, eco: &str) -> &str {
        self.bases.get(eco).map(String::as_str).unwrap_or("")
    }

    /// Look up many dependencies, at most `concurrency` at a time; answers in input order.
    pub fn lookup_all(&self, queries: Vec<Query>) -> Vec<Answer> {
        // One request per distinct dependency.
        let mut distinct: Vec<Query> = queries.clone();
        distinct.sort_by(|a, b| (&a.ecosystem, &a.name, &a.version).cmp(&(&b.ecosystem, &b.name, &b.version)));
        distinct.dedup();
        let answers: Mutex<Vec<Option<Answer>>> = Mutex::new(vec![None; distinct.len()]);
        let next = AtomicUsize::new(0);
        let workers = self.http.settings().concurrency.clamp(1, 64).min(distinct.len().max(1));
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(q) = distinct.get(i) else { break };
                        let a = self.lookup(q);
                        if let Ok(mut all) = answers.lock()
                            && let Some(slot) = all.get_mut(i)
                        {
                            *slot = Some(a);
                        }
                    }
                });
            }
        });
        let answers = answers.into_inner().unwrap_or_default();
        queries
            .iter()
            .map(|q| {
                distinct
                    .iter()
                    .position(|d| d == q)
                    .and_then(|i| answers.get(i).cloned().flatten())
                    .unwrap_or_else(|| Err("not looked up".into()))
            })
            .collect()
    }

    /// Look up one dependency.
    pub fn lookup(&self, q: &Query) -> Result<Option<Resolution>, String> {
        let Some(version) = q.version.as_deref() else {
            return Ok(None);
        };
        let base = self.base(&q.ecosystem);
        // A name or version is one path segment (two for scoped and vendor names), encoded;
        // one that would walk the registry's paths (`..`) is not asked for.
        let (name, version) = (segment(&q.name)?, segment(version)?);
        let (name, version) = (name.as_str(), version.as_str());
        match q.ecosystem.as_str() {
            "cargo" => {
                let url = format!("{base}/api/v1/crates/{name}/{version}");
                self.json(&url, |doc| doc["version"]["license"].as_str().and_then(Found::declared))
            }
            "npm" => {
                // Scoped names keep their `@` and encode the slash.
                let name = match q.name.strip_prefix('@').and_then(|n| n.split_once('/')) {
                    Some((scope, n)) => format!("@{}%2f{}", segment(scope)?, segment(n)?),
                    None => name.to_string(),
                };
                let url = format!("{base}/{name}/{version}");
                self.json(&url, super::npm::license_of)
            }
            "pypi" => {
                let url = format!("{base}/pypi/{name}/{version}/json");
                self.json(&url, |doc| pypi_license(&doc["info"]))
            }
            "gem" => {
                let url = format!("{base}/api/v2/rubygems/{name}/versions/{version}.json");
                self.json(&url, |doc| {
                    let ids: Vec<&str> = doc["licenses"]
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    crate::declared_any_of(&ids).map(Found::Declared)
                })
            }
            "composer" => {
                let name = q.name.to_ascii_lowercase();
                let Some((vendor, package)) = name.split_once('/') else { return Ok(None) };
                let url = format!("{base}/p2/{}/{}.json", segment(vendor)?, segment(package)?);
                let version = q.version.as_deref().unwrap_or_default();
                self.json(&url, |doc| packagist_license(doc, &name, version))
            }
            "nuget" => {
                let (id, v) = (name.to_ascii_lowercase(), version.to_ascii_lowercase());
                let url = format!("{base}/v3-flatcontainer/{id}/{v}/{id}.nuspec");
                let Some(text) = self.text(&url)? else { return Ok(None) };
                let root = crate::xml::parse(&text).map_err(|e| format!("{url}: {e}"))?;
                Ok(match super::nuget::nuspec_license(&root) {
                    Some(super::nuget::NuspecLicense::Declared(license, line)) => Some(Resolution {
                        parties: Default::default(),
                        license,
                        source: LicenseSource::Registry,
                        location: url,
                        line: Some(line),
                    }),
                    // A license file inside the package: not readable without the package.
                    _ => None,
                })
            }
            "maven" => {
                let Some(group) = q.namespace.as_deref() else { return Ok(None) };
                let version = q.version.as_deref().unwrap_or_default();
                let found = super::maven::licenses_with_parents(group, &q.short_name, version, |g, a, v| {
                    self.maven_pom(g, a, v)
                })?;
                Ok(found.map(|(license, location, line, parties)| Resolution {
                    parties,
                    license,
                    source: LicenseSource::Registry,
                    location,
                    line,
                }))
            }
            _ => Ok(None),
        }
    }

    /// The POM of `group:artifact:version` from the Maven registry, with its URL.
    pub fn maven_pom(&self, group: &str, artifact: &str, version: &str) -> Result<Option<(String, String)>, String> {
        let group: Vec<String> = group.split('.').map(segment).collect::<Result<_, _>>()?;
        let (a, v) = (segment(artifact)?, segment(version)?);
        let url = format!("{}/{}/{a}/{v}/{a}-{v}.pom", self.base("maven"), group.join("/"));
        Ok(self.text(&url)?.map(|t| (t, url)))
    }

    /// GET a text document; `None` when the registry does not have it.
    fn text(&self, url: &str) -> Result<Option<String>, String> {
        match self.http.get(url)? {
            Fetched::NotFound => Ok(None),
            Fetched::Body(b) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
        }
    }

    /// GET a JSON document and read a license from it.
    fn json(&self, url: &str, read: impl Fn(&Value) -> Option<Found>) -> Result<Option<Resolution>, String> {
        match self.http.get(url)? {
            Fetched::NotFound => Ok(None),
            Fetched::Body(b) => {
                let doc: Value = serde_json::from_slice(&b)
                    .map_err(|e| format!("{url}: the registry's answer is not valid JSON: {e}"))?;
                Ok(read(&doc).map(|license| Resolution {
                    parties: Default::default(),
                    license,
                    source: LicenseSource::Registry,
                    location: url.to_string(),
                    line: None,
                }))
            }
        }
    }
}

/// The cache directory for registry answers: `$KATASTER_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/kataster/registry`, else `~/.cache/kataster/registry`.
pub fn default_cache_dir(env: &Env) -> Option<std::path::PathBuf> {
    env.var("KATASTER_CACHE_DIR")
        .map(|d| std::path::PathBuf::from(d).join("registry"))
        .or_else(|| env.cache_home().map(|c| c.join("kataster").join("registry")))
}

/// A name or version as one URL path segment: percent-encoded; empty, `.` and `..` (which
/// URLs resolve as paths) are refused.
fn segment(s: &str) -> Result<String, String> {
    if matches!(s, "" | "." | "..") {
        return Err(format!("`{s}` is not a package name or version a registry can be asked for"));
    }
    Ok(enc(s))
}

/// Percent-encode a path segment (names and versions are nearly always plain already).
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'@' | b'!') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// PyPI's `info`: `license_expression`, a short `license`, else the license classifiers.
fn pypi_license(info: &Value) -> Option<Found> {
    let m = super::python::Metadata {
        license_expression: info["license_expression"].as_str().map(str::to_string),
        license: info["license"].as_str().map(str::to_string),
        classifiers: info["classifiers"]
            .as_array()
            .map(|a| {
                a.iter().filter_map(Value::as_str).filter(|c| c.starts_with("License ::")).map(str::to_string).collect()
            })
            .unwrap_or_default(),
        ..Default::default()
    };
    m.license().map(|(f, _)| f)
}

/// Packagist's `p2` document lists versions newest first, each entry giving only what
/// changed from the entry before it ("composer/2.0" minification; `"__unset"` removes).
fn packagist_license(doc: &Value, name: &str, version: &str) -> Option<Found> {
    let list = doc["packages"][name].as_array()?;
    let minified = doc["minified"].as_str().is_some();
    let mut current = serde_json::Map::new();
    for entry in list {
        let Some(obj) = entry.as_object() else { continue };
        if minified {
            for (k, v) in obj {
                if v.as_str() == Some("__unset") {
                    current.remove(k);
                } else {
                    current.insert(k.clone(), v.clone());
                }
            }
        } else {
            current = obj.clone();
        }
        let v = current.get("version").and_then(Value::as_str).unwrap_or("");
        if v.trim_start_matches('v') == version.trim_start_matches('v') {
            return super::composer::license_of(&Value::Object(current));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packagist_minified_entries_inherit_fields() {
        let doc: Value = serde_json::from_str(
            r#"{"minified":"composer/2.0","packages":{"a/b":[
                {"name":"a/b","version":"2.0.0","license":["MIT"]},
                {"version":"1.0.0"},
                {"version":"0.9.0","license":"__unset"}]}}"#,
        )
        .unwrap();
        assert_eq!(packagist_license(&doc, "a/b", "1.0.0"), Found::declared("MIT"));
        assert_eq!(packagist_license(&doc, "a/b", "0.9.0"), None);
        assert_eq!(packagist_license(&doc, "a/b", "3.0.0"), None);
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(enc("1.0.0+build"), "1.0.0+build");
        assert_eq!(enc("a b/c"), "a%20b%2Fc");
        assert_eq!(segment("a?x=1#frag").unwrap(), "a%3Fx%3D1%23frag");
        assert_eq!(segment("../../evil").unwrap(), "..%2F..%2Fevil");
        assert!(segment("..").is_err() && segment(".").is_err() && segment("").is_err());
    }
}
