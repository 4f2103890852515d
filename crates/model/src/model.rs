//! The inventory model: the data types every stage shares and every report reads.
//!
//! This module owns the shape of the native JSON (`docs/inventory-format.md`,
//! `docs/inventory.schema.json`). It holds data only: no I/O, no detection, no policy.
//! Field order here is the field order in the JSON; every list is sorted by the
//! assembly stage so that the same input gives byte-identical output.

use crate::license::db::{Category, Copyleft, Obligation};
use serde::{Deserialize, Serialize};

pub use crate::vocab::{DiagnosticCode, Ecosystem, EntitlementRule, FindingRule, OwnRule, PolicyRule};

/// The department roll-up of repositories that name none.
pub const UNASSIGNED: &str = "unassigned";

/// Version of the native inventory format. Bump the minor on additions, the major on
/// anything that breaks a reader.
pub const SCHEMA_VERSION: &str = "2.1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Inventory {
    pub schema_version: String,
    pub tool: Tool,
    pub scan: ScanInfo,
    pub components: Vec<Component>,
    pub files: Vec<FileRecord>,
    /// Policy findings: components the policy denies or sends to review.
    #[serde(default)]
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// The repositories of an estate scan (`scan --estate`), sorted by name; empty for a
    /// scan of plain roots. Each repository is one root whose label is the repository name.
    #[serde(default)]
    pub repositories: Vec<Repository>,
    /// Roll-up of the repositories per department (`unassigned` for those without one),
    /// sorted by name.
    #[serde(default)]
    pub departments: Vec<Department>,
    /// The register of entitlements (`--entitlements`) and how the estate uses each one,
    /// in register order; empty without a register.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entitlements: Vec<EntitlementUse>,
    /// Vendors of the components that are not open source, most depended-on first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vendors: Vec<VendorUse>,
}

/// One entitlement of the register (a purchased license) and what it covers in the scan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntitlementUse {
    pub id: String,
    pub vendor: String,
    pub product: String,
    /// Package URL patterns, component id patterns and license ids it covers.
    pub covers: Vec<String>,
    /// `per-repository`, `per-department`, `per-developer`, `per-server`, `site`, `subscription`.
    pub license_type: String,
    #[serde(default)]
    pub quantity: Option<u64>,
    #[serde(default)]
    pub contract: Option<String>,
    #[serde(default)]
    pub cost_centre: Option<String>,
    /// The department it was bought for; it then covers only that department's repositories.
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_until: Option<String>,
    /// `valid`, `expiring`, `expired`, `not-yet-valid`.
    pub validity: String,
    /// Ids of the components it matches, sorted.
    pub components: Vec<String>,
    /// Repositories (roots) and departments those components are in, sorted.
    pub repositories: Vec<String>,
    pub departments: Vec<String>,
    /// Over its quantity: the count of repositories or departments exceeds it.
    pub over_quantity: bool,
}

/// A vendor of components that are not open source, and how much depends on it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VendorUse {
    pub vendor: String,
    pub components: u64,
    pub repositories: u64,
    pub departments: u64,
    /// Component names (without versions), sorted.
    pub products: Vec<String>,
}

/// One repository of an estate, with the metadata of the estate file and its roll-up.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Repository {
    /// Stable name: given in the estate file, or the path below the estate folder. It is the
    /// label of the repository's root, so it prefixes the ids of its components.
    pub name: String,
    /// The path scanned.
    pub path: String,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub criticality: Option<String>,
    /// `scanned`, or `failed` when the repository could not be scanned at all (its
    /// diagnostics say why).
    pub status: RepositoryStatus,
    /// The inventory summary of this repository's components, files and diagnostics.
    pub summary: Summary,
    /// Policy findings of this repository's components, per decision.
    #[serde(default)]
    pub findings: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RepositoryStatus {
    Scanned,
    Failed,
}

/// The roll-up of the repositories of one department.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Department {
    pub name: String,
    /// Names of its repositories, sorted.
    pub repositories: Vec<String>,
    pub summary: Summary,
    #[serde(default)]
    pub findings: std::collections::BTreeMap<String, u64>,
    /// The vendors this department's non-open-source components come from, ranked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vendors: Vec<VendorUse>,
}

