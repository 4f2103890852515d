//! The words of the human-readable reports (csv, xlsx, html, notice) in English and German.
//!
//! Owns every heading, label and vocabulary name those reports show, so that a report never
//! spells a word itself. The German is written for municipal readers (procurement offices,
//! heads of IT): plain terms such as "Open-Source-Anteil", "Pflichten", "Prüfbedarf".
//! Machine formats (json, CycloneDX, SPDX) never go through this module.

use kataster_model::model::{ComponentKind, Decision, LicenseSource, Scope, Severity};

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    pub const NAMES: &'static [&'static str] = &["en", "de"];

    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The fixed texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::De => &DE,
        }
    }
}

/// Every fixed text a report shows.
#[derive(Debug)]
pub struct Texts {
    pub project: &'static str,
    pub component: &'static str,
    pub version: &'static str,
    pub ecosystem: &'static str,
    pub kind: &'static str,
    pub scope: &'static str,
    pub purl: &'static str,
    pub concluded_license: &'static str,
    pub declared_license: &'static str,
    pub scope_license: &'static str,
    pub discovered_licenses: &'static str,
    pub vendor: &'static str,
    pub category: &'static str,
    pub open_source: &'static str,
    pub obligations: &'static str,
    pub license_source: &'static str,
    pub needs_review: &'static str,
    pub locations: &'static str,
    pub id: &'static str,
    pub root: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub none: &'static str,
    pub unknown: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub components: &'static str,
    pub licenses: &'static str,
    pub license: &'static str,
    pub findings: &'static str,
    pub diagnostics: &'static str,
    pub open_source_share: &'static str,
    pub open_source_share_known: &'static str,
    pub open_source_unknown: &'static str,
    pub categories: &'static str,
    pub per_project: &'static str,
    pub count: &'static str,
    pub share: &'static str,
    pub total: &'static str,
    pub not_open_source: &'static str,
    pub unclassified_hint: &'static str,
    pub review_items: &'static str,
    pub no_findings: &'static str,
    pub no_diagnostics: &'static str,
    pub search: &'static str,
    pub shown: &'static str,
    pub scanned_roots: &'static str,
    pub scan_started: &'static str,
    pub tool: &'static str,
    pub license_db: &'static str,
    pub files: &'static str,
    pub severity: &'static str,
    pub path: &'static str,
    pub code: &'static str,
    pub message: &'static str,
    pub decision: &'static str,
    pub rule: &'static str,
    pub reason: &'static str,
    pub evidence: &'static str,
    pub reasons: &'static str,
    pub copyleft: &'static str,
    pub notice_title: &'static str,
    pub notice_intro: &'static str,
    pub notice_no_license: &'static str,
    pub notice_text_unavailable: &'static str,
    pub notice_data_credit: &'static str,
    pub license_text: &'static str,
    pub copyright_lines: &'static str,
    pub no_copyright: &'static str,
    pub sort_hint: &'static str,
    pub outside_projects: &'static str,
    pub entitlements: &'static str,
    pub entitlements_intro: &'static str,
    pub entitlement_id: &'static str,
    pub product: &'static str,
    pub covers: &'static str,
    pub license_type: &'static str,
    pub quantity: &'static str,
    pub in_use: &'static str,
    pub contract: &'static str,
    pub cost_centre: &'static str,
    pub department: &'static str,
    pub valid_from: &'static str,
    pub valid_until: &'static str,
    pub validity: &'static str,
    pub over_quantity: &'static str,
    pub repositories: &'static str,
    pub departments: &'static str,
    pub vendors: &'static str,
    pub vendors_intro: &'static str,
    pub products: &'static str,
}

