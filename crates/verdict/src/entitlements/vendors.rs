//! Vendor dependence: the vendors of the components that are not open source, ranked by how
//! many components, repositories and departments depend on them, for the whole scan and per
//! department. The estate's own projects are not counted (they are nobody's product).

use kataster_model::model::{Component, ComponentKind, Inventory, OpenSource, VendorUse};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A vendor as people name it: an npm-style person string loses its mail and web addresses
/// (`AG Grid <info@ag-grid.com>` is `AG Grid`).
fn vendor_name(vendor: &str) -> &str {
    let end = [" <", " (http", "<"].iter().filter_map(|m| vendor.find(m)).min().unwrap_or(vendor.len());
    match vendor[..end].trim() {
        "" => vendor.trim(),
        name => name,
    }
}

/// The vendor ranking of `components`; `department_of` maps a root to its department.
fn rank<'a>(components: impl Iterator<Item = &'a Component>, department_of: &HashMap<&str, &str>) -> Vec<VendorUse> {
    #[derive(Default)]
    struct Tally {
        components: u64,
        repositories: BTreeSet<String>,
        departments: BTreeSet<String>,
        products: BTreeSet<String>,
    }
    let mut by_vendor: BTreeMap<String, Tally> = BTreeMap::new();
    for c in components {
        if matches!(c.kind, ComponentKind::Project | ComponentKind::Files) {
            continue;
        }
        let Some(k) = &c.classification else { continue };
        let Some(vendor) = k.vendor.as_deref().filter(|_| k.open_source == OpenSource::No) else { continue };
        let t = by_vendor.entry(vendor_name(vendor).to_string()).or_default();
        t.components += 1;
        t.repositories.insert(c.root.clone());
        if let Some(d) = department_of.get(c.root.as_str()) {
            t.departments.insert(d.to_string());
        }
        t.products.insert(c.name.clone());
    }
    let mut out: Vec<VendorUse> = by_vendor
        .into_iter()
        .map(|(vendor, t)| VendorUse {
            vendor,
            components: t.components,
            repositories: t.repositories.len() as u64,
            departments: t.departments.len() as u64,
            products: t.products.into_iter().collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        (b.components, b.repositories, b.departments)
            .cmp(&(a.components, a.repositories, a.departments))
            .then(a.vendor.cmp(&b.vendor))
    });
    out
}

/// Fill `inv.vendors` and each department's `vendors` (after the estate roll-up).
pub fn compute(inv: &mut Inventory) {
    let department_of: HashMap<&str, &str> = inv
        .repositories
        .iter()
        .map(|r| (r.name.as_str(), r.department.as_deref().unwrap_or(kataster_model::model::UNASSIGNED)))
        .collect();
    let vendors = rank(inv.components.iter(), &department_of);
    let per_department: Vec<Vec<VendorUse>> = inv
        .departments
        .iter()
        .map(|d| {
            let repos: BTreeSet<&str> = d.repositories.iter().map(String::as_str).collect();
            rank(inv.components.iter().filter(|c| repos.contains(c.root.as_str())), &department_of)
        })
        .collect();
    for (d, v) in inv.departments.iter_mut().zip(per_department) {
        d.vendors = v;
    }
    inv.vendors = vendors;
}

#[cfg(test)]
mod tests {
    #[test]
    fn vendor_names_lose_their_addresses() {
        assert_eq!(super::vendor_name("AG Grid <info@ag-grid.com>"), "AG Grid");
        assert_eq!(super::vendor_name("Jane Doe <j@d.example> (https://d.example)"), "Jane Doe");
        assert_eq!(
            super::vendor_name("Progress Software Corporation (Telerik)"),
            "Progress Software Corporation (Telerik)"
        );
        assert_eq!(super::vendor_name("<only@mail.example>"), "<only@mail.example>");
    }
}
