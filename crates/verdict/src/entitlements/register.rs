//! Reading the register: `[[entitlement]]` tables in TOML, or one row per entitlement in a
//! CSV file or the first sheet of an XLSX workbook, with English or German column headings.
//! Every mistake is an error naming the file and the entry (or line) and the reason.

use serde::Deserialize;
use std::path::Path;

/// How an entitlement is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenseType {
    /// One license per repository that uses the product (counted).
    PerRepository,
    /// One license per department whose repositories use it (counted).
    PerDepartment,
    /// Per developer: kataster cannot count developers, so the quantity is not checked.
    PerDeveloper,
    /// Per server: not countable from source code either.
    PerServer,
    /// The whole organisation, no quantity.
    Site,
    /// A subscription: no quantity, bound to its validity.
    Subscription,
}

impl LicenseType {
    pub const NAMES: &'static [&'static str] =
        &["per-repository", "per-department", "per-developer", "per-server", "site", "subscription"];

    pub fn as_str(self) -> &'static str {
        match self {
            LicenseType::PerRepository => "per-repository",
            LicenseType::PerDepartment => "per-department",
            LicenseType::PerDeveloper => "per-developer",
            LicenseType::PerServer => "per-server",
            LicenseType::Site => "site",
            LicenseType::Subscription => "subscription",
        }
    }

    /// English names and the German ones of procurement spreadsheets.
    pub fn parse(s: &str) -> Option<LicenseType> {
        let s = s.trim().to_lowercase().replace(['_', ' '], "-");
        Some(match s.as_str() {
            "per-repository" | "per-repo" | "pro-repository" | "pro-repo" | "pro-projekt" | "per-project" => {
                LicenseType::PerRepository
            }
            "per-department" | "pro-fachbereich" | "pro-abteilung" | "pro-amt" | "pro-organisationseinheit" => {
                LicenseType::PerDepartment
            }
            "per-developer" | "per-seat" | "per-user" | "pro-entwickler" | "pro-entwicklerin" | "pro-nutzer"
            | "named-user" => LicenseType::PerDeveloper,
            "per-server" | "pro-server" | "per-cpu" | "per-core" => LicenseType::PerServer,
            "site" | "enterprise" | "standort" | "standortlizenz" | "campus" | "landeslizenz" => LicenseType::Site,
            "subscription" | "abonnement" | "abo" | "miete" | "saas" => LicenseType::Subscription,
            _ => return None,
        })
    }

    /// Whether kataster can count what the quantity limits.
    pub fn counted(self) -> bool {
        matches!(self, LicenseType::PerRepository | LicenseType::PerDepartment)
    }
}

/// What an entitlement covers: components by package URL or id pattern, or a license.
#[derive(Debug, Clone)]
pub enum Cover {
    /// A glob over the purl (with or without its version) or the component id.
    Pattern { text: String, matcher: globset::GlobMatcher },
    /// An SPDX license id or `LicenseRef-`, matched against the terms of the chosen license.
    License(String),
}

/// One purchased license.
#[derive(Debug, Clone)]
pub struct Entitlement {
    pub id: String,
    pub vendor: String,
    pub product: String,
    pub covers: Vec<Cover>,
    pub license_type: LicenseType,
    pub quantity: Option<u64>,
    pub contract: Option<String>,
    pub cost_centre: Option<String>,
    pub department: Option<String>,
    pub valid_from: Option<time::Date>,
    pub valid_until: Option<time::Date>,
    pub note: Option<String>,
}

impl Entitlement {
    /// The covers as written.
    pub fn cover_texts(&self) -> Vec<String> {
        self.covers
            .iter()
            .map(|c| match c {
                Cover::Pattern { text, .. } => text.clone(),
                Cover::License(l) => l.clone(),
            })
            .collect()
    }
}

/// A loaded, checked register.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// Where it came from (for messages and finding evidence).
    pub source: String,
    pub entitlements: Vec<Entitlement>,
}

/// One entry as written, before checking (the same fields from every format).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEntitlement {
    id: Option<String>,
    vendor: Option<String>,
    product: Option<String>,
    #[serde(default)]
    covers: Vec<String>,
    #[serde(rename = "type")]
    license_type: Option<String>,
    quantity: Option<u64>,
    contract: Option<String>,
    cost_centre: Option<String>,
    department: Option<String>,
    valid_from: Option<String>,
    valid_until: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegister {
    #[serde(default)]
    entitlement: Vec<RawEntitlement>,
}

/// The file name looked for beside the policy file.
pub const FILE_NAME: &str = "entitlements.toml";

