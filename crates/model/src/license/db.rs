//! The license database: what each license is and what it demands, read from the TOML
//! files in `license-db/` that are compiled into the binary.
//!
//! Owns the vocabulary types (`Category`, `Copyleft`, `Obligation`), the entries per SPDX
//! license, per SPDX exception and per kataster `LicenseRef-`, and the alias table. It never
//! reads files at run time; the data is checked by `tests/it/license_db.rs`, so a malformed
//! file is a build defect, not an input error.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// Version of the compiled-in database (`license-db/VERSION`).
pub const VERSION: &str = include_str!("../../../../license-db/VERSION");

/// The SPDX license list version the database was built against.
pub const SPDX_LIST_VERSION: &str = spdx::identifiers::VERSION;

/// The database files, by name, as compiled in. Order matters only for error messages.
pub const SOURCES: &[(&str, &str)] = &[
    ("licenses.toml", include_str!("../../../../license-db/licenses.toml")),
    ("licenses-defaults.toml", include_str!("../../../../license-db/licenses-defaults.toml")),
    ("refs.toml", include_str!("../../../../license-db/refs.toml")),
    ("exceptions.toml", include_str!("../../../../license-db/exceptions.toml")),
    ("exceptions-defaults.toml", include_str!("../../../../license-db/exceptions-defaults.toml")),
    ("aliases.toml", include_str!("../../../../license-db/aliases.toml")),
];

/// ScanCode's LicenseDB index (CC-BY-4.0, nexB Inc. and others), one license a line, as
/// written by `license-db/scancode/generate.py`. Entries above override its lines.
pub const CATALOGUE: &str = include_str!("../../../../license-db/scancode/index.tsv");
/// The catalogue's license metadata as shipped with its rules (`scancode-toolkit`), written
/// by `license-db/scancode/generate_rules.py`: names and owners, and the licenses newer
/// than the index.
pub const CATALOGUE_LICENSES: &str = include_str!("../../../../license-db/scancode/licenses.tsv");

/// What kind of license it is, from most to least free for a user of the software.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    PublicDomain,
    Permissive,
    WeakCopyleft,
    StrongCopyleft,
    NetworkCopyleft,
    Freeware,
    SourceAvailable,
    /// Sold under a vendor's license agreement: using it needs a purchased license.
    Commercial,
    Proprietary,
    Unknown,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::PublicDomain,
        Category::Permissive,
        Category::WeakCopyleft,
        Category::StrongCopyleft,
        Category::NetworkCopyleft,
        Category::Freeware,
        Category::SourceAvailable,
        Category::Commercial,
        Category::Proprietary,
        Category::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::PublicDomain => "public-domain",
            Category::Permissive => "permissive",
            Category::WeakCopyleft => "weak-copyleft",
            Category::StrongCopyleft => "strong-copyleft",
            Category::NetworkCopyleft => "network-copyleft",
            Category::Freeware => "freeware",
            Category::SourceAvailable => "source-available",
            Category::Commercial => "commercial",
            Category::Proprietary => "proprietary",
            Category::Unknown => "unknown",
        }
    }

    /// The categories of open-source licenses (those that grant use, change and passing on).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Category::PublicDomain
                | Category::Permissive
                | Category::WeakCopyleft
                | Category::StrongCopyleft
                | Category::NetworkCopyleft
        )
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// How restrictive the terms are: `AND` takes the highest, an `OR` choice prefers the
    /// lowest. Unknown ranks last: it could be anything.
    pub fn rank(self) -> u8 {
        self as u8
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Category::PublicDomain, Lang::En) => "public domain",
            (Category::PublicDomain, Lang::De) => "gemeinfrei",
            (Category::Permissive, Lang::En) => "permissive",
            (Category::Permissive, Lang::De) => "freizügig (permissiv)",
            (Category::WeakCopyleft, Lang::En) => "weak copyleft",
            (Category::WeakCopyleft, Lang::De) => "schwaches Copyleft",
            (Category::StrongCopyleft, Lang::En) => "strong copyleft",
            (Category::StrongCopyleft, Lang::De) => "starkes Copyleft",
            (Category::NetworkCopyleft, Lang::En) => "network copyleft",
            (Category::NetworkCopyleft, Lang::De) => "Netzwerk-Copyleft",
            (Category::Freeware, Lang::En) => "freeware",
            (Category::Freeware, Lang::De) => "Freeware",
            (Category::SourceAvailable, Lang::En) => "source-available (not open source)",
            (Category::SourceAvailable, Lang::De) => "Quelltext verfügbar (nicht Open Source)",
            (Category::Commercial, Lang::En) => "commercial",
            (Category::Commercial, Lang::De) => "kommerziell",
            (Category::Proprietary, Lang::En) => "proprietary",
            (Category::Proprietary, Lang::De) => "proprietär",
            (Category::Unknown, Lang::En) => "unknown",
            (Category::Unknown, Lang::De) => "unbekannt",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far a license's copyleft reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Copyleft {
    None,
    /// Changed files stay under the license (MPL, EPL).
    File,
    /// The library stays under the license; works that use it do not (LGPL).
    Library,
    /// The whole work that includes it (GPL).
    WholeWork,
    /// The whole work, also when only offered over a network (AGPL).
    Network,
}

