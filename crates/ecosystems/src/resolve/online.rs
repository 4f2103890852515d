//! Registry look-ups (`--online` only): the public JSON APIs of crates.io, the npm registry,
//! PyPI, Packagist, RubyGems, the NuGet flat container, Maven Central POMs and the Go
//! module proxy, each with a base URL that `--registry ECOSYSTEM=URL` replaces for mirrors.
//!
//! Owns the URLs and the reading of the answers; requests, caching and retries are
//! [`super::http`]'s. A look-up answers `Ok(None)` when the registry does not know the
//! version or names no license, and `Err` when it could not be asked.

use super::http::{Fetched, Http, HttpSettings};
use super::{Ecosystem, Env, Found, LicenseSource, Query, Resolution, ResolveOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One question to a registry: the dependency, the registry's base URL, and its name and
/// version as encoded path segments.
pub struct Ask<'a> {
    pub query: &'a Query,
    pub base: &'a str,
    pub name: &'a str,
    pub version: &'a str,
}

/// A registry's answer for one dependency: a license, none, or why it could not be asked.
pub type Answer = Result<Option<Resolution>, String>;

pub struct Registry {
    http: Http,
    bases: BTreeMap<Ecosystem, String>,
}

impl Registry {
    pub fn new(opts: &ResolveOptions, env: &Env) -> Registry {
        let cache = opts.http_cache_dir.clone().or_else(|| default_cache_dir(env));
        Registry::with_settings(opts, cache, opts.http.clone().unwrap_or_default())
    }

    pub fn with_settings(opts: &ResolveOptions, cache: Option<std::path::PathBuf>, settings: HttpSettings) -> Registry {
        let mut bases: BTreeMap<Ecosystem, String> =
            super::resolvers().map(|r| (r.ecosystem.clone(), r.registry.to_string())).collect();
        for (e, u) in &opts.registries {
            bases.insert(e.clone(), u.trim_end_matches('/').to_string());
        }
        Registry { http: Http::new(cache, settings), bases }
    }

    fn base(&self, eco: &Ecosystem) -> &str {
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
        let Some(ask) = super::resolver(&q.ecosystem).and_then(|r| r.online) else { return Ok(None) };
        ask(self, &Ask { query: q, base, name, version })
    }

    /// The POM of `group:artifact:version` from the Maven registry, with its URL.
    pub fn maven_pom(&self, group: &str, artifact: &str, version: &str) -> Result<Option<(String, String)>, String> {
        let group: Vec<String> = group.split('.').map(segment).collect::<Result<_, _>>()?;
        let (a, v) = (segment(artifact)?, segment(version)?);
        let url = format!("{}/{}/{a}/{v}/{a}-{v}.pom", self.base(&Ecosystem::Maven), group.join("/"));
        Ok(self.text(&url)?.map(|t| (t, url)))
    }

    /// GET a text document; `None` when the registry does not have it.
    pub(crate) fn text(&self, url: &str) -> Result<Option<String>, String> {
        match self.http.get(url)? {
            Fetched::NotFound => Ok(None),
            Fetched::Body(b) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
        }
    }

    /// GET a JSON document and read a license from it.
    pub(crate) fn json(&self, url: &str, read: impl Fn(&Value) -> Option<Found>) -> Result<Option<Resolution>, String> {
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
pub(crate) fn segment(s: &str) -> Result<String, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(enc("1.0.0+build"), "1.0.0+build");
        assert_eq!(enc("a b/c"), "a%20b%2Fc");
        assert_eq!(segment("a?x=1#frag").unwrap(), "a%3Fx%3D1%23frag");
        assert_eq!(segment("../../evil").unwrap(), "..%2F..%2Fevil");
        assert!(segment("..").is_err() && segment(".").is_err() && segment("").is_err());
    }
}
