//! Go modules: `go.mod` (the module itself as the project; `require` with `// indirect`,
//! `replace`, `exclude`), `go.sum` (one package per module and version, whether it lists
//! the module's tree, its `/go.mod` or both) and `vendor/modules.txt` (the vendored
//! modules, each owning its `vendor/<module>` folder).
//!
//! Never runs the go command, never consults the module proxy: what the three files say
//! is all it knows. Replacements are applied where the file records them.

#[cfg(test)]
mod fixture_tests;
pub mod resolve;

use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError, purl};
use kataster_model::model::Ecosystem;
use kataster_model::model::Scope;

pub const CATALOGER: Cataloger = Cataloger { name: "golang", claims, parse, records: &["go.sum"] };

fn claims(path: &str, name: &str) -> bool {
    name == "go.mod" || name == "go.sum" || (name == "modules.txt" && path.ends_with("vendor/modules.txt"))
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    match file.path.rsplit('/').next().unwrap_or(file.path) {
        "go.mod" => parse_go_mod(file, text),
        "go.sum" => parse_go_sum(text),
        _ => parse_modules_txt(file, text),
    }
}

/// The purl of a module: the path's last element is the name, the rest the namespace.
pub fn module_purl(path: &str, version: Option<&str>) -> Option<String> {
    match path.rsplit_once('/') {
        Some((ns, name)) => purl("golang", Some(ns), name, version),
        None => purl("golang", None, path, version),
    }
}

fn module(role: PackageRole, path: &str, version: Option<&str>) -> Package {
    let mut p = Package::new(role, Ecosystem::Golang, path, version.map(str::to_string));
    p.purl = module_purl(path, version);
    p
}

/// A replacement target: another module at a version, or a directory of the tree.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Module(String, String),
    Dir(String),
}

#[derive(Debug)]
struct Replace {
    from: String,
    from_version: Option<String>,
    to: Target,
}

impl Replace {
    /// Parse `A [v] => B [v]` (the tokens after the verb).
    fn parse(args: &[String]) -> Option<Replace> {
        let arrow = args.iter().position(|a| a == "=>")?;
        let (left, right) = (&args[..arrow], &args[arrow + 1..]);
        let to = match right {
            [dir] if is_dir_path(dir) => Target::Dir(dir.clone()),
            [m, v] => Target::Module(m.clone(), v.clone()),
            _ => return None,
        };
        match left {
            [m] => Some(Replace { from: m.clone(), from_version: None, to }),
            [m, v] => Some(Replace { from: m.clone(), from_version: Some(v.clone()), to }),
            _ => None,
        }
    }
}

fn is_dir_path(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s.starts_with('/') || s == "." || s == ".."
}

/// The replacement that applies to `path@version`: an exact version wins over a wildcard.
fn replacement<'r>(replaces: &'r [Replace], path: &str, version: &str) -> Option<&'r Target> {
    replaces
        .iter()
        .filter(|r| r.from == path && r.from_version.as_deref().is_none_or(|v| v == version))
        .max_by_key(|r| r.from_version.is_some())
        .map(|r| &r.to)
}

/// One logical line of go.mod: its tokens (quotes removed) and its trailing comment.
struct Lexed {
    tokens: Vec<String>,
    comment: String,
}

fn lex(line: &str, no: u32) -> Result<Lexed, ParseError> {
    let mut tokens = Vec::new();
    let mut rest = line.trim_start();
    let mut comment = String::new();
    while !rest.is_empty() {
        if let Some(c) = rest.strip_prefix("//") {
            comment = c.trim().to_string();
            break;
        }
        let (tok, after) = match rest.as_bytes()[0] {
            q @ (b'"' | b'`') => {
                let close = rest[1..]
                    .find(q as char)
                    .ok_or_else(|| ParseError::at(no, "unterminated quoted string".to_string()))?;
                (rest[1..1 + close].to_string(), &rest[close + 2..])
            }
            _ => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let end = rest[..end].find("//").unwrap_or(end);
                (rest[..end].to_string(), &rest[end..])
            }
        };
        if !tok.is_empty() {
            tokens.push(tok);
        }
        rest = after.trim_start();
    }
    Ok(Lexed { tokens, comment })
}

const VERBS: &[&str] =
    &["module", "go", "toolchain", "require", "replace", "exclude", "retract", "godebug", "tool", "ignore"];

