//! kataster's integration tests: one test binary, one module per area. Every run of the
//! binary goes through [`kataster`], which gives it an isolated HOME, so that no test reads
//! this machine's package caches unless it provides them.

mod eco_support;
mod fs_support;
mod resolve_support;
mod support;

pub use support::{kataster, run_with_timeout};

mod catalog_composer;
mod catalog_go;
mod catalog_gradle;
mod catalog_hostile;
mod catalog_maven;
mod catalog_npm;
mod catalog_nuget;
mod catalog_parse_errors;
mod catalog_publiccode;
mod catalog_python;
mod catalog_ruby;
mod check;
mod detect_corpus;
mod diff;
mod diff_baseline;
mod entitlements;
mod estate;
mod estate_rescan;
mod history;
mod license_db;
mod reports;
mod resolve_offline;
mod resolve_online;
mod scan;
mod verdicts;