fn parse_date(s: &str) -> Option<time::Date> {
    let s = s.trim();
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .or_else(|_| time::Date::parse(s, time::macros::format_description!("[day].[month].[year]")))
        .ok()
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn parse_cover(text: &str) -> Result<Cover, String> {
    let text = text.trim();
    if text.contains(':') || text.contains('*') {
        let matcher =
            globset::Glob::new(text).map(|g| g.compile_matcher()).map_err(|e| format!("covers `{text}`: {e}"))?;
        return Ok(Cover::Pattern { text: text.to_string(), matcher });
    }
    match kataster_model::license::normalize_expression(text) {
        Some(l) if !l.contains(' ') => Ok(Cover::License(l)),
        _ => Err(format!(
            "covers `{text}` is neither a package URL pattern (pkg:npm/highcharts@*) nor a single license id"
        )),
    }
}

/// Check one entry; `at` names it in errors.
fn check(raw: RawEntitlement, at: &dyn Fn(String) -> String) -> Result<Entitlement, String> {
    let vendor = nonempty(raw.vendor).ok_or_else(|| at("a vendor is required".into()))?;
    let product = nonempty(raw.product).ok_or_else(|| at("a product is required".into()))?;
    let covers: Vec<Cover> = raw
        .covers
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| parse_cover(c))
        .collect::<Result<_, _>>()
        .map_err(at)?;
    if covers.is_empty() {
        return Err(at("`covers` names no component or license".into()));
    }
    let type_text = nonempty(raw.license_type).ok_or_else(|| at("a license type is required".into()))?;
    let license_type = LicenseType::parse(&type_text)
        .ok_or_else(|| at(format!("type `{type_text}` is not one of {}", LicenseType::NAMES.join(", "))))?;
    let date = |field: &str, v: Option<String>| -> Result<Option<time::Date>, String> {
        match nonempty(v) {
            None => Ok(None),
            Some(d) => parse_date(&d).map(Some).ok_or_else(|| at(format!("{field} `{d}` is not a date (YYYY-MM-DD)"))),
        }
    };
    let valid_from = date("valid-from", raw.valid_from)?;
    let valid_until = date("valid-until", raw.valid_until)?;
    if let (Some(f), Some(u)) = (valid_from, valid_until)
        && u < f
    {
        return Err(at(format!("valid-until {u} is before valid-from {f}")));
    }
    let contract = nonempty(raw.contract);
    let id = nonempty(raw.id).or_else(|| contract.clone()).unwrap_or_else(|| format!("{vendor} {product}"));
    Ok(Entitlement {
        id,
        vendor,
        product,
        covers,
        license_type,
        quantity: raw.quantity,
        contract,
        cost_centre: nonempty(raw.cost_centre),
        department: nonempty(raw.department),
        valid_from,
        valid_until,
        note: nonempty(raw.note),
    })
}

impl Register {
    fn build(source: &str, raws: Vec<(String, RawEntitlement)>) -> Result<Register, String> {
        let mut entitlements: Vec<Entitlement> = Vec::new();
        for (place, raw) in raws {
            let at = |m: String| format!("{source}: {place}: {m}");
            let e = check(raw, &at)?;
            if entitlements.iter().any(|x| x.id == e.id) {
                return Err(at(format!("the id `{}` is used twice", e.id)));
            }
            entitlements.push(e);
        }
        Ok(Register { source: source.to_string(), entitlements })
    }

    /// `[[entitlement]]` tables.
    pub fn parse_toml(text: &str, source: &str) -> Result<Register, String> {
        let raw: RawRegister = toml::from_str(text).map_err(|e| format!("{source}: {e}"))?;
        let raws =
            raw.entitlement.into_iter().enumerate().map(|(i, r)| (format!("entitlement {}", i + 1), r)).collect();
        Register::build(source, raws)
    }