impl Copyleft {
    pub fn as_str(self) -> &'static str {
        match self {
            Copyleft::None => "none",
            Copyleft::File => "file",
            Copyleft::Library => "library",
            Copyleft::WholeWork => "whole-work",
            Copyleft::Network => "network",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Copyleft::None, Lang::En) => "none",
            (Copyleft::None, Lang::De) => "keines",
            (Copyleft::File, Lang::En) => "per file",
            (Copyleft::File, Lang::De) => "dateibezogen",
            (Copyleft::Library, Lang::En) => "the library itself",
            (Copyleft::Library, Lang::De) => "nur die Bibliothek selbst",
            (Copyleft::WholeWork, Lang::En) => "the whole work",
            (Copyleft::WholeWork, Lang::De) => "das gesamte Werk",
            (Copyleft::Network, Lang::En) => "the whole work, also for use over a network",
            (Copyleft::Network, Lang::De) => "das gesamte Werk, auch bei Nutzung über ein Netzwerk",
        }
    }
}

/// What a license demands of whoever uses or passes on the software (and the patent terms
/// it carries, which procurement needs to see beside the duties).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Obligation {
    Attribution,
    IncludeLicenseText,
    IncludeNotice,
    StateChanges,
    DiscloseSourceFile,
    DiscloseSourceLibrary,
    DiscloseSourceWholeWork,
    SameLicense,
    NetworkUseSourceOffer,
    PatentGrant,
    PatentRetaliation,
    NoTrademarkUse,
    FieldOfUseRestriction,
    ChangeDate,
    ChangeLicense,
}

