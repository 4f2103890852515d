//! The result cache for incremental rescans (`scan --result-cache DIR`).
//!
//! Owns: remembering what the license detectors found in a file, keyed by the file's
//! content hash and path, so that a nightly rescan of an unchanged estate reads and hashes
//! every file but does not run the detectors on it again. One cache file per root (named
//! by a hash of the root's label), so shards of an estate never write the same file.
//!
//! The cache is valid for one build of kataster only: its fingerprint names the running
//! executable (path, size, modification time), so a new detector or license database
//! throws the old results away instead of serving them. It never decides anything itself, never holds catalog
//! results (manifests are parsed every time), and a broken cache file is a warning and a
//! fresh start, never a failed scan.

use kataster_detect::FileEvidence;
use kataster_model::model::{Copyright, Diagnostic, DiagnosticCode, LicenseFinding, Severity};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// What the detectors found in one file, as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Entry {
    #[serde(default)]
    licenses: Vec<LicenseFinding>,
    #[serde(default)]
    copyrights: Vec<Copyright>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    /// The build that wrote the results.
    fingerprint: String,
    /// `sha256:path` to the detection results.
    entries: HashMap<String, Entry>,
}

/// The cache of one root, loaded at the start of its scan and saved at the end.
#[derive(Debug)]
pub struct ResultCache {
    file: PathBuf,
    label: String,
    fingerprint: String,
    old: HashMap<String, Entry>,
    /// The entries this scan used or made: what is saved, so entries of deleted or changed
    /// files drop out.
    used: Mutex<HashMap<String, Entry>>,
    diagnostics: Mutex<Vec<Diagnostic>>,
}

/// The fingerprint of the running build: version, and the size and modification time of
/// the executable (a rebuild or a new install changes them; hashing the whole executable
/// would cost more than a small rescan).
fn build_fingerprint() -> &'static str {
    static FP: OnceLock<String> = OnceLock::new();
    FP.get_or_init(|| {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        let exe = std::env::current_exe().and_then(|p| Ok((p.metadata()?, p)));
        match exe.and_then(|(m, p)| Ok((m.len(), m.modified()?, p))) {
            Ok((len, modified, path)) => {
                let since = modified.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                h.update(format!("{}|{len}|{}", path.display(), since.as_nanos()).as_bytes());
            }
            // Without the executable the cache cannot tell builds apart: make every run
            // its own build, so nothing stale is ever served.
            Err(_) => h.update(kataster_model::time::now_rfc3339().as_bytes()),
        }
        kataster_model::encoding::hex(&h.finalize())
    })
}

impl ResultCache {
    /// Open the cache of the root `label` in `dir`.
    pub fn open(dir: &Path, label: &str) -> ResultCache {
        Self::open_with(dir, label, build_fingerprint())
    }

