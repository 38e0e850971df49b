//! The data that flows through the pipeline: extracted text items, findings and per-file results.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// Slide number in a presentation, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slide: Option<u32>,
    /// Which story of a document: body, header, footer, footnote, endnote, comment,
    /// textbox or notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<Story>,
    /// Paragraph, 1-based within its story.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
    /// Box on `page`, `[x0, y0, x1, y1]` in points (PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f32; 4]>,
}

/// The story of a document a text belongs to (SPEC `story`): where a reader finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Story {
    Body,
    Header,
    Footer,
    Footnote,
    Endnote,
    Comment,
    Textbox,
    Notes,
}

impl Story {
    pub fn as_str(self) -> &'static str {
        match self {
            Story::Body => "body",
            Story::Header => "header",
            Story::Footer => "footer",
            Story::Footnote => "footnote",
            Story::Endnote => "endnote",
            Story::Comment => "comment",
            Story::Textbox => "textbox",
            Story::Notes => "notes",
        }
    }

    /// How a reader names it: "speaker notes", "text box".
    pub fn words(self) -> &'static str {
        match self {
            Story::Textbox => "text box",
            Story::Notes => "speaker notes",
            other => other.as_str(),
        }
    }
}

/// Where a text sits in a document (pages, slides, stories, paragraphs, boxes). Workbooks
/// leave it empty. Copied into the [`Location`] of a finding that points at the text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DocPlace {
    pub page: Option<u32>,
    pub slide: Option<u32>,
    pub story: Option<Story>,
    pub paragraph: Option<u32>,
    pub bbox: Option<[f32; 4]>,
    /// Which table of the story a cell item belongs to (0-based), so the table detectors see
    /// each Word or slide table as its own grid. Not part of a finding's location.
    pub table: Option<u32>,
}

impl DocPlace {
    pub const NONE: DocPlace = DocPlace {
        page: None,
        slide: None,
        story: None,
        paragraph: None,
        bbox: None,
        table: None,
    };

    pub fn is_empty(&self) -> bool {
        *self == DocPlace::NONE
    }
}

