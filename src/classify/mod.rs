//! Verdicts: the classification of each component's license.

pub mod expr;

use crate::inventory::model::Inventory;

/// Classify every component of the inventory in place.
pub fn classify(_inventory: &mut Inventory) {}
