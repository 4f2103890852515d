//! The ground floor of kataster: the inventory model every stage shares and every report
//! reads, the license vocabulary (SPDX normalization, the license database of `license-db/`,
//! expression evaluation), the file-name rules of license scopes, and the small helpers every
//! stage needs (hex and base64, atomic writes, terminal-safe text, the clock). Depends on no
//! other crate of kataster.

pub mod encoding;
pub mod license;
pub mod model;
pub mod output;
pub mod scopes;
pub mod time;
pub mod vocab;
