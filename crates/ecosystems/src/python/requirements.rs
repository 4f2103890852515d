//! `requirements*.txt` as pip reads them: one requirement per logical line (`\` joins
//! lines), `#` comments, per-requirement `--hash` options, URLs and `#egg=` fragments.
//! `-r`/`-c` name other files: they are the walk's to find, not ours to open.
//! A file compiled by pip-compile or `uv pip compile` says in `# via` comments which
//! requirements came from the input (direct) and which were pulled in.

use super::{parse_requirement, pip_hash, pypi_package};
use crate::{Catalog, ManifestFile, Package, PackageRole, ParseError};
use kataster_model::model::Scope;

pub(super) fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let name = file.path.rsplit('/').next().unwrap_or(file.path).to_ascii_lowercase();
    let scope = if ["dev", "test", "lint", "doc", "ci", "build"].iter().any(|w| name.contains(w)) {
        Scope::Dev
    } else {
        Scope::Runtime
    };
    let mut cat = Catalog::default();
    // (package, via lines) in file order.
    let mut found: Vec<(Package, Vec<String>)> = Vec::new();
    let mut compiled = false;
    let mut logical = String::new();
    let mut start = 0u32;
    for (i, raw) in text.lines().enumerate() {
        let no = i as u32 + 1;
        let trimmed = raw.trim();
        // pip-compile annotations belong to the requirement above them.
        if logical.is_empty() {
            if let Some(via) = trimmed.strip_prefix("# via") {
                compiled = true;
                if let Some((_, v)) = found.last_mut() {
                    v.push(via.trim().to_string());
                }
                continue;
            }
            if let Some(more) = trimmed.strip_prefix('#').filter(|_| raw.starts_with("    #")) {
                if let Some((_, v)) = found.last_mut().filter(|(_, v)| !v.is_empty()) {
                    v.push(more.trim().to_string());
                }
                continue;
            }
        }
        if logical.is_empty() {
            start = no;
        }
        let content = strip_comment(raw);
        match content.strip_suffix('\\') {
            Some(cont) => {
                logical.push_str(cont);
                logical.push(' ');
                continue;
            }
            None => logical.push_str(content),
        }
        let line = std::mem::take(&mut logical);
        if let Some(p) = requirement_line(line.trim(), start, scope, &mut cat) {
            found.push((p, Vec::new()));
        }
    }
    if !logical.trim().is_empty()
        && let Some(p) = requirement_line(logical.trim(), start, scope, &mut cat)
    {
        found.push((p, Vec::new()));
    }
    for (mut p, via) in found {
        // Compiled: direct when an input file (`-r requirements.in`) asked for it.
        p.direct = Some(!compiled || via.iter().any(|v| v.starts_with("-r ")));
        cat.packages.push(p);
    }
    Ok(cat)
}

/// A `#` starts a comment at the line's start or after whitespace (a URL's `#egg=` is not one).
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || b[i - 1].is_ascii_whitespace()) {
            return line[..i].trim_end();
        }
    }
    line.trim_end()
}

fn requirement_line(line: &str, no: u32, scope: Scope, cat: &mut Catalog) -> Option<Package> {
    if line.is_empty() {
        return None;
    }
    let mut words = line.split_whitespace();
    let first = words.next()?;
    if first.starts_with('-') {
        // `-e URL#egg=name` names a package; every other option (-r, -c, -i, --hash...) does not.
        if matches!(first, "-e" | "--editable") {
            let target = words.next().unwrap_or("");
            return url_requirement(target, no, scope);
        }
        if let Some(t) = first.strip_prefix("--editable=") {
            return url_requirement(t, no, scope);
        }
        return None;
    }
    // Split off the per-requirement options (`--hash=...`).
    let (spec, opts) = match line.find(" --") {
        Some(i) => (&line[..i], &line[i..]),
        None => (line, ""),
    };
    if spec.contains("://") && !spec.contains(" @ ") && !spec.contains('@') || spec.starts_with("git+") {
        return url_requirement(spec, no, scope);
    }
    if spec.starts_with('.') || spec.starts_with('/') {
        // A local folder or archive: not a named package.
        return None;
    }
    let Some(req) = parse_requirement(spec) else {
        cat.warnings.push(format!("line {no}: not a requirement: {spec:?}"));
        return None;
    };
    let mut p = pypi_package(PackageRole::Dependency, req.name, req.pinned);
    p.line = Some(no);
    p.scope = scope;
    for o in opts.split_whitespace() {
        if let Some(h) = o.strip_prefix("--hash=").or_else(|| o.strip_prefix("--hash:")).and_then(pip_hash) {
            p.hashes.push(h);
        }
    }
    Some(p)
}

