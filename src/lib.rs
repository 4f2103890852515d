//! kataster: a software cadastre. Walks codebases, finds every component and the
//! evidence of its license, classifies it, and writes the inventory.
//!
//! The pipeline runs one way: [`walk`] -> [`evidence`] (with [`ecosystems`] and
//! [`detect`]) -> [`inventory`] -> [`classify`] -> [`report`]. `main.rs` only wires it.

pub mod cache;
pub mod classify;
pub mod cli;
pub mod detect;
pub mod diff;
pub mod ecosystems;
pub mod encoding;
pub mod entitlements;
pub mod estate;
pub mod evidence;
pub mod history;
pub mod inventory;
pub mod license;
pub mod output;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod reuse;
pub mod scan;
pub mod walk;