pub static EN: Texts = Texts {
    project: "Project",
    component: "Component",
    version: "Version",
    ecosystem: "Ecosystem",
    kind: "Kind",
    scope: "Scope",
    purl: "Package URL (purl)",
    concluded_license: "Concluded license",
    declared_license: "Declared license",
    scope_license: "License file",
    discovered_licenses: "Discovered in files",
    vendor: "Vendor",
    category: "Category",
    open_source: "Open source",
    obligations: "Obligations",
    license_source: "License information from",
    needs_review: "Needs review",
    locations: "Locations",
    id: "Id",
    root: "Root",
    yes: "yes",
    no: "no",
    none: "none",
    unknown: "unknown",
    title: "Software inventory",
    summary: "Summary",
    components: "Components",
    licenses: "Licenses",
    license: "License",
    findings: "Findings",
    diagnostics: "Diagnostics",
    open_source_share: "Open-source share",
    open_source_share_known: "of the components whose status is known",
    open_source_unknown: "Status unknown",
    categories: "Categories",
    per_project: "Per project",
    count: "Count",
    share: "Share",
    total: "Total",
    not_open_source: "not open source",
    unclassified_hint: "not yet classified: the license database has given no verdict",
    review_items: "Components needing review",
    no_findings: "No findings.",
    no_diagnostics: "No diagnostics.",
    search: "Search components",
    shown: "shown",
    scanned_roots: "Scanned",
    scan_started: "Scan started",
    tool: "Tool",
    license_db: "License database",
    files: "Files",
    severity: "Severity",
    path: "Path",
    code: "Code",
    message: "Message",
    decision: "Decision",
    rule: "Rule",
    reason: "Reason",
    evidence: "Evidence",
    reasons: "Reasons",
    copyleft: "Copyleft",
    notice_title: "Third-party notices",
    notice_intro: "This distribution contains the components listed below, grouped by license. Each license text is given once, followed by the components under it and their copyright notices.",
    notice_no_license: "Components without a known license",
    notice_text_unavailable: "The text of this license is not on the SPDX list; see the component's own license files.",
    notice_data_credit: "License categories of licenses not on the SPDX list: ScanCode LicenseDB, (c) nexB Inc. and others, CC-BY-4.0, https://scancode-licensedb.aboutcode.org/",
    license_text: "License text",
    copyright_lines: "Copyright notices",
    no_copyright: "no copyright notice found",
    sort_hint: "Click a column heading to sort.",
    outside_projects: "outside any project",
    entitlements: "Entitlements",
    entitlements_intro: "The register of purchased licenses and what the scan found of each: the components it covers, in which repositories and departments, and whether it is valid, ending soon, over its quantity or unused.",
    entitlement_id: "Entitlement",
    product: "Product",
    covers: "Covers",
    license_type: "License type",
    quantity: "Quantity",
    in_use: "In use",
    contract: "Contract",
    cost_centre: "Cost centre",
    department: "Department",
    valid_from: "Valid from",
    valid_until: "Valid until",
    validity: "Validity",
    over_quantity: "Over quantity",
    repositories: "Repositories",
    departments: "Departments",
    vendors: "Vendor dependence",
    vendors_intro: "The vendors of the components that are not open source, ranked by how many components, repositories and departments depend on them.",
    products: "Products",
};

