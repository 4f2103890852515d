//! Cargo cataloger on damaged files: a Cargo.lock made by Cargo cut inside a string, and a
//! Cargo.toml with an inline table left open.

use crate::eco_support::assert_parse_error_at;

#[test]
fn corrupt_cargo_files_give_diagnostics_with_file_and_line() {
    assert_parse_error_at("cargo", "cargo/corrupt", "Cargo.lock", 18);
    assert_parse_error_at("cargo", "cargo/corrupt", "Cargo.toml", 11);
}
