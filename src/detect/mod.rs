//! Personal-data detection. Every extracted [`Item`] of every format passes through one
//! [`Engine`]: the identifier detectors and the roster scan each text once, the table
//! detectors watch cells go by, and matches are aggregated into findings (one per rule and
//! place, with counts) with the SPEC's escalation for hidden content.

pub mod allow;
pub mod hit;
pub mod identifiers;
pub mod roster;
pub mod tables;

use crate::finding;
use crate::model::{DocPlace, Extent, Finding, Item, ItemKind, Location, Severity, Story};
use crate::util::{ContentDigest, plural, same_text};
use allow::Allowlist;
use hit::{Context, Hit};
use roster::Roster;
use std::collections::HashMap;
use tables::{TableConfig, TableFinding, Tables};

/// Receives every text item a format inspector extracts.
pub trait ItemSink {
    fn item(&mut self, item: &Item<'_>);
}

/// The detector set for a scan: built once (rosters loaded, automata compiled) and shared by
/// all worker threads.
pub struct Engine {
    roster: Option<Roster>,
    allow: Allowlist,
    tables: TableConfig,
    /// False runs the format inspectors alone (their tests, and measuring their cost).
    personal_data: bool,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            roster: None,
            allow: Allowlist::default(),
            tables: TableConfig::default(),
            personal_data: true,
        }
    }
}

impl Engine {
    /// The identifier and table detectors with default settings, no roster.
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_config(roster: Option<Roster>, tables: TableConfig) -> Self {
        Engine {
            roster,
            allow: Allowlist::default(),
            tables,
            personal_data: true,
        }
    }

    /// Drops matches of names, mailboxes and identifiers that may be published.
    pub fn with_allowlist(mut self, allow: Allowlist) -> Self {
        self.allow = allow;
        self
    }

    /// No personal-data detection at all: only the structural findings of the format
    /// inspectors. For testing inspectors in isolation and measuring their cost.
    pub fn structural_only() -> Self {
        Engine {
            personal_data: false,
            ..Engine::default()
        }
    }

    /// Per-file detection state.
    pub fn start_file(&self) -> FileDetector<'_> {
        FileDetector {
            engine: self,
            tables: Tables::new(self.tables).with_allowlist(&self.allow),
            sheets: Vec::new(),
            last_sheet: None,
            hits: Vec::new(),
            groups: Vec::new(),
            group_index: HashMap::new(),
            previous_cell: None,
        }
    }
}

/// Where a table lives, so table findings can be placed.
struct SheetPlace {
    container: Vec<String>,
    part: String,
    sheet: Option<String>,
    /// Where the grid's first cell sits in a document (slide, story, paragraph, table).
    doc: DocPlace,
    /// What the grid is: cells of a sheet, a pivot cache's records, an external link's
    /// cached cells.
    kind: ItemKind,
    hidden: bool,
}

impl SheetPlace {
    /// One grid: a sheet, a pivot cache, a CSV file, or one table of a document.
    /// Asked for every cell: the integer fields and lengths decide most cases before any
    /// bytes are compared.
    fn holds(&self, item: &Item<'_>, container: &[String]) -> bool {
        self.doc.table == item.doc.table
            && self.doc.slide == item.doc.slide
            && self.doc.story == item.doc.story
            && self.container.len() == container.len()
            && same_text(&self.part, item.part)
            && match (&self.sheet, item.sheet) {
                (Some(a), Some(b)) => same_text(a, b),
                (None, None) => true,
                _ => false,
            }
            && self
                .container
                .iter()
                .zip(container)
                .all(|(a, b)| same_text(a, b))
    }
}

/// Matches of one rule in one place, folded into one finding.
struct Group {
    rule: &'static str,
    severity: Severity,
    hidden: bool,
    location: Location,
    extent: Extent,
    count: u64,
    label: String,
    evidence: String,
    masked: String,
    digest: ContentDigest,
    place: String,
    hint: Option<&'static str>,
    key: GroupKey,
}

#[derive(Clone, Hash, PartialEq, Eq)]
struct GroupKey {
    rule: &'static str,
    container: Vec<String>,
    part: String,
    sheet: Option<String>,
    /// Page, slide and story of a document: a finding per place a reader looks.
    doc: (Option<u32>, Option<u32>, Option<Story>),
    hidden: bool,
}

/// The parts of a document place that split findings.
fn doc_key(doc: &DocPlace) -> (Option<u32>, Option<u32>, Option<Story>) {
    (doc.page, doc.slide, doc.story)
}

/// The last cell seen and what the roster made of it, for matching a surname and forename
/// in neighbouring cells (each cell is looked up once).
struct PreviousCell<'e> {
    sheet: u32,
    row: u32,
    col: u32,
    part: Option<roster::CellPart<'e>>,
}