pub static DE: Texts = Texts {
    project: "Projekt",
    component: "Komponente",
    version: "Version",
    ecosystem: "Ökosystem",
    kind: "Art",
    scope: "Verwendung",
    purl: "Paket-URL (purl)",
    concluded_license: "Festgestellte Lizenz",
    declared_license: "Angegebene Lizenz",
    scope_license: "Lizenzdatei",
    discovered_licenses: "In Dateien gefunden",
    vendor: "Hersteller",
    category: "Kategorie",
    open_source: "Open Source",
    obligations: "Pflichten",
    license_source: "Lizenzangabe aus",
    needs_review: "Prüfbedarf",
    locations: "Fundorte",
    id: "Kennung",
    root: "Wurzel",
    yes: "ja",
    no: "nein",
    none: "keine",
    unknown: "unbekannt",
    title: "Software-Kataster",
    summary: "Übersicht",
    components: "Komponenten",
    licenses: "Lizenzen",
    license: "Lizenz",
    findings: "Befunde",
    diagnostics: "Hinweise zum Scan",
    open_source_share: "Open-Source-Anteil",
    open_source_share_known: "der Komponenten mit bekanntem Status",
    open_source_unknown: "Status unbekannt",
    categories: "Kategorien",
    per_project: "Je Projekt",
    count: "Anzahl",
    share: "Anteil",
    total: "Gesamt",
    not_open_source: "kein Open Source",
    unclassified_hint: "noch nicht klassifiziert: die Lizenzdatenbank hat kein Urteil abgegeben",
    review_items: "Komponenten mit Prüfbedarf",
    no_findings: "Keine Befunde.",
    no_diagnostics: "Keine Hinweise.",
    search: "Komponenten durchsuchen",
    shown: "angezeigt",
    scanned_roots: "Untersucht",
    scan_started: "Scan begonnen",
    tool: "Werkzeug",
    license_db: "Lizenzdatenbank",
    files: "Dateien",
    severity: "Schwere",
    path: "Pfad",
    code: "Code",
    message: "Meldung",
    decision: "Entscheidung",
    rule: "Regel",
    reason: "Begründung",
    evidence: "Nachweis",
    reasons: "Begründungen",
    copyleft: "Copyleft",
    notice_title: "Hinweise zu Komponenten Dritter",
    notice_intro: "Diese Distribution enthält die unten aufgeführten Komponenten, geordnet nach Lizenz. Jeder Lizenztext steht einmal, danach die Komponenten unter dieser Lizenz mit ihren Urheberrechtsvermerken.",
    notice_no_license: "Komponenten ohne bekannte Lizenz",
    notice_text_unavailable: "Der Text dieser Lizenz steht nicht auf der SPDX-Liste; siehe die Lizenzdateien der Komponente.",
    notice_data_credit: "Lizenzkategorien von Lizenzen außerhalb der SPDX-Liste: ScanCode LicenseDB, (c) nexB Inc. und andere, CC-BY-4.0, https://scancode-licensedb.aboutcode.org/",
    license_text: "Lizenztext",
    copyright_lines: "Urheberrechtsvermerke",
    no_copyright: "kein Urheberrechtsvermerk gefunden",
    sort_hint: "Zum Sortieren auf eine Spaltenüberschrift klicken.",
    outside_projects: "außerhalb von Projekten",
    entitlements: "Lizenzbestand",
    entitlements_intro: "Der Bestand gekaufter Lizenzen und was der Scan davon gefunden hat: die abgedeckten Komponenten, in welchen Repositories und Fachbereichen, und ob die Lizenz gültig ist, bald ausläuft, über der vereinbarten Anzahl genutzt wird oder ungenutzt ist.",
    entitlement_id: "Lizenz-Nr.",
    product: "Produkt",
    covers: "Deckt ab",
    license_type: "Lizenzart",
    quantity: "Anzahl",
    in_use: "Genutzt",
    contract: "Vertrag",
    cost_centre: "Kostenstelle",
    department: "Fachbereich",
    valid_from: "Gültig ab",
    valid_until: "Gültig bis",
    validity: "Gültigkeit",
    over_quantity: "Über Anzahl",
    repositories: "Repositories",
    departments: "Fachbereiche",
    vendors: "Herstellerabhängigkeit",
    vendors_intro: "Die Hersteller der Komponenten, die nicht Open Source sind, geordnet danach, wie viele Komponenten, Repositories und Fachbereiche von ihnen abhängen.",
    products: "Produkte",
};

