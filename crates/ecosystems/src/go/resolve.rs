//! Go: modules unpacked in the module cache (`$GOMODCACHE`, else `$GOPATH/pkg/mod`, else
//! `~/go/pkg/mod`) as `MODULE@VERSION/` with Go's case encoding, and the tree's `vendor/`.
//! Go modules declare no license: it is detected in the module's license files.

use crate::resolve::{Env, Fence, Place, Query, Resolution, Resolver, Source};
use kataster_model::model::Ecosystem;
use kataster_model::model::LicenseSource;
use std::path::{Path, PathBuf};

pub struct GoSource {
    vendor: Vec<Place>,
    caches: Vec<Place>,
}

impl GoSource {
    pub fn new(root: &Path, extra: &[PathBuf], defaults: bool, env: &Env) -> GoSource {
        let vendor = vec![Place::new(root.join("vendor"), LicenseSource::Installed)];
        let mut caches: Vec<Place> = extra.iter().map(|p| Place::new(p, LicenseSource::LocalCache)).collect();
        if defaults {
            let modcache = env
                .var("GOMODCACHE")
                .map(PathBuf::from)
                .or_else(|| {
                    env.var("GOPATH").and_then(|g| std::env::split_paths(g).next()).map(|g| g.join("pkg").join("mod"))
                })
                .or_else(|| env.home().map(|h| h.join("go").join("pkg").join("mod")));
            if let Some(m) = modcache {
                caches.push(Place::new(m, LicenseSource::LocalCache));
            }
        }
        GoSource { vendor, caches }
    }
}

impl Source for GoSource {
    /// The folders this source searches.
    fn dirs(&self) -> Vec<&Path> {
        crate::resolve::place_dirs(&[&self.vendor, &self.caches])
    }

    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
        let module = &q.name;
        for p in &self.vendor {
            let dir = p.dir.join(module);
            if let Some(r) = crate::resolve::files::from_license_files(fence, &dir, p.source) {
                return Some(r);
            }
        }
        let v = q.version.as_deref()?;
        let rel = format!("{}@{}", escape(module), escape(v));
        self.caches.iter().find_map(|p| crate::resolve::files::from_license_files(fence, &p.dir.join(&rel), p.source))
    }
}

/// The look-up of golang packages, for the registry of ecosystems.
pub const RESOLVER: Resolver = Resolver {
    ecosystem: Ecosystem::Golang,
    registry: "https://proxy.golang.org",
    offline: |a| Box::new(GoSource::new(a.root, &a.extra, a.defaults, a.env)),
    online: None,
};

/// Go's case encoding of module paths and versions in the module cache and proxy URLs:
/// every upper-case letter becomes `!` and the letter in lower case.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for ch in s.chars() {
        if ch.is_ascii_uppercase() {
            out.push('!');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn case_encoding() {
        assert_eq!(super::escape("github.com/BurntSushi/toml"), "github.com/!burnt!sushi/toml");
        assert_eq!(super::escape("v1.2.3"), "v1.2.3");
    }
}