/// Detection state for one file (and everything embedded in it).
pub struct FileDetector<'e> {
    engine: &'e Engine,
    tables: Tables<'e>,
    sheets: Vec<SheetPlace>,
    last_sheet: Option<u32>,
    hits: Vec<Hit>,
    /// Findings being folded, in order of first match, and their index by place.
    groups: Vec<Group>,
    group_index: HashMap<GroupKey, usize>,
    previous_cell: Option<PreviousCell<'e>>,
}

impl<'e> FileDetector<'e> {
    /// Runs every detector over one item.
    pub fn item(&mut self, item: &Item<'_>, container: &[String]) {
        if !self.engine.personal_data {
            return;
        }
        let is_formula = item.detail == Some("formula");
        let table_cell = match (item.kind, item.cell) {
            (ItemKind::Cell | ItemKind::CacheRecord | ItemKind::ExternalCell, Some(pos))
                if !is_formula =>
            {
                Some((self.sheet_id(item, container), pos))
            }
            _ => None,
        };
        let heading = table_cell.and_then(|(sheet, (_, col))| self.tables.heading(sheet, col));
        let context = Context {
            heading,
            detail: item.detail,
        };
        self.hits.clear();
        identifiers::find(item.text, &context, &mut self.hits);
        if let Some(roster) = &self.engine.roster {
            roster.find(item.text, &mut self.hits);
            if let Some((sheet, (row, col))) = table_cell {
                self.neighbour_names(roster, sheet, row, col, item.text);
            }
        }
        if !self.engine.allow.is_empty() {
            let allow = &self.engine.allow;
            self.hits.retain(|h| !allow.permits(h, item.text));
        }
        if let Some((sheet, (row, col))) = table_cell {
            self.tables
                .cell(sheet, row, col, item.text, item.hidden, &self.hits);
        }
        let hits = std::mem::take(&mut self.hits);
        for hit in &hits {
            self.add_hit(item, container, hit);
        }
        self.hits = hits;
    }

    /// Folds everything into findings, in a stable order.
    pub fn finish(self, out: &mut Vec<Finding>) {
        let FileDetector {
            tables,
            sheets,
            groups,
            ..
        } = self;
        for g in groups {
            out.push(group_finding(g));
        }
        for t in tables.finish() {
            let Some(place) = sheets.get(t.sheet as usize) else {
                continue;
            };
            // Pivot-cache records are source rows, not a statistics table: their small
            // integers are values (ages, quantities), not counts of people.
            if t.rule == "small-count" && place.kind == ItemKind::CacheRecord {
                continue;
            }
            out.push(table_finding(t, place));
        }
    }

    /// Engine-wide id of the grid an item belongs to (sheet, pivot cache, CSV file).
    fn sheet_id(&mut self, item: &Item<'_>, container: &[String]) -> u32 {
        if let Some(id) = self.last_sheet
            && self.sheets[id as usize].holds(item, container)
        {
            return id;
        }
        let found = self.sheets.iter().position(|p| p.holds(item, container));
        let id = match found {
            Some(i) => i as u32,
            None => {
                self.sheets.push(SheetPlace {
                    container: container.to_vec(),
                    part: item.part.to_string(),
                    sheet: item.sheet.map(str::to_string),
                    doc: DocPlace {
                        bbox: None,
                        ..item.doc
                    },
                    kind: item.kind,
                    hidden: item.hidden,
                });
                (self.sheets.len() - 1) as u32
            }
        };
        self.last_sheet = Some(id);
        id
    }

    /// A surname in one cell and the forename in the next (or the reverse) of one row.
    fn neighbour_names(&mut self, roster: &'e Roster, sheet: u32, row: u32, col: u32, text: &str) {
        let part = roster.cell_part(text);
        if let Some(prev) = &self.previous_cell
            && prev.sheet == sheet
            && prev.row == row
            && prev.col + 1 == col
            && let (Some(a), Some(b)) = (&prev.part, &part)
            && let Some(hit) = roster.pair_hit(a, b, text)
        {
            self.hits.push(hit);
        }
        self.previous_cell = Some(PreviousCell {
            sheet,
            row,
            col,
            part,
        });
    }