    /// A table: the first row holds the headings, each further row one entitlement; rows
    /// whose cells are all empty are skipped. `row_name` names a row in errors.
    fn from_rows(rows: Vec<Vec<String>>, source: &str, row_name: &str) -> Result<Register, String> {
        let mut it = rows.into_iter().enumerate();
        let Some((_, head)) = it.next() else {
            return Ok(Register { source: source.to_string(), entitlements: Vec::new() });
        };
        let mut columns = Vec::new();
        for h in &head {
            let field = column(h);
            if field.is_none() && !h.trim().is_empty() {
                return Err(format!("{source}: column `{}` is not a field of the register", h.trim()));
            }
            columns.push(field);
        }
        let mut raws = Vec::new();
        for (i, row) in it {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let place = format!("{row_name} {}", i + 1);
            let mut raw = RawEntitlement::default();
            for (field, cell) in columns.iter().zip(&row) {
                let value = Some(cell.trim().to_string()).filter(|v| !v.is_empty());
                let Some(field) = field else { continue };
                match field {
                    Field::Id => raw.id = value,
                    Field::Vendor => raw.vendor = value,
                    Field::Product => raw.product = value,
                    Field::Covers => {
                        raw.covers = cell
                            .split(|c: char| c == '|' || c == ',' || c == ';' || c.is_whitespace())
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect()
                    }
                    Field::Type => raw.license_type = value,
                    Field::Quantity => {
                        raw.quantity =
                            match value {
                                None => None,
                                Some(q) => Some(quantity(&q).ok_or_else(|| {
                                    format!("{source}: {place}: quantity `{q}` is not a whole number")
                                })?),
                            }
                    }
                    Field::Contract => raw.contract = value,
                    Field::CostCentre => raw.cost_centre = value,
                    Field::Department => raw.department = value,
                    Field::ValidFrom => raw.valid_from = value,
                    Field::ValidUntil => raw.valid_until = value,
                    Field::Note => raw.note = value,
                }
            }
            raws.push((place, raw));
        }
        Register::build(source, raws)
    }

    /// CSV with `,` or `;` between fields (whichever the heading row uses more), UTF-8 with
    /// or without a byte-order mark.
    pub fn parse_csv(text: &str, source: &str) -> Result<Register, String> {
        let text = text.trim_start_matches('\u{feff}');
        let first = text.lines().next().unwrap_or("");
        let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let rec = rec.map_err(|e| format!("{source}: line {}: {e}", i + 1))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Register::from_rows(rows, source, "line")
    }

