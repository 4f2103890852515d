//! The named vocabularies of the inventory: ecosystems, diagnostic codes, the rules behind
//! license findings and the rules behind policy findings.
//!
//! Each is written in the JSON as the string it always was. Later versions of kataster may
//! add names (a reader of format 2.0 reads every 2.x), so a name this version does not know
//! is kept as it was read (`Other`, or the open variants of the rules): `merge`, `diff`,
//! baselines and reports of a newer inventory write it back unchanged. Names order as
//! strings, so sorted lists and maps keep the order they had as strings.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

/// Serialize, deserialize, order and print a vocabulary type by its name (`name()`), and
/// read it back with `from_name`.
macro_rules! by_name {
    ($ty:ident) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.name())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok($ty::from_name(&Cow::<str>::deserialize(d)?))
            }
        }

        impl PartialOrd for $ty {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $ty {
            fn cmp(&self, other: &Self) -> Ordering {
                self.name().cmp(&other.name())
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.name())
            }
        }
    };
}

/// A closed list of names this version writes, and `Other` for the names of later versions.
macro_rules! open_names {
    ($(
        $(#[$meta:meta])*
        $ty:ident {
            $($(#[$vmeta:meta])* $variant:ident => $name:literal,)+
        }
    )+) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum $ty {
                $($(#[$vmeta])* $variant,)+
                /// A name this version does not know, as an inventory of a later version wrote it.
                Other(String),
            }

            impl $ty {
                /// Every name this version knows.
                pub const KNOWN: &[$ty] = &[$($ty::$variant),+];

                /// The name in the JSON.
                pub fn as_str(&self) -> &str {
                    match self {
                        $($ty::$variant => $name,)+
                        $ty::Other(name) => name,
                    }
                }

                fn name(&self) -> Cow<'_, str> {
                    Cow::Borrowed(self.as_str())
                }

                /// The value a name stands for; `Other` for a name this version does not know.
                pub fn from_name(name: &str) -> $ty {
                    match name {
                        $($name => $ty::$variant,)+
                        other => $ty::Other(other.to_string()),
                    }
                }
            }

            by_name!($ty);
        )+

        #[cfg(test)]
        mod open_name_tests {
            use super::*;

            #[test]
            fn known_names_read_back_as_themselves_and_unknown_ones_are_kept() {
                $(
                    let mut seen = std::collections::BTreeSet::new();
                    for v in $ty::KNOWN {
                        assert!(seen.insert(v.as_str()), "{} twice", v.as_str());
                        let json = serde_json::to_string(v).unwrap();
                        assert_eq!(serde_json::from_str::<$ty>(&json).unwrap(), *v);
                    }
                    let later: $ty = serde_json::from_str("\"from-a-later-version\"").unwrap();
                    assert_eq!(later, $ty::Other("from-a-later-version".into()));
                    assert_eq!(serde_json::to_string(&later).unwrap(), "\"from-a-later-version\"");
                )+
            }
        }
    };
}

open_names! {
    /// The ecosystem of a component: the package manager whose records name it. The names
    /// are purl types where the two agree.
    Ecosystem {
        Cargo => "cargo",
        Golang => "golang",
        Maven => "maven",
        Npm => "npm",
        Composer => "composer",
        Nuget => "nuget",
        Pypi => "pypi",
        Gem => "gem",
        /// Software a `publiccode.yml` describes.
        Publiccode => "publiccode",
        /// No package manager: vendored folders without a manifest, subtrees with a license
        /// of their own, the files of a root no component claims.
        Generic => "generic",
    }

    /// What a diagnostic is about. `docs/inventory-format.md` says when each is given (a
    /// test holds the two together).
    DiagnosticCode {
        /// A folder or file that could not be opened or read.
        Unreadable => "unreadable",
        /// A symlink that points to itself or to a folder above it.
        SymlinkLoop => "symlink-loop",
        /// A symlink to something outside the root: not followed.
        SymlinkOutsideRoot => "symlink-outside-root",
        /// A symlink whose target does not exist.
        SymlinkBroken => "symlink-broken",
        /// A FIFO, socket or device.
        SpecialFile => "special-file",
        /// Paths whose names are not valid UTF-8 and read alike once decoded.
        NameCollision => "name-collision",
        /// A file over `--max-file-size`: listed, not read.
        FileTooLarge => "file-too-large",
        /// A file hashed whole but searched in its first part only.
        PartlySearched => "partly-searched",
        /// A manifest or lockfile a cataloger claims but cannot parse.
        ParseError => "parse-error",
        /// An entry of a manifest or lockfile that was skipped or is unusual.
        CatalogerWarning => "cataloger-warning",
        /// A binary file: not searched for license text.
        BinaryFile => "binary-file",
        /// Text that is not valid UTF-8: searched with lossy decoding.
        InvalidUtf8 => "invalid-utf8",
        /// A REUSE declaration (`REUSE.toml`, `.reuse/dep5`, a `.license` sidecar) that
        /// cannot be read or applied.
        ReuseError => "reuse-error",
        /// The result cache could not be read or written.
        ResultCache => "result-cache",
        /// A root that could not be walked at all.
        WalkError => "walk-error",
        /// The registry names no license for a dependency (`--online`).
        LicenseUnresolved => "license-unresolved",
        /// A registry look-up failed (`--online`).
        RegistryLookupFailed => "registry-lookup-failed",
        /// A root's own policy file that cannot be read, under a central policy.
        PolicyProposalInvalid => "policy-proposal-invalid",
        /// What a root's own policy file proposes and the central policy does not take.
        PolicyProposalIgnored => "policy-proposal-ignored",
        /// A clarification a root's own policy file proposes and the central policy takes.
        PolicyProposalAccepted => "policy-proposal-accepted",
        /// A clarification whose pinned file changed or is missing.
        ClarificationStale => "clarification-stale",
        /// A file clarification that matched no file.
        ClarificationUnused => "clarification-unused",
        /// A policy exception past its expiry date.
        PolicyExceptionExpired => "policy-exception-expired",
        /// A folder of an estate that could not be listed while looking for repositories.
        EstateUnreadable => "estate-unreadable",
        /// A repository of the estate file that is not a folder.
        RepositoryMissing => "repository-missing",
        /// The scan of a repository failed inside kataster.
        InternalError => "internal-error",
        /// Merged parts made by different builds of kataster.
        MergeMixedVersions => "merge-mixed-versions",
        /// Merged parts from different partitions of an estate.
        MergeMixedShards => "merge-mixed-shards",
        /// A shard of the partition that is not among the merged parts.
        ShardMissing => "shard-missing",
    }
}

/// The rule behind a license finding in a file. Written as its name: a rule of the
/// catalogue by its file name, the others by the names below.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FindingRule {
    /// One of kataster's rules written in code.
    Own(OwnRule),
    /// A rule of kataster's rule table (`license-db/detect/rules.toml`: notices, markers,
    /// vendors' licenses and license pages), by its name there; also a rule name of a later
    /// version.
    Table(String),
    /// The text of a license (or exception) in the SPDX License List, by its id:
    /// `spdx-text:ID`.
    SpdxText(String),
    /// A rule or license text of the catalogue (ScanCode's LicenseDB), by its file name:
    /// `mit_12.RULE`, `ag-grid-enterprise.LICENSE`.
    Catalogue(String),
}

/// The prefix of [`FindingRule::SpdxText`].
const SPDX_TEXT: &str = "spdx-text:";

impl FindingRule {
    /// The rule's name in the JSON.
    pub fn name(&self) -> Cow<'_, str> {
        match self {
            FindingRule::Own(r) => Cow::Borrowed(r.as_str()),
            FindingRule::Table(n) | FindingRule::Catalogue(n) => Cow::Borrowed(n),
            FindingRule::SpdxText(id) => Cow::Owned(format!("{SPDX_TEXT}{id}")),
        }
    }

    /// The rule a name stands for: a catalogue file name ends in `.RULE` or `.LICENSE`.
    pub fn from_name(name: &str) -> FindingRule {
        if name.ends_with(".RULE") || name.ends_with(".LICENSE") {
            FindingRule::Catalogue(name.to_string())
        } else if let Some(id) = name.strip_prefix(SPDX_TEXT) {
            FindingRule::SpdxText(id.to_string())
        } else if let Some(r) = OwnRule::from_name(name) {
            FindingRule::Own(r)
        } else {
            FindingRule::Table(name.to_string())
        }
    }
}