impl Location {
    pub fn part(container: &[String], part: &str) -> Self {
        Location {
            container: container.to_vec(),
            // A file of one part (a flat document) names no part.
            part: (!part.is_empty()).then(|| part.to_string()),
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

    /// Copies a document place (page, slide, story, paragraph, box) into the location.
    pub fn with_doc(mut self, doc: &DocPlace) -> Self {
        self.set_doc(doc);
        self
    }

    pub fn set_doc(&mut self, doc: &DocPlace) {
        self.page = doc.page.or(self.page);
        self.slide = doc.slide.or(self.slide);
        self.story = doc.story.or(self.story);
        self.paragraph = doc.paragraph.or(self.paragraph);
        self.bbox = doc.bbox.or(self.bbox);
    }

    /// True when the location names a place inside its part (a sheet, a cell, a page, a
    /// slide, a paragraph...), not just the part.
    pub fn has_place(&self) -> bool {
        self.sheet.is_some()
            || self.cell.is_some()
            || self.range.is_some()
            || self.page.is_some()
            || self.line.is_some()
            || self.slide.is_some()
            || self.story.is_some()
            || self.paragraph.is_some()
    }

    /// The document part of the place, as a reader looks for it: `slide 4 (speaker notes)`,
    /// `footnote, paragraph 2`, `paragraph 14`, `page 3, box [72 700 200 712]`.
    pub fn document_words(&self) -> Option<String> {
        let mut words: Vec<String> = Vec::new();
        if let Some(p) = self.page {
            words.push(format!("page {p}"));
        }
        match (self.slide, self.story) {
            (Some(s), Some(story)) if story != Story::Body => {
                words.push(format!("slide {s} ({})", story.words()))
            }
            (Some(s), _) => words.push(format!("slide {s}")),
            (None, Some(story)) if story != Story::Body => words.push(story.words().to_string()),
            _ => {}
        }
        if let Some(p) = self.paragraph {
            words.push(format!("paragraph {p}"));
        }
        if let Some([x0, y0, x1, y1]) = self.bbox {
            words.push(format!("box [{x0:.0} {y0:.0} {x1:.0} {y1:.0}]"));
        }
        (!words.is_empty()).then(|| words.join(", "))
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
        if let Some(words) = self.document_words() {
            if !place.is_empty() {
                place.push_str(", ");
            }
            place.push_str(&words);
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
    /// Text of a document a reader sees in its flow: paragraphs, headings, table cells,
    /// slide text, PDF page text.
    Paragraph,
    /// Presentation speaker notes.
    Notes,
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
    /// Place in a document (page, slide, story, paragraph); empty for workbooks.
    pub doc: DocPlace,
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
        loc.set_doc(&self.doc);
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Another path of this run with the same content (same SHA-256): that content was
    /// inspected once, and its findings are reported against every path that holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    pub findings: Vec<Finding>,
    /// What became of each part of the package (zip containers only): every part is
    /// inspected, known to hold no text, unknown (scanned as hidden), an orphan, Mac residue
    /// or unreadable. Absent for files that are not packages.
    #[serde(default, skip_serializing_if = "PartTally::is_empty")]
    pub parts: PartTally,
    #[serde(skip)]
    pub elapsed_ms: u64,
}

/// Where a part ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartState {
    /// Read by an inspector that understands its kind.
    Inspected,
    /// Of a kind known to carry no user text (themes, printer settings, images, fonts).
    NoText,
    /// Of a kind foiguard does not understand: its text went to the detectors as hidden
    /// content, and if it held any, an `unknown-part` finding names it.
    Unknown,
    /// Nothing in the package refers to it; reported as `residual-data`.
    Orphan,
    /// `__MACOSX/` AppleDouble entries and `.DS_Store`: residue of zipping on a Mac.
    MacResidue,
    /// Could not be read; an `unscannable` finding names it.
    Unreadable,
}

impl PartState {
    /// A later state replaces an earlier one only when it says more: an unreadable part
    /// stays unreadable, and an inspected part is not demoted to "no text".
    pub fn rank(self) -> u8 {
        match self {
            PartState::Unreadable => 5,
            PartState::Inspected => 4,
            PartState::MacResidue => 3,
            PartState::Unknown => 2,
            PartState::Orphan => 1,
            PartState::NoText => 0,
        }
    }
}

/// What a package's parts came to: counts per state and the content types of parts of
/// unknown kinds. Summed over a file and everything embedded in it, and carried in the
/// JSON report (`parts`), so an IT engineer can see that every part was accounted for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartTally {
    pub states: BTreeMap<PartState, u64>,
    /// Content type (or, without one, the part's extension) → how many unknown parts.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown_types: BTreeMap<String, u64>,
}

impl PartTally {
    pub fn merge(&mut self, other: &PartTally) {
        for (state, n) in &other.states {
            *self.states.entry(*state).or_default() += n;
        }
        for (kind, n) in &other.unknown_types {
            *self.unknown_types.entry(kind.clone()).or_default() += n;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
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

    #[test]
    fn documents_have_places_a_reader_can_find() {
        let notes = Location::part(&[], "ppt/notesSlides/notesSlide1.xml").with_doc(&DocPlace {
            slide: Some(4),
            story: Some(Story::Notes),
            ..DocPlace::NONE
        });
        assert_eq!(
            notes.describe(),
            "slide 4 (speaker notes) (ppt/notesSlides/notesSlide1.xml)"
        );
        let footnote = Location::default().with_doc(&DocPlace {
            story: Some(Story::Footnote),
            paragraph: Some(2),
            ..DocPlace::NONE
        });
        assert_eq!(footnote.describe(), "footnote, paragraph 2");
        let body = Location::default().with_doc(&DocPlace {
            story: Some(Story::Body),
            paragraph: Some(14),
            ..DocPlace::NONE
        });
        assert_eq!(body.describe(), "paragraph 14");
        let pdf = Location::default().with_doc(&DocPlace {
            page: Some(3),
            bbox: Some([72.0, 700.2, 200.0, 712.0]),
            ..DocPlace::NONE
        });
        assert_eq!(pdf.describe(), "page 3, box [72 700 200 712]");
        let json = serde_json::to_value(&notes).expect("serialises");
        assert_eq!(json["slide"], 4);
        assert_eq!(json["story"], "notes");
        assert!(json.get("paragraph").is_none());
        assert!(json.get("sheet").is_none());
    }
}
