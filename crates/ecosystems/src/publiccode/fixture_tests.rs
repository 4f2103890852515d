//! The publiccode.yml cataloger on its fixtures: what it makes of the real files is checked
//! end to end through the binary (`tests/it/catalog_publiccode.rs`); here, the damaged one.

use crate::testing::Fixtures;

const FIXTURES: Fixtures = Fixtures { ecosystem: "publiccode", folder: "publiccode" };

#[test]
fn invalid_yaml_gives_an_error_with_its_line() {
    FIXTURES.parse_errors(&[("corrupt/publiccode.yml", 7, "invalid YAML")]);
}
