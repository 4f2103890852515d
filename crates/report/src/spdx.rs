//! SPDX 2.3 JSON.
//!
//! Owns the mapping of the inventory onto SPDX 2.3 (field by field in `docs/sboms.md`):
//! one package per root and per component, one file entry per file read, the
//! relationships between them, and an extracted-licensing entry for every `LicenseRef-`
//! the document uses. Unknown values are `NOASSERTION`, never a guess. The document
//! namespace is a name-based UUID of the content, like the CycloneDX serial number.

use super::{Index, Party, content_uuid, license_refs, license_terms, utc_seconds};
use kataster_model::model::{Component, ComponentKind, FileRecord, Inventory};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const NOASSERTION: &str = "NOASSERTION";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    spdx_version: &'static str,
    data_license: &'static str,
    #[serde(rename = "SPDXID")]
    spdx_id: &'static str,
    name: String,
    document_namespace: String,
    creation_info: CreationInfo,
    packages: Vec<Package>,
    files: Vec<File>,
    relationships: Vec<Relationship>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    has_extracted_licensing_infos: Vec<ExtractedLicense>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreationInfo {
    created: String,
    creators: Vec<String>,
    license_list_version: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Package {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_info: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    originator: Option<String>,
    download_location: &'static str,
    files_analyzed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    package_verification_code: Option<VerificationCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checksums: Vec<Checksum>,
    license_concluded: String,
    license_declared: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    license_info_from_files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license_comments: Option<String>,
    copyright_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_package_purpose: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_refs: Vec<ExternalRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerificationCode {
    package_verification_code_value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Checksum {
    algorithm: &'static str,
    checksum_value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalRef {
    reference_category: &'static str,
    reference_type: &'static str,
    reference_locator: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct File {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    file_name: String,
    checksums: Vec<Checksum>,
    license_concluded: &'static str,
    license_info_in_files: Vec<String>,
    copyright_text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Relationship {
    spdx_element_id: String,
    relationship_type: &'static str,
    related_spdx_element: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExtractedLicense {
    license_id: String,
    extracted_text: String,
    name: String,
}

/// `SPDXRef-` ids from component ids and paths: letters, digits, `.` and `-` only, made
/// unique in the order given.
struct Ids {
    used: BTreeSet<String>,
}

impl Ids {
    fn make(&mut self, prefix: &str, raw: &str) -> String {
        let clean: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).collect();
        let base = format!("SPDXRef-{prefix}-{clean}");
        let mut id = base.clone();
        let mut n = 2;
        while self.used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

fn checksum_alg(alg: &str) -> Option<&'static str> {
    match alg.to_ascii_uppercase().replace('-', "").as_str() {
        "SHA1" => Some("SHA1"),
        "SHA256" => Some("SHA256"),
        "SHA384" => Some("SHA384"),
        "SHA512" => Some("SHA512"),
        "MD5" => Some("MD5"),
        _ => None,
    }
}

/// A supplier, author or creator as SPDX writes one: `Organization: Name (mail)` or
/// `Person: Name (mail)`. Written with `Person:` or `Organization:`, that kind is kept;
/// otherwise it is `default_kind`.
fn agent(s: &str, default_kind: &str) -> Option<String> {
    let p = Party::parse(s)?;
    let kind = match Party::is_person(s) {
        Some(true) => "Person",
        Some(false) => "Organization",
        None => default_kind,
    };
    let name = p.name.or(p.url).unwrap_or_default();
    Some(match p.email {
        Some(mail) if name.is_empty() => format!("{kind}: {mail}"),
        Some(mail) => format!("{kind}: {name} ({mail})"),
        None => format!("{kind}: {name}"),
    })
}

/// `Name <mail>` as an SPDX supplier (`Organization: Name (mail)`).
fn supplier(s: &str) -> Option<String> {
    agent(s, "Organization")
}

/// A package's supplier: a person when it is one of the package's authors (the metadata
/// named no organisation), else an organisation.
fn package_supplier(c: &Component) -> Option<String> {
    let s = c.supplier.as_deref()?;
    let name = |t: &str| Party::parse(t).and_then(|p| p.name);
    let is_author = name(s).is_some_and(|n| c.authors.iter().any(|a| name(a).as_deref() == Some(n.as_str())));
    agent(s, if is_author { "Person" } else { "Organization" })
}

/// The SPDX package verification code of a set of files (SPDX 2.3, clause 7.9): SHA-1 of
/// the sorted, concatenated SHA-1s of the files.
fn verification_code(files: &[&FileRecord]) -> Option<String> {
    use sha1::{Digest, Sha1};
    let mut sums: Vec<&str> = files.iter().filter_map(|f| f.sha1.as_deref()).collect();
    if sums.is_empty() {
        return None;
    }
    sums.sort_unstable();
    let digest = Sha1::digest(sums.concat().as_bytes());
    Some(kataster_model::encoding::hex(&digest))
}

fn file_name(inv: &Inventory, f: &FileRecord) -> String {
    if inv.scan.roots.len() == 1 { format!("./{}", f.path) } else { format!("./{}/{}", f.root, f.path) }
}

fn package(c: &Component, idx: &Index, ids: &mut Ids) -> (Package, String) {
    let spdx_id = ids.make("Component", &c.id);
    let files: Vec<&FileRecord> = idx.files(&c.id).iter().copied().filter(|f| f.sha1.is_some()).collect();
    let copyrights = idx.copyrights(&c.id);
    let from_files: BTreeSet<String> =
        files.iter().flat_map(|f| f.licenses.iter().flat_map(|l| license_terms(&l.expression))).collect();
    let mut comment = format!("kataster {}", c.kind.as_str());
    if c.kind == ComponentKind::Dependency {
        comment.push_str(&format!(", scope {}", c.scope.as_str()));
    }
    match &c.classification {
        Some(k) => comment.push_str(&format!(
            ", category {}, open source {}, needs review {}",
            k.category,
            k.open_source.as_str(),
            if k.needs_review { "yes" } else { "no" }
        )),
        None => comment.push_str(", unclassified"),
    }
    if !c.locations.is_empty() {
        comment.push_str(&format!("; found at {}", c.locations.join(", ")));
    }
    let mut license_comments = Vec::new();
    if let Some(raw) = &c.declared_license_raw {
        license_comments.push(format!("declared as written: {raw}"));
    }
    if let Some(by) = &c.concluded_by {
        license_comments.push(format!("concluded by kataster rule: {by}"));
    }
    if let Some(s) = &c.scope_license {
        license_comments.push(format!("license file: {s}"));
    }
    if !c.discovered_licenses.is_empty() {
        license_comments.push(format!("discovered in files: {}", c.discovered_licenses.join("; ")));
    }
    let pkg = Package {
        spdx_id: spdx_id.clone(),
        name: c.name.clone(),
        version_info: c.version.clone().filter(|v| !v.is_empty()),
        supplier: Some(package_supplier(c).unwrap_or_else(|| NOASSERTION.to_string())),
        // SPDX has one originator per package: the first author.
        originator: c.authors.first().and_then(|a| agent(a, "Person")),
        download_location: NOASSERTION,
        files_analyzed: !files.is_empty(),
        package_verification_code: verification_code(&files)
            .map(|v| VerificationCode { package_verification_code_value: v }),
        checksums: c
            .hashes
            .iter()
            .filter_map(|h| Some(Checksum { algorithm: checksum_alg(&h.alg)?, checksum_value: h.value.clone() }))
            .collect(),
        license_concluded: c.concluded_license.clone().unwrap_or_else(|| NOASSERTION.to_string()),
        license_declared: c.declared_license.clone().unwrap_or_else(|| NOASSERTION.to_string()),
        license_info_from_files: if files.is_empty() {
            Vec::new()
        } else if from_files.is_empty() {
            vec![NOASSERTION.to_string()]
        } else {
            from_files.into_iter().collect()
        },
        license_comments: (!license_comments.is_empty()).then(|| license_comments.join("; ")),
        copyright_text: if copyrights.is_empty() { NOASSERTION.to_string() } else { copyrights.join("\n") },
        primary_package_purpose: Some(match c.kind {
            ComponentKind::Dependency => "LIBRARY",
            ComponentKind::Project | ComponentKind::Vendored => "SOURCE",
            ComponentKind::Files => "FILE",
        }),
        external_refs: c
            .purl
            .iter()
            .map(|p| ExternalRef {
                reference_category: "PACKAGE-MANAGER",
                reference_type: "purl",
                reference_locator: p.clone(),
            })
            .collect(),
        comment: Some(comment),
    };
    (pkg, spdx_id)
}

fn rel(from: &str, kind: &'static str, to: &str) -> Relationship {
    Relationship {
        spdx_element_id: from.to_string(),
        relationship_type: kind,
        related_spdx_element: to.to_string(),
        comment: None,
    }
}

fn extracted(inv: &Inventory, used: &BTreeSet<String>) -> Vec<ExtractedLicense> {
    used.iter()
        .map(|id| {
            let mut paths: BTreeSet<String> = BTreeSet::new();
            for f in &inv.files {
                if f.licenses.iter().any(|l| license_refs(&l.expression).contains(id)) {
                    paths.insert(format!("{}/{}", f.root, f.path));
                }
            }
            for c in &inv.components {
                for e in c.evidence.iter().filter(|e| license_refs(&e.expression).contains(id)) {
                    paths.insert(format!("{}/{}", c.root, e.path));
                }
            }
            let where_ = if paths.is_empty() {
                String::new()
            } else {
                format!(" It was found in: {}.", paths.into_iter().collect::<Vec<_>>().join(", "))
            };
            ExtractedLicense {
                license_id: id.clone(),
                extracted_text: format!(
                    "{id} is a license that is not on the SPDX License List; kataster records where it was found, not its full text.{where_}"
                ),
                name: id.trim_start_matches("LicenseRef-").replace('-', " "),
            }
        })
        .collect()
}

fn document(inv: &Inventory) -> Document {
    let idx = Index::new(inv);
    let mut ids = Ids { used: BTreeSet::new() };
    let mut packages = Vec::new();
    let mut relationships = Vec::new();
    let mut comp_ids: BTreeMap<&str, String> = BTreeMap::new();

    for c in &inv.components {
        let (pkg, id) = package(c, &idx, &mut ids);
        packages.push(pkg);
        comp_ids.insert(c.id.as_str(), id);
    }
    // The document describes what each root holds; dependencies hang off their projects.
    for r in &inv.scan.roots {
        for m in idx.root_members(&r.label) {
            if let Some(to) = comp_ids.get(m.id.as_str()) {
                relationships.push(rel("SPDXRef-DOCUMENT", "DESCRIBES", to));
            }
        }
    }
    for c in &inv.components {
        let Some(from) = comp_ids.get(c.id.as_str()) else { continue };
        let mut targets: BTreeSet<&str> = c.dependencies.iter().map(String::as_str).collect();
        if c.kind == ComponentKind::Project {
            targets.extend(idx.owner_edges(&c.id));
        }
        for t in targets {
            if let Some(to) = comp_ids.get(t) {
                relationships.push(rel(from, "DEPENDS_ON", to));
            }
        }
    }

    let mut files = Vec::new();
    let mut used_refs: BTreeSet<String> = BTreeSet::new();
    for f in &inv.files {
        let (Some(sha1), Some(sha256)) = (&f.sha1, &f.sha256) else { continue };
        let id = ids.make("File", &format!("{}/{}", f.root, f.path));
        let mut terms: BTreeSet<String> = BTreeSet::new();
        for l in &f.licenses {
            terms.extend(license_terms(&l.expression));
        }
        used_refs.extend(terms.iter().flat_map(|t| license_refs(t)));
        let statements: BTreeSet<&str> = f.copyrights.iter().map(|c| c.statement.trim()).collect();
        files.push(File {
            spdx_id: id.clone(),
            file_name: file_name(inv, f),
            checksums: vec![
                Checksum { algorithm: "SHA1", checksum_value: sha1.clone() },
                Checksum { algorithm: "SHA256", checksum_value: sha256.clone() },
            ],
            license_concluded: NOASSERTION,
            license_info_in_files: if terms.is_empty() {
                vec![NOASSERTION.to_string()]
            } else {
                terms.into_iter().collect()
            },
            copyright_text: if statements.is_empty() {
                NOASSERTION.to_string()
            } else {
                statements.into_iter().collect::<Vec<_>>().join("\n")
            },
        });
        if let Some(owner) = f.component.as_deref().and_then(|c| comp_ids.get(c)) {
            relationships.push(rel(owner, "CONTAINS", &id));
        }
    }
    for p in &packages {
        for e in [&p.license_concluded, &p.license_declared].into_iter().chain(&p.license_info_from_files) {
            used_refs.extend(license_refs(e));
        }
    }

    let labels: Vec<&str> = inv.scan.roots.iter().map(|r| r.label.as_str()).collect();
    let mut doc = Document {
        spdx_version: "SPDX-2.3",
        data_license: "CC0-1.0",
        spdx_id: "SPDXRef-DOCUMENT",
        name: format!("kataster inventory of {}", labels.join(", ")),
        document_namespace: String::new(),
        creation_info: CreationInfo {
            created: utc_seconds(&inv.scan.started_at),
            creators: inv
                .scan
                .sbom_authors
                .iter()
                .filter_map(|a| supplier(a))
                .chain([format!("Tool: {}-{}", inv.tool.name, inv.tool.version)])
                .collect(),
            license_list_version: spdx_list_version(),
        },
        packages,
        files,
        relationships,
        has_extracted_licensing_infos: extracted(inv, &used_refs),
    };
    // The namespace names the content: everything but the namespace and the time.
    let created = std::mem::take(&mut doc.creation_info.created);
    let content = serde_json::to_vec(&doc).unwrap_or_default();
    doc.document_namespace = format!("urn:uuid:{}", content_uuid(&content));
    doc.creation_info.created = created;
    doc
}

/// The SPDX License List version of the compiled-in `spdx` crate (`3.27`).
fn spdx_list_version() -> String {
    let v = spdx::identifiers::VERSION;
    // The crate records e.g. "3.27.0"; SPDX documents give major.minor.
    let mut parts = v.trim_start_matches('v').split('.');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("{a}.{b}"),
        _ => v.to_string(),
    }
}

/// Render the inventory as an SPDX 2.3 JSON document.
pub fn render(inv: &Inventory) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&document(inv)).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_suppliers_and_ids_follow_spdx_rules() {
        assert_eq!(utc_seconds("2026-11-27T11:14:15.597915244Z"), "2026-11-27T11:14:15Z");
        assert_eq!(utc_seconds("2026-11-27T12:14:15+01:00"), "2026-11-27T11:14:15Z");
        assert_eq!(supplier("Stadt X <it@x.example>").as_deref(), Some("Organization: Stadt X (it@x.example)"));
        assert_eq!(
            agent("Jane Doe <jane@x.example> (https://x.example)", "Person").as_deref(),
            Some("Person: Jane Doe (jane@x.example)")
        );
        assert_eq!(
            supplier("Person: Max Muster <max@x.example>").as_deref(),
            Some("Person: Max Muster (max@x.example)")
        );
        assert_eq!(supplier("https://x.example").as_deref(), Some("Organization: https://x.example"));
        let mut ids = Ids { used: BTreeSet::new() };
        assert_eq!(ids.make("C", "a:pkg:cargo/b@1.0"), "SPDXRef-C-a-pkg-cargo-b-1.0");
        assert_eq!(ids.make("C", "a:pkg:cargo/b@1.0"), "SPDXRef-C-a-pkg-cargo-b-1.0-2");
    }
}
