//! The native inventory as JSON (`docs/inventory-format.md`).

use kataster_model::model::Inventory;

pub fn render(inv: &Inventory) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(inv).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
    out.push(b'\n');
    out
}
