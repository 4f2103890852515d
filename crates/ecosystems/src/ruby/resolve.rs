//! Ruby: installed gem specifications, `specifications/NAME-VERSION[-PLATFORM].gemspec`,
//! under the tree's `vendor/bundle/ruby/*/`, `$GEM_HOME`, `$GEM_PATH`, folders given with
//! `--cache-dir gem=PATH` and the usual system and user gem folders. The gemspec is Ruby
//! code and is only read, never run: the `license`/`licenses` assignment is taken from its
//! text. Several licenses are alternatives (OR); the gem's license files are the fallback.

use crate::resolve::online::{Answer, Ask, Registry};
use crate::resolve::{Env, Fence, Found, Parties, Place, Query, Resolution, Resolver, Source, display_path, subdirs};
use kataster_model::model::Ecosystem;
use kataster_model::model::LicenseSource;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub struct RubySource {
    gem_dirs: Vec<Place>,
}

impl RubySource {
    pub fn new(root: &Path, extra: &[PathBuf], defaults: bool, env: &Env) -> RubySource {
        let mut gem_dirs = Vec::new();
        for v in subdirs(&root.join("vendor").join("bundle").join("ruby")) {
            gem_dirs.push(Place::new(v, LicenseSource::Installed));
        }
        for p in extra {
            gem_dirs.push(Place::new(p, LicenseSource::LocalCache));
            for v in subdirs(&p.join("ruby")) {
                gem_dirs.push(Place::new(v, LicenseSource::LocalCache));
            }
        }
        if defaults {
            let mut dirs: Vec<PathBuf> = Vec::new();
            dirs.extend(env.var("GEM_HOME").map(PathBuf::from));
            if let Some(gp) = env.var("GEM_PATH") {
                dirs.extend(std::env::split_paths(gp));
            }
            let mut versioned: Vec<PathBuf> = vec![
                PathBuf::from("/var/lib/gems"),
                PathBuf::from("/usr/lib/ruby/gems"),
                PathBuf::from("/usr/local/lib/ruby/gems"),
            ];
            if let Some(h) = env.home() {
                versioned.push(h.join(".gem").join("ruby"));
                versioned.push(h.join(".local").join("share").join("gem").join("ruby"));
            }
            for v in versioned {
                dirs.extend(subdirs(&v));
            }
            dirs.push(PathBuf::from("/usr/share/rubygems-integration/all"));
            dirs.push(PathBuf::from("/usr/local/bundle"));
            gem_dirs.extend(dirs.into_iter().map(|d| Place::new(d, LicenseSource::LocalCache)));
        }
        gem_dirs.retain(|p| p.dir.join("specifications").is_dir());
        RubySource { gem_dirs }
    }
}

impl Source for RubySource {
    /// The folders this source searches.
    fn dirs(&self) -> Vec<&Path> {
        crate::resolve::place_dirs(&[&self.gem_dirs])
    }