by_name!(FindingRule);

/// kataster's rules written in code (the detectors' and the license scopes').
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OwnRule {
    /// An `SPDX-License-Identifier:` tag.
    SpdxLicenseIdentifier,
    /// "All rights reserved" with no grant in the file.
    AllRightsReserved,
    /// License-like prose with the wording of a vendor's agreement.
    CommercialAgreementText,
    /// License-like prose that matches nothing known.
    UnknownLicenseText,
    /// A GNU notice ("is free software; you can redistribute it").
    GnuNotice,
    /// "Licensed under the X license".
    LicensedUnder,
    /// The BSD conditions without a license text around them.
    BsdConditions,
    /// A license URL.
    LicenseUrl,
    /// A pointer to a license file ("see LICENSE").
    SeeLicenseFile,
    /// A license named under a heading.
    LicenseHeading,
    /// A license named in a banner comment.
    LicenseBanner,
    /// `License: MIT`, `@license MIT`.
    LicenseLine,
    /// A license file whose text names no license kataster knows.
    UnidentifiedLicenseFile,
}

impl OwnRule {
    pub const ALL: &[OwnRule] = &[
        OwnRule::SpdxLicenseIdentifier,
        OwnRule::AllRightsReserved,
        OwnRule::CommercialAgreementText,
        OwnRule::UnknownLicenseText,
        OwnRule::GnuNotice,
        OwnRule::LicensedUnder,
        OwnRule::BsdConditions,
        OwnRule::LicenseUrl,
        OwnRule::SeeLicenseFile,
        OwnRule::LicenseHeading,
        OwnRule::LicenseBanner,
        OwnRule::LicenseLine,
        OwnRule::UnidentifiedLicenseFile,
    ];