/// The category name for a classification category; `None` is "unclassified".
pub fn category(lang: Lang, cat: Option<&str>) -> String {
    let Some(cat) = cat else {
        return match lang {
            Lang::En => "unclassified",
            Lang::De => "nicht klassifiziert",
        }
        .to_string();
    };
    let name = match (lang, cat) {
        (Lang::En, "permissive") => "permissive",
        (Lang::En, "weak-copyleft") => "weak copyleft",
        (Lang::En, "strong-copyleft") => "strong copyleft",
        (Lang::En, "network-copyleft") => "network copyleft",
        (Lang::En, "public-domain") => "public domain",
        (Lang::En, "source-available") => "source available (not open source)",
        (Lang::En, "freeware") => "freeware",
        (Lang::En, "commercial") => "commercial (license to be purchased)",
        (Lang::En, "proprietary") => "proprietary",
        (Lang::En, "unknown") => "unknown",
        (Lang::De, "permissive") => "freizügig",
        (Lang::De, "weak-copyleft") => "schwaches Copyleft",
        (Lang::De, "strong-copyleft") => "starkes Copyleft",
        (Lang::De, "network-copyleft") => "Netzwerk-Copyleft",
        (Lang::De, "public-domain") => "gemeinfrei",
        (Lang::De, "source-available") => "Quelltext einsehbar (kein Open Source)",
        (Lang::De, "freeware") => "Freeware",
        (Lang::De, "commercial") => "kommerziell (Lizenz muss erworben werden)",
        (Lang::De, "proprietary") => "proprietär",
        (Lang::De, "unknown") => "unbekannt",
        _ => return cat.to_string(),
    };
    name.to_string()
}

/// A readable name for an obligation id of the license database (`include-license-text`).
/// Ids this module does not know are shown as written.
pub fn obligation(lang: Lang, id: &str) -> String {
    let key = id.to_ascii_lowercase().replace('_', "-");
    let name = match (lang, key.as_str()) {
        (Lang::En, "attribution") => "give attribution",
        (Lang::En, "include-license-text" | "include-license") => "include the license text",
        (Lang::En, "include-notice") => "include the NOTICE file",
        (Lang::En, "state-changes") => "state changes",
        (Lang::En, "disclose-source") => "disclose the source code",
        (Lang::En, "disclose-source-file") => "disclose the source of changed files",
        (Lang::En, "disclose-source-library") => "disclose the source of the library",
        (Lang::En, "disclose-source-work" | "disclose-source-whole-work") => "disclose the source of the whole work",
        (Lang::En, "same-license") => "distribute under the same license",
        (Lang::En, "network-use-source-offer" | "network-use-disclose") => "offer the source to network users",
        (Lang::En, "patent-grant") => "patent grant",
        (Lang::En, "patent-retaliation") => "patent retaliation",
        (Lang::En, "no-trademark-use") => "no use of trademarks",
        (Lang::En, "field-of-use-restriction") => "restricted field of use",
        (Lang::En, "change-date") => "change date (license changes later)",
        (Lang::En, "change-license") => "license after the change date",
        (Lang::De, "attribution") => "Urheber nennen",
        (Lang::De, "include-license-text" | "include-license") => "Lizenztext beilegen",
        (Lang::De, "include-notice") => "NOTICE-Datei beilegen",
        (Lang::De, "state-changes") => "Änderungen kennzeichnen",
        (Lang::De, "disclose-source") => "Quellcode offenlegen",
        (Lang::De, "disclose-source-file") => "Quellcode geänderter Dateien offenlegen",
        (Lang::De, "disclose-source-library") => "Quellcode der Bibliothek offenlegen",
        (Lang::De, "disclose-source-work" | "disclose-source-whole-work") => "Quellcode des gesamten Werks offenlegen",
        (Lang::De, "same-license") => "unter gleicher Lizenz weitergeben",
        (Lang::De, "network-use-source-offer" | "network-use-disclose") => {
            "Quellcode auch bei Netzwerknutzung anbieten"
        }
        (Lang::De, "patent-grant") => "Patentlizenz",
        (Lang::De, "patent-retaliation") => "Patentklausel (Lizenzverlust bei Patentklage)",
        (Lang::De, "no-trademark-use") => "keine Nutzung von Marken",
        (Lang::De, "field-of-use-restriction") => "eingeschränkter Einsatzbereich",
        (Lang::De, "change-date") => "Stichtag (Lizenz ändert sich später)",
        (Lang::De, "change-license") => "Lizenz nach dem Stichtag",
        _ => return id.to_string(),
    };
    name.to_string()
}

