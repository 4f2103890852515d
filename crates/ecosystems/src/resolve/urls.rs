//! License URLs as POMs and nuspecs write them, mapped to SPDX ids. Owns only the table of
//! well-known license URLs; a URL not in it means nothing (no guessing from a host name).

/// The SPDX expression a license URL stands for, if it is a well-known one.
pub fn license_from_url(url: &str) -> Option<String> {
    let u = url.trim().trim_end_matches('/').to_ascii_lowercase();
    let u = u.trim_start_matches("https://").trim_start_matches("http://").trim_start_matches("www.");
    // licenses.nuget.org/EXPRESSION is an SPDX expression by construction.
    if let Some(expr) = u.strip_prefix("licenses.nuget.org/") {
        let original = url.trim().trim_end_matches('/');
        let start = original.len() - expr.len();
        let expr = original.get(start..).unwrap_or(expr).replace("%20", " ");
        return kataster_model::license::normalize_expression(&expr);
    }
    // spdx.org/licenses/ID(.html|.txt)
    if let Some(id) = u.strip_prefix("spdx.org/licenses/") {
        let id = id.trim_end_matches(".html").trim_end_matches(".txt").trim_end_matches(".json");
        return kataster_model::license::normalize_expression(id);
    }
    // opensource.org/licenses/ID(.php)
    if let Some(id) = u.strip_prefix("opensource.org/licenses/").or_else(|| u.strip_prefix("opensource.org/license/")) {
        let id = id.trim_end_matches(".php").trim_end_matches(".html");
        let id = match id {
            "bsd-license" => "BSD-2-Clause",
            "mit-license" => "MIT",
            "apache2.0" => "Apache-2.0",
            "lgpl-license" => "LGPL-2.1-only",
            "gpl-license" => "GPL-2.0-only",
            "eclipse-1.0" => "EPL-1.0",
            "eclipse-2.0" => "EPL-2.0",
            "cpl1.0" => "CPL-1.0",
            other => other,
        };
        return kataster_model::license::normalize_expression(id);
    }
    const TABLE: &[(&str, &str)] = &[
        ("apache.org/licenses/license-2.0", "Apache-2.0"),
        ("apache.org/licenses/license-2.0.txt", "Apache-2.0"),
        ("apache.org/licenses/license-2.0.html", "Apache-2.0"),
        ("apache.org/licenses/license-1.1", "Apache-1.1"),
        ("gnu.org/licenses/gpl-2.0.html", "GPL-2.0-only"),
        ("gnu.org/licenses/gpl-2.0.txt", "GPL-2.0-only"),
        ("gnu.org/licenses/old-licenses/gpl-2.0.html", "GPL-2.0-only"),
        ("gnu.org/licenses/old-licenses/gpl-2.0.txt", "GPL-2.0-only"),
        ("gnu.org/licenses/gpl-3.0.html", "GPL-3.0-only"),
        ("gnu.org/licenses/gpl-3.0.txt", "GPL-3.0-only"),
        ("gnu.org/licenses/gpl.html", "GPL-3.0-only"),
        ("gnu.org/licenses/gpl.txt", "GPL-3.0-only"),
        ("gnu.org/licenses/old-licenses/lgpl-2.1.html", "LGPL-2.1-only"),
        ("gnu.org/licenses/old-licenses/lgpl-2.1.txt", "LGPL-2.1-only"),
        ("gnu.org/licenses/lgpl-2.1.html", "LGPL-2.1-only"),
        ("gnu.org/licenses/lgpl-3.0.html", "LGPL-3.0-only"),
        ("gnu.org/licenses/lgpl-3.0.txt", "LGPL-3.0-only"),
        ("gnu.org/licenses/lgpl.html", "LGPL-3.0-only"),
        ("gnu.org/licenses/agpl-3.0.html", "AGPL-3.0-only"),
        ("gnu.org/licenses/agpl-3.0.txt", "AGPL-3.0-only"),
        ("eclipse.org/legal/epl-v10.html", "EPL-1.0"),
        ("eclipse.org/legal/epl-v20.html", "EPL-2.0"),
        ("eclipse.org/legal/epl-2.0", "EPL-2.0"),
        ("eclipse.org/org/documents/edl-v10.php", "BSD-3-Clause"),
        ("eclipse.org/org/documents/edl-v10.html", "BSD-3-Clause"),
        ("mozilla.org/mpl/2.0", "MPL-2.0"),
        ("mozilla.org/en-us/mpl/2.0", "MPL-2.0"),
        ("mozilla.org/mpl/mpl-1.1.html", "MPL-1.1"),
        ("creativecommons.org/publicdomain/zero/1.0", "CC0-1.0"),
        ("creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"),
        ("unlicense.org", "Unlicense"),
        ("json.org/license.html", "JSON"),
        ("bouncycastle.org/licence.html", "MIT"),
        ("github.com/dotnet/corefx/blob/master/license.txt", "MIT"),
        ("github.com/dotnet/runtime/blob/main/license.txt", "MIT"),
        ("raw.githubusercontent.com/dotnet/corefx/master/license.txt", "MIT"),
        ("go.microsoft.com/fwlink/?linkid=329770", "LicenseRef-Microsoft-.NET-Library"),
        ("joinup.ec.europa.eu/software/page/eupl", "EUPL-1.2"),
        ("eupl.eu/1.2/en", "EUPL-1.2"),
    ];
    TABLE.iter().find(|(k, _)| *k == u).and_then(|(_, id)| kataster_model::license::normalize_expression(id))
}

#[cfg(test)]
mod tests {
    use super::license_from_url;

    #[test]
    fn well_known_urls() {
        assert_eq!(license_from_url("https://www.apache.org/licenses/LICENSE-2.0.txt").as_deref(), Some("Apache-2.0"));
        assert_eq!(license_from_url("http://opensource.org/licenses/MIT").as_deref(), Some("MIT"));
        assert_eq!(
            license_from_url("https://licenses.nuget.org/MIT OR Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(license_from_url("https://spdx.org/licenses/BSD-3-Clause.html").as_deref(), Some("BSD-3-Clause"));
        assert_eq!(license_from_url("https://example.com/license"), None);
    }
}
