//! `pnpm-lock.yaml`, lockfile versions 5.x, 6.x, 7.x and 9.x.
//!
//! `importers` are the workspace projects (their dependencies are the direct ones);
//! `packages` lists each package once per peer set (v5/v6 keys `/name/1.0.0_peer`,
//! `/name@1.0.0(peer@1)`; v9 `name@1.0.0` without peers, with the edges in `snapshots`).
//! A package seen with several peer sets is one package.

use super::npm_package;
use crate::{Catalog, ManifestFile, Package, PackageRole, ParseError, join_dir, sri_hashes, yaml_error, yaml_fast};
use kataster_model::model::Scope;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Lock {
    lockfile_version: Option<serde_json::Value>,
    importers: Table<Importer>,
    // A single-project lockfile has the importer's tables at the top.
    #[serde(flatten)]
    root: Importer,
    packages: Table<Entry>,
    snapshots: Table<Entry>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Importer {
    dependencies: Table<Dep>,
    dev_dependencies: Table<Dep>,
    optional_dependencies: Table<Dep>,
}

/// v5 writes the resolved version; v6+ write `{specifier, version}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Dep {
    Version(String),
    Full { version: String },
}

impl Dep {
    fn version(&self) -> &str {
        match self {
            Dep::Version(v) | Dep::Full { version: v } => v,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    resolution: Option<Resolution>,
    dev: Option<bool>,
    optional: Option<bool>,
    dependencies: Table<String>,
    optional_dependencies: Table<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Resolution {
    integrity: Option<String>,
}

/// A mapping's entries in document order, in a vector: cheaper to fill and walk than a
/// tree. Neither reader lets a key repeat (both refuse the document).
struct Table<T>(Vec<(String, T)>);

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Table<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Table<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Table<T>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(entry) = map.next_entry::<String, T>()? {
                    entries.push(entry);
                }
                Ok(Table(entries))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

impl<T> Table<T> {
    fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// A package's name and version.
type Identity<'a> = (Cow<'a, str>, Cow<'a, str>);

pub(super) fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    // The fast reader takes what pnpm writes; serde-saphyr the rest, and reports the errors.
    let lock: Lock = match yaml_fast::from_str(text) {
        Some(lock) => lock,
        None => {
            serde_saphyr::from_str_with_options(text, crate::yaml_lockfile_options()).map_err(|e| yaml_error(&e))?
        }
    };
    catalog(file, text, &lock)
}

/// The projects and packages of a lockfile read into `lock` from `text`.
fn catalog(file: &ManifestFile, text: &str, lock: &Lock) -> Result<Catalog, ParseError> {
    let version_text = match &lock.lockfile_version {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err(ParseError::at(1, "no lockfileVersion: not a pnpm lockfile")),
    };
    let major: u32 = version_text.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    if !(5..=9).contains(&major) {
        let line = text.lines().position(|l| l.starts_with("lockfileVersion")).map_or(1, |i| i as u32 + 1);
        return Err(ParseError::at(line, format!("pnpm lockfileVersion {version_text} is not known (5 to 9 are)")));
    }
    let v5 = major == 5;
    let lines = KeyLines::new(text);
    let mut cat = Catalog::default();

    // Packages, one per (name, version), sorted by it; an entry of each peer set adds to it
    // in the order of the keys. `ids[i]` is the identity of `pkgs[i]`.
    let mut package_lines = lines.walk("packages");
    let mut entries: Vec<(Identity, &str, Option<u32>, &Entry)> = Vec::with_capacity(lock.packages.len());
    let mut skipped = Vec::new();
    for (key, e) in lock.packages.iter() {
        match entry_identity(key, e, v5) {
            Some(id) => entries.push((id, key, package_lines.line(key), e)),
            None => skipped.push(key),
        }
    }
    skipped.sort_unstable();
    for key in skipped {
        cat.warnings.push(format!("packages entry {key:?} has no name or version; skipped"));
    }
    // Peer sets of a package in the order of their keys.
    entries.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut ids: Vec<Identity> = Vec::with_capacity(entries.len());
    let mut pkgs: Vec<Package> = Vec::with_capacity(entries.len() + lock.importers.len().max(1));
    let mut of_entry: Vec<(usize, &Entry)> = Vec::with_capacity(entries.len());
    for (id, _, line, e) in entries {
        if ids.last() != Some(&id) {
            let mut p = npm_package(PackageRole::Dependency, &id.0, Some(&id.1));
            p.line = line;
            ids.push(id);
            pkgs.push(p);
        }
        of_entry.push((pkgs.len() - 1, e));
    }
    let index = Index::new(&ids);
    // The key of the package an edge points at: a found package's, else made from the edge.
    let keys: Vec<String> = pkgs.iter().map(Package::key).collect();
    let key_of = |id: &Identity| match index.find(&ids, id).and_then(|i| keys.get(i)) {
        Some(k) => k.clone(),
        None => npm_package(PackageRole::Dependency, &id.0, Some(&id.1)).key(),
    };
    for (i, e) in of_entry {
        let Some(p) = pkgs.get_mut(i) else { continue };
        if p.hashes.is_empty()
            && let Some(integrity) = e.resolution.as_ref().and_then(|r| r.integrity.as_deref())
        {
            p.hashes = sri_hashes(integrity);
        }
        let scope = match (e.dev, e.optional) {
            (_, Some(true)) => Scope::Optional,
            (Some(true), _) => Scope::Dev,
            // v9 records no dev flags: scopes come from the importers.
            _ if major < 9 => Scope::Runtime,
            _ => Scope::Unknown,
        };
        p.scope = if p.scope == Scope::Unknown { scope } else { p.scope.widest(scope) };
        for (n, r) in e.dependencies.iter().chain(e.optional_dependencies.iter()) {
            p.dependencies.extend(dep_target(n, r, v5).map(|id| key_of(&id)));
        }
    }
    // v9: edges and optional flags live in snapshots keyed `name@version(peers)`.
    let mut unknown = Vec::new();
    for (key, e) in lock.snapshots.iter() {
        let Some(id) = entry_identity(key, e, v5) else { continue };
        let Some(p) = index.find(&ids, &id).and_then(|i| pkgs.get_mut(i)) else {
            unknown.push(key);
            continue;
        };
        if e.optional == Some(true) && p.scope == Scope::Unknown {
            p.scope = Scope::Optional;
        }
        for (n, r) in e.dependencies.iter().chain(e.optional_dependencies.iter()) {
            p.dependencies.extend(dep_target(n, r, v5).map(|id| key_of(&id)));
        }
    }
    unknown.sort_unstable();
    for key in unknown {
        cat.warnings.push(format!("snapshot {key:?} has no packages entry"));
    }

    // Importers: the projects, and which packages they name directly.
    let mut importers: Vec<(&str, &Importer)> = lock.importers.iter().collect();
    importers.sort_unstable_by_key(|(path, _)| *path);
    if importers.is_empty() {
        importers.push((".", &lock.root));
    }
    let mut direct: HashMap<String, Scope> = HashMap::new();
    let mut projects = Vec::with_capacity(importers.len());
    for (path, imp) in importers {
        let mut p = npm_package(PackageRole::Project, "", None);
        p.purl = None;
        p.dir = join_dir(file.dir(), path);
        p.line = lines.get("importers", path).or(Some(1));
        let mut edges = Vec::new();
        for (table, scope) in [
            (&imp.dependencies, Scope::Runtime),
            (&imp.optional_dependencies, Scope::Optional),
            (&imp.dev_dependencies, Scope::Dev),
        ] {
            for (n, d) in table.iter() {
                if let Some(id) = dep_target(n, d.version(), v5) {
                    let k = key_of(&id);
                    let s = direct.entry(k.clone()).or_insert(scope);
                    *s = s.widest(scope);
                    edges.push(k);
                }
            }
        }
        edges.sort();
        edges.dedup();
        p.dependencies = edges;
        projects.push(p);
    }
    for (p, key) in pkgs.iter_mut().zip(&keys) {
        p.dependencies.sort();
        p.dependencies.dedup();
        match direct.get(key) {
            Some(&s) => {
                p.direct = Some(true);
                p.scope = if p.scope == Scope::Unknown { s } else { p.scope.widest(s) };
            }
            None => p.direct = Some(false),
        }
    }
    // The projects first, then the packages.
    let n = projects.len();
    pkgs.extend(projects);
    pkgs.rotate_right(n);
    cat.packages = pkgs;
    Ok(cat)
}

/// Where each package identity is in a sorted list of them, by name.
struct Index<'a>(HashMap<&'a str, (usize, usize)>);

impl<'a> Index<'a> {
    fn new(ids: &'a [Identity]) -> Self {
        let mut by_name: HashMap<&str, (usize, usize)> = HashMap::with_capacity(ids.len());
        for (i, (name, _)) in ids.iter().enumerate() {
            by_name.entry(name).or_insert((i, i)).1 = i + 1;
        }
        Index(by_name)
    }

    /// The position of `id` in `ids` (the list the index was made from).
    fn find(&self, ids: &[Identity], (name, version): &Identity) -> Option<usize> {
        let &(from, to) = self.0.get(&**name)?;
        let i = ids.get(from..to)?.binary_search_by(|(_, v)| (**v).cmp(version)).ok()?;
        Some(from + i)
    }
}

/// Name and version of a `packages`/`snapshots` key, preferring the entry's own fields
/// (packages from git or tarballs carry them).
fn entry_identity<'a>(key: &'a str, e: &'a Entry, v5: bool) -> Option<Identity<'a>> {
    if let (Some(n), Some(v)) = (&e.name, &e.version) {
        return Some((Cow::Borrowed(n), Cow::Borrowed(v)));
    }
    let (name, version) = parse_key(key, v5)?;
    Some((e.name.as_deref().map_or(name, Cow::Borrowed), e.version.as_deref().map_or(version, Cow::Borrowed)))
}

/// `/name/1.0.0_peer` (v5), `/name@1.0.0(peer@1)` (v6), `name@1.0.0(peer@1)` (v9).
fn parse_key(key: &str, v5: bool) -> Option<Identity<'_>> {
    let k = key.strip_prefix('/').unwrap_or(key);
    if v5 {
        let segs: Vec<&str> = k.splitn(3, '/').collect();
        let (name, rest): (Cow<str>, &str) = if k.starts_with('@') {
            (format!("{}/{}", segs.first()?, segs.get(1)?).into(), *segs.get(2)?)
        } else {
            (Cow::Borrowed(*segs.first()?), k.split_once('/')?.1)
        };
        let version = rest.split('_').next()?;
        return (!version.is_empty()).then_some((name, Cow::Borrowed(version)));
    }
    let k = k.split('(').next()?;
    let (name, version) = super::split_spec(k);
    (!name.is_empty() && !version.is_empty()).then_some((Cow::Borrowed(name), Cow::Borrowed(version)))
}

/// The package a dependency reference points at; `None` for `link:` (a workspace project).
fn dep_target<'a>(name: &'a str, reference: &'a str, v5: bool) -> Option<Identity<'a>> {
    if reference.starts_with("link:") {
        return None;
    }
    if reference.starts_with('/') {
        return parse_key(reference, v5);
    }
    let plain = if v5 { reference.split('_').next()? } else { reference.split('(').next()? };
    Some(match super::split_spec(plain) {
        // `is-number@6.0.0`: an alias to another package.
        (n, v) if !n.is_empty() && !v.is_empty() && !plain.contains("://") => (Cow::Borrowed(n), Cow::Borrowed(v)),
        _ => (Cow::Borrowed(name), Cow::Borrowed(plain)),
    })
}

/// The package key a dependency reference points at; `None` for `link:` (a workspace project).
#[cfg(test)]
fn dep_key(name: &str, reference: &str, v5: bool) -> Option<String> {
    let (n, v) = dep_target(name, reference, v5)?;
    Some(npm_package(PackageRole::Dependency, &n, Some(&v)).key())
}

/// Lines of the two-space-indented keys under `packages:` and `importers:`, sorted by
/// section and key; a key written twice has its first line.
struct KeyLines<'a>(Vec<((&'static str, &'a str), u32)>);

impl<'a> KeyLines<'a> {
    fn new(text: &'a str) -> Self {
        let mut out = Vec::new();
        // The sections, each from its unindented `packages:` or `importers:` line to the next
        // unindented line.
        let mut starts: Vec<(usize, &'static str)> = Vec::new();
        for section in ["packages", "importers"] {
            let header = format!("\n{section}:");
            if text.starts_with(&header[1..]) {
                starts.push((0, section));
            }
            starts.extend(memchr::memmem::find_iter(text.as_bytes(), &header).map(|i| (i + 1, section)));
        }
        starts.sort_unstable();
        let (mut counted, mut line) = (0, 0);
        for (start, section) in starts {
            line += memchr::memchr_iter(b'\n', text.as_bytes().get(counted..start).unwrap_or_default()).count();
            counted = start;
            for (i, l) in text.get(start..).unwrap_or_default().lines().enumerate().skip(1) {
                if !l.starts_with(' ') && !l.is_empty() {
                    break;
                }
                let Some(rest) = l.strip_prefix("  ") else { continue };
                if rest.starts_with(' ') {
                    continue;
                }
                let key = rest.trim_end().trim_end_matches(" {}").trim_end_matches(':');
                let key = key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')).unwrap_or(key);
                let key = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')).unwrap_or(key);
                out.push(((section, key), (line + i) as u32 + 1));
            }
        }
        // Stable: of a repeated key, the first line stays first.
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.dedup_by(|later, first| later.0 == first.0);
        KeyLines(out)
    }

    /// The line of `key` in `section`.
    fn get(&self, section: &str, key: &str) -> Option<u32> {
        let i = self.0.binary_search_by(|((s, k), _)| (*s, *k).cmp(&(section, key))).ok()?;
        self.0.get(i).map(|(_, line)| *line)
    }

    /// The lines of a section, to look up keys mostly in sorted order.
    fn walk(&self, section: &str) -> Walk<'_, 'a> {
        let from = self.0.partition_point(|((s, _), _)| *s < section);
        let to = self.0.partition_point(|((s, _), _)| *s <= section);
        let all = self.0.get(from..to).unwrap_or_default();
        Walk { all, rest: all }
    }
}

/// The key lines of a section, and those not yet passed by [`Walk::line`].
struct Walk<'k, 'a> {
    all: &'k [((&'static str, &'a str), u32)],
    rest: &'k [((&'static str, &'a str), u32)],
}

impl Walk<'_, '_> {
    /// The line of `key`: a step forward for a key after the previous one, else a search.
    fn line(&mut self, key: &str) -> Option<u32> {
        let passed = self.all.len() - self.rest.len();
        if passed.checked_sub(1).and_then(|i| self.all.get(i)).is_some_and(|((_, k), _)| *k >= key) {
            let i = self.all.binary_search_by(|((_, k), _)| (*k).cmp(key)).ok()?;
            return self.all.get(i).map(|(_, line)| *line);
        }
        while let [((_, k), _), rest @ ..] = self.rest
            && *k < key
        {
            self.rest = rest;
        }
        match self.rest.first() {
            Some(((_, k), line)) if *k == key => Some(*line),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_every_version() {
        assert_eq!(parse_key("/@a/b/1.0.0_react@18.0.0", true), Some(("@a/b".into(), "1.0.0".into())));
        assert_eq!(parse_key("/is-odd/3.0.1", true), Some(("is-odd".into(), "3.0.1".into())));
        assert_eq!(parse_key("/react-dom@18.3.1(react@18.3.1)", false), Some(("react-dom".into(), "18.3.1".into())));
        assert_eq!(parse_key("@a/b@2.0.0", false), Some(("@a/b".into(), "2.0.0".into())));
        assert_eq!(dep_key("isnum", "is-number@6.0.0", false).as_deref(), Some("pkg:npm/is-number@6.0.0"));
        assert_eq!(dep_key("x", "/is-number/6.0.0", true).as_deref(), Some("pkg:npm/is-number@6.0.0"));
        assert_eq!(dep_key("react-dom", "18.3.1(react@18.3.1)", false).as_deref(), Some("pkg:npm/react-dom@18.3.1"));
        assert_eq!(dep_key("u", "link:../util", false), None);
    }

    #[test]
    fn every_fixture_catalogs_the_same_through_the_fast_reader() {
        // The typed structs read by the fast reader, by serde-saphyr, and from the fast
        // reader's tree must give the same catalog; real lockfiles must take the fast path.
        let files = crate::testing::fixture_files(&["pnpm-lock.yaml"]);
        let mut read_fast = 0;
        for (path, text) in &files {
            let Ok(slow) = serde_saphyr::from_str_with_options::<Lock>(text, crate::yaml_lockfile_options()) else {
                assert!(yaml_fast::from_str::<Lock>(text).is_none(), "{} read despite its error", path.display());
                continue;
            };
            let file = ManifestFile { path: "sub/pnpm-lock.yaml", bytes: text.as_bytes() };
            let fast = yaml_fast::from_str::<Lock>(text);
            let fast = fast.unwrap_or_else(|| panic!("{} left the fast path", path.display()));
            let tree = yaml_fast::read(text).and_then(|v| serde_json::from_value::<Lock>(v).ok());
            let tree = tree.unwrap_or_else(|| panic!("{}: the tree does not read as a lockfile", path.display()));
            let want = catalog(&file, text, &slow);
            assert_eq!(catalog(&file, text, &fast), want, "{}", path.display());
            assert_eq!(catalog(&file, text, &tree), want, "{}", path.display());
            assert!(parse(&file).is_ok_and(|c| !c.packages.is_empty()), "{}", path.display());
            read_fast += 1;
        }
        assert!(read_fast >= 3, "only {read_fast} lockfiles read");
    }

    /// A lockfile of `n` packages with peer sets, entries without identity, snapshots
    /// without packages and aliases, its tables in the order `order` gives their keys.
    fn generated(major: u32, n: usize, order: fn(&mut Vec<(String, String)>)) -> String {
        use std::fmt::Write;
        let name = |i: usize| if i.is_multiple_of(5) { format!("@s{}/p{i}", i % 3) } else { format!("p{i}") };
        let version = |i: usize| format!("1.{}.{}", i % 11, i % 7);
        let key = |i: usize| match major {
            5 => format!("/{}/{}", name(i), version(i)),
            6 => format!("/{}@{}", name(i), version(i)),
            _ => format!("{}@{}", name(i), version(i)),
        };
        let reference = |i: usize| match major {
            5 => format!("{}_react@18.0.0", version(i)),
            _ => format!("{}(react@18.0.0)", version(i)),
        };
        let mut packages = Vec::new();
        let mut snapshots = Vec::new();
        for i in 0..n {
            let mut e = String::from("    resolution: {integrity: sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=}\n");
            if i.is_multiple_of(4) {
                e.push_str("    dev: true\n");
            }
            if i.is_multiple_of(9) {
                e.push_str("    optional: true\n");
            }
            if i.is_multiple_of(13) {
                let _ = write!(e, "    name: real-{i}\n    version: 2.0.{i}\n");
            }
            let mut deps = String::from("    dependencies:\n");
            let mut targets = vec![(i + 1) % (n + 3), (i * 7) % n, (i * 31) % n];
            targets.sort_unstable();
            targets.dedup();
            for j in targets {
                let _ = writeln!(deps, "      '{}': {}", name(j), reference(j));
            }
            if major < 9 {
                e.push_str(&deps);
            } else {
                let flag = if i.is_multiple_of(6) { "    optional: true\n" } else { "" };
                snapshots.push((key(i), format!("{flag}{deps}    optionalDependencies:\n      al: x@{}\n", i % 3)));
                if i.is_multiple_of(17) {
                    snapshots.push((format!("{}(peer@1.0.0)", key(i)), deps.clone()));
                }
            }
            if i.is_multiple_of(17) {
                let peer =
                    if major == 5 { format!("{}_peer@1.0.0", key(i)) } else { format!("{}(peer@1.0.0)", key(i)) };
                packages.push((peer, "    resolution: {integrity: sha1-AAAA}\n    optional: true\n".to_string()));
            }
            packages.push((key(i), e));
        }
        packages.push(("weird-key".into(), "    dev: true\n".into()));
        snapshots.push(("missing@1.0.0".into(), "    optional: true\n".into()));
        order(&mut packages);
        order(&mut snapshots);
        let mut s = format!("lockfileVersion: '{major}.0'\n\nimporters:\n\n");
        for imp in ["packages/b", ".", "packages/a"] {
            let _ = write!(s, "  {imp}:\n    devDependencies:\n");
            for j in [3, n / 2, n - 1] {
                let _ = write!(s, "      '{}':\n        specifier: ^1\n        version: {}\n", name(j), reference(j));
            }
            let _ = write!(
                s,
                "    dependencies:\n      linked:\n        specifier: workspace:*\n        version: link:../x\n"
            );
            let _ =
                write!(s, "      isnum:\n        specifier: npm:x@1\n        version: {}@{}\n", name(2), version(2));
        }
        for (table, entries) in [("packages", &packages), ("snapshots", &snapshots)] {
            if !entries.is_empty() {
                let _ = write!(s, "\n{table}:\n");
                for (k, e) in entries {
                    let _ = write!(s, "\n  '{k}':\n{e}");
                }
            }
        }
        s
    }

    #[test]
    fn tables_in_any_order_give_one_catalog() {
        // Tables are read in document order and put in key order where it matters: a
        // lockfile and its tables reversed or sorted give the same catalog (but the lines),
        // through the fast reader and through serde-saphyr alike.
        for major in [5, 6, 9] {
            let mut catalogs = Vec::new();
            for order in [|_: &mut Vec<(String, String)>| {}, |t: &mut Vec<_>| t.reverse(), |t: &mut Vec<_>| t.sort()] {
                let text = generated(major, 300, order);
                let f = ManifestFile { path: "sub/pnpm-lock.yaml", bytes: text.as_bytes() };
                let fast = yaml_fast::from_str::<Lock>(&text).unwrap_or_else(|| panic!("v{major} left the fast path"));
                let slow = serde_saphyr::from_str_with_options::<Lock>(&text, crate::yaml_lockfile_options()).unwrap();
                let mut cat = catalog(&f, &text, &fast).unwrap();
                assert_eq!(Ok(&cat), catalog(&f, &text, &slow).as_ref(), "v{major}");
                assert!(cat.warnings.len() >= if major == 9 { 2 } else { 1 }, "{:?}", cat.warnings);
                for p in &mut cat.packages {
                    p.line = None;
                }
                catalogs.push(cat);
            }
            assert_eq!(catalogs[0], catalogs[1], "v{major}");
            assert_eq!(catalogs[0], catalogs[2], "v{major}");
        }
    }

    #[test]
    fn key_lines_of_both_sections() {
        let text = "lockfileVersion: '6.0'\r\nimporters:\r\n  .:\r\n    x: 1\r\n  'a/b': {}\r\n\r\npackages:\r\n\r\n  /p@1.0.0:\r\n    x: 1\r\n  \"/q@2.0.0\": {}\r\nother:\r\n  /r@1.0.0:\r\n";
        let lines = KeyLines::new(text);
        assert_eq!(lines.get("importers", "."), Some(3));
        assert_eq!(lines.get("importers", "a/b"), Some(5));
        assert_eq!(lines.get("packages", "/p@1.0.0"), Some(9));
        assert_eq!(lines.get("packages", "/q@2.0.0"), Some(11));
        assert_eq!(lines.get("packages", "/r@1.0.0"), None);
        let mut walk = lines.walk("packages");
        assert_eq!((walk.line("/q@2.0.0"), walk.line("/p@1.0.0"), walk.line("/r")), (Some(11), Some(9), None));
    }

    #[test]
    fn invalid_yaml_and_unknown_versions_name_the_line() {
        let run = |t: &str| parse(&ManifestFile { path: "pnpm-lock.yaml", bytes: t.as_bytes() });
        let e = run("lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {resolution: [\n").unwrap_err();
        assert!(e.line.is_some(), "{e}");
        assert!(e.message.contains("invalid YAML"), "{e}");
        let e = run("\nlockfileVersion: '3.0'\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