fn parse_go_mod(file: &ManifestFile, text: &str) -> Result<Catalog, ParseError> {
    let mut cat = Catalog::default();
    let mut module_path: Option<(String, u32)> = None;
    let mut requires: Vec<(String, String, bool, u32)> = Vec::new();
    let mut replaces: Vec<Replace> = Vec::new();
    let mut block: Option<(String, u32)> = None;
    for (i, raw) in text.lines().enumerate() {
        let no = i as u32 + 1;
        let lexed = lex(raw, no)?;
        let toks = &lexed.tokens;
        if toks.is_empty() {
            continue;
        }
        let (verb, args): (String, &[String]) = match &block {
            Some(_) if toks.len() == 1 && toks[0] == ")" => {
                block = None;
                continue;
            }
            Some((v, _)) => (v.clone(), &toks[..]),
            None => {
                if !VERBS.contains(&toks[0].as_str()) {
                    return Err(ParseError::at(no, format!("unknown directive: {}", toks[0])));
                }
                if toks.len() == 2 && toks[1] == "(" {
                    block = Some((toks[0].clone(), no));
                    continue;
                }
                (toks[0].clone(), &toks[1..])
            }
        };
        match verb.as_str() {
            "module" => match args {
                [path] => module_path = Some((path.clone(), no)),
                _ => return Err(ParseError::at(no, "usage: module module/path")),
            },
            "require" => match args {
                [path, version] => {
                    let indirect = lexed.comment.split(';').any(|c| c.trim() == "indirect");
                    requires.push((path.clone(), version.clone(), indirect, no));
                }
                _ => return Err(ParseError::at(no, "usage: require module/path v1.2.3")),
            },
            "replace" => {
                replaces.push(
                    Replace::parse(args).ok_or_else(|| {
                        ParseError::at(no, "usage: replace module/path [v1.2.3] => other/path [v1.4.5]")
                    })?,
                );
            }
            // exclude, retract, go, toolchain, godebug, tool, ignore: nothing to catalog.
            _ => {}
        }
    }
    if let Some((v, line)) = block {
        return Err(ParseError::at(line, format!("{v} block opened here is never closed")));
    }
    let (path, line) = module_path.ok_or_else(|| ParseError::new("no module directive"))?;
    let mut project = module(PackageRole::Project, &path, None);
    project.line = Some(line);
    project.dir = Some(file.dir().to_string());
    project.scope = Scope::Runtime;
    for (path, version, indirect, line) in requires {
        let mut d = match replacement(&replaces, &path, &version) {
            Some(Target::Module(to, v)) => module(PackageRole::Dependency, to, Some(v.as_str())),
            // Code of this tree: no version of its own; the assembly links it to the module
            // project of that path, if the tree has it.
            Some(Target::Dir(dir)) => {
                cat.warnings.push(format!("{path} {version} is replaced by the directory {dir}"));
                module(PackageRole::Dependency, &path, None)
            }
            None => module(PackageRole::Dependency, &path, Some(&version)),
        };
        d.line = Some(line);
        d.direct = Some(!indirect);
        // Go links every required module that provides an imported package.
        d.scope = Scope::Runtime;
        if !indirect {
            project.dependencies.push(d.key());
        }
        cat.packages.push(d);
    }
    cat.packages.insert(0, project);
    Ok(cat)
}

fn parse_go_sum(text: &str) -> Result<Catalog, ParseError> {
    let mut cat = Catalog::default();
    let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let no = i as u32 + 1;
        let toks: Vec<&str> = line.split_whitespace().collect();
        let (path, version) = match toks.as_slice() {
            [] => continue,
            // `h1:` is base64 of a SHA-256 digest: 44 characters; a shorter one is cut off.
            [path, version, hash] if hash.strip_prefix("h1:").is_none_or(|h| h.len() == 44) && hash.contains(':') => {
                (*path, *version)
            }
            _ => return Err(ParseError::at(no, format!("malformed go.sum line: {line:?}"))),
        };
        // `M v h1:...` hashes the module's files, `M v/go.mod h1:...` its go.mod: one module.
        let version = version.strip_suffix("/go.mod").unwrap_or(version);
        if seen.insert((path, version)) {
            let mut p = module(PackageRole::Dependency, path, Some(version));
            p.line = Some(no);
            cat.packages.push(p);
        }
    }
    Ok(cat)
}