/// A URL requirement: the name from `#egg=NAME`, or a wheel/sdist file name.
fn url_requirement(url: &str, no: u32, scope: Scope) -> Option<Package> {
    let (name, version) = if let Some(egg) = url.split(['#', '&']).find_map(|f| f.strip_prefix("egg=")) {
        (egg.split(['[', '&']).next().unwrap_or(egg).to_string(), None)
    } else {
        let file = url.split(['#', '?']).next()?.rsplit('/').next()?;
        if let Some(stem) = file.strip_suffix(".whl") {
            let mut parts = stem.split('-');
            (parts.next()?.to_string(), parts.next().map(str::to_string))
        } else {
            let stem = file.strip_suffix(".tar.gz").or_else(|| file.strip_suffix(".zip"))?;
            let (n, v) = stem.rsplit_once('-')?;
            (n.to_string(), Some(v.to_string()))
        }
    };
    if name.is_empty() {
        return None;
    }
    let mut p = pypi_package(PackageRole::Dependency, &name, version.as_deref());
    p.line = Some(no);
    p.scope = scope;
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_line() {
        let text = "# base\n-r base.txt\n-c constraints.txt\n--index-url https://example.org/simple\nDjango==4.2.1 \\\n    --hash=sha256:da39a3ee5e6b4b0d3255bfef95601890afd80709da39a3ee5e6b4b0d3255bfef\nsix>=1.16 ; python_version >= '3'  # tests\n-e git+https://example.org/repo.git#egg=my_lib\npkg @ https://example.org/pkg-1.0.tar.gz\nhttps://example.org/wheels/Foo_Bar-2.0-py3-none-any.whl\n./local-folder\n";
        let c = parse(&ManifestFile { path: "requirements-dev.txt", bytes: text.as_bytes() }).unwrap();
        let got: Vec<_> = c.packages.iter().map(|p| (p.name.as_str(), p.version.as_deref(), p.line)).collect();
        assert_eq!(
            got,
            vec![
                ("django", Some("4.2.1"), Some(5)),
                ("six", None, Some(7)),
                ("my-lib", None, Some(8)),
                ("pkg", None, Some(9)),
                ("foo-bar", Some("2.0"), Some(10)),
            ]
        );
        assert_eq!(c.packages[0].hashes[0].alg, "SHA-256");
        assert!(c.packages.iter().all(|p| p.scope == Scope::Dev && p.direct == Some(true)));
    }

    #[test]
    fn compiled_files_tell_direct_from_transitive() {
        let text = "certifi==2024.1.1 \\\n    --hash=sha256:da39a3ee5e6b4b0d3255bfef95601890afd80709da39a3ee5e6b4b0d3255bfef\n    # via requests\nrequests==2.32.3\n    # via -r requirements.in\nsix==1.16.0\n    # via\n    #   -r requirements.in\n    #   other\n";
        let c = parse(&ManifestFile { path: "requirements.txt", bytes: text.as_bytes() }).unwrap();
        let direct: Vec<_> = c.packages.iter().map(|p| (p.name.as_str(), p.direct)).collect();
        assert_eq!(direct, vec![("certifi", Some(false)), ("requests", Some(true)), ("six", Some(true))]);
    }
}
