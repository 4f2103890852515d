//! Ruby: `Gemfile.lock` (GEM, GIT and PATH sources, platform-specific gems, DEPENDENCIES
//! as the direct ones, edges from the indented specs, CHECKSUMS), `Gemfile` (the
//! project, its gems and their groups) and `*.gemspec` (name, version, licenses,
//! dependencies), including the specifications of installed gems.
//!
//! Gemfiles and gemspecs are Ruby programs: they are read as text, line by line, for the
//! literal values they state, and never evaluated. A version given by a constant
//! (`Foo::VERSION`) stays unknown.

#[cfg(test)]
mod fixture_tests;
pub mod resolve;

use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError, declared_any_of, purl_with};
use kataster_model::model::Ecosystem;
use kataster_model::model::{Hash, Scope};
use std::collections::HashMap;

pub const CATALOGER: Cataloger = Cataloger { name: "gem", claims, parse, records: &["Gemfile.lock"] };

fn claims(_path: &str, name: &str) -> bool {
    name == "Gemfile"
        || name == "Gemfile.lock"
        || name == "gems.rb"
        || name == "gems.locked"
        || name.ends_with(".gemspec")
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    match file.path.rsplit('/').next().unwrap_or(file.path) {
        "Gemfile.lock" | "gems.locked" => parse_lock(file, text),
        "Gemfile" | "gems.rb" => parse_gemfile(file, text),
        _ => parse_gemspec(file, text),
    }
}

/// A gem (`pkg:gem/name@version?platform=...`).
pub fn gem_package(role: PackageRole, name: &str, version: Option<&str>, platform: Option<&str>) -> Package {
    let mut p = Package::new(role, Ecosystem::Gem, name, version.map(str::to_string));
    p.purl = purl_with("gem", None, name, version, &[("platform", platform.unwrap_or(""))]);
    p
}

/// Platform names a lockfile appends to a version (`1.16.0-x86_64-linux`, `9.4.5.0-java`).
const PLATFORM_STARTS: &[&str] = &[
    "x86_64",
    "x86",
    "x64",
    "i386",
    "i486",
    "i586",
    "i686",
    "arm64",
    "arm",
    "aarch64",
    "universal",
    "java",
    "jruby",
    "dalvik",
    "mswin",
    "mingw",
    "darwin",
    "linux",
    "powerpc",
    "ppc",
    "s390",
    "sparc",
    "freebsd",
    "openbsd",
    "netbsd",
    "solaris",
    "riscv64",
    "wasm32",
    "wasm",
];

/// `1.16.0-x86_64-linux` -> (`1.16.0`, `x86_64-linux`); a version without a platform part
/// is returned whole (versions may themselves hold a `-`).
fn split_platform(full: &str) -> (&str, Option<&str>) {
    for (i, _) in full.match_indices('-') {
        let rest = &full[i + 1..];
        if PLATFORM_STARTS.iter().any(|p| rest.starts_with(p)) {
            return (&full[..i], Some(rest));
        }
    }
    (full, None)
}