impl Obligation {
    pub const ALL: [Obligation; 15] = [
        Obligation::Attribution,
        Obligation::IncludeLicenseText,
        Obligation::IncludeNotice,
        Obligation::StateChanges,
        Obligation::DiscloseSourceFile,
        Obligation::DiscloseSourceLibrary,
        Obligation::DiscloseSourceWholeWork,
        Obligation::SameLicense,
        Obligation::NetworkUseSourceOffer,
        Obligation::PatentGrant,
        Obligation::PatentRetaliation,
        Obligation::NoTrademarkUse,
        Obligation::FieldOfUseRestriction,
        Obligation::ChangeDate,
        Obligation::ChangeLicense,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Obligation::Attribution => "attribution",
            Obligation::IncludeLicenseText => "include-license-text",
            Obligation::IncludeNotice => "include-notice",
            Obligation::StateChanges => "state-changes",
            Obligation::DiscloseSourceFile => "disclose-source-file",
            Obligation::DiscloseSourceLibrary => "disclose-source-library",
            Obligation::DiscloseSourceWholeWork => "disclose-source-whole-work",
            Obligation::SameLicense => "same-license",
            Obligation::NetworkUseSourceOffer => "network-use-source-offer",
            Obligation::PatentGrant => "patent-grant",
            Obligation::PatentRetaliation => "patent-retaliation",
            Obligation::NoTrademarkUse => "no-trademark-use",
            Obligation::FieldOfUseRestriction => "field-of-use-restriction",
            Obligation::ChangeDate => "change-date",
            Obligation::ChangeLicense => "change-license",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Obligation::Attribution, Lang::En) => "name the authors (keep copyright notices)",
            (Obligation::Attribution, Lang::De) => "Urheber nennen (Copyright-Vermerke erhalten)",
            (Obligation::IncludeLicenseText, Lang::En) => "pass on the license text",
            (Obligation::IncludeLicenseText, Lang::De) => "Lizenztext mitliefern",
            (Obligation::IncludeNotice, Lang::En) => "pass on the NOTICE file",
            (Obligation::IncludeNotice, Lang::De) => "NOTICE-Datei mitliefern",
            (Obligation::StateChanges, Lang::En) => "mark changes you made",
            (Obligation::StateChanges, Lang::De) => "Änderungen kennzeichnen",
            (Obligation::DiscloseSourceFile, Lang::En) => "publish the source of changed files",
            (Obligation::DiscloseSourceFile, Lang::De) => "Quelltext geänderter Dateien offenlegen",
            (Obligation::DiscloseSourceLibrary, Lang::En) => "publish the source of the library (and allow relinking)",
            (Obligation::DiscloseSourceLibrary, Lang::De) => {
                "Quelltext der Bibliothek offenlegen (und Neu-Linken ermöglichen)"
            }
            (Obligation::DiscloseSourceWholeWork, Lang::En) => {
                "publish the source of the whole work when passing it on"
            }
            (Obligation::DiscloseSourceWholeWork, Lang::De) => {
                "bei Weitergabe den Quelltext des gesamten Werks offenlegen"
            }
            (Obligation::SameLicense, Lang::En) => "pass it on under the same license",
            (Obligation::SameLicense, Lang::De) => "nur unter derselben Lizenz weitergeben",
            (Obligation::NetworkUseSourceOffer, Lang::En) => "offer the source also to users over a network",
            (Obligation::NetworkUseSourceOffer, Lang::De) => "Quelltext auch Nutzern über ein Netzwerk anbieten",
            (Obligation::PatentGrant, Lang::En) => "grants a patent license",
            (Obligation::PatentGrant, Lang::De) => "räumt eine Patentlizenz ein",
            (Obligation::PatentRetaliation, Lang::En) => "patent license ends if you sue over patents",
            (Obligation::PatentRetaliation, Lang::De) => "Patentlizenz erlischt bei Patentklage",
            (Obligation::NoTrademarkUse, Lang::En) => "no right to use the trademarks",
            (Obligation::NoTrademarkUse, Lang::De) => "kein Recht an den Marken",
            (Obligation::FieldOfUseRestriction, Lang::En) => "restricts how or by whom it may be used",
            (Obligation::FieldOfUseRestriction, Lang::De) => "schränkt Einsatzzweck oder Nutzerkreis ein",
            (Obligation::ChangeDate, Lang::En) => "converts to another license on its change date",
            (Obligation::ChangeDate, Lang::De) => "wechselt zum Stichtag (Change Date) die Lizenz",
            (Obligation::ChangeLicense, Lang::En) => "names the license it changes to",
            (Obligation::ChangeLicense, Lang::De) => "nennt die Lizenz, zu der sie wechselt",
        }
    }
}

/// Where an entry's facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Written and reviewed by a person.
    Curated,
    /// Derived from the SPDX list flags and the name by the generator; not reviewed.
    Rules,
    /// Taken from ScanCode's LicenseDB index (`license-db/scancode/`): its category mapped
    /// to kataster's, obligations by category; not reviewed.
    Catalogue,
}

/// Language of summaries and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
}

fn in_lang<'a>(lang: Lang, en: &'a str, de: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::De => de,
    }
}

/// One license: an SPDX id or a `LicenseRef-`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenseEntry {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub osi_approved: bool,
    pub fsf_libre: bool,
    pub open_source: bool,
    pub copyleft: Copyleft,
    #[serde(default)]
    pub obligations: Vec<Obligation>,
    pub basis: Basis,
    pub summary_en: String,
    pub summary_de: String,
    /// Who grants the license (the vendor of a commercial license), when known.
    #[serde(default)]
    pub owner: Option<String>,
}

impl LicenseEntry {
    pub fn summary(&self, lang: Lang) -> &str {
        in_lang(lang, &self.summary_en, &self.summary_de)
    }
}

/// One SPDX exception (the part after `WITH`): what it changes about the license.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionEntry {
    pub id: String,
    pub name: String,
    /// The copyleft reach the exception leaves at most (`library` for linking exceptions).
    #[serde(default)]
    pub limits_copyleft_to: Option<Copyleft>,
    /// Obligations the exception lifts.
    #[serde(default)]
    pub removes: Vec<Obligation>,
    /// Obligations the exception adds.
    #[serde(default)]
    pub adds: Vec<Obligation>,
    pub basis: Basis,
    pub summary_en: String,
    pub summary_de: String,
}

impl ExceptionEntry {
    pub fn summary(&self, lang: Lang) -> &str {
        in_lang(lang, &self.summary_en, &self.summary_de)
    }
}