    /// The group for this hit's rule and place; the last few groups are checked first so a
    /// column full of matches costs no allocation per match.
    fn group_for(&mut self, item: &Item<'_>, container: &[String], hit: &Hit) -> usize {
        let doc = doc_key(&item.doc);
        let same = |k: &GroupKey| {
            k.rule == hit.rule
                && k.hidden == item.hidden
                && k.part == item.part
                && k.sheet.as_deref() == item.sheet
                && k.doc == doc
                && k.container == container
        };
        if let Some(i) = self.groups.iter().rev().take(4).position(|g| same(&g.key)) {
            return self.groups.len() - 1 - i;
        }
        let key = GroupKey {
            rule: hit.rule,
            container: container.to_vec(),
            part: item.part.to_string(),
            sheet: item.sheet.map(str::to_string),
            doc,
            hidden: item.hidden,
        };
        if let Some(&i) = self.group_index.get(&key) {
            return i;
        }
        let matched = item.text.get(hit.start..hit.end).unwrap_or(item.text);
        self.groups.push(Group {
            rule: hit.rule,
            severity: hit.severity,
            hidden: item.hidden,
            location: item.location(container),
            extent: Extent::default(),
            count: 0,
            label: hit.label.clone(),
            evidence: matched.to_string(),
            masked: hit.masked.clone(),
            digest: ContentDigest::default(),
            place: place_words(item),
            hint: where_hint(item.kind, item.hidden, !item.doc.is_empty()),
            key: key.clone(),
        });
        self.group_index.insert(key, self.groups.len() - 1);
        self.groups.len() - 1
    }

    fn add_hit(&mut self, item: &Item<'_>, container: &[String], hit: &Hit) {
        let severity = escalate(hit.severity, item.hidden, hit.strong);
        let matched = item.text.get(hit.start..hit.end).unwrap_or(item.text);
        let index = self.group_for(item, container, hit);
        let group = &mut self.groups[index];
        group.count += 1;
        group.severity = group.severity.max(severity);
        group.digest.update(matched.as_bytes());
        if let Some((r, c)) = item.cell {
            group.extent.add(r, c);
        }
    }
}

/// SPEC: personal data in hidden content is at least `high`; a roster match or a
/// checksum-valid national identifier in hidden content is `critical`.
pub fn escalate(severity: Severity, hidden: bool, strong: bool) -> Severity {
    match (hidden, strong) {
        (true, true) => Severity::Critical,
        (true, false) => severity.max(Severity::High),
        _ => severity,
    }
}

/// Words for where an item sits, for messages ("hidden cells of sheet 'Staff'").
fn place_words(item: &Item<'_>) -> String {
    let sheet = item
        .sheet
        .map(|s| format!(" of sheet '{s}'"))
        .unwrap_or_default();
    let hidden = if item.hidden { "hidden " } else { "" };
    match item.kind {
        ItemKind::Cell if item.detail == Some("formula") => format!("{hidden}formulas{sheet}"),
        ItemKind::Cell if item.sheet.is_none() => format!("{hidden}cells"),
        ItemKind::Cell => format!("{hidden}cells{sheet}"),
        ItemKind::SharedString => "shared strings no cell uses".into(),
        ItemKind::CacheRecord | ItemKind::CacheItem => "the pivot cache".into(),
        ItemKind::ChartLabel => "chart caches".into(),
        ItemKind::ExternalCell => "cached values of an external link".into(),
        ItemKind::Comment => format!("comments{sheet}"),
        ItemKind::Author => "comment and revision authors".into(),
        ItemKind::DefinedName => "defined names".into(),
        ItemKind::Connection => "data connections".into(),
        ItemKind::Property => "file properties".into(),
        ItemKind::CustomXml => "custom XML".into(),
        ItemKind::Macro => "macro code".into(),
        ItemKind::Revision => "revision history".into(),
        ItemKind::Paragraph => match (item.doc.story, item.detail) {
            (_, Some(d)) if !d.is_empty() => format!("{hidden}{d}").trim().to_string(),
            (Some(story), _) if story != crate::model::Story::Body => {
                format!("{hidden}{} text", story.words())
            }
            _ => format!("{hidden}text of the document"),
        },
        ItemKind::Notes => "speaker notes".into(),
        ItemKind::Text => match item.detail {
            Some(d) if !d.is_empty() => format!("{hidden}{d}{sheet}").trim().to_string(),
            _ => format!("{hidden}text"),
        },
    }
}

fn group_finding(g: Group) -> Finding {
    let mut location = g.location;
    if g.count > 1
        && let Some(range) = g.extent.range()
    {
        location.cell = None;
        location.range = Some(range);
    }
    let message = if g.count == 1 {
        format!("{} in {}", g.label, g.place)
    } else {
        format!(
            "{} ({}) in {}",
            g.label,
            plural(g.count, "match", "matches"),
            g.place
        )
    };
    let mut finding = new_finding(
        g.rule,
        g.severity,
        g.hidden,
        location,
        message,
        Some((g.evidence, g.masked)),
        &g.digest.hex(),
    );
    add_hint(&mut finding, g.hint);
    finding
}