/// `name (version)` or `name` or `name (>= 1, < 3)`: the name and what is in parentheses.
fn name_and_paren(s: &str) -> Option<(&str, Option<&str>)> {
    let s = s.trim();
    match s.split_once(" (") {
        Some((name, rest)) => Some((name, Some(rest.strip_suffix(')')?))),
        None if !s.is_empty() && !s.contains(' ') => Some((s, None)),
        None => None,
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn parse_lock(file: &ManifestFile, text: &str) -> Result<Catalog, ParseError> {
    let mut cat = Catalog::default();
    struct Spec {
        pkg: Package,
        deps: Vec<String>,
        /// `name (version[-platform])`, as CHECKSUMS names it.
        full: String,
    }
    let mut specs: Vec<Spec> = Vec::new();
    let mut direct: Vec<String> = Vec::new();
    let mut checksums: HashMap<String, Hash> = HashMap::new();
    let mut section = String::new();
    let mut in_specs = false;
    let mut saw_section = false;
    for (i, line) in text.lines().enumerate() {
        let no = i as u32 + 1;
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let indent = indent_of(line);
        let body = line.trim_start();
        if indent == 0 {
            section = body.to_string();
            in_specs = false;
            saw_section = true;
            if !matches!(
                body,
                "GEM"
                    | "GIT"
                    | "PATH"
                    | "PLUGIN SOURCE"
                    | "PLATFORMS"
                    | "DEPENDENCIES"
                    | "RUBY VERSION"
                    | "BUNDLED WITH"
                    | "CHECKSUMS"
            ) {
                cat.warnings.push(format!("line {no}: unknown section {body:?}"));
            }
            continue;
        }
        match section.as_str() {
            "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => {
                if indent == 2 {
                    in_specs = body == "specs:";
                    continue;
                }
                if !in_specs {
                    continue;
                }
                let (name, version) = match name_and_paren(body) {
                    Some((n, Some(v))) if indent == 4 => (n, v),
                    Some((n, _)) if indent == 6 => {
                        if let Some(s) = specs.last_mut() {
                            s.deps.push(n.to_string());
                        }
                        continue;
                    }
                    _ => return Err(ParseError::at(no, format!("malformed spec line: {body:?}"))),
                };
                let full = format!("{name} ({version})");
                let (version, platform) = split_platform(version);
                // A PATH gem is part of this tree: it merges with its gemspec's project by name.
                let role = if section == "PATH" { PackageRole::Project } else { PackageRole::Dependency };
                let mut p = gem_package(role, name, Some(version), platform);
                p.line = Some(no);
                specs.push(Spec { pkg: p, deps: Vec::new(), full });
            }
            // `name!` and `name (~> 1.0)!`: a gem from a source other than the default.
            "DEPENDENCIES" if indent == 2 => match name_and_paren(body.trim_end().trim_end_matches('!')) {
                Some((n, _)) => direct.push(n.to_string()),
                None => return Err(ParseError::at(no, format!("malformed dependency line: {body:?}"))),
            },
            "CHECKSUMS" if indent == 2 => {
                let (spec, sums) = body.rsplit_once(") ").map(|(a, b)| (format!("{a})"), b)).unwrap_or_default();
                for sum in sums.split(',') {
                    if let Some((alg, hex)) = sum.trim().split_once('=')
                        && let Some(h) = super::hex_hash(alg, hex)
                    {
                        checksums.insert(spec.clone(), h);
                    }
                }
            }
            _ => {}
        }
    }
    if !saw_section {
        return Err(ParseError::new("no sections (GEM, PLATFORMS, DEPENDENCIES...): not a Gemfile.lock"));
    }
    // Name -> keys of every spec of that name (one per platform).
    let mut keys: HashMap<&str, Vec<String>> = HashMap::new();
    for s in &specs {
        keys.entry(s.pkg.name.as_str()).or_default().push(s.pkg.key());
    }
    let mut me = Package::new(PackageRole::Project, Ecosystem::Gem, "", None);
    me.dir = Some(file.dir().to_string());
    me.scope = Scope::Runtime;
    let mut packages = Vec::with_capacity(specs.len() + 1);
    for s in &specs {
        let mut p = s.pkg.clone();
        p.dependencies = s.deps.iter().filter_map(|d| keys.get(d.as_str())).flatten().cloned().collect();
        p.dependencies.sort();
        p.dependencies.dedup();
        if p.role == PackageRole::Dependency {
            p.direct = Some(direct.contains(&p.name));
        }
        if let Some(h) = checksums.get(&s.full) {
            p.hashes.push(h.clone());
        }
        packages.push(p);
    }
    me.dependencies = direct.iter().filter_map(|d| keys.get(d.as_str())).flatten().cloned().collect();
    me.dependencies.sort();
    packages.insert(0, me);
    cat.packages = packages;
    Ok(cat)
}

/// Ruby string literals in an expression: "..", '..', %q<..> (any bracket), %w[a b],
/// each with an optional `.freeze`.
fn ruby_strings(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => break,
            q @ (b'"' | b'\'') => {
                let Some(end) = expr[i + 1..].find(q as char) else { break };
                out.push(expr[i + 1..i + 1 + end].to_string());
                i += end + 2;
            }
            b'%' if i + 2 < b.len() && matches!(b[i + 1], b'q' | b'Q' | b'w' | b'W') => {
                let close = match b[i + 2] {
                    b'<' => '>',
                    b'{' => '}',
                    b'(' => ')',
                    b'[' => ']',
                    c => c as char,
                };
                let start = i + 3;
                let Some(end) = expr.get(start..).and_then(|r| r.find(close)) else { break };
                let inner = &expr[start..start + end];
                if matches!(b[i + 1], b'w' | b'W') {
                    out.extend(inner.split_whitespace().map(str::to_string));
                } else {
                    out.push(inner.to_string());
                }
                i = start + end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The right-hand side of `VAR.attr = ...` on this line, if it assigns `attr`.
fn assignment<'a>(line: &'a str, attr: &str) -> Option<&'a str> {
    let t = line.trim_start();
    let dot = t.find('.')?;
    let rest = t[dot + 1..].strip_prefix(attr)?;
    let rest = rest.trim_start().strip_prefix('=')?;
    (!rest.starts_with('=')).then_some(rest)
}

/// The gem named by `VAR.add_*dependency "name", ...` and whether it is for development.
fn dependency_call(line: &str) -> Option<(String, bool)> {
    let t = line.trim_start();
    let call = t.split_once('.')?.1;
    let (dev, rest) = if let Some(r) = call.strip_prefix("add_development_dependency") {
        (true, r)
    } else if let Some(r) = call.strip_prefix("add_runtime_dependency").or_else(|| call.strip_prefix("add_dependency"))
    {
        (false, r)
    } else {
        return None;
    };
    Some((ruby_strings(rest).into_iter().next()?, dev))
}

fn parse_gemspec(file: &ManifestFile, text: &str) -> Result<Catalog, ParseError> {
    let mut cat = Catalog::default();
    let (mut name, mut version, mut licenses, mut author) = (None, None, Vec::new(), None);
    let mut name_line = None;
    let mut deps: Vec<Package> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(rhs) = assignment(line, "name") {
            name = ruby_strings(rhs).into_iter().next();
            name_line = Some(i as u32 + 1);
        } else if let Some(rhs) = assignment(line, "version") {
            version = ruby_strings(rhs).into_iter().next();
        } else if let Some(rhs) = assignment(line, "licenses").or_else(|| assignment(line, "license")) {
            licenses = ruby_strings(rhs);
        } else if let Some(rhs) = assignment(line, "authors").or_else(|| assignment(line, "author")) {
            author = ruby_strings(rhs).into_iter().next();
        } else if let Some((dep, dev)) = dependency_call(line) {
            let mut d = gem_package(PackageRole::Dependency, &dep, None, None);
            d.scope = if dev { Scope::Dev } else { Scope::Runtime };
            d.direct = Some(true);
            d.line = Some(i as u32 + 1);
            deps.push(d);
        }
    }
    let name = name.ok_or_else(|| ParseError::new("no literal `name = \"...\"`"))?;
    // Installed gems: `specifications/NAME-VERSION.gemspec` describes `gems/NAME-VERSION/`,
    // and a gem's own gemspec sits in `gems/NAME-VERSION/`.
    let dir = file.dir();
    let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
    let installed_dir = if let Some(base) = dir.strip_suffix("specifications") {
        Some(format!("{base}gems/{}", file_name.trim_end_matches(".gemspec")))
    } else if dir.rsplit('/').nth(1) == Some("gems")
        && dir
            .rsplit('/')
            .next()
            .and_then(|d| d.strip_prefix(name.as_str()))
            .is_some_and(|v| v.strip_prefix('-').is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit())))
    {
        Some(dir.to_string())
    } else {
        None
    };
    let role = if installed_dir.is_some() { PackageRole::Dependency } else { PackageRole::Project };
    let mut me = gem_package(role, &name, version.as_deref(), None);
    me.line = name_line;
    me.declared_license = declared_any_of(&licenses);
    me.supplier = author;
    me.dir = installed_dir.clone().or_else(|| Some(dir.to_string()));
    if installed_dir.is_some() {
        cat.packages.push(me);
        return Ok(cat);
    }
    me.scope = Scope::Runtime;
    cat.add_project(me, deps);
    Ok(cat)
}

