//! The register of entitlements: the licenses an organisation has bought (vendor, product,
//! the components they cover, license type, quantity, contract, department, validity), read
//! from TOML, CSV or XLSX (`docs/licence-management.md`).
//!
//! Owns reading and checking the register (`register`), matching it against the classified
//! inventory with the findings the policy's `[entitlements]` levels give (`matching`), and
//! the vendor dependence of the estate (`vendors`). It never scans and reads no file but
//! the register.

pub mod matching;
pub mod register;
pub mod vendors;

pub use matching::apply;
pub use register::{Entitlement, LicenseType, Register};
