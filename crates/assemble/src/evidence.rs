//! The evidence stage: one file in, its facts out.
//!
//! Reads a file once (up to the size limit), hashes it, decides whether it is text, and
//! hands the bytes to the catalogers that claim the file and the text to the license
//! detectors. Everything that goes wrong becomes a diagnostic naming the file; nothing
//! here panics on input or stops the scan.

use crate::walk::WalkedFile;
use kataster_detect as detect;
use kataster_ecosystems::{self as ecosystems, Catalog, ParseError};
use kataster_model::model::{Diagnostic, DiagnosticCode, FileRecord, Severity};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::io::Read;

/// Everything learnt from one file.
#[derive(Debug)]
pub struct Examined {
    pub record: FileRecord,
    /// Each claiming cataloger's result.
    pub catalogs: Vec<(&'static str, Result<Catalog, ParseError>)>,
    pub diagnostics: Vec<Diagnostic>,
    pub bytes_read: u64,
    /// REUSE declarations the file makes (a REUSE.toml, `.reuse/dep5`, a `.license` sidecar).
    pub reuse: Vec<kataster_detect::reuse::Annotation>,
}

/// How many leading bytes decide whether a file is binary.
const BINARY_SNIFF: usize = 8192;

/// Read and examine one file. `label` is the root's label.
pub fn examine(label: &str, file: &WalkedFile, max_file_size: u64) -> Examined {
    examine_cached(label, file, max_file_size, None)
}

/// [`examine`], taking the detection results from `cache` where it holds them for this
/// file's content (the file is still read and hashed, and its manifests still parsed).
pub fn examine_cached(
    label: &str,
    file: &WalkedFile,
    max_file_size: u64,
    cache: Option<&crate::cache::ResultCache>,
) -> Examined {
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    let mut ex = Examined {
        record: FileRecord {
            root: label.to_string(),
            path: file.rel.clone(),
            sha256: None,
            size: file.size,
            kind: "text".into(),
            licenses: Vec::new(),
            license_expression: None,
            copyrights: Vec::new(),
            sha1: None,
            component: None,
        },
        catalogs: Vec::new(),
        diagnostics: Vec::new(),
        bytes_read: 0,
        reuse: Vec::new(),
    };
    let diag = |severity, code: DiagnosticCode, message: String| Diagnostic {
        severity,
        root: label.to_string(),
        path: file.rel.clone(),
        code,
        message,
    };
    if file.size > max_file_size {
        ex.record.kind = "oversized".into();
        ex.diagnostics.push(diag(
            Severity::Warning,
            DiagnosticCode::FileTooLarge,
            format!(
                "{} bytes is over the limit of {max_file_size} bytes (--max-file-size); listed, not read",
                file.size
            ),
        ));
        return ex;
    }
    let Loaded { bytes, total, digest, sha1 } = match read_capped(&file.abs, max_file_size, IN_MEMORY) {
        Ok(r) => r,
        Err(e) => {
            ex.record.kind = "unreadable".into();
            ex.diagnostics.push(diag(Severity::Error, DiagnosticCode::Unreadable, format!("cannot read: {e}")));
            return ex;
        }
    };
    ex.bytes_read = total;
    ex.record.size = total;
    let sha256 = kataster_model::encoding::hex(&digest);
    ex.record.sha1 = Some(kataster_model::encoding::hex(&sha1));
    if total > bytes.len() as u64 {
        ex.diagnostics.push(diag(
            Severity::Warning,
            DiagnosticCode::PartlySearched,
            format!("{total} bytes; hashed whole, searched in its first {} bytes only", bytes.len()),
        ));
    }

    ex.record.sha256 = Some(sha256.clone());
    for c in ecosystems::claimants(&file.rel, name) {
        let result = (c.parse)(&ecosystems::ManifestFile { path: &file.rel, bytes: &bytes });
        if let Err(e) = &result {
            ex.diagnostics.push(diag(
                Severity::Error,
                DiagnosticCode::ParseError,
                format!("{} cataloger: {e}", c.name),
            ));
        }
        if let Ok(cat) = &result {
            for w in &cat.warnings {
                ex.diagnostics.push(diag(
                    Severity::Warning,
                    DiagnosticCode::CatalogerWarning,
                    format!("{} cataloger: {w}", c.name),
                ));
            }
        }
        ex.catalogs.push((c.name, result));
    }

    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]).is_some() {
        ex.record.kind = "binary".into();
        ex.diagnostics.push(diag(
            Severity::Info,
            DiagnosticCode::BinaryFile,
            "binary file; not searched for license text".into(),
        ));
        return ex;
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            ex.diagnostics.push(diag(
                Severity::Info,
                DiagnosticCode::InvalidUtf8,
                format!("not valid UTF-8 (first bad byte at offset {}); searched with lossy decoding", e.valid_up_to()),
            ));
            String::from_utf8_lossy(&bytes)
        }
    };
    let found = match cache {
        Some(c) => c.detect(&file.rel, &sha256, || detect::detect(&file.rel, &text)),
        None => detect::detect(&file.rel, &text),
    };
    if let Some(kind) = kataster_detect::reuse::declaration_file(&file.rel) {
        use kataster_detect::reuse::DeclarationFile;
        let parsed = match kind {
            DeclarationFile::ReuseToml { dir } => kataster_detect::reuse::parse_reuse_toml(dir, &text).map(Some),
            DeclarationFile::Dep5 => kataster_detect::reuse::parse_dep5(&text).map(Some),
            DeclarationFile::Sidecar { .. } => {
                Ok(kataster_detect::reuse::parse_sidecar(&file.rel, &text).map(|a| vec![a]))
            }
        };
        match parsed {
            Ok(Some(a)) => ex.reuse = a,
            Ok(None) => {}
            Err(e) => ex.diagnostics.push(diag(Severity::Warning, DiagnosticCode::ReuseError, e)),
        }
    }
    ex.record.license_expression = detect::combine(&found.licenses);
    ex.record.licenses = found.licenses;
    ex.record.copyrights = found.copyrights;
    ex
}