/// Which part of an estate a sharded scan covered (`scan --shard INDEX/COUNT`, 1-based).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Allow,
    Review,
    Deny,
}

/// A component the policy does not simply allow.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    /// Id of the component.
    pub component: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    /// The license expression the decision is about.
    pub license: Option<String>,
    pub decision: Decision,
    /// The policy rule (or built-in default) that decided.
    pub rule: PolicyRule,
    pub reason: String,
    /// Evidence paths (`path` or `path:line`) behind the license.
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tool {
    pub name: String,
    pub version: String,
    /// Version of the compiled-in license database (`license-db/VERSION`).
    #[serde(default)]
    pub license_db_version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScanInfo {
    /// The roots as given, each with the label that prefixes component ids.
    pub roots: Vec<Root>,
    pub started_at: String,
    pub finished_at: String,
    pub duration_ms: u64,
    pub files_seen: u64,
    pub files_read: u64,
    pub bytes_read: u64,
    /// Set when the scan covered one shard of an estate; `kataster merge` clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// Who the SBOMs name as their author (`--sbom-author`, else the maintenance contacts
    /// of the roots' `publiccode.yml`): `Name <mail>`, a URL or a name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sbom_authors: Vec<String>,
    /// The supplier of the scanned projects (`--supplier`), also set on every project and
    /// loose-files component that names none of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Root {
    /// Short stable name of the root (its directory name, made unique).
    pub label: String,
    /// The path as given on the command line.
    pub path: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// A project of the scanned tree, found by its manifest.
    Project,
    /// A package the project depends on (lockfile, manifest or installed tree).
    Dependency,
    /// Third-party code copied into the tree without a package manager.
    Vendored,
    /// The files of a root that no manifest claims.
    Files,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Needed at run time (shipped).
    Runtime,
    /// Needed at run time only when an optional feature is used.
    Optional,
    /// Expected to be provided by the consumer (npm peer dependencies).
    Peer,
    /// Needed to build or test only.
    Dev,
    #[default]
    Unknown,
}

impl Scope {
    /// When one package is reached through several paths, the widest scope wins:
    /// something that ships at run time anywhere ships.
    pub fn widest(self, other: Scope) -> Scope {
        fn rank(s: Scope) -> u8 {
            match s {
                Scope::Runtime => 0,
                Scope::Optional => 1,
                Scope::Peer => 2,
                Scope::Dev => 3,
                Scope::Unknown => 4,
            }
        }
        if rank(other) < rank(self) { other } else { self }
    }
}

/// Where a license statement came from.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseSource {
    /// The project's own manifest (Cargo.toml, package.json, pom.xml, publiccode.yml...).
    Manifest,
    /// A lockfile that records licenses (composer.lock, package-lock v2+).
    Lockfile,
    /// An installed package in the tree (node_modules, site-packages, vendor/).
    Installed,
    /// A package manager cache on this machine (~/.cargo/registry, ~/.m2, ...).
    LocalCache,
    /// A registry API, only with --online.
    Registry,
    /// A clarification in the policy file.
    Clarification,
    /// The license files of the component's scope (LICENSE, COPYING... or the file a
    /// manifest points to with `SEE LICENSE IN`).
    LicenseFile,
    /// A REUSE assignment (REUSE.toml, `.reuse/dep5`, a `.license` sidecar).
    Reuse,
    /// The component's other files (headers, tags, notices, copied code): discovered.
    Files,
}

impl LicenseSource {
    /// Is this part of the declaration (as opposed to a license discovered in the files)?
    pub fn declares(self) -> bool {
        self != LicenseSource::Files
    }
}