/// How to remove personal data from where it sits, when that is not the visible cells. The
/// kind of the item says where it sits (a pivot cache's records, an external link's cached
/// cells), whatever the part is called.
fn where_hint(kind: ItemKind, hidden: bool, in_document: bool) -> Option<&'static str> {
    Some(match kind {
        ItemKind::CacheRecord | ItemKind::CacheItem => {
            "This copy is in a pivot cache: convert the pivot table to values and delete it, so the cache goes with it."
        }
        ItemKind::ExternalCell => {
            "This copy is in the cached values of an external link: break the link (Data > Edit Links)."
        }
        ItemKind::ChartLabel => {
            "This copy is in a chart's cached values: fix the chart's source data, or paste the chart as a picture."
        }
        ItemKind::SharedString => {
            "This copy is left over in the shared strings: copy the visible cells into a new workbook."
        }
        ItemKind::Comment | ItemKind::Author => {
            "It is in a comment or note: delete the comments (Review > Delete)."
        }
        ItemKind::Property | ItemKind::CustomXml => {
            "It is in the file's properties: remove them with File > Info > Inspect Document."
        }
        ItemKind::Macro => "It is in macro code: save a macro-free copy (.xlsx, .docx or .pptx).",
        ItemKind::Notes => {
            "It is in the speaker notes: delete the notes, or release a PDF of the slides only."
        }
        ItemKind::Revision => {
            "It is in the change history: accept or reject all changes and turn off sharing."
        }
        ItemKind::DefinedName | ItemKind::Connection => {
            "It is in a defined name or data connection: delete it in Name Manager or Queries & Connections."
        }
        ItemKind::Paragraph if hidden => {
            "It is in text a reader does not see (hidden text, a hidden slide, a tracked deletion or text under a box): delete the text itself, then check by copying all the text."
        }
        ItemKind::Cell | ItemKind::Text if hidden && in_document => {
            "It is in text a reader does not see (hidden text, a field code, alt text, a tracked deletion or text under a box): delete the text itself, then check by copying all the text."
        }
        ItemKind::Cell | ItemKind::Text if hidden => {
            "It is in content a reader cannot see (a hidden sheet, hidden rows or columns, or disguised cells): delete it, or export only the visible cells to CSV."
        }
        _ => return None,
    })
}

fn add_hint(finding: &mut Finding, hint: Option<&'static str>) {
    if let Some(hint) = hint {
        finding.advice.push(' ');
        finding.advice.push_str(hint);
    }
}

fn table_finding(t: TableFinding, place: &SheetPlace) -> Finding {
    let hidden = t.hidden || place.hidden;
    let severity = escalate(t.severity, hidden, t.strong);
    let location = Location {
        container: place.container.clone(),
        part: (!place.part.is_empty()).then(|| place.part.clone()),
        sheet: place.sheet.clone(),
        range: Some(t.range),
        ..Default::default()
    }
    .with_doc(&place.doc);
    let message = match (&place.sheet, place.kind) {
        (Some(s), ItemKind::ExternalCell) => {
            format!("{} (cached sheet '{s}' of an external link)", t.message)
        }
        (Some(s), _) => format!("{} (sheet '{s}')", t.message),
        (None, ItemKind::CacheRecord) => format!("{} (pivot cache records)", t.message),
        (None, _) => t.message,
    };
    let evidence = t.evidence.map(|e| {
        let masked = t.masked.unwrap_or_else(|| crate::finding::mask(&e));
        (e, masked)
    });
    let mut finding = new_finding(
        t.rule, severity, hidden, location, message, evidence, &t.key,
    );
    if t.rule != "small-count" {
        add_hint(
            &mut finding,
            where_hint(place.kind, hidden, !place.doc.is_empty()),
        );
    }
    finding
}

fn new_finding(
    rule_id: &'static str,
    severity: Severity,
    hidden: bool,
    location: Location,
    message: String,
    evidence: Option<(String, String)>,
    key: &str,
) -> Finding {
    let mut finding = finding::new_finding(rule_id, severity, hidden, location, message, key);
    if let Some((clear, masked)) = evidence {
        finding.evidence = Some(clear);
        finding.masked_evidence = Some(masked);
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::escalate;
    use crate::model::Severity;

    #[test]
    fn hidden_content_escalates_as_the_spec_says() {
        assert_eq!(escalate(Severity::Medium, false, false), Severity::Medium);
        assert_eq!(escalate(Severity::Medium, true, false), Severity::High);
        assert_eq!(escalate(Severity::High, true, true), Severity::Critical);
        assert_eq!(escalate(Severity::High, false, true), Severity::High);
        assert_eq!(escalate(Severity::Low, true, false), Severity::High);
    }
}
