//! Verdicts: the classification of each component under the policy that applies, the
//! policy itself, and the register of entitlements matched against the classified
//! components. Uses the model and the vocabulary below it; never scans or writes files.

pub mod classify;
pub mod entitlements;
pub mod policy;
