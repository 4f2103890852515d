//! CycloneDX 1.6 JSON: the SBOM that BSI TR-03183-2 and the Cyber Resilience Act ask for.
//!
//! Owns the mapping of the inventory onto CycloneDX (field by field in `docs/sboms.md`),
//! written with its own serde structs. It never invents data: a field the inventory has no
//! value for is left out, not guessed. The serial number is a name-based UUID of the
//! document's content (everything but the serial number and the timestamp), so the same
//! inventory gives the same bytes and a rescan with the same findings the same serial.

use super::{Index, Party, content_uuid};
use kataster_model::model::{Component, ComponentKind, Inventory, Scope};
use serde::Serialize;

const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom {
    #[serde(rename = "$schema")]
    schema: &'static str,
    bom_format: &'static str,
    spec_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial_number: Option<String>,
    version: u32,
    metadata: Metadata,
    components: Vec<Cdx>,
    dependencies: Vec<Dependency>,
    compositions: Vec<Composition>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    lifecycles: Vec<Lifecycle>,
    tools: Tools,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Contact>,
    component: Cdx,
    #[serde(skip_serializing_if = "Option::is_none")]
    manufacturer: Option<Organization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<Organization>,
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Lifecycle {
    phase: &'static str,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<Cdx>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Cdx {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<Organization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manufacturer: Option<Organization>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Contact>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<CdxHash>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Evidence>,
}

#[derive(Serialize)]
struct Organization {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    url: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contact: Vec<Contact>,
}

#[derive(Serialize)]
struct Contact {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

#[derive(Serialize)]
struct CdxHash {
    alg: String,
    content: String,
}

/// CycloneDX 1.6 allows either one SPDX expression or a list of single licenses.
#[derive(Serialize)]
#[serde(untagged)]
enum LicenseChoice {
    Expression {
        expression: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        acknowledgement: Option<&'static str>,
    },
    License {
        license: License,
    },
}

#[derive(Serialize)]
struct License {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acknowledgement: Option<&'static str>,
}

#[derive(Serialize)]
struct Property {
    name: String,
    value: String,
}

#[derive(Serialize)]
struct Evidence {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    occurrences: Vec<Occurrence>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseChoice>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    copyright: Vec<CopyrightText>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Occurrence {
    location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_context: Option<String>,
}

#[derive(Serialize)]
struct CopyrightText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

#[derive(Serialize)]
struct Composition {
    aggregate: &'static str,
    dependencies: Vec<String>,
}

fn prop(name: &str, value: impl Into<String>) -> Property {
    Property { name: name.to_string(), value: value.into() }
}

/// The bom-ref of a root (the metadata component when there is one root).
fn root_ref(label: &str) -> String {
    format!("{label}:root")
}

/// `Name <mail@example.org>`, `https://example.org` or a bare name as an organization.
fn organization(supplier: &str) -> Option<Organization> {
    let p = Party::parse(supplier)?;
    let contact = p.email.map(|email| Contact { name: p.name.clone(), email: Some(email) });
    Some(Organization { name: p.name, url: p.url.into_iter().collect(), contact: contact.into_iter().collect() })
}

/// An author as a CycloneDX contact: name and e-mail (a URL alone is given as the name).
fn contact(author: &str) -> Option<Contact> {
    let p = Party::parse(author)?;
    Some(Contact { name: p.name.or(p.url), email: p.email })
}

fn valid_hex_hash(value: &str) -> bool {
    matches!(value.len(), 32 | 40 | 64 | 96 | 128) && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One license as a CycloneDX `license` object: an SPDX id where it is one, else a name.
fn single_license(term: &str, ack: Option<&'static str>) -> LicenseChoice {
    let is_id = !term.contains(' ') && !term.ends_with('+') && spdx::license_id(term).is_some();
    LicenseChoice::License {
        license: License {
            id: is_id.then(|| term.to_string()),
            name: (!is_id).then(|| term.to_string()),
            acknowledgement: ack,
        },
    }
}

fn is_single(expr: &str) -> bool {
    !expr.trim().contains(' ')
}

/// Declared and concluded licenses. Both single licenses: two `license` entries with their
/// acknowledgement. A compound expression: CycloneDX 1.6 allows only one expression per
/// component, so the concluded one is given (or the declared one when nothing is
/// concluded) and the other stays in the `kataster:declared-license` property.
fn licenses(c: &Component) -> (Vec<LicenseChoice>, Option<Property>) {
    let declared = c.declared_license.as_deref().filter(|s| !s.trim().is_empty());
    let concluded = c.concluded_license.as_deref().filter(|s| !s.trim().is_empty());
    if declared.is_none_or(is_single) && concluded.is_none_or(is_single) {
        let mut out = Vec::new();
        if let Some(d) = declared {
            out.push(single_license(d, Some("declared")));
        }
        if let Some(k) = concluded {
            out.push(single_license(k, Some("concluded")));
        }
        return (out, None);
    }
    match (declared, concluded) {
        (d, Some(k)) => (
            vec![LicenseChoice::Expression { expression: k.to_string(), acknowledgement: Some("concluded") }],
            d.map(|d| prop("kataster:declared-license", d)),
        ),
        (Some(d), None) => {
            (vec![LicenseChoice::Expression { expression: d.to_string(), acknowledgement: Some("declared") }], None)
        }
        (None, None) => (Vec::new(), None),
    }
}

fn evidence(c: &Component, idx: &Index) -> Option<Evidence> {
    let occurrences: Vec<Occurrence> = c
        .evidence
        .iter()
        .map(|e| Occurrence {
            location: e.path.clone(),
            line: e.start_line,
            additional_context: Some(format!(
                "{}: method {}, source {}, confidence {:.2}",
                e.expression,
                e.method.as_str(),
                e.source.as_str(),
                e.confidence
            )),
        })
        .collect();
    let licenses = match c.discovered_licenses.as_slice() {
        [] => Vec::new(),
        [one] => vec![LicenseChoice::Expression { expression: one.clone(), acknowledgement: None }],
        many => many.iter().map(|e| single_license(e, None)).collect(),
    };
    let copyright: Vec<CopyrightText> = idx.copyrights(&c.id).into_iter().map(|text| CopyrightText { text }).collect();
    if occurrences.is_empty() && licenses.is_empty() && copyright.is_empty() {
        return None;
    }
    Some(Evidence { occurrences, licenses, copyright })
}

/// The BSI TR-03183-2 properties that follow from what kind of component it is
/// (`docs/sboms.md` explains each value).
fn bsi_properties(c: &Component) -> Vec<Property> {
    let mut out = Vec::new();
    match c.kind {
        ComponentKind::Dependency => {
            // Registry packages are distributed as package archives (.crate, .tgz, wheel,
            // jar...) that carry their own metadata, and are libraries, not programs.
            out.push(prop("bsi:component:archive", "archive"));
            out.push(prop("bsi:component:structured", "structured"));
            out.push(prop("bsi:component:executable", "non-executable"));
        }
        ComponentKind::Vendored => {
            out.push(prop("bsi:component:archive", "no archive"));
            out.push(prop("bsi:component:structured", "unstructured"));
        }
        ComponentKind::Project => {
            out.push(prop("bsi:component:archive", "no archive"));
            out.push(prop("bsi:component:structured", "structured"));
        }
        ComponentKind::Files => {
            out.push(prop("bsi:component:archive", "no archive"));
            out.push(prop("bsi:component:structured", "unstructured"));
        }
    }
    out
}

fn component(c: &Component, idx: &Index) -> Cdx {
    let (licenses, declared_prop) = licenses(c);
    let mut properties = bsi_properties(c);
    properties.push(prop("kataster:kind", c.kind.as_str().to_string()));
    if c.kind == ComponentKind::Dependency {
        properties.push(prop("kataster:scope", c.scope.as_str().to_string()));
        if let Some(d) = c.direct {
            properties.push(prop("kataster:direct", d.to_string()));
        }
    }
    properties.extend(declared_prop);
    if let Some(raw) = &c.declared_license_raw {
        properties.push(prop("kataster:declared-license-raw", raw.clone()));
    }
    if let Some(by) = &c.concluded_by {
        properties.push(prop("kataster:concluded-by", by.clone()));
    }
    for s in &c.license_sources {
        properties.push(prop("kataster:license-source", s.as_str().to_string()));
    }
    match &c.classification {
        Some(k) => {
            properties.push(prop("kataster:category", k.category.as_str().to_string()));
            properties.push(prop("kataster:open-source", k.open_source.as_str().to_string()));
            properties.push(prop("kataster:needs-review", k.needs_review.to_string()));
            for o in &k.obligations {
                properties.push(prop("kataster:obligation", o.as_str().to_string()));
            }
        }
        None => properties.push(prop("kataster:category", "unclassified")),
    }
    for l in &c.locations {
        properties.push(prop("kataster:location", l.clone()));
    }
    Cdx {
        kind: match c.kind {
            ComponentKind::Project => "application",
            ComponentKind::Dependency | ComponentKind::Vendored => "library",
            ComponentKind::Files => "file",
        },
        bom_ref: Some(c.id.clone()),
        supplier: c.supplier.as_deref().and_then(organization),
        manufacturer: c.supplier.as_deref().and_then(organization),
        authors: c.authors.iter().filter_map(|a| contact(a)).collect(),
        name: c.name.clone(),
        version: c.version.clone().filter(|v| !v.is_empty()),
        scope: match (c.kind, c.scope) {
            (ComponentKind::Dependency, Scope::Runtime) => Some("required"),
            (ComponentKind::Dependency, Scope::Optional | Scope::Peer) => Some("optional"),
            (ComponentKind::Dependency, Scope::Dev) => Some("excluded"),
            _ => None,
        },
        hashes: c
            .hashes
            .iter()
            .filter(|h| valid_hex_hash(&h.value))
            .map(|h| CdxHash { alg: h.alg.clone(), content: h.value.to_ascii_lowercase() })
            .collect(),
        licenses,
        purl: c.purl.clone(),
        properties,
        evidence: evidence(c, idx),
    }
}

fn metadata_component(inv: &Inventory) -> Cdx {
    let labels: Vec<&str> = inv.scan.roots.iter().map(|r| r.label.as_str()).collect();
    let (bom_ref, name) = match labels.as_slice() {
        [one] => (root_ref(one), one.to_string()),
        _ => ("estate:root".to_string(), labels.join(", ")),
    };
    Cdx {
        kind: "application",
        bom_ref: Some(bom_ref),
        supplier: inv.scan.supplier.as_deref().and_then(organization),
        name,
        properties: vec![
            prop("kataster:roots", labels.join(", ")),
            prop("bsi:component:archive", "no archive"),
            prop("bsi:component:structured", "structured"),
        ],
        ..Default::default()
    }
}

fn dependencies(inv: &Inventory, idx: &Index, meta_ref: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let single = inv.scan.roots.len() == 1;
    let mut meta_deps = Vec::new();
    for r in &inv.scan.roots {
        let members: Vec<String> = idx.root_members(&r.label).iter().map(|c| c.id.clone()).collect();
        if single {
            meta_deps = members;
        } else {
            meta_deps.push(root_ref(&r.label));
            out.push(Dependency { reference: root_ref(&r.label), depends_on: members });
        }
    }
    meta_deps.sort();
    out.push(Dependency { reference: meta_ref.to_string(), depends_on: meta_deps });
    for c in &inv.components {
        let mut deps: Vec<String> = c.dependencies.iter().filter(|d| idx.component(d).is_some()).cloned().collect();
        if c.kind == ComponentKind::Project {
            deps.extend(idx.owner_edges(&c.id).into_iter().map(str::to_string));
        }
        deps.sort();
        deps.dedup();
        out.push(Dependency { reference: c.id.clone(), depends_on: deps });
    }
    out.sort_by(|a, b| a.reference.cmp(&b.reference));
    out
}

fn bom(inv: &Inventory) -> Bom {
    let idx = Index::new(inv);
    let meta = metadata_component(inv);
    let meta_ref = meta.bom_ref.clone().unwrap_or_default();
    let mut all_refs: Vec<String> = inv.components.iter().map(|c| c.id.clone()).collect();
    all_refs.sort();
    let mut tool_props = vec![];
    if !inv.tool.license_db_version.is_empty() {
        tool_props.push(prop("kataster:license-db-version", inv.tool.license_db_version.clone()));
    }
    Bom {
        schema: SCHEMA,
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: None,
        version: 1,
        metadata: Metadata {
            timestamp: None,
            lifecycles: vec![Lifecycle { phase: "pre-build" }],
            tools: Tools {
                components: vec![Cdx {
                    kind: "application",
                    name: inv.tool.name.clone(),
                    version: Some(inv.tool.version.clone()),
                    properties: tool_props,
                    ..Default::default()
                }],
            },
            authors: inv.scan.sbom_authors.iter().filter_map(|a| contact(a)).collect(),
            component: meta,
            // The organisation that made the SBOM (BSI TR-03183-2: its creator): the first author.
            manufacturer: inv.scan.sbom_authors.first().and_then(|a| organization(a)),
            supplier: inv.scan.supplier.as_deref().and_then(organization),
            properties: vec![prop("kataster:inventory-schema-version", inv.schema_version.clone())],
        },
        dependencies: dependencies(inv, &idx, &meta_ref),
        components: inv.components.iter().map(|c| component(c, &idx)).collect(),
        compositions: vec![Composition { aggregate: "unknown", dependencies: all_refs }],
    }
}

/// Render the inventory as a CycloneDX 1.6 JSON document.
pub fn render(inv: &Inventory) -> Vec<u8> {
    let mut bom = bom(inv);
    let content = serde_json::to_vec(&bom).unwrap_or_default();
    bom.serial_number = Some(format!("urn:uuid:{}", content_uuid(&content)));
    bom.metadata.timestamp = Some(inv.scan.started_at.clone()).filter(|t| !t.is_empty());
    let mut out = serde_json::to_vec_pretty(&bom).unwrap_or_default();
    out.push(b'\n');
    out
}
