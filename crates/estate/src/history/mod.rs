//! History: each scan stored in an embedded SQLite database (`--db FILE`), for the
//! dashboard and for questions over time.
//!
//! Owns: the database schema (scans, repositories, components, licenses, findings), its
//! version (`PRAGMA user_version`) and the migrations from every older version, and storing
//! an inventory as one scan. The schema is documented in `docs/estate.md`.
//!
//! It never changes what a scan found, never deletes a scan, and refuses a database whose
//! schema is newer than it knows rather than guess at it.

pub mod dashboard;

use kataster_model::model::{Component, Inventory};
use rusqlite::{Connection, params};
use std::path::Path;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 3;

/// The migrations: migration `i` (1-based) takes a database from version `i - 1` to `i`.
const MIGRATIONS: &[&str] = &[
    // 1: scans and what they found.
    "CREATE TABLE scans (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        tool_version TEXT NOT NULL,
        license_db_version TEXT NOT NULL,
        inventory_schema TEXT NOT NULL,
        roots INTEGER NOT NULL,
        files_seen INTEGER NOT NULL,
        components INTEGER NOT NULL,
        open_source_share REAL NOT NULL
    );
    CREATE TABLE repositories (
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        department TEXT,
        owner TEXT,
        criticality TEXT,
        status TEXT NOT NULL,
        components INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        PRIMARY KEY (scan_id, name)
    );
    CREATE TABLE components (
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        root TEXT NOT NULL,
        name TEXT NOT NULL,
        version TEXT,
        ecosystem TEXT NOT NULL,
        kind TEXT NOT NULL,
        scope TEXT NOT NULL,
        purl TEXT,
        declared_license TEXT,
        concluded_license TEXT,
        category TEXT,
        open_source INTEGER,
        needs_review INTEGER,
        PRIMARY KEY (scan_id, id)
    );
    CREATE TABLE licenses (
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        component_id TEXT NOT NULL,
        slot TEXT NOT NULL,
        license TEXT NOT NULL,
        PRIMARY KEY (scan_id, component_id, slot, license)
    );
    CREATE TABLE findings (
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        component_id TEXT NOT NULL,
        name TEXT NOT NULL,
        version TEXT,
        license TEXT,
        decision TEXT NOT NULL,
        rule TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX findings_scan ON findings(scan_id);",
    // 2: suppliers, for vendor concentration (lock-in) on the dashboard.
    "ALTER TABLE components ADD COLUMN supplier TEXT;
    CREATE INDEX components_scan_category ON components(scan_id, category);",
    // 3: vendor dependence (whole scan: department '', and per department) and the register
    // of entitlements, for license management over time.
    "CREATE TABLE vendors (
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        department TEXT NOT NULL,
        vendor TEXT NOT NULL,
        components INTEGER NOT NULL,
        repositories INTEGER NOT NULL,
        departments INTEGER NOT NULL,
        PRIMARY KEY (scan_id, department, vendor)
    );
    CREATE TABLE entitlements (
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        vendor TEXT NOT NULL,
        product TEXT NOT NULL,
        license_type TEXT NOT NULL,
        quantity INTEGER,
        valid_until TEXT,
        validity TEXT NOT NULL,
        components INTEGER NOT NULL,
        repositories INTEGER NOT NULL,
        departments INTEGER NOT NULL,
        over_quantity INTEGER NOT NULL,
        PRIMARY KEY (scan_id, id)
    );",
];

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{path}: {message}")]
    Db { path: String, message: String },
    #[error("{path}: history schema version {found} is newer than this kataster knows ({known}); use a newer kataster")]
    TooNew { path: String, found: i64, known: i64 },
}

/// An open history database, migrated to [`SCHEMA_VERSION`].
pub struct History {
    conn: Connection,
    path: String,
}