/// Names people write, mapped to an SPDX expression.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasEntry {
    pub expression: String,
    /// True when the name does not say enough and the expression is a guess ("BSD").
    #[serde(default)]
    pub inferred: bool,
    pub names: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DbFile {
    #[serde(default)]
    license: Vec<LicenseEntry>,
    #[serde(default)]
    exception: Vec<ExceptionEntry>,
    #[serde(default)]
    alias: Vec<AliasEntry>,
}

/// The loaded database.
#[derive(Debug, Default)]
pub struct Db {
    pub licenses: HashMap<String, LicenseEntry>,
    pub exceptions: HashMap<String, ExceptionEntry>,
    pub aliases: Vec<AliasEntry>,
    /// Alias key (see `alias_key`) -> (expression, inferred).
    alias_index: HashMap<String, (String, bool)>,
    /// Lower-case catalogue id or other id -> the current id (`LicenseRef-scancode-...` or
    /// the SPDX id); only ids the SPDX list does not hold.
    catalogue_ids: HashMap<String, String>,
    /// Lower-case ScanCode key -> id, for keys of licenses kataster can place.
    catalogue_keys: HashMap<String, String>,
}

impl Db {
    /// Parse database files; errors name the file and the problem.
    pub fn parse(sources: &[(&str, &str)]) -> Result<Db, String> {
        let mut db = Db::default();
        for (name, text) in sources {
            let file: DbFile = toml::from_str(text).map_err(|e| format!("license-db/{name}: {e}"))?;
            for l in file.license {
                if db.licenses.contains_key(&l.id) {
                    return Err(format!("license-db/{name}: license {} is defined twice", l.id));
                }
                db.licenses.insert(l.id.clone(), l);
            }
            for e in file.exception {
                if db.exceptions.contains_key(&e.id) {
                    return Err(format!("license-db/{name}: exception {} is defined twice", e.id));
                }
                db.exceptions.insert(e.id.clone(), e);
            }
            for a in file.alias {
                for n in &a.names {
                    let key = alias_key(n);
                    if let Some((prev, _)) = db.alias_index.get(&key)
                        && prev != &a.expression
                    {
                        return Err(format!(
                            "license-db/{name}: alias `{n}` maps to both `{prev}` and `{}`",
                            a.expression
                        ));
                    }
                    db.alias_index.insert(key, (a.expression.clone(), a.inferred));
                }
                db.aliases.push(a);
            }
        }
        Ok(db)
    }

    /// The compiled-in database: the TOML files, then the catalogue.
    pub fn compiled() -> Result<Db, String> {
        let mut db = Db::parse(SOURCES)?;
        db.add_catalogue(CATALOGUE)?;
        db.add_catalogue_licenses(CATALOGUE_LICENSES)?;
        Ok(db)
    }