    fn open_with(dir: &Path, label: &str, fingerprint: &str) -> ResultCache {
        let name = kataster_model::encoding::hex(&Sha256::digest(label.as_bytes()));
        let file = dir.join(format!("{}.json", &name[..24]));
        let mut cache = ResultCache {
            file,
            label: label.to_string(),
            fingerprint: fingerprint.to_string(),
            old: HashMap::new(),
            used: Mutex::new(HashMap::new()),
            diagnostics: Mutex::new(Vec::new()),
        };
        match std::fs::read(&cache.file) {
            Ok(bytes) => match serde_json::from_slice::<CacheFile>(&bytes) {
                Ok(f) if f.fingerprint == cache.fingerprint => cache.old = f.entries,
                Ok(_) => {} // another build wrote it: start afresh
                Err(e) => {
                    cache.warn(format!("result cache {} is unreadable ({e}); starting afresh", cache.file.display()))
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => cache.warn(format!("cannot read result cache {}: {e}; starting afresh", cache.file.display())),
        }
        cache
    }

    fn warn(&self, message: String) {
        if let Ok(mut d) = self.diagnostics.lock() {
            d.push(Diagnostic {
                severity: Severity::Warning,
                root: self.label.clone(),
                path: String::new(),
                code: DiagnosticCode::ResultCache,
                message,
            });
        }
    }

    /// The detection results of the file at `path` with content hash `sha256`: from the
    /// cache, or from `detect` (and remembered).
    pub fn detect(&self, path: &str, sha256: &str, detect: impl FnOnce() -> FileEvidence) -> FileEvidence {
        let key = format!("{sha256}:{path}");
        let entry = match self.old.get(&key) {
            Some(e) => e.clone(),
            None => {
                let found = detect();
                Entry { licenses: found.licenses, copyrights: found.copyrights }
            }
        };
        let found = FileEvidence { licenses: entry.licenses.clone(), copyrights: entry.copyrights.clone() };
        if let Ok(mut u) = self.used.lock() {
            u.insert(key, entry);
        }
        found
    }

    /// How many of the files looked up so far were in the cache.
    pub fn hits(&self) -> usize {
        self.used.lock().map(|u| u.keys().filter(|k| self.old.contains_key(*k)).count()).unwrap_or(0)
    }

    /// Save the entries this scan used; returns the diagnostics of loading and saving.
    pub fn finish(self) -> Vec<Diagnostic> {
        let used = self.used.lock().map(|mut u| std::mem::take(&mut *u)).unwrap_or_default();
        let file = CacheFile { fingerprint: self.fingerprint.clone(), entries: used };
        let res = serde_json::to_vec(&file).map_err(|e| e.to_string()).and_then(|bytes| {
            if let Some(dir) = self.file.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            kataster_model::output::write_atomic(&self.file, &bytes).map_err(|e| e.to_string())
        });
        if let Err(e) = res {
            self.warn(format!("cannot write result cache {}: {e}", self.file.display()));
        }
        self.diagnostics.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kataster_model::model::Method;

    fn evidence(expr: &str) -> FileEvidence {
        FileEvidence {
            licenses: vec![LicenseFinding {
                expression: expr.into(),
                start_line: 1,
                end_line: 1,
                method: Method::Tag,
                confidence: 1.0,
                rule: kataster_model::model::FindingRule::Own(kataster_model::model::OwnRule::SpdxLicenseIdentifier),
            }],
            copyrights: Vec::new(),
        }
    }

    #[test]
    fn second_run_serves_results_without_detecting() {
        let dir = tempfile::tempdir().unwrap();
        let c = ResultCache::open_with(dir.path(), "repo", "build-1");
        let mut calls = 0;
        let a = c.detect("src/lib.rs", "aa", || {
            calls += 1;
            evidence("MIT")
        });
        assert!(c.finish().is_empty());
        assert_eq!(calls, 1);

        let c = ResultCache::open_with(dir.path(), "repo", "build-1");
        let b = c.detect("src/lib.rs", "aa", || panic!("must come from the cache"));
        assert_eq!(a, b);
        assert_eq!(c.hits(), 1);
        // Changed content is detected again.
        let changed = c.detect("src/lib.rs", "bb", || evidence("Apache-2.0"));
        assert_eq!(changed.licenses[0].expression, "Apache-2.0");
        assert_eq!(c.hits(), 1);
        assert!(c.finish().is_empty());
    }

    #[test]
    fn another_build_or_root_starts_afresh_and_unused_entries_drop_out() {
        let dir = tempfile::tempdir().unwrap();
        let c = ResultCache::open_with(dir.path(), "repo", "build-1");
        c.detect("a", "aa", || evidence("MIT"));
        c.detect("b", "bb", || evidence("MIT"));
        c.finish();
        // Another root has its own file.
        let other = ResultCache::open_with(dir.path(), "other", "build-1");
        assert!(other.old.is_empty());
        // A new build ignores the old results.
        let mut calls = 0;
        let c = ResultCache::open_with(dir.path(), "repo", "build-2");
        c.detect("a", "aa", || {
            calls += 1;
            evidence("MIT")
        });
        c.finish();
        assert_eq!(calls, 1);
        // Only `a` was used by build-2, so `b` is gone.
        let c = ResultCache::open_with(dir.path(), "repo", "build-2");
        assert_eq!(c.old.len(), 1);
        assert!(c.old.contains_key("aa:a"));
    }

    #[test]
    fn corrupt_or_unwritable_cache_is_a_warning_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let c = ResultCache::open_with(dir.path(), "repo", "b");
        std::fs::write(&c.file, b"{not json").unwrap();
        let c = ResultCache::open_with(dir.path(), "repo", "b");
        let found = c.detect("a", "aa", || evidence("MIT"));
        assert_eq!(found.licenses.len(), 1);
        let diags = c.finish();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, DiagnosticCode::ResultCache);
        assert!(diags[0].message.contains("unreadable"), "{}", diags[0].message);

        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let c = ResultCache::open_with(&blocker.join("sub"), "repo", "b");
        c.detect("a", "aa", || evidence("MIT"));
        let diags = c.finish();
        assert!(diags.iter().all(|d| d.severity == Severity::Warning && d.root == "repo"), "{diags:?}");
        assert!(diags.iter().any(|d| d.message.contains("cannot write")), "{diags:?}");
    }
}