fn parse_modules_txt(file: &ManifestFile, text: &str) -> Result<Catalog, ParseError> {
    let mut cat = Catalog::default();
    let vendor = file.dir();
    for (i, line) in text.lines().enumerate() {
        let no = i as u32 + 1;
        // `## explicit` means "listed in go.mod", indirect requirements included: not direct.
        if line.starts_with("##") {
            continue;
        }
        let Some(rest) = line.strip_prefix("# ") else { continue };
        let toks: Vec<&str> = rest.split_whitespace().collect();
        let mut p = match toks.as_slice() {
            // A replacement without a version records a wildcard `replace`, not a module.
            [_, "=>", ..] => continue,
            [path, version] => module(PackageRole::Dependency, path, Some(version)),
            [path, _, "=>", dir] if is_dir_path(dir) => module(PackageRole::Dependency, path, None),
            [_, _, "=>", to, to_version] => module(PackageRole::Dependency, to, Some(to_version)),
            _ => return Err(ParseError::at(no, format!("malformed module line: {line:?}"))),
        };
        let vendored_as = toks.first().copied().unwrap_or_default();
        p.dir = Some(if vendor.is_empty() { vendored_as.to_string() } else { format!("{vendor}/{vendored_as}") });
        p.line = Some(no);
        p.scope = Scope::Runtime;
        cat.packages.push(p);
    }
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::parse_claimed as run;

    #[test]
    fn go_mod_requires_replaces_and_indirect_marks() {
        let c = run(
            "svc/go.mod",
            "module example.org/svc // the service\n\ngo 1.21\n\nrequire github.com/a/b v1.2.3\nrequire (\n\t\"github.com/c/d\" v0.0.0-20230101000000-abcdefabcdef // indirect\n\tgithub.com/e/f v2.0.0+incompatible\n)\nreplace github.com/e/f => github.com/g/f v2.1.0+incompatible\nexclude github.com/a/b v1.0.0\n",
        )
        .unwrap();
        let p = &c.packages[0];
        assert_eq!(
            (p.role, p.name.as_str(), p.dir.as_deref(), p.line),
            (PackageRole::Project, "example.org/svc", Some("svc"), Some(1))
        );
        assert_eq!(p.purl.as_deref(), Some("pkg:golang/example.org/svc"));
        let deps: Vec<_> =
            c.packages[1..].iter().map(|d| (d.name.as_str(), d.version.as_deref().unwrap(), d.direct)).collect();
        assert_eq!(
            deps,
            vec![
                ("github.com/a/b", "v1.2.3", Some(true)),
                ("github.com/c/d", "v0.0.0-20230101000000-abcdefabcdef", Some(false)),
                ("github.com/g/f", "v2.1.0+incompatible", Some(true)),
            ]
        );
        assert_eq!(c.packages[3].purl.as_deref(), Some("pkg:golang/github.com/g/f@v2.1.0%2Bincompatible"));
        assert_eq!(p.dependencies.len(), 2);
    }

    #[test]
    fn go_sum_counts_a_module_once() {
        let c = run(
            "go.sum",
            "github.com/a/b v1.2.3 h1:d+sctVj5dv1wt+e0z+2toVzpsghd5rbWXZx8ytZyhI4=\ngithub.com/a/b v1.2.3/go.mod h1:d+sctVj5dv1wt+e0z+2toVzpsghd5rbWXZx8ytZyhI4=\ngithub.com/x/y v0.1.0/go.mod h1:d+sctVj5dv1wt+e0z+2toVzpsghd5rbWXZx8ytZyhI4=\n",
        )
        .unwrap();
        let got: Vec<_> = c.packages.iter().map(|p| (p.name.as_str(), p.version.as_deref(), p.line)).collect();
        assert_eq!(got, vec![("github.com/a/b", Some("v1.2.3"), Some(1)), ("github.com/x/y", Some("v0.1.0"), Some(3))]);
    }

    #[test]
    fn bad_files_name_their_line() {
        assert_eq!(run("go.mod", "module a\nrequire (\n  b v1\n").unwrap_err().line, Some(2));
        assert_eq!(run("go.mod", "module a\nfrobnicate b\n").unwrap_err().line, Some(2));
        assert_eq!(
            run("go.sum", "a v1 h1:d+sctVj5dv1wt+e0z+2toVzpsghd5rbWXZx8ytZyhI4=\na v2 h1:cut\n").unwrap_err().line,
            Some(2)
        );
        assert_eq!(run("vendor/modules.txt", "# a\n").unwrap_err().line, Some(1));
    }
}