/// How a license finding in a file was made.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// An `SPDX-License-Identifier:` tag.
    Tag,
    /// A full license text.
    Text,
    /// A standard notice or header ("This program is free software...").
    Notice,
    /// A short reference ("Licensed under the MIT license", "see COPYING").
    Reference,
    /// A license URL.
    Url,
    /// A proprietary or commercial marker ("All rights reserved", EULA).
    Marker,
    /// A license field of a manifest or lockfile.
    Manifest,
    /// A clarification in the policy file.
    Clarification,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Component {
    /// Stable across runs: derived from root label, kind and purl or path, never from order.
    pub id: String,
    pub name: String,
    pub version: Option<String>,
    pub ecosystem: Ecosystem,
    pub purl: Option<String>,
    pub kind: ComponentKind,
    pub scope: Scope,
    pub direct: Option<bool>,
    /// Label of the root this component was found under.
    pub root: String,
    /// Ids of the project components this component belongs to (empty for projects).
    #[serde(default)]
    pub projects: Vec<String>,
    /// Where it was found: paths relative to the root, `/`-separated, `path:line` where known.
    pub locations: Vec<String>,
    /// Ids of the components this one depends on.
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// The license the package declares, as an SPDX expression.
    pub declared_license: Option<String>,
    /// The declaration as written, when it differs from `declared_license` or could not be normalized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_license_raw: Option<String>,
    /// The license of the component's license scope: its license files (LICENSE, COPYING...
    /// at the top of its folder or the nearest folder above), or the REUSE assignments of
    /// its files. Part of the declaration, with `declared_license`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_license: Option<String>,
    /// Distinct license expressions discovered in the component's other files (headers,
    /// tags, notices, copied code); they never replace the declaration.
    #[serde(alias = "detected_licenses")]
    pub discovered_licenses: Vec<String>,
    /// kataster's conclusion, with the rule that produced it in `concluded_by`.
    pub concluded_license: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concluded_by: Option<String>,
    /// Where the license information came from, best source first.
    #[serde(default)]
    pub license_sources: Vec<LicenseSource>,
    /// The evidence behind declared and detected licenses.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The supplier or author where a manifest names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// The people and organisations the package metadata names as its authors and
    /// maintainers (`Name <mail>`, a URL or a name), in the metadata's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Artifact hashes recorded by a lockfile (npm integrity, Cargo.lock checksum).
    #[serde(default)]
    pub hashes: Vec<Hash>,
    pub classification: Option<Classification>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hash {
    /// CycloneDX algorithm name: `SHA-1`, `SHA-256`, `SHA-512`.
    pub alg: String,
    /// Lower-case hex.
    pub value: String,
}

/// One piece of evidence for a component's license.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evidence {
    pub expression: String,
    pub path: String,
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
    pub method: Method,
    pub confidence: f32,
    pub source: LicenseSource,
    /// How the finding was read: a pointer resolved to the file it names, copied code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Is it open source? Unknown is an answer of its own, never counted as yes.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum OpenSource {
    Yes,
    No,
    Unknown,
}

/// Reads `yes`, `no` and `unknown`, and the booleans of inventories before format 2.0.
impl<'de> Deserialize<'de> for OpenSource {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Bool(bool),
            Text(String),
        }
        match Written::deserialize(d)? {
            Written::Bool(true) => Ok(OpenSource::Yes),
            Written::Bool(false) => Ok(OpenSource::No),
            Written::Text(t) => match t.as_str() {
                "yes" => Ok(OpenSource::Yes),
                "no" => Ok(OpenSource::No),
                "unknown" => Ok(OpenSource::Unknown),
                other => Err(serde::de::Error::custom(format!("open_source `{other}`: expected yes, no or unknown"))),
            },
        }
    }
}

impl OpenSource {
    pub fn as_str(self) -> &'static str {
        match self {
            OpenSource::Yes => "yes",
            OpenSource::No => "no",
            OpenSource::Unknown => "unknown",
        }
    }

    pub fn is_yes(self) -> bool {
        self == OpenSource::Yes
    }
}

impl Evidence {
    /// The evidence a finding in the file at `path` gives.
    pub fn of_finding(path: &str, f: &LicenseFinding, source: LicenseSource, note: Option<String>) -> Evidence {
        Evidence {
            expression: f.expression.clone(),
            path: path.to_string(),
            start_line: Some(f.start_line),
            end_line: Some(f.end_line),
            method: f.method,
            confidence: f.confidence,
            source,
            note,
        }
    }
}