    /// The rule's name in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnRule::SpdxLicenseIdentifier => "spdx-license-identifier",
            OwnRule::AllRightsReserved => "all-rights-reserved",
            OwnRule::CommercialAgreementText => "commercial-agreement-text",
            OwnRule::UnknownLicenseText => "unknown-license-text",
            OwnRule::GnuNotice => "gnu-notice",
            OwnRule::LicensedUnder => "licensed-under",
            OwnRule::BsdConditions => "bsd-conditions",
            OwnRule::LicenseUrl => "license-url",
            OwnRule::SeeLicenseFile => "see-license-file",
            OwnRule::LicenseHeading => "license-heading",
            OwnRule::LicenseBanner => "license-banner",
            OwnRule::LicenseLine => "license-line",
            OwnRule::UnidentifiedLicenseFile => "unidentified-license-file",
        }
    }

    pub fn from_name(name: &str) -> Option<OwnRule> {
        OwnRule::ALL.iter().copied().find(|r| r.as_str() == name)
    }
}

/// The rule behind a policy finding: what decided it. Written as its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PolicyRule {
    /// The policy's rule (`licenses.deny: GPL-3.0-only`, `licenses.default: review`) or the
    /// built-in default (`default: allow`) that judged the license.
    License(String),
    /// The license is allowed, but the conclusion needs a look: `needs-review`.
    NeedsReview,
    /// An exception of the policy, by its pattern: `exception: PATTERN`.
    Exception(String),
    /// No entitlement of the register covers a commercial or proprietary component:
    /// `entitlement-missing`.
    EntitlementMissing,
    /// What an entitlement of the register, by its id, says: `entitlement: ID`,
    /// `entitlement-expired: ID`, ...
    Entitlement(EntitlementRule, String),
}

/// What an entitlement of the register says about the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntitlementRule {
    /// It covers the component.
    Covered,
    /// It would cover the component, but it expired or is not yet valid.
    Expired,
    /// It is in use and ends soon.
    Expiring,
    /// More repositories or departments use it than it allows.
    OverQuantity,
    /// It matches no component of the scan.
    Unused,
}

impl EntitlementRule {
    pub const ALL: &[EntitlementRule] = &[
        EntitlementRule::Covered,
        EntitlementRule::Expired,
        EntitlementRule::Expiring,
        EntitlementRule::OverQuantity,
        EntitlementRule::Unused,
    ];

