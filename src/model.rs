//! The data that flows through the pipeline: extracted text items, findings and per-file results.

use serde::Serialize;
use std::fmt;

/// How much a finding matters. Ordered so that `>=` compares against `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Read from `foiguard.toml` as a lower-case word; the parser's error carries the line.
impl<'de> serde::Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let word = String::deserialize(d)?;
        word.parse().map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown severity '{s}' (use info, low, medium, high or critical)")
            })
    }
}

/// Where something sits inside a file. Only the fields that apply are serialised, except
/// `container`, which is always present (empty for the file itself) as the SPEC shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Chain of embedded files leading to this one, outermost first.
    pub container: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl Location {
    pub fn part(container: &[String], part: &str) -> Self {
        Location {
            container: container.to_vec(),
            part: Some(part.to_string()),
            ..Default::default()
        }
    }

    pub fn with_sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn with_range(mut self, range: String) -> Self {
        self.range = Some(range);
        self
    }

    /// Short human form, e.g. `embedded.xlsx > Sheet2!A1:F9484 (xl/worksheets/sheet2.xml)`.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for c in &self.container {
            out.push_str(c);
            out.push_str(" > ");
        }
        let mut place = String::new();
        if let Some(sheet) = &self.sheet {
            place.push_str(&quote_sheet(sheet));
            if let Some(r) = self.cell.as_ref().or(self.range.as_ref()) {
                place.push('!');
                place.push_str(r);
            }
        } else if let Some(r) = self.cell.as_ref().or(self.range.as_ref()) {
            place.push_str(r);
        }
        if let Some(p) = self.page {
            if !place.is_empty() {
                place.push_str(", ");
            }
            place.push_str(&format!("page {p}"));
        }
        if let Some(l) = self.line {
            if !place.is_empty() {
                place.push_str(", ");
            }
            place.push_str(&format!("line {l}"));
        }
        match (&self.part, place.is_empty()) {
            (Some(part), true) => out.push_str(part),
            (Some(part), false) => {
                out.push_str(&place);
                out.push_str(" (");
                out.push_str(part);
                out.push(')');
            }
            (None, _) => out.push_str(&place),
        }
        if out.is_empty() {
            out.push_str("whole file");
        }
        out
    }
}

/// A sheet name as Excel writes it in a reference: quoted when it has spaces or punctuation.
pub fn quote_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// One problem found in a file.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// True when the content is not visible to someone who opens the file normally.
    pub hidden: bool,
    pub location: Location,
    /// What was found, in words safe to print (never personal data in clear).
    pub message: String,
    /// The matched personal data, in clear inside the process; replaced by
    /// `masked_evidence` at output unless `--show-evidence`.
    pub evidence: Option<String>,
    /// The detector's masked form of the evidence (`S**** J.`); a generic mask otherwise.
    #[serde(skip)]
    pub masked_evidence: Option<String>,
    pub fingerprint: String,
    /// True when the fingerprint is in the `--baseline`: reviewed and accepted, never blocks.
    pub accepted: bool,
    /// What to do about it: the catalogue's advice, plus where this copy of the data sits
    /// when that changes the fix (a pivot cache, a comment, the file properties).
    pub advice: String,
}

/// What the reader of a file would see of an extracted item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Cell,
    SharedString,
    CacheRecord,
    CacheItem,
    ChartLabel,
    ExternalCell,
    Comment,
    Author,
    DefinedName,
    Connection,
    Property,
    CustomXml,
    Macro,
    Revision,
    Text,
}

/// A piece of text extracted from a file, with where it sits and whether a reader sees it.
/// Detectors receive every item of every file through [`crate::detect::ItemSink`].
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    pub text: &'a str,
    pub kind: ItemKind,
    pub hidden: bool,
    /// Zip part (or stream) the text came from.
    pub part: &'a str,
    pub sheet: Option<&'a str>,
    /// Zero-based (row, column) for cell-like items, so detectors can see tables.
    pub cell: Option<(u32, u32)>,
    /// Free-form place for non-cell items: "record 12, field Name", "property creator".
    pub detail: Option<&'a str>,
}

