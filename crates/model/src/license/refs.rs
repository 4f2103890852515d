//! kataster's own license references: the `LicenseRef-kataster-*` ids that stand for what the
//! SPDX list has no id for. One home, so that the detectors, the catalogers, the scope rules
//! and the verdicts name the same thing the same way. The vendor-specific ones (a commercial
//! charting library's license, say) live with the rules that find them
//! (`license-db/detect/rules.toml`).

/// Software its owner declares proprietary (npm `UNLICENSED`, publiccode.yml
/// `dependsOn.proprietary`, a proprietary-license marker).
pub const PROPRIETARY: &str = "LicenseRef-kataster-proprietary";
/// A commercial agreement kataster does not name more closely.
pub const COMMERCIAL: &str = "LicenseRef-kataster-commercial";
/// An end-user license agreement nobody catalogued.
pub const EULA: &str = "LicenseRef-kataster-eula";
/// License text that nobody identifies: never counted as open source.
pub const UNKNOWN: &str = "LicenseRef-kataster-unknown";
/// A pointer to the license file ("see LICENSE"), resolved by the scope rules.
pub const SEE_LICENSE_FILE: &str = "LicenseRef-kataster-see-license-file";
/// Open-source software whose license the declaration does not name (publiccode.yml
/// `dependsOn.open`).
pub const OPEN_SOURCE: &str = "LicenseRef-kataster-open-source";
/// A dedication to the public domain in words no SPDX id covers.
pub const PUBLIC_DOMAIN: &str = "LicenseRef-kataster-public-domain";