    fn lookup(&self, q: &Query, fence: &Fence) -> Option<Resolution> {
        let v = q.version.as_deref()?;
        let stem = format!("{}-{v}", q.name);
        for place in &self.gem_dirs {
            let specs = place.dir.join("specifications");
            let exact = specs.join(format!("{stem}.gemspec"));
            // Platform gems: NAME-VERSION-PLATFORM.gemspec.
            let spec = if exact.is_file() {
                Some(exact)
            } else {
                let platform = format!("{stem}-");
                fence.files(&specs, |n| n.starts_with(&platform) && n.ends_with(".gemspec")).into_iter().next()
            };
            let Some(spec) = spec else { continue };
            let text = fence.read(&spec)?;
            let gem_dir = place
                .dir
                .join("gems")
                .join(spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
            let parties = gemspec_parties(&text);
            let found = match gemspec_license(&text) {
                Some((found, line)) if found.understood() => Some(Resolution {
                    parties: Default::default(),
                    license: found,
                    source: place.source,
                    location: display_path(&spec),
                    line: Some(line),
                }),
                declared => crate::resolve::files::from_license_files(fence, &gem_dir, place.source).or_else(|| {
                    declared.map(|(found, line)| Resolution {
                        parties: Default::default(),
                        license: found,
                        source: place.source,
                        location: display_path(&spec),
                        line: Some(line),
                    })
                }),
            };
            return found.map(|r| r.with_parties(parties));
        }
        None
    }
}

/// The look-up of gem packages, for the registry of ecosystems.
pub const RESOLVER: Resolver = Resolver {
    ecosystem: Ecosystem::Gem,
    registry: "https://rubygems.org",
    offline: |a| Box::new(RubySource::new(a.root, &a.extra, a.defaults, a.env)),
    online: Some(online),
};

/// RubyGems: the version's `licenses`.
fn online(reg: &Registry, a: &Ask) -> Answer {
    let url = format!("{}/api/v2/rubygems/{}/versions/{}.json", a.base, a.name, a.version);
    reg.json(&url, |doc| {
        let ids: Vec<&str> = doc["licenses"]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default();
        crate::declared_any_of(&ids).map(Found::Declared)
    })
}

/// The strings a gemspec's text assigns to `.FIELD` or `.FIELDs` (`license`, `author`, `email`) (`s.licenses = ["MIT".freeze]`,
/// `spec.author = 'Jane'`), with the line; the first assignment that has any.
fn gemspec_strings(text: &str, field: &str) -> Option<(Vec<String>, u32)> {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    static STR: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| regex::Regex::new(r#"\.(license|author|email)s?\s*=\s*(\[[^\]]*\]|"[^"]*"|'[^']*')"#).ok())
        .as_ref()?;
    let strs = STR.get_or_init(|| regex::Regex::new(r#""([^"]*)"|'([^']*)'"#).ok()).as_ref()?;
    for (i, line) in text.lines().enumerate() {
        let Some(c) = re.captures(line).filter(|c| c.get(1).is_some_and(|f| f.as_str() == field)) else { continue };
        let value = c.get(2)?.as_str();
        let found: Vec<String> = strs
            .captures_iter(value)
            .filter_map(|m| m.get(1).or_else(|| m.get(2)).map(|x| x.as_str().trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect();
        if !found.is_empty() {
            return Some((found, i as u32 + 1));
        }
    }
    None
}

/// The license a gemspec's text assigns (`s.licenses = ["MIT".freeze]`, `spec.license = 'MIT'`),
/// with its line.
pub fn gemspec_license(text: &str) -> Option<(Found, u32)> {
    let (ids, line) = gemspec_strings(text, "license")?;
    Some((Found::Declared(crate::declared_any_of(&ids)?), line))
}

/// The authors a gemspec's text assigns, each with its e-mail where `email` lists as many.
pub fn gemspec_parties(text: &str) -> Parties {
    let authors = gemspec_strings(text, "author").map(|a| a.0).unwrap_or_default();
    let emails = gemspec_strings(text, "email").map(|e| e.0).unwrap_or_default();
    if authors.len() == emails.len() {
        Parties::from_people(authors.iter().zip(&emails).map(|(a, e)| format!("{a} <{e}>")))
    } else {
        Parties::from_people(authors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemspec_assignments() {
        let t = "Gem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.licenses = [\"MIT\".freeze]\nend\n";
        let (f, line) = gemspec_license(t).unwrap();
        assert_eq!(line, 3);
        assert_eq!(f, Found::declared("MIT").unwrap());
        let t = "  spec.license = 'Ruby'\n";
        assert_eq!(gemspec_license(t).unwrap().0, Found::declared("Ruby").unwrap());
        let t = "  s.licenses = [\"MIT\".freeze, \"Ruby\".freeze]\n";
        match gemspec_license(t).unwrap().0 {
            Found::Declared(d) => assert_eq!(d.expression.as_deref(), Some("MIT OR Ruby")),
            other => panic!("{other:?}"),
        }
        assert!(gemspec_license("s.name = 'x'\n").is_none());
    }

    #[test]
    fn gemspec_authors_with_their_mail() {
        let t = "  s.authors = [\"Leah Neukirchen\".freeze]\n  s.email = \"leah@vuxu.org\".freeze\n";
        assert_eq!(gemspec_parties(t).authors, ["Leah Neukirchen <leah@vuxu.org>"]);
        let t = "  s.authors = [\"A\".freeze, \"B\".freeze]\n  s.email = [\"a@x.org\".freeze]\n";
        assert_eq!(gemspec_parties(t).authors, ["A", "B"]);
    }
}
