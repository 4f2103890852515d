//! Reports: each format a function from the inventory to bytes.
//!
//! Reports compute nothing new: whatever two formats need lives in the inventory. Every
//! report is deterministic for the same inventory.

use crate::inventory::model::Inventory;

pub mod csv;
pub mod json;
pub mod table;

/// The output formats kataster writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["table", "json", "csv"];

    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Settings that change how a report is written, not what it says.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub csv_delimiter: u8,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { csv_delimiter: b',' }
    }
}

/// Render the inventory in `format`.
pub fn render(format: Format, inv: &Inventory, opts: &ReportOptions) -> Vec<u8> {
    match format {
        Format::Table => table::render(inv).into_bytes(),
        Format::Json => json::render(inv),
        Format::Csv => csv::render(inv, opts.csv_delimiter).into_bytes(),
    }
}