impl Item<'_> {
    /// Full location for a finding that points at this item.
    pub fn location(&self, container: &[String]) -> Location {
        let mut loc = Location {
            container: container.to_vec(),
            part: (!self.part.is_empty()).then(|| self.part.to_string()),
            ..Default::default()
        };
        loc.sheet = self.sheet.map(str::to_string);
        loc.cell = self.cell.map(|(r, c)| cell_ref(r, c));
        loc
    }
}

/// An [`Item`] that owns its text, for callers that collect items (tests, `inspect`).
#[derive(Debug, Clone, Serialize)]
pub struct OwnedItem {
    pub text: String,
    pub kind: ItemKind,
    pub hidden: bool,
    pub location: Location,
    pub detail: Option<String>,
}

/// Spreadsheet column letters for a zero-based index: 0 → A, 16383 → XFD.
pub fn column_name(mut col: u32) -> String {
    let mut buf = Vec::with_capacity(3);
    loop {
        buf.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    buf.reverse();
    String::from_utf8(buf).unwrap_or_default()
}

/// A1-style reference for zero-based coordinates.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row as u64 + 1)
}

/// Parses an A1 reference (`$` allowed) into zero-based (row, col).
pub fn parse_cell_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_start_matches('$');
    let split = s.find(|c: char| !c.is_ascii_alphabetic())?;
    let (letters, digits) = s.split_at(split);
    let digits = digits.trim_start_matches('$');
    if letters.is_empty() || letters.len() > 3 || digits.is_empty() {
        return None;
    }
    let mut col: u32 = 0;
    for b in letters.bytes() {
        col = col * 26 + (b.to_ascii_uppercase() - b'A') as u32 + 1;
    }
    let row: u32 = digits.parse().ok()?;
    if row == 0 {
        return None;
    }
    Some((row - 1, col - 1))
}

/// Bounding box of cells seen so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extent {
    pub min: Option<(u32, u32)>,
    pub max: (u32, u32),
}

impl Extent {
    pub fn add(&mut self, row: u32, col: u32) {
        match &mut self.min {
            None => {
                self.min = Some((row, col));
                self.max = (row, col);
            }
            Some(min) => {
                min.0 = min.0.min(row);
                min.1 = min.1.min(col);
                self.max.0 = self.max.0.max(row);
                self.max.1 = self.max.1.max(col);
            }
        }
    }

    pub fn range(&self) -> Option<String> {
        let min = self.min?;
        if min == self.max {
            Some(cell_ref(min.0, min.1))
        } else {
            Some(format!(
                "{}:{}",
                cell_ref(min.0, min.1),
                cell_ref(self.max.0, self.max.1)
            ))
        }
    }
}

/// Verdict for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Block,
    Pass,
}

/// Everything known about one scanned file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    pub elapsed_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_round_trip() {
        for (idx, name) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (701, "ZZ"),
            (702, "AAA"),
            (16383, "XFD"),
        ] {
            assert_eq!(column_name(idx), name);
            assert_eq!(parse_cell_ref(&format!("{name}1")), Some((0, idx)));
        }
        assert_eq!(parse_cell_ref("$B$7"), Some((6, 1)));
        assert_eq!(parse_cell_ref("XFD1048576"), Some((1048575, 16383)));
        assert_eq!(parse_cell_ref("7"), None);
        assert_eq!(parse_cell_ref("A0"), None);
    }

    #[test]
    fn location_describe_reads_like_excel() {
        let loc = Location::part(&["outer.xlsx".into()], "xl/worksheets/sheet2.xml")
            .with_sheet("Staff list")
            .with_range("A1:F9".into());
        assert_eq!(
            loc.describe(),
            "outer.xlsx > 'Staff list'!A1:F9 (xl/worksheets/sheet2.xml)"
        );
    }
}