/// How much of a file is held in memory for catalogers and detectors; the rest of a
/// larger file (allowed by a raised `--max-file-size`) is hashed as it streams past.
const IN_MEMORY: u64 = 64 * 1024 * 1024;

struct Loaded {
    /// The first `keep` bytes.
    bytes: Vec<u8>,
    /// How many bytes were read in all (at most `cap`).
    total: u64,
    digest: Vec<u8>,
    /// SHA-1 of the whole file (SPDX 2.3 requires it per file).
    sha1: Vec<u8>,
}

/// Read at most `cap` bytes: a file that grew since it was listed is cut, not trusted.
/// Only the first `keep` bytes stay in memory; all are hashed.
fn read_capped(path: &std::path::Path, cap: u64, keep: u64) -> std::io::Result<Loaded> {
    let f = std::fs::File::open(path)?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut f = f.take(cap);
    // One byte more than the size: read_to_end then needs no second allocation to see the end.
    let mut bytes = Vec::with_capacity(size.min(keep).saturating_add(1) as usize);
    (&mut f).take(keep).read_to_end(&mut bytes)?;
    let mut hasher = Sha256::new();
    let mut sha1 = Sha1::new();
    hasher.update(&bytes);
    sha1.update(&bytes);
    let mut total = bytes.len() as u64;
    if total < keep {
        return Ok(Loaded { bytes, total, digest: hasher.finalize().to_vec(), sha1: sha1.finalize().to_vec() });
    }
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        hasher.update(&chunk[..n]);
        sha1.update(&chunk[..n]);
        total += n as u64;
    }
    Ok(Loaded { bytes, total, digest: hasher.finalize().to_vec(), sha1: sha1.finalize().to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_hashed_whole_but_held_only_in_part() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        let mut content = b"SPDX-License-Identifier: MIT\n".to_vec();
        content.resize(3 << 20, b'x');
        std::fs::write(&path, &content).unwrap();
        let r = read_capped(&path, u64::MAX, 1 << 20).unwrap();
        assert_eq!(r.bytes.len(), 1 << 20);
        assert_eq!(r.total, 3 << 20);
        assert_eq!(r.digest, Sha256::digest(&content).to_vec());
        assert_eq!(r.sha1, Sha1::digest(&content).to_vec());
        let capped = read_capped(&path, 2 << 20, 1 << 20).unwrap();
        assert_eq!(capped.total, 2 << 20);
    }
}