    /// The name before the entitlement's id.
    pub fn as_str(self) -> &'static str {
        match self {
            EntitlementRule::Covered => "entitlement",
            EntitlementRule::Expired => "entitlement-expired",
            EntitlementRule::Expiring => "entitlement-expiring",
            EntitlementRule::OverQuantity => "entitlement-over-quantity",
            EntitlementRule::Unused => "entitlement-unused",
        }
    }
}

const NEEDS_REVIEW: &str = "needs-review";
const ENTITLEMENT_MISSING: &str = "entitlement-missing";
const EXCEPTION: &str = "exception: ";

impl PolicyRule {
    /// The rule's name in the JSON.
    pub fn name(&self) -> Cow<'_, str> {
        match self {
            PolicyRule::License(r) => Cow::Borrowed(r),
            PolicyRule::NeedsReview => Cow::Borrowed(NEEDS_REVIEW),
            PolicyRule::Exception(pattern) => Cow::Owned(format!("{EXCEPTION}{pattern}")),
            PolicyRule::EntitlementMissing => Cow::Borrowed(ENTITLEMENT_MISSING),
            PolicyRule::Entitlement(r, id) => Cow::Owned(format!("{}: {id}", r.as_str())),
        }
    }

    pub fn from_name(name: &str) -> PolicyRule {
        if name == NEEDS_REVIEW {
            return PolicyRule::NeedsReview;
        }
        if name == ENTITLEMENT_MISSING {
            return PolicyRule::EntitlementMissing;
        }
        if let Some(pattern) = name.strip_prefix(EXCEPTION) {
            return PolicyRule::Exception(pattern.to_string());
        }
        for &r in EntitlementRule::ALL {
            if let Some(id) = name.strip_prefix(r.as_str()).and_then(|rest| rest.strip_prefix(": ")) {
                return PolicyRule::Entitlement(r, id.to_string());
            }
        }
        PolicyRule::License(name.to_string())
    }

    /// Did an exception of the policy decide?
    pub fn is_exception(&self) -> bool {
        matches!(self, PolicyRule::Exception(_))
    }
}

by_name!(PolicyRule);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_back_as_they_were_written() {
        let finding_rules = [
            FindingRule::Own(OwnRule::LicenseUrl),
            FindingRule::Table("vendor-telerik".into()),
            FindingRule::SpdxText("MIT".into()),
            FindingRule::Catalogue("mit_12.RULE".into()),
            FindingRule::Catalogue("ag-grid-enterprise.LICENSE".into()),
        ];
        for r in finding_rules.iter().cloned().chain(OwnRule::ALL.iter().map(|&o| FindingRule::Own(o))) {
            assert_eq!(FindingRule::from_name(&r.name()), r);
        }
        assert_eq!(FindingRule::SpdxText("MIT".into()).to_string(), "spdx-text:MIT");
        let policy_rules = [
            PolicyRule::License("licenses.deny: GPL-3.0-only".into()),
            PolicyRule::License("default: allow".into()),
            PolicyRule::NeedsReview,
            PolicyRule::Exception("pkg:npm/left-pad@*".into()),
            PolicyRule::EntitlementMissing,
        ];
        let entitlement_rules = EntitlementRule::ALL.iter().map(|&r| PolicyRule::Entitlement(r, "ag-grid-2025".into()));
        for r in policy_rules.into_iter().chain(entitlement_rules) {
            assert!(!r.name().is_empty());
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<PolicyRule>(&json).unwrap(), r);
        }
        assert_eq!(PolicyRule::Exception("x".into()).to_string(), "exception: x");
        assert_eq!(PolicyRule::Entitlement(EntitlementRule::Expired, "x".into()).to_string(), "entitlement-expired: x");
    }

    /// Each code is listed where the format is described.
    #[test]
    fn every_diagnostic_code_is_documented() {
        let doc = include_str!("../../../docs/inventory-format.md");
        let section = doc.split("## Diagnostic").nth(1).expect("a Diagnostic section");
        for c in DiagnosticCode::KNOWN {
            assert!(
                section.contains(&format!("`{}`", c.as_str())),
                "{} is not in docs/inventory-format.md",
                c.as_str()
            );
        }
    }
}