impl History {
    /// Open (or create) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        Self::open_at(path, SCHEMA_VERSION)
    }

    /// Open and migrate up to `version` only (tests of migrations start from old versions).
    pub fn open_at(path: &Path, version: i64) -> Result<History, HistoryError> {
        let shown = path.display().to_string();
        let conn =
            Connection::open(path).map_err(|e| HistoryError::Db { path: shown.clone(), message: e.to_string() })?;
        let mut h = History { conn, path: shown };
        h.migrate(version)?;
        Ok(h)
    }

    fn err(&self, e: impl std::fmt::Display) -> HistoryError {
        HistoryError::Db { path: self.path.clone(), message: e.to_string() }
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<i64, HistoryError> {
        self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| self.err(e))
    }

    fn migrate(&mut self, target: i64) -> Result<(), HistoryError> {
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")
            .map_err(|e| self.err(format!("not a usable SQLite database: {e}")))?;
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(HistoryError::TooNew { path: self.path.clone(), found, known: SCHEMA_VERSION });
        }
        for v in found + 1..=target.min(SCHEMA_VERSION) {
            let Some(sql) = usize::try_from(v - 1).ok().and_then(|i| MIGRATIONS.get(i)) else { break };
            let tx = self
                .conn
                .transaction()
                .map_err(|e| HistoryError::Db { path: self.path.clone(), message: e.to_string() })?;
            tx.execute_batch(sql)
                .and_then(|_| tx.pragma_update(None, "user_version", v))
                .and_then(|_| tx.commit())
                .map_err(|e| HistoryError::Db {
                    path: self.path.clone(),
                    message: format!("migration to version {v}: {e}"),
                })?;
        }
        Ok(())
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Store an inventory as one scan; returns the scan's id.
    pub fn store(&mut self, inv: &Inventory) -> Result<i64, HistoryError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| HistoryError::Db { path: path.clone(), message: e.to_string() };
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(
            "INSERT INTO scans (started_at, finished_at, duration_ms, tool_version, license_db_version,
                inventory_schema, roots, files_seen, components, open_source_share)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                inv.scan.started_at,
                inv.scan.finished_at,
                inv.scan.duration_ms as i64,
                inv.tool.version,
                inv.tool.license_db_version,
                inv.schema_version,
                inv.scan.roots.len() as i64,
                inv.scan.files_seen as i64,
                inv.components.len() as i64,
                inv.summary.open_source_share,
            ],
        )
        .map_err(err)?;
        let scan = tx.last_insert_rowid();
        {
            let mut repo = tx
                .prepare(
                    "INSERT INTO repositories (scan_id, name, path, department, owner, criticality, status, components, errors)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(err)?;
            if inv.repositories.is_empty() {
                // A scan of plain roots: each root is a repository without metadata.
                for r in &inv.scan.roots {
                    let comps = inv.components.iter().filter(|c| c.root == r.label).count() as i64;
                    let errors = inv
                        .diagnostics
                        .iter()
                        .filter(|d| d.root == r.label && d.severity == kataster_model::model::Severity::Error)
                        .count() as i64;
                    repo.execute(params![
                        scan,
                        r.label,
                        r.path,
                        None::<String>,
                        None::<String>,
                        None::<String>,
                        "scanned",
                        comps,
                        errors
                    ])
                    .map_err(err)?;
                }
            }
            for r in &inv.repositories {
                repo.execute(params![
                    scan,
                    r.name,
                    r.path,
                    r.department,
                    r.owner,
                    r.criticality,
                    r.status.as_str(),
                    r.summary.components as i64,
                    r.summary.diagnostics.get("error").copied().unwrap_or(0) as i64,
                ])
                .map_err(err)?;
            }
            let mut comp = tx
                .prepare(
                    "INSERT OR IGNORE INTO components (scan_id, id, root, name, version, ecosystem, kind, scope, purl,
                        declared_license, concluded_license, category, open_source, needs_review, supplier)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                )
                .map_err(err)?;
            let mut lic = tx
                .prepare(
                    "INSERT OR IGNORE INTO licenses (scan_id, component_id, slot, license) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            for c in &inv.components {
                let k = c.classification.as_ref();
                comp.execute(params![
                    scan,
                    c.id,
                    c.root,
                    c.name,
                    c.version,
                    c.ecosystem.as_str(),
                    c.kind.as_str(),
                    c.scope.as_str(),
                    c.purl,
                    c.declared_license,
                    c.concluded_license,
                    k.map(|k| k.category.as_str()),
                    // yes 1, no 0; unknown (and unclassified) NULL.
                    k.and_then(|k| match k.open_source {
                        kataster_model::model::OpenSource::Yes => Some(true),
                        kataster_model::model::OpenSource::No => Some(false),
                        kataster_model::model::OpenSource::Unknown => None,
                    }),
                    k.map(|k| k.needs_review),
                    c.supplier,
                ])
                .map_err(err)?;
                for (slot, id) in license_rows(c) {
                    lic.execute(params![scan, c.id, slot, id]).map_err(err)?;
                }
            }
            let mut find = tx
                .prepare(
                    "INSERT INTO findings (scan_id, component_id, name, version, license, decision, rule, reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err)?;
            for f in &inv.findings {
                find.execute(params![
                    scan,
                    f.component,
                    f.name,
                    f.version,
                    f.license,
                    f.decision.as_str(),
                    f.rule.name(),
                    f.reason
                ])
                .map_err(err)?;
            }
            let mut vendor = tx
                .prepare(
                    "INSERT OR IGNORE INTO vendors (scan_id, department, vendor, components, repositories, departments)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(err)?;
            let whole = inv.vendors.iter().map(|v| ("", v));
            let per_department = inv.departments.iter().flat_map(|d| d.vendors.iter().map(|v| (d.name.as_str(), v)));
            for (department, v) in whole.chain(per_department) {
                vendor
                    .execute(params![
                        scan,
                        department,
                        v.vendor,
                        v.components as i64,
                        v.repositories as i64,
                        v.departments as i64
                    ])
                    .map_err(err)?;
            }
            let mut ent = tx
                .prepare(
                    "INSERT OR IGNORE INTO entitlements (scan_id, id, vendor, product, license_type, quantity,
                        valid_until, validity, components, repositories, departments, over_quantity)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .map_err(err)?;
            for e in &inv.entitlements {
                ent.execute(params![
                    scan,
                    e.id,
                    e.vendor,
                    e.product,
                    e.license_type,
                    e.quantity.map(|q| q as i64),
                    e.valid_until,
                    e.validity,
                    e.components.len() as i64,
                    e.repositories.len() as i64,
                    e.departments.len() as i64,
                    e.over_quantity,
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(scan)
    }
}

/// The license ids of a component per slot (`declared`, `license-file`, `detected`,
/// `concluded`); `detected` holds the discovered licenses.
fn license_rows(c: &Component) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (slot, exprs) in [
        ("declared", c.declared_license.iter().collect::<Vec<_>>()),
        ("license-file", c.scope_license.iter().collect()),
        ("detected", c.discovered_licenses.iter().collect()),
        ("concluded", c.concluded_license.iter().collect()),
    ] {
        for e in exprs {
            out.extend(license_ids(e).into_iter().map(|id| (slot, id)));
        }
    }
    out
}

/// The license ids of an SPDX expression: `MIT OR (Apache-2.0 WITH LLVM-exception)` gives
/// `MIT` and `Apache-2.0` (exceptions are not licenses). Sorted, without duplicates.
pub fn license_ids(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut after_with = false;
    for tok in expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')').filter(|t| !t.is_empty()) {
        match tok.to_ascii_uppercase().as_str() {
            "AND" | "OR" => after_with = false,
            "WITH" => after_with = true,
            _ if after_with => after_with = false,
            _ => out.push(tok.to_string()),
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_ids_of_expressions() {
        assert_eq!(license_ids("MIT OR (Apache-2.0 WITH LLVM-exception)"), ["Apache-2.0", "MIT"]);
        assert_eq!(
            license_ids("GPL-2.0-or-later AND MIT and BSD-3-Clause"),
            ["BSD-3-Clause", "GPL-2.0-or-later", "MIT"]
        );
        assert_eq!(license_ids("LicenseRef-foo"), ["LicenseRef-foo"]);
        assert!(license_ids(" ( ) ").is_empty());
    }

    #[test]
    fn refuses_newer_and_foreign_databases() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("h.sqlite");
        {
            let c = Connection::open(&p).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        let e = History::open(&p).err().unwrap().to_string();
        assert!(e.contains("h.sqlite") && e.contains("99") && e.contains("newer"), "{e}");
        let junk = d.path().join("junk.sqlite");
        std::fs::write(&junk, b"this is not a database, just a text file of some length.......").unwrap();
        let e = History::open(&junk).err().unwrap().to_string();
        assert!(e.contains("junk.sqlite"), "{e}");
    }
}
