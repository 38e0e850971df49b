//! What detectors report: a match inside one item's text, before the engine turns it into a
//! finding (adding location, visibility escalation and aggregation).

use crate::model::Severity;

/// One personal-data match inside an item's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Rule id from the catalogue, e.g. `pii.nino`, `roster-match`.
    pub rule: &'static str,
    /// Byte span of the match in the item's text.
    pub start: usize,
    pub end: usize,
    /// Severity when the text is visible. The engine raises it for hidden content.
    pub severity: Severity,
    /// A roster entry or a checksum-valid national identifier: `critical` in hidden content.
    pub strong: bool,
    /// What was found, in words that carry no personal data ("NHS number",
    /// "name from roster 'officers.csv'"). Used in the finding's message.
    pub label: String,
    /// The evidence as a reviewer may see it by default: shape kept, identity hidden
    /// (`S**** J.`, `AB ** ** ** C`, `j****@****.com`).
    pub masked: String,
}

/// What the engine knows about the item around the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Heading of the cell's column, when the item is a table cell under a header row.
    pub heading: Option<&'a str>,
    /// The extractor's note on the item ("note", "cached value", "property creator"...).
    pub detail: Option<&'a str>,
}