pub fn license_source(lang: Lang, s: LicenseSource) -> &'static str {
    match (lang, s) {
        (Lang::En, LicenseSource::Manifest) => "manifest",
        (Lang::En, LicenseSource::Lockfile) => "lockfile",
        (Lang::En, LicenseSource::Installed) => "installed package",
        (Lang::En, LicenseSource::LocalCache) => "local package cache",
        (Lang::En, LicenseSource::Registry) => "registry",
        (Lang::En, LicenseSource::Clarification) => "policy clarification",
        (Lang::En, LicenseSource::LicenseFile) => "license file",
        (Lang::En, LicenseSource::Reuse) => "REUSE assignment",
        (Lang::En, LicenseSource::Files) => "file headers and notices",
        (Lang::De, LicenseSource::Manifest) => "Paketbeschreibung",
        (Lang::De, LicenseSource::Lockfile) => "Lockdatei",
        (Lang::De, LicenseSource::Installed) => "installiertes Paket",
        (Lang::De, LicenseSource::LocalCache) => "lokaler Paket-Cache",
        (Lang::De, LicenseSource::Registry) => "Paketregister",
        (Lang::De, LicenseSource::Clarification) => "Klarstellung in der Richtlinie",
        (Lang::De, LicenseSource::LicenseFile) => "Lizenzdatei",
        (Lang::De, LicenseSource::Reuse) => "REUSE-Zuordnung",
        (Lang::De, LicenseSource::Files) => "Dateiköpfe und Hinweise",
    }
}

pub fn kind(lang: Lang, k: ComponentKind) -> &'static str {
    match (lang, k) {
        (Lang::En, ComponentKind::Project) => "project",
        (Lang::En, ComponentKind::Dependency) => "dependency",
        (Lang::En, ComponentKind::Vendored) => "vendored",
        (Lang::En, ComponentKind::Files) => "loose files",
        (Lang::De, ComponentKind::Project) => "Projekt",
        (Lang::De, ComponentKind::Dependency) => "Abhängigkeit",
        (Lang::De, ComponentKind::Vendored) => "eingebettet",
        (Lang::De, ComponentKind::Files) => "lose Dateien",
    }
}

pub fn scope(lang: Lang, s: Scope) -> &'static str {
    match (lang, s) {
        (Lang::En, Scope::Runtime) => "runtime",
        (Lang::En, Scope::Optional) => "optional",
        (Lang::En, Scope::Peer) => "peer",
        (Lang::En, Scope::Dev) => "development",
        (Lang::En, Scope::Unknown) => "unknown",
        (Lang::De, Scope::Runtime) => "Laufzeit",
        (Lang::De, Scope::Optional) => "optional",
        (Lang::De, Scope::Peer) => "vom Nutzer bereitgestellt",
        (Lang::De, Scope::Dev) => "Entwicklung",
        (Lang::De, Scope::Unknown) => "unbekannt",
    }
}

pub fn severity(lang: Lang, s: Severity) -> &'static str {
    match (lang, s) {
        (Lang::En, Severity::Error) => "error",
        (Lang::En, Severity::Warning) => "warning",
        (Lang::En, Severity::Info) => "info",
        (Lang::De, Severity::Error) => "Fehler",
        (Lang::De, Severity::Warning) => "Warnung",
        (Lang::De, Severity::Info) => "Info",
    }
}

pub fn decision(lang: Lang, d: Decision) -> &'static str {
    match (lang, d) {
        (Lang::En, Decision::Allow) => "allow",
        (Lang::En, Decision::Review) => "review",
        (Lang::En, Decision::Deny) => "deny",
        (Lang::De, Decision::Allow) => "erlaubt",
        (Lang::De, Decision::Review) => "prüfen",
        (Lang::De, Decision::Deny) => "abgelehnt",
    }
}