    /// Add ScanCode's LicenseDB index (the lines of `license-db/scancode/index.tsv`). An id
    /// the TOML files define keeps its entry; a rules-based entry the rules could not place
    /// takes the catalogue's category. SPDX exceptions stay in the exception table.
    pub fn add_catalogue(&mut self, tsv: &str) -> Result<(), String> {
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = || format!("license-db/scancode/index.tsv:{}: malformed line", n + 1);
            let mut f = line.split('\t');
            let (Some(id), Some(key), Some(sc_category), Some(category), Some(flags), Some(others), None) =
                (f.next(), f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                return Err(bad());
            };
            let category = Category::parse(category).ok_or_else(bad)?;
            let deprecated = flags.contains('d');
            let spdx_id = spdx_license(id);
            let id = spdx_id.as_deref().unwrap_or(id);
            // An SPDX exception: the exception table answers for it, its other ids lead to it.
            let exception = spdx_id.is_none() && spdx::exception_id(id).is_some();
            match self.licenses.get_mut(id) {
                _ if exception => {}
                Some(e) => {
                    if e.basis == Basis::Rules && e.category == Category::Unknown && category != Category::Unknown {
                        let c = catalogue_entry(id, key, sc_category, category, deprecated);
                        e.category = c.category;
                        e.copyleft = c.copyleft;
                        e.obligations = c.obligations;
                        e.basis = Basis::Catalogue;
                        e.summary_en = c.summary_en;
                        e.summary_de = c.summary_de;
                    }
                }
                None if spdx_id.is_none() => {
                    self.licenses.insert(id.to_string(), catalogue_entry(id, key, sc_category, category, deprecated));
                }
                // An SPDX id the TOML files lack: the SPDX tests report it.
                None => continue,
            }
            if spdx_id.is_none() && !exception {
                self.catalogue_ids.insert(id.to_ascii_lowercase(), id.to_string());
            }
            if others != "-" {
                for o in others.split(',') {
                    if spdx_license(o).is_none() && spdx::exception_id(o).is_none() {
                        self.catalogue_ids.insert(o.to_ascii_lowercase(), id.to_string());
                    }
                }
            }
            if category != Category::Unknown && !deprecated && !exception {
                self.catalogue_keys.insert(key.to_ascii_lowercase(), id.to_string());
            }
        }
        Ok(())
    }

    /// Add the license metadata of the catalogue's rules (`license-db/scancode/licenses.tsv`):
    /// entries taken from the index get the catalogue's name and owner; licenses the index
    /// does not have yet (the rules' catalogue is newer) are added with their category.
    /// Curated and SPDX entries stay as they are.
    pub fn add_catalogue_licenses(&mut self, tsv: &str) -> Result<(), String> {
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let [key, id, name, sc_category, owner, _homepage, _texts, flags] = f[..] else {
                return Err(format!("license-db/scancode/licenses.tsv:{}: malformed line", n + 1));
            };
            if flags.contains('d') || flags.contains('x') || !id.starts_with("LicenseRef-scancode-") {
                continue;
            }
            let entry = self
                .licenses
                .entry(id.to_string())
                .or_insert_with(|| catalogue_entry(id, key, sc_category, scancode_category(sc_category), false));
            if entry.basis == Basis::Catalogue {
                entry.name = name.to_string();
                if entry.owner.is_none() && owner != "-" {
                    entry.owner = Some(owner.to_string());
                }
            }
            self.catalogue_ids.entry(id.to_ascii_lowercase()).or_insert_with(|| id.to_string());
            self.catalogue_keys.entry(key.to_ascii_lowercase()).or_insert_with(|| id.to_string());
        }
        Ok(())
    }

    /// The current id for a catalogue id or one of its other ids, in any case
    /// (`licenseref-scancode-ag-grid-enterprise`, `LicenseRef-Commercial`).
    pub fn catalogue_id(&self, token: &str) -> Option<&str> {
        self.catalogue_ids.get(&token.to_ascii_lowercase()).map(String::as_str)
    }

    /// The id of a license named by its ScanCode key (`ag-grid-enterprise`), any case.
    pub fn catalogue_key(&self, key: &str) -> Option<&str> {
        self.catalogue_keys.get(&key.trim().to_ascii_lowercase()).map(String::as_str)
    }

    pub fn license(&self, id: &str) -> Option<&LicenseEntry> {
        self.licenses.get(id)
    }

    pub fn exception(&self, id: &str) -> Option<&ExceptionEntry> {
        self.exceptions.get(id)
    }

    /// The expression an alias stands for, and whether it is a guess.
    pub fn alias(&self, name: &str) -> Option<(&str, bool)> {
        self.alias_index.get(&alias_key(name)).map(|(e, i)| (e.as_str(), *i))
    }
}

/// The compiled-in database. A defect in it is caught by the tests; should it happen
/// anyway, the database is empty and every license classifies as unknown.
pub fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| Db::compiled().unwrap_or_default())
}

/// The SPDX list id an id stands for (any case; deprecated GNU ids as -only/-or-later),
/// without consulting the database (which calls this while it loads).
fn spdx_license(id: &str) -> Option<String> {
    crate::license::canonical_spdx_id(id).filter(|c| spdx::license_id(c.trim_end_matches('+')).is_some())
}

/// An entry for a catalogue line: obligations by category, a generated summary.
/// ScanCode's category as kataster's (the mapping of `license-db/scancode/generate.py`,
/// described in `docs/license-db.md`).
fn scancode_category(sc: &str) -> Category {
    match sc {
        "Permissive" | "Patent License" => Category::Permissive,
        "Public Domain" => Category::PublicDomain,
        "Copyleft Limited" => Category::WeakCopyleft,
        "Copyleft" => Category::StrongCopyleft,
        "Commercial" => Category::Commercial,
        "Proprietary Free" => Category::Freeware,
        "Source-available" | "Free Restricted" => Category::SourceAvailable,
        _ => Category::Unknown,
    }
}