/// Groups that are only for development, testing or building.
fn is_dev_group(g: &str) -> bool {
    !matches!(g, "default" | "production" | "runtime")
}

fn parse_gemfile(file: &ManifestFile, text: &str) -> Result<Catalog, ParseError> {
    let mut me = Package::new(PackageRole::Project, Ecosystem::Gem, "", None);
    me.dir = Some(file.dir().to_string());
    me.scope = Scope::Runtime;
    // Blocks (`group ... do`, `platforms ... do`, `source ... do`): the groups they open.
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut deps: Vec<Package> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or(raw).trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        // Statements that an `end` closes: blocks, and `if`/`unless`/`case`/`begin`/... at
        // the start of a line (a trailing `gem "x" if cond` closes nothing).
        const OPENERS: &[&str] = &["if ", "unless ", "case ", "begin", "while ", "until ", "def ", "class ", "module "];
        let opens = line.ends_with(" do") || line.contains(" do |") || OPENERS.iter().any(|o| line.starts_with(o));
        if line == "end" {
            blocks.pop();
            continue;
        }
        if let Some(rest) = line.strip_prefix("group ").or_else(|| line.strip_prefix("group(")) {
            let names = rest.split(" do").next().unwrap_or(rest);
            let groups = names
                .split(',')
                .map(|g| g.trim().trim_start_matches(':').trim_matches(['"', '\'', ')']).to_string())
                .filter(|g| !g.is_empty() && !g.contains(':'))
                .collect();
            if opens {
                blocks.push(groups);
            }
            continue;
        }
        if opens {
            blocks.push(Vec::new());
            continue;
        }
        let Some(rest) = line.strip_prefix("gem ").or_else(|| line.strip_prefix("gem(")) else { continue };
        let Some(name) = ruby_strings(rest).into_iter().next() else { continue };
        // `group: :test` / `groups: [:development, :test]` on the line itself.
        let mut groups: Vec<String> = blocks.iter().flatten().cloned().collect();
        for key in ["group:", "groups:", ":group =>", ":groups =>"] {
            if let Some(g) = rest.split_once(key).map(|(_, g)| g) {
                groups.extend(
                    g.split([',', '[', ']', ' '])
                        .map(|s| s.trim().trim_start_matches(':').to_string())
                        .take_while(|s| !s.contains(':'))
                        .filter(|s| !s.is_empty()),
                );
            }
        }
        let mut d = gem_package(PackageRole::Dependency, &name, None, None);
        d.direct = Some(true);
        d.line = Some(i as u32 + 1);
        d.scope =
            if !groups.is_empty() && groups.iter().all(|g| is_dev_group(g)) { Scope::Dev } else { Scope::Runtime };
        deps.push(d);
    }
    let mut cat = Catalog::default();
    cat.add_project(me, deps);
    Ok(cat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::parse_claimed as run;

    #[test]
    fn platforms_split_from_versions() {
        assert_eq!(split_platform("1.16.0-x86_64-linux"), ("1.16.0", Some("x86_64-linux")));
        assert_eq!(split_platform("9.4.5.0-java"), ("9.4.5.0", Some("java")));
        assert_eq!(split_platform("1.0.0-rc1"), ("1.0.0-rc1", None));
        assert_eq!(split_platform("2.3.4"), ("2.3.4", None));
    }

    #[test]
    fn lock_with_platform_gems_git_and_checksums() {
        let lock = "GIT\n  remote: https://github.com/x/y.git\n  revision: abc\n  specs:\n    y (0.1.0)\n      rack\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.16.0-arm64-darwin)\n      racc (~> 1.4)\n    nokogiri (1.16.0-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.7.3)\n    rack (3.0.8)\n\nPLATFORMS\n  arm64-darwin\n  x86_64-linux\n\nDEPENDENCIES\n  nokogiri\n  y!\n\nCHECKSUMS\n  racc (1.7.3) sha256=b785ab8a30ec43bce073c51dbbe791fd27000f68d1c996c95da98bf685316905\n\nBUNDLED WITH\n   2.5.3\n";
        let c = run("Gemfile.lock", lock).unwrap();
        assert_eq!(c.packages.len(), 6);
        let keys: Vec<String> = c.packages[1..].iter().map(Package::key).collect();
        assert_eq!(keys[1], "pkg:gem/nokogiri@1.16.0?platform=arm64-darwin");
        let y = &c.packages[1];
        assert_eq!((y.direct, y.dependencies.clone()), (Some(true), vec!["pkg:gem/rack@3.0.8".to_string()]));
        assert_eq!(c.packages[2].dependencies, vec!["pkg:gem/racc@1.7.3".to_string()]);
        assert_eq!(c.packages[4].hashes[0].alg, "SHA-256");
        assert_eq!(c.packages[0].dependencies.len(), 3);
    }

    #[test]
    fn gemspec_literals_and_installed_specifications() {
        let spec = "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"3.0.8\"\n  s.licenses = [\"MIT\".freeze]\n  s.add_runtime_dependency(%q<webrick>.freeze, [\">= 0\"])\n  s.add_development_dependency 'minitest', '~> 5'\nend\n";
        let c = run("vendor/bundle/ruby/3.2.0/specifications/rack-3.0.8.gemspec", spec).unwrap();
        let p = &c.packages[0];
        assert_eq!((p.role, p.purl.as_deref()), (PackageRole::Dependency, Some("pkg:gem/rack@3.0.8")));
        assert_eq!(p.dir.as_deref(), Some("vendor/bundle/ruby/3.2.0/gems/rack-3.0.8"));
        assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("MIT"));
        let c = run("rack.gemspec", &spec.replace("\"3.0.8\"", "Rack::VERSION")).unwrap();
        assert_eq!((c.packages[0].role, c.packages[0].version.as_deref()), (PackageRole::Project, None));
        let deps: Vec<_> = c.packages[1..].iter().map(|d| (d.name.as_str(), d.scope)).collect();
        assert_eq!(deps, vec![("webrick", Scope::Runtime), ("minitest", Scope::Dev)]);
    }

    #[test]
    fn gemfile_groups_give_scopes() {
        let gemfile = "source \"https://rubygems.org\"\n\ngem \"rails\", \"~> 7.1\"\ngem 'bootsnap', require: false\ngem \"debug\", group: [:development, :test]\n\ngroup :development, :test do\n  if ENV[\"CI\"]\n    gem \"rspec-rails\"\n  end\n  gem \"rubocop\" if ENV[\"LINT\"]\nend\n\ngroup :production do\n  gem \"pg\"\nend\n";
        let c = run("app/Gemfile", gemfile).unwrap();
        let deps: Vec<_> = c.packages[1..].iter().map(|d| (d.name.as_str(), d.scope, d.line.unwrap())).collect();
        assert_eq!(
            deps,
            vec![
                ("rails", Scope::Runtime, 3),
                ("bootsnap", Scope::Runtime, 4),
                ("debug", Scope::Dev, 5),
                ("rspec-rails", Scope::Dev, 9),
                ("rubocop", Scope::Dev, 11),
                ("pg", Scope::Runtime, 15),
            ]
        );
    }

    #[test]
    fn malformed_lock_names_the_line() {
        let e = run("Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(run("Gemfile.lock", "  just text\n").is_err());
    }
}
