//! publiccode.yml (the metadata standard of Developers Italia and OpenCoDE): the software
//! itself as a project with its declared license (`legal.license`), and the software it
//! depends on (`dependsOn.open`, `.proprietary`, `.hardware`) as components carrying what
//! the file declares about them.
//!
//! Owns reading `publiccode.yml`/`publiccode.yaml`; never checks the file against the
//! standard's full schema (a validator's job) and never looks a dependency up anywhere.

#[cfg(test)]
mod fixture_tests;

use super::{Catalog, Cataloger, ManifestFile, Package, PackageRole, ParseError, purl, yaml_error};
use kataster_model::license::DeclaredLicense;
use kataster_model::model::Ecosystem;
use kataster_model::model::Scope;
use serde::Deserialize;
use serde_saphyr::Spanned;

pub const CATALOGER: Cataloger = Cataloger { name: "publiccode", claims, parse, records: &[] };

use kataster_model::license::refs::OPEN_SOURCE;

fn claims(_path: &str, name: &str) -> bool {
    name == "publiccode.yml" || name == "publiccode.yaml"
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PublicCode {
    publiccode_yml_version: Option<String>,
    name: Option<Spanned<String>>,
    software_version: Option<String>,
    legal: Legal,
    maintenance: Maintenance,
    depends_on: DependsOn,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Maintenance {
    contacts: Vec<Contact>,
}

/// A maintenance contact: who answers for the software (`name`, optional `email`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Contact {
    name: Option<String>,
    email: Option<String>,
}

impl Contact {
    /// `Name <mail>`, the name alone, or `None` without a name.
    fn person(&self) -> Option<String> {
        let name = self.name.as_deref().map(str::trim).filter(|n| !n.is_empty())?;
        Some(match self.email.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            Some(mail) => format!("{name} <{mail}>"),
            None => name.to_string(),
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Legal {
    license: Option<String>,
    main_copyright_owner: Option<String>,
    repo_owner: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DependsOn {
    open: Vec<Dependency>,
    proprietary: Vec<Dependency>,
    hardware: Vec<Dependency>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    optional: bool,
}

fn parse(file: &ManifestFile) -> Result<Catalog, ParseError> {
    let text = file.text()?;
    let doc: PublicCode = serde_saphyr::from_str(text).map_err(|e| yaml_error(&e))?;
    let mut cat = Catalog::default();
    let Some(name) = doc.name.as_ref().filter(|n| !n.value.trim().is_empty()) else {
        return Err(ParseError::at(1, "publiccode.yml has no `name`"));
    };
    if doc.publiccode_yml_version.as_deref().is_some_and(|v| !v.starts_with("0.")) {
        cat.warnings.push(format!(
            "publiccodeYmlVersion {} is newer than the versions this reader knows (0.x)",
            doc.publiccode_yml_version.as_deref().unwrap_or("")
        ));
    }
    let version = doc.software_version.as_deref().map(str::trim).filter(|v| !v.is_empty());
    let mut project =
        Package::new(PackageRole::Project, Ecosystem::Publiccode, name.value.trim(), version.map(str::to_string));
    project.purl = purl("generic", None, name.value.trim(), version);
    project.dir = Some(file.dir().to_string());
    project.line = Some(line(name));
    project.declared_license =
        doc.legal.license.as_deref().filter(|l| !l.trim().is_empty()).map(DeclaredLicense::from_raw);
    project.supplier = doc.legal.main_copyright_owner.or(doc.legal.repo_owner);
    project.authors = doc.maintenance.contacts.iter().filter_map(Contact::person).collect();

    let mut deps = Vec::new();
    for (list, kind) in [
        (&doc.depends_on.open, "open"),
        (&doc.depends_on.proprietary, "proprietary"),
        (&doc.depends_on.hardware, "hardware"),
    ] {
        for d in list {
            let dname = d.name.value.trim();
            if dname.is_empty() {
                cat.warnings.push(format!("line {}: a dependsOn.{kind} entry without a name; skipped", line(&d.name)));
                continue;
            }
            // Only an exact `version` is a version; the range `versionMin`/`versionMax` allows
            // is not, and the component stays without one.
            let version = d.version.as_deref().map(str::trim).filter(|v| !v.is_empty());
            let mut p =
                Package::new(PackageRole::Dependency, Ecosystem::Publiccode, dname, version.map(str::to_string));
            p.purl = purl("generic", None, dname, version);
            p.scope = if d.optional { Scope::Optional } else { Scope::Runtime };
            p.direct = Some(true);
            p.line = Some(line(&d.name));
            p.declared_license = Some(match kind {
                "open" => DeclaredLicense {
                    raw: "open (publiccode.yml dependsOn.open)".into(),
                    expression: Some(OPEN_SOURCE.into()),
                    inferred: false,
                },
                "proprietary" => super::proprietary_license("proprietary (publiccode.yml dependsOn.proprietary)"),
                _ => DeclaredLicense {
                    raw: "hardware (publiccode.yml dependsOn.hardware)".into(),
                    expression: None,
                    inferred: false,
                },
            });
            deps.push(p);
        }
    }
    project.dependencies = deps.iter().map(Package::key).collect();
    cat.packages.push(project);
    cat.packages.extend(deps);
    Ok(cat)
}

fn line<T>(s: &Spanned<T>) -> u32 {
    u32::try_from(s.referenced.line()).unwrap_or(0).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Catalog, ParseError> {
        parse(&ManifestFile { path: "fachverfahren/publiccode.yml", bytes: text.as_bytes() })
    }

    #[test]
    fn project_license_and_declared_dependencies() {
        let c = run("publiccodeYmlVersion: \"0.4\"\nname: Meldewesen\nsoftwareVersion: \"2.3.0\"\nlegal:\n  license: EUPL-1.2\n  mainCopyrightOwner: Stadt Musterhausen\nmaintenance:\n  type: internal\n  contacts:\n    - name: Erika Mustermann\n      email: it@musterhausen.example\n      affiliation: Hauptamt\n    - name: Max Beispiel\n    - email: nameless@musterhausen.example\ndependsOn:\n  open:\n    - name: PostgreSQL\n      version: \"15\"\n    - name: Redis\n      versionMin: \"6\"\n      optional: true\n  proprietary:\n    - name: Oracle Database\n      versionMin: \"19c\"\n  hardware:\n    - name: Kartenleser\n").unwrap();
        let p = &c.packages[0];
        assert_eq!(
            (p.role, p.name.as_str(), p.version.as_deref()),
            (PackageRole::Project, "Meldewesen", Some("2.3.0"))
        );
        assert_eq!(p.dir.as_deref(), Some("fachverfahren"));
        assert_eq!(p.declared_license.as_ref().unwrap().expression.as_deref(), Some("EUPL-1.2"));
        assert_eq!(p.supplier.as_deref(), Some("Stadt Musterhausen"));
        assert_eq!(p.authors, ["Erika Mustermann <it@musterhausen.example>", "Max Beispiel"]);
        assert_eq!(p.dependencies.len(), 4);
        let d: Vec<_> = c.packages[1..]
            .iter()
            .map(|d| {
                (
                    d.name.as_str(),
                    d.version.as_deref(),
                    d.scope,
                    d.line,
                    d.declared_license.as_ref().unwrap().expression.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            d,
            vec![
                ("PostgreSQL", Some("15"), Scope::Runtime, Some(17), Some(OPEN_SOURCE)),
                ("Redis", None, Scope::Optional, Some(19), Some(OPEN_SOURCE)),
                ("Oracle Database", None, Scope::Runtime, Some(23), Some(super::super::PROPRIETARY)),
                ("Kartenleser", None, Scope::Runtime, Some(26), None),
            ]
        );
        assert_eq!(c.packages[1].purl.as_deref(), Some("pkg:generic/PostgreSQL@15"));
    }

    #[test]
    fn invalid_yaml_and_missing_name_are_errors() {
        let e = run("name: x\nlegal:\n  license: 'MIT\n").unwrap_err();
        assert!(e.message.contains("invalid YAML") && e.line.is_some(), "{e}");
        let e = run("legal:\n  license: MIT\n").unwrap_err();
        assert!(e.message.contains("no `name`"), "{e}");
    }
}
