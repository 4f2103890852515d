//! kataster: a software cadastre. Walks codebases, finds every component and the
//! evidence of its license, classifies it, and writes the inventory.
//!
//! The stages are crates of their own (`crates/`), each using only the ones below it:
//! `kataster-model` (the inventory model and the license vocabulary) <- `kataster-detect`
//! <- `kataster-ecosystems` <- `kataster-assemble` <- `kataster-verdict` <- `kataster-report`
//! and `kataster-estate` <- this crate (the command line). The library re-exports the stages
//! under their module names for the tests, the benchmarks and the fuzz targets; `main.rs`
//! only calls [`cli`].

pub mod cli;

pub use kataster_assemble::{assemble, cache, evidence, walk};
pub use kataster_detect as detect;
pub use kataster_detect::reuse;
pub use kataster_ecosystems as ecosystems;
pub use kataster_ecosystems::resolve;
pub use kataster_estate::{diff, estate, history, scan};
pub use kataster_model::{encoding, license, model, output, scopes, time};
pub use kataster_report as report;
pub use kataster_verdict::{classify, entitlements, policy};