/// The verdict on a component's license (filled by `classify`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Classification {
    pub category: Category,
    pub open_source: OpenSource,
    pub copyleft: Copyleft,
    pub obligations: Vec<Obligation>,
    pub reasons: Vec<String>,
    pub needs_review: bool,
    /// The license terms that apply once every `OR` is decided (joined with ` AND `).
    #[serde(default)]
    pub chosen_license: Option<String>,
    /// Who sells or owns the license, for commercial and proprietary components where
    /// known (the license catalogue's owner, the package's supplier, the license file's
    /// copyright holder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRecord {
    pub root: String,
    pub path: String,
    pub sha256: Option<String>,
    pub size: u64,
    /// `text`, `binary`, `oversized`, `unreadable`, `symlink`.
    pub kind: String,
    pub licenses: Vec<LicenseFinding>,
    pub license_expression: Option<String>,
    pub copyrights: Vec<Copyright>,
    /// SHA-1 of the content (SPDX 2.3 requires it for every file), lower-case hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha1: Option<String>,
    /// Id of the component the file belongs to (the deepest component folder holding it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LicenseFinding {
    pub expression: String,
    pub start_line: u32,
    pub end_line: u32,
    pub method: Method,
    pub confidence: f32,
    /// The rule that matched: one of kataster's own or the catalogue's.
    pub rule: FindingRule,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Copyright {
    pub statement: String,
    pub holders: Vec<String>,
    pub years: Option<String>,
    pub start_line: u32,
    pub end_line: u32,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Label of the root the path lies under.
    pub root: String,
    /// Path relative to the root, `/`-separated; empty for trouble with the root itself.
    pub path: String,
    pub code: DiagnosticCode,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Summary {
    pub components: u64,
    pub by_kind: std::collections::BTreeMap<String, u64>,
    pub by_ecosystem: std::collections::BTreeMap<Ecosystem, u64>,
    pub files: u64,
    pub files_with_licenses: u64,
    pub diagnostics: std::collections::BTreeMap<String, u64>,
    /// Components per classification category (`unclassified` until classified).
    pub by_category: std::collections::BTreeMap<String, u64>,
    /// Components per open-source status (`yes`, `no`, `unknown`; `unclassified` until classified).
    #[serde(default)]
    pub by_open_source: std::collections::BTreeMap<String, u64>,
    /// Share of all components classified as open source, 0.0 to 1.0 (unknown counts against it).
    pub open_source_share: f64,
    /// Share of open source among the components whose status is known (yes or no).
    #[serde(default)]
    pub open_source_share_known: f64,
}

/// `as_str` for the unit enums of the model: each variant's name in the JSON (kebab-case, as
/// serde writes it; a test holds the two together), for reports, tables and the history.
macro_rules! json_names {
    ($($ty:ident { $($variant:ident => $name:literal),+ $(,)? })+) => {
        $(impl $ty {
            /// The variant's name in the inventory's JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        })+

        #[cfg(test)]
        mod json_name_tests {
            use super::*;

            #[test]
            fn as_str_is_the_json_name() {
                $($(assert_eq!(serde_json::to_value($ty::$variant).unwrap(), $name);)+)+
            }
        }
    };
}

json_names! {
    RepositoryStatus { Scanned => "scanned", Failed => "failed" }
    Decision { Allow => "allow", Review => "review", Deny => "deny" }
    ComponentKind { Project => "project", Dependency => "dependency", Vendored => "vendored", Files => "files" }
    Scope { Runtime => "runtime", Optional => "optional", Peer => "peer", Dev => "dev", Unknown => "unknown" }
    LicenseSource {
        Manifest => "manifest",
        Lockfile => "lockfile",
        Installed => "installed",
        LocalCache => "local-cache",
        Registry => "registry",
        Clarification => "clarification",
        LicenseFile => "license-file",
        Reuse => "reuse",
        Files => "files",
    }
    Method {
        Tag => "tag",
        Text => "text",
        Notice => "notice",
        Reference => "reference",
        Url => "url",
        Marker => "marker",
        Manifest => "manifest",
        Clarification => "clarification",
    }
    Severity { Error => "error", Warning => "warning", Info => "info" }
}