fn catalogue_entry(id: &str, key: &str, sc_category: &str, category: Category, deprecated: bool) -> LicenseEntry {
    use Category::*;
    let (copyleft, obligations): (Copyleft, &[Obligation]) = match category {
        PublicDomain => (Copyleft::None, &[]),
        Permissive => (Copyleft::None, &[Obligation::Attribution, Obligation::IncludeLicenseText]),
        WeakCopyleft => (
            Copyleft::File,
            &[
                Obligation::Attribution,
                Obligation::IncludeLicenseText,
                Obligation::DiscloseSourceFile,
                Obligation::SameLicense,
            ],
        ),
        StrongCopyleft | NetworkCopyleft => (
            Copyleft::WholeWork,
            &[
                Obligation::Attribution,
                Obligation::IncludeLicenseText,
                Obligation::DiscloseSourceWholeWork,
                Obligation::SameLicense,
            ],
        ),
        Freeware | SourceAvailable | Commercial | Proprietary => (Copyleft::None, &[Obligation::FieldOfUseRestriction]),
        Unknown => (Copyleft::None, &[]),
    };
    let (en, de) = match category {
        PublicDomain => ("no conditions", "keine Bedingungen"),
        Permissive => ("keep the copyright notice and license text", "Copyright-Vermerk und Lizenztext erhalten"),
        WeakCopyleft => (
            "changes to the licensed parts must be published under it",
            "Änderungen an den lizenzierten Teilen sind unter ihr offenzulegen",
        ),
        StrongCopyleft | NetworkCopyleft => (
            "whoever passes on a work built with it must publish its source under the same license",
            "wer ein damit gebautes Werk weitergibt, muss dessen Quelltext unter derselben Lizenz offenlegen",
        ),
        Freeware => (
            "free of charge, but no source or modification rights: not open source",
            "kostenlos, aber ohne Recht auf Quelltext oder Änderung: nicht Open Source",
        ),
        SourceAvailable => (
            "free of charge or source visible, but the use is restricted: not open source",
            "kostenlos oder Quelltext einsehbar, aber die Nutzung ist eingeschränkt: nicht Open Source",
        ),
        Commercial => (
            "a vendor's commercial license: using it needs a purchased license",
            "kommerzielle Lizenz eines Herstellers: die Nutzung erfordert eine erworbene Lizenz",
        ),
        Proprietary => ("proprietary", "proprietär"),
        Unknown => {
            ("not placed; read the license text before use", "nicht eingeordnet; vor der Nutzung den Lizenztext lesen")
        }
    };
    let old = if deprecated { ", deprecated there" } else { "" };
    let alt = if deprecated { ", dort veraltet" } else { "" };
    LicenseEntry {
        id: id.to_string(),
        name: format!("{key} (ScanCode LicenseDB)"),
        category,
        osi_approved: false,
        fsf_libre: false,
        open_source: category.is_open(),
        copyleft,
        obligations: obligations.to_vec(),
        basis: Basis::Catalogue,
        summary_en: format!("{key}: {en}. ScanCode LicenseDB category \"{sc_category}\"{old}; not reviewed."),
        summary_de: format!("{key}: {de}. Kategorie \"{sc_category}\" der ScanCode LicenseDB{alt}; nicht geprüft."),
        owner: None,
    }
}

/// The version string every report records: the database version and the SPDX list it covers.
pub fn version() -> String {
    format!("{} (SPDX {})", VERSION.trim(), SPDX_LIST_VERSION)
}

/// How an alias is looked up: lower case, single spaces, no surrounding quotes or final
/// period, and URLs without scheme, `www.`, trailing slash or file extension.
pub fn alias_key(name: &str) -> String {
    let mut s = name.trim().trim_matches(|c| c == '"' || c == '\'').trim().to_lowercase();
    s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    while s.ends_with('.') || s.ends_with(',') || s.ends_with(';') {
        s.pop();
    }
    for scheme in ["https://", "http://"] {
        if let Some(rest) = s.strip_prefix(scheme) {
            s = rest.to_string();
        }
    }
    if let Some(rest) = s.strip_prefix("www.") {
        s = rest.to_string();
    }
    if s.contains('/') && !s.contains(' ') {
        while s.ends_with('/') {
            s.pop();
        }
        for ext in [".txt", ".html", ".htm", ".php", ".md", ".en"] {
            if let Some(rest) = s.strip_suffix(ext) {
                s = rest.to_string();
            }
        }
        // gpl-3.0.en.html -> gpl-3.0.en -> gpl-3.0
        if let Some(rest) = s.strip_suffix(".en") {
            s = rest.to_string();
        }
    }
    s
}