/// The name of an entitlement's validity (`valid`, `expiring`, `expired`, `not-yet-valid`).
pub fn validity(lang: Lang, v: &str) -> &str {
    match (lang, v) {
        (Lang::En, "valid") => "valid",
        (Lang::En, "expiring") => "ending soon",
        (Lang::En, "expired") => "expired",
        (Lang::En, "not-yet-valid") => "not yet valid",
        (Lang::De, "valid") => "gültig",
        (Lang::De, "expiring") => "läuft bald aus",
        (Lang::De, "expired") => "abgelaufen",
        (Lang::De, "not-yet-valid") => "noch nicht gültig",
        (_, other) => other,
    }
}

/// The name of a license type (`per-repository`, ..., `subscription`).
pub fn license_type(lang: Lang, t: &str) -> &str {
    match (lang, t) {
        (Lang::En, "per-repository") => "per repository",
        (Lang::En, "per-department") => "per department",
        (Lang::En, "per-developer") => "per developer",
        (Lang::En, "per-server") => "per server",
        (Lang::En, "site") => "site license",
        (Lang::En, "subscription") => "subscription",
        (Lang::De, "per-repository") => "pro Repository",
        (Lang::De, "per-department") => "pro Fachbereich",
        (Lang::De, "per-developer") => "pro Entwickler/in",
        (Lang::De, "per-server") => "pro Server",
        (Lang::De, "site") => "Standortlizenz",
        (Lang::De, "subscription") => "Abonnement",
        (_, other) => other,
    }
}

/// The name of a row of the per-project counts.
pub fn project_row_name(lang: Lang, name: &str, outside_projects: bool) -> String {
    if outside_projects { format!("{name} ({})", lang.texts().outside_projects) } else { name.to_string() }
}

/// `yes`/`no`/empty for an optional flag.
/// Open-source status in the report's language: yes, no or unknown.
pub fn open_source(lang: Lang, o: Option<kataster_model::model::OpenSource>) -> &'static str {
    use kataster_model::model::OpenSource;
    let t = lang.texts();
    match o {
        Some(OpenSource::Yes) => t.yes,
        Some(OpenSource::No) => t.no,
        Some(OpenSource::Unknown) => t.unknown,
        None => "",
    }
}

pub fn yes_no(lang: Lang, b: Option<bool>) -> &'static str {
    let t = lang.texts();
    match b {
        Some(true) => t.yes,
        Some(false) => t.no,
        None => "",
    }
}

/// A share 0.0..=1.0 as a percentage with one decimal, in the language's number format.
pub fn percent(lang: Lang, share: f64) -> String {
    let s = format!("{:.1}", share * 100.0);
    match lang {
        Lang::En => format!("{s} %"),
        Lang::De => format!("{} %", s.replace('.', ",")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_uses_the_municipal_terms() {
        assert_eq!(DE.open_source_share, "Open-Source-Anteil");
        assert_eq!(DE.obligations, "Pflichten");
        assert_eq!(DE.needs_review, "Prüfbedarf");
        assert_eq!(category(Lang::De, None), "nicht klassifiziert");
        assert_eq!(category(Lang::En, None), "unclassified");
        assert_eq!(category(Lang::De, Some("strong-copyleft")), "starkes Copyleft");
        assert_eq!(category(Lang::De, Some("something-new")), "something-new");
        assert_eq!(obligation(Lang::De, "include_license_text"), "Lizenztext beilegen");
        assert_eq!(obligation(Lang::En, "x-custom"), "x-custom");
        assert_eq!(percent(Lang::De, 0.425), "42,5 %");
        assert_eq!(percent(Lang::En, 1.0), "100.0 %");
        assert_eq!(Lang::parse("DE"), Some(Lang::De));
        assert_eq!(Lang::parse("fr"), None);
    }
}
