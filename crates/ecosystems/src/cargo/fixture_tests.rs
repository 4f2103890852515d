//! The Cargo cataloger on its fixtures: a Cargo.lock made by Cargo cut inside a string, and
//! a Cargo.toml with an inline table left open.

use crate::testing::Fixtures;

const FIXTURES: Fixtures = Fixtures { ecosystem: "cargo", folder: "cargo" };

#[test]
fn corrupt_files_give_errors_with_their_line() {
    FIXTURES.parse_error("corrupt/Cargo.lock", 18);
    FIXTURES.parse_error("corrupt/Cargo.toml", 11);
}
