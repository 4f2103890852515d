//! Components: the inventory model and its assembly from per-file evidence.

pub mod assemble;
pub mod model;
pub mod scopes;

pub use model::*;