    /// The first worksheet of an XLSX workbook.
    pub fn parse_xlsx(bytes: &[u8], source: &str) -> Result<Register, String> {
        use calamine::Reader;
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes))
            .map_err(|e| format!("{source}: not a readable XLSX workbook: {e}"))?;
        let range = wb
            .worksheet_range_at(0)
            .ok_or_else(|| format!("{source}: the workbook has no worksheet"))?
            .map_err(|e| format!("{source}: {e}"))?;
        let rows = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        Register::from_rows(rows, source, "row")
    }

    /// Read a register; the format follows the file's extension (`.toml`, `.csv`, `.xlsx`).
    pub fn load(path: &Path) -> Result<Register, String> {
        let source = path.display().to_string();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let bytes = std::fs::read(path).map_err(|e| format!("{source}: {e}"))?;
        let text = || String::from_utf8(bytes.clone()).map_err(|_| format!("{source}: not UTF-8 text"));
        match ext.as_str() {
            "toml" => Register::parse_toml(&text()?, &source),
            "csv" | "txt" => Register::parse_csv(&text()?, &source),
            "xlsx" | "xlsm" => Register::parse_xlsx(&bytes, &source),
            _ => Err(format!("{source}: a register is a .toml, .csv or .xlsx file")),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Id,
    Vendor,
    Product,
    Covers,
    Type,
    Quantity,
    Contract,
    CostCentre,
    Department,
    ValidFrom,
    ValidUntil,
    Note,
}

/// The field a column heading names, in English or German.
fn column(heading: &str) -> Option<Field> {
    let h = heading.trim().to_lowercase().replace(['_', '-'], " ");
    Some(match h.as_str() {
        "id" | "nr" | "nr." | "nummer" | "lizenz id" | "lizenz nr" => Field::Id,
        "vendor" | "hersteller" | "anbieter" | "lieferant" => Field::Vendor,
        "product" | "produkt" => Field::Product,
        "covers" | "components" | "komponenten" | "umfang" | "deckt ab" => Field::Covers,
        "type" | "license type" | "licence type" | "lizenzart" | "lizenztyp" => Field::Type,
        "quantity" | "anzahl" | "menge" => Field::Quantity,
        "contract" | "vertrag" | "vertragsnummer" | "bestellung" => Field::Contract,
        "cost centre" | "cost center" | "kostenstelle" => Field::CostCentre,
        "department" | "fachbereich" | "abteilung" | "amt" => Field::Department,
        "valid from" | "gültig ab" | "gueltig ab" => Field::ValidFrom,
        "valid until" | "gültig bis" | "gueltig bis" => Field::ValidUntil,
        "note" | "bemerkung" | "anmerkung" => Field::Note,
        _ => return None,
    })
}

/// A whole number as a spreadsheet writes it (`5`, `5.0`).
fn quantity(s: &str) -> Option<u64> {
    let s = s.trim();
    s.parse::<u64>().ok().or_else(|| s.strip_suffix(".0").and_then(|n| n.parse().ok()))
}

/// A cell as text; dates as `YYYY-MM-DD`, whole numbers without a decimal point.
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            // Excel's day count starts at 1899-12-30 (with its 1900 leap-year quirk folded in).
            let base = time::macros::date!(1899 - 12 - 30);
            let serial = dt.as_f64();
            // Outside the years 1900 to 9999 it is no date a register holds: leave the number.
            if !(0.0..=2_958_465.0).contains(&serial) {
                return serial.to_string();
            }
            base.checked_add(time::Duration::days(serial.floor() as i64)).map(|d| d.to_string()).unwrap_or_default()
        }
        Data::Error(e) => format!("{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
[[entitlement]]
id = "HC-1"
vendor = "Highsoft AS"
product = "Highcharts"
covers = ["pkg:npm/highcharts@*"]
type = "per-repository"
quantity = 1
valid-until = "2027-06-30"
"#;

    #[test]
    fn the_three_formats_read_the_same_entitlement() {
        let t = Register::parse_toml(TOML, "e.toml").unwrap();
        let c = Register::parse_csv(
            "\u{feff}Nr;Hersteller;Produkt;Komponenten;Lizenzart;Anzahl;Gültig bis\nHC-1;Highsoft AS;Highcharts;pkg:npm/highcharts@*;pro Repository;1;30.06.2027\n",
            "e.csv",
        )
        .unwrap();
        for r in [&t, &c] {
            let e = &r.entitlements[0];
            assert_eq!((e.id.as_str(), e.vendor.as_str(), e.product.as_str()), ("HC-1", "Highsoft AS", "Highcharts"));
            assert_eq!(e.license_type, LicenseType::PerRepository);
            assert_eq!(e.quantity, Some(1));
            assert_eq!(e.valid_until, Some(time::macros::date!(2027 - 06 - 30)));
            assert_eq!(e.cover_texts(), vec!["pkg:npm/highcharts@*"]);
        }
    }

    #[test]
    fn the_documented_examples_are_valid_registers() {
        let doc = include_str!("../../../../docs/licence-management.md");
        let block = |fence: &str| {
            let start = doc.find(fence).map(|i| i + fence.len()).unwrap_or(0);
            let end = doc[start..].find("```").map(|i| start + i).unwrap_or(start);
            &doc[start..end]
        };
        let en = Register::parse_toml(block("```toml\n"), "docs/licence-management.md").unwrap();
        let ids: Vec<&str> = en.entitlements.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["HC-2025-014", "AGG-2023-07", "KENDO-2026"]);
        assert!(matches!(&en.entitlements[2].covers[0], Cover::License(l) if l == "LicenseRef-scancode-telerik-eula"));
        let de = Register::parse_csv(&format!("Nr;{}", block("```text\nNr;")), "docs/licence-management.md").unwrap();
        let ids: Vec<&str> = de.entitlements.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["HC-2025-014", "AGG-2023-07", "TRP-2024-03"]);
        assert_eq!(de.entitlements[2].license_type, LicenseType::Site);
    }

    #[test]
    fn mistakes_name_the_file_and_the_entry() {
        for (text, want) in [
            (
                "[[entitlement]]\nproduct = \"p\"\ncovers = [\"MIT\"]\ntype = \"site\"\n",
                "entitlement 1: a vendor is required",
            ),
            (
                "[[entitlement]]\nvendor = \"v\"\nproduct = \"p\"\ncovers = [\"Foo Bar\"]\ntype = \"site\"\n",
                "neither a package URL",
            ),
            (
                "[[entitlement]]\nvendor = \"v\"\nproduct = \"p\"\ncovers = [\"pkg:npm/x\"]\ntype = \"per-cat\"\n",
                "type `per-cat`",
            ),
            (
                "[[entitlement]]\nvendor = \"v\"\nproduct = \"p\"\ncovers = [\"pkg:npm/x\"]\ntype = \"site\"\nvalid-until = \"soon\"\n",
                "not a date",
            ),
            ("[[entitlement]]\nvendr = \"v\"\n", "unknown field"),
        ] {
            let e = Register::parse_toml(text, "entitlements.toml").unwrap_err();
            assert!(e.starts_with("entitlements.toml"), "{e}");
            assert!(e.contains(want), "`{text}` gave `{e}`");
        }
        let e = Register::parse_csv("vendor,product,colour\nv,p,red\n", "r.csv").unwrap_err();
        assert_eq!(e, "r.csv: column `colour` is not a field of the register");
        let e = Register::parse_csv("vendor,product,covers,type,quantity\nv,p,MIT,site,many\n", "r.csv").unwrap_err();
        assert_eq!(e, "r.csv: line 2: quantity `many` is not a whole number");
    }
}
