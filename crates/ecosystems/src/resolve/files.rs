//! A package's license files, read from its folder in a cache or install tree and handed to
//! the detectors. Owns which file names count as license files of a package folder; never
//! guesses a license from a file name alone.

use super::{Fence, Found, LicenseSource, Resolution, display_path, file_name};
use kataster_model::model::Method;
use std::path::Path;

/// License files directly in `dir` (sorted by name).
pub fn license_files(fence: &Fence, dir: &Path) -> Vec<std::path::PathBuf> {
    fence.files(dir, kataster_model::scopes::is_license_file_name)
}

/// Detect the licenses of one file.
pub fn detect_file(fence: &Fence, path: &Path) -> Vec<(String, Method, f32)> {
    let Some(text) = fence.read(path) else { return Vec::new() };
    let rel = file_name(path);
    let ev = kataster_detect::detect(rel, &text);
    let mut out: Vec<(String, Method, f32)> = Vec::new();
    for f in ev.licenses {
        if f.method == Method::Marker {
            continue;
        }
        match out.iter_mut().find(|(e, _, _)| *e == f.expression) {
            Some(o) if o.2 < f.confidence => *o = (f.expression, f.method, f.confidence),
            Some(_) => {}
            None => out.push((f.expression, f.method, f.confidence)),
        }
    }
    out
}

/// The licenses detected in the license files of a package folder, as a resolution that
/// points at the first file with a finding.
pub fn from_license_files(fence: &Fence, dir: &Path, source: LicenseSource) -> Option<Resolution> {
    let mut all: Vec<(String, Method, f32)> = Vec::new();
    let mut first = None;
    for f in license_files(fence, dir) {
        let found = detect_file(fence, &f);
        if found.is_empty() {
            continue;
        }
        if first.is_none() {
            first = Some(f.clone());
        }
        for x in found {
            if !all.iter().any(|(e, _, _)| *e == x.0) {
                all.push(x);
            }
        }
    }
    let first = first?;
    all.sort_by(|a, b| a.0.cmp(&b.0));
    Some(Resolution {
        parties: Default::default(),
        license: Found::Detected(all),
        source,
        location: display_path(&first),
        line: None,
    })
}

/// The file a `SEE LICENSE IN <file>` declaration names, read by the detectors.
fn pointed_file(fence: &Fence, declared: Option<&Found>, dir: &Path, source: LicenseSource) -> Option<Resolution> {
    let Some(Found::Declared(d)) = declared else { return None };
    let raw = d.raw.trim();
    let rest = raw.get(..15).filter(|p| p.eq_ignore_ascii_case("see license in "))?;
    let name = raw[rest.len()..].trim().trim_start_matches("./");
    if name.is_empty() || name.contains("..") || name.starts_with('/') || name.contains(':') {
        return None;
    }
    let path = dir.join(name);
    let found = detect_file(fence, &path);
    (!found.is_empty()).then(|| Resolution {
        parties: Default::default(),
        license: Found::Detected(found),
        source,
        location: display_path(&path),
        line: None,
    })
}

/// A declared license when there is one, else the file a `SEE LICENSE IN` names, else the
/// folder's license files.
pub fn declared_or_files(
    fence: &Fence,
    declared: Option<(Found, &Path, Option<u32>)>,
    dir: &Path,
    source: LicenseSource,
) -> Option<Resolution> {
    match declared {
        Some((found, path, line)) if found.understood() => {
            Some(Resolution { parties: Default::default(), license: found, source, location: display_path(path), line })
        }
        other => pointed_file(fence, other.as_ref().map(|o| &o.0), dir, source)
            .or_else(|| from_license_files(fence, dir, source))
            .or_else(|| {
                other.map(|(found, path, line)| Resolution {
                    parties: Default::default(),
                    license: found,
                    source,
                    location: display_path(path),
                    line,
                })
            }),
    }
}
