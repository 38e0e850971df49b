//! `foiguard inspect FILE`: the authorised reviewer's view of everything hidden in one file,
//! with its content in clear (no masking: a reviewer has to see what would be released).
//!
//! The view is driven by data, not by format: the structural findings and the hidden items
//! the inspectors extract are grouped by place (container chain and part), and each group
//! becomes a section in a fixed order of categories. Items a finding's part does not claim
//! join the section of their kind in the same container (a second revision log joins the
//! tracked changes), or get a section of their own marked "no finding". So a new inspector
//! needs no change here: a PDF fake-redaction inspector that reports `fake-redaction` on a
//! page's part and emits the text under the box as hidden `Text` items with a page location
//! gets a section of its own, with the text shown in clear.
//!
//! Everything is bounded: the scan keeps only a sample of the hidden items of each part (see
//! [`crate::sample`]), tables and lists show their first rows and say how many more there
//! are, and the number of sections and bytes written is capped, so a hidden sheet of a
//! million rows gives a view of a few kilobytes.

use crate::exit::{EXIT_BLOCK, EXIT_PASS};
use crate::model::{
    FileReport, Finding, Item, ItemKind, Location, OwnedItem, Severity, Verdict, column_name,
    parse_cell_ref,
};
use crate::sample::{PartCount, Sample, Sampler};
use crate::scan;
use crate::scan::ScanOptions;
use crate::util::{bytes_human, plural, thousands};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::Path;

/// First and last line of the view, and the line printed on standard error.
pub const WARNING: &str = "!! PERSONAL DATA IN CLEAR: for the authorised reviewer only. \
Do not circulate this output or attach it to the release. !!";

/// Hidden items kept per part, and in all: enough for every table and list shown.
const KEPT_PER_PART: usize = 400;
const KEPT_TOTAL: usize = 20_000;
const TABLE_ROWS: usize = 20;
const TABLE_COLS: usize = 12;
const RECORD_ROWS: usize = 10;
const LIST_ITEMS: usize = 20;
const FIELD_VALUES: usize = 10;
const MACRO_LINES: usize = 40;
const DETECTOR_FINDINGS: usize = 50;
/// Characters of one value in a table, in a list, and of a comment or revision.
const CELL_CHARS: usize = 60;
const LIST_CHARS: usize = 200;
const LONG_CHARS: usize = 500;
/// Sections and bytes written before the view stops adding sections.
const MAX_SECTIONS: usize = 60;
const MAX_BYTES: u64 = 1 << 20;

/// Writes the reviewer's view of `path` to `out`; returns the process exit code (0 when the
/// file would pass `foiguard scan`, 1 when it would be blocked).
pub fn run(path: &Path, out: &mut dyn Write, opts: &ScanOptions<'_>) -> Result<i32, String> {
    let display = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {display}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{display} is not a regular file"));
    }
    let sampler = Sampler::new(selected, KEPT_PER_PART, KEPT_TOTAL);
    let (mut report, sample) = scan::scan_file_sampled(path, &display, opts, sampler);
    if report.bytes == 0 {
        // Over the size limit the file is not read: show its size all the same.
        report.bytes = meta.len();
    }
    eprintln!("foiguard: {WARNING}");
    let mut out = Budget {
        inner: out,
        written: 0,
    };
    write_view(&mut out, &report, &sample, opts.policy.fail_on)
        .map_err(|e| format!("cannot write the view: {e}"))?;
    Ok(match report.verdict {
        Verdict::Block => EXIT_BLOCK,
        Verdict::Pass => EXIT_PASS,
    })
}

/// What the view needs from the scan: what a reader does not see, everything inside an
/// embedded file (opening the release does not show it), and chart caches (whose visibility
/// depends on their source sheet, judged by the chart-cache finding).
fn selected(item: &Item<'_>, container: &[String]) -> bool {
    item.hidden || !container.is_empty() || item.kind == ItemKind::ChartLabel
}

/// A writer that counts what went through, so the view can stop before it grows too big.
struct Budget<'w> {
    inner: &'w mut dyn Write,
    written: u64,
}

impl Write for Budget<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Kinds of hidden place, in the order the view shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Category {
    HiddenSheet,
    HiddenSlide,
    HiddenCells,
    Pivot,
    DataModel,
    Chart,
    TrackedChange,
    Comment,
    ExternalLink,
    DefinedName,
    Connection,
    CustomXml,
    Properties,
    Macro,
    HiddenText,
    Embedded,
    Residual,
    UnknownPart,
    Other,
}

impl Category {
    fn of_rule(rule: &str) -> Category {
        match rule {
            "hidden-sheet" | "very-hidden-sheet" => Category::HiddenSheet,
            "hidden-slide" => Category::HiddenSlide,
            "hidden-rows" | "hidden-columns" | "filtered-rows" | "disguised-content" => {
                Category::HiddenCells
            }
            "pivot-cache" => Category::Pivot,
            "data-model" => Category::DataModel,
            "chart-cache" => Category::Chart,
            "tracked-change" | "pdf-incremental-update" => Category::TrackedChange,
            "comment" | "speaker-notes" => Category::Comment,
            "external-link" => Category::ExternalLink,
            "defined-name" => Category::DefinedName,
            "data-connection" => Category::Connection,
            "custom-xml" => Category::CustomXml,
            "document-metadata" => Category::Properties,
            "macro" => Category::Macro,
            "hidden-text" | "fake-redaction" => Category::HiddenText,
            "embedded-object" => Category::Embedded,
            "residual-data" => Category::Residual,
            "unknown-part" => Category::UnknownPart,
            _ => Category::Other,
        }
    }

    /// Where an item no finding's part claims belongs.
    fn of_item(item: &OwnedItem) -> Category {
        match item.kind {
            ItemKind::Cell => Category::HiddenCells,
            ItemKind::SharedString => Category::Residual,
            ItemKind::CacheRecord | ItemKind::CacheItem => Category::Pivot,
            ItemKind::ChartLabel => Category::Chart,
            ItemKind::ExternalCell => Category::ExternalLink,
            ItemKind::Comment => Category::Comment,
            ItemKind::Author if item.detail.as_deref() == Some("revision user") => {
                Category::TrackedChange
            }
            ItemKind::Author => Category::Comment,
            ItemKind::DefinedName => Category::DefinedName,
            ItemKind::Connection => Category::Connection,
            ItemKind::Property => Category::Properties,
            ItemKind::CustomXml => Category::CustomXml,
            ItemKind::Macro => Category::Macro,
            ItemKind::Revision => Category::TrackedChange,
            ItemKind::Text | ItemKind::Paragraph => Category::HiddenText,
            ItemKind::Notes => Category::Comment,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Category::HiddenSheet => "Hidden sheet",
            Category::HiddenSlide => "Hidden slide",
            Category::HiddenCells => "Hidden cells",
            Category::Pivot => "Pivot cache",
            Category::DataModel => "Power Pivot data model",
            Category::Chart => "Chart cache",
            Category::TrackedChange => "Tracked changes",
            Category::Comment => "Comments and notes",
            Category::ExternalLink => "External link",
            Category::DefinedName => "Defined names",
            Category::Connection => "Data connections",
            Category::CustomXml => "Custom XML",
            Category::Properties => "Document properties",
            Category::Macro => "Macro code",
            Category::HiddenText => "Text a reader does not see",
            Category::Embedded => "Embedded object",
            Category::Residual => "Residual data",
            Category::UnknownPart => "Part of a kind foiguard does not know",
            Category::Other => "Other finding",
        }
    }
}

/// Rules of the personal-data detectors: shown together, with their evidence.
fn is_detector_rule(rule: &str) -> bool {
    crate::rules::is_personal_data_rule(rule)
}

/// The items of one part that a section shows.
struct PartGroup<'a> {
    location: Location,
    items: Vec<&'a OwnedItem>,
    count: Option<&'a PartCount>,
}

impl PartGroup<'_> {
    /// Selected items of the part the scan did not keep.
    fn dropped(&self) -> u64 {
        self.count
            .map_or(0, |c| c.items.saturating_sub(self.items.len() as u64))
    }

    fn single_kind(&self) -> bool {
        self.items.windows(2).all(|w| w[0].kind == w[1].kind)
    }
}

/// One hidden place: the findings on it and the content behind them.
struct Section<'a> {
    category: Category,
    container: Vec<String>,
    findings: Vec<&'a Finding>,
    parts: Vec<PartGroup<'a>>,
}

impl<'a> Section<'a> {
    fn group(&mut self, location: &Location, sample: &'a Sample) -> &mut PartGroup<'a> {
        let i = match self
            .parts
            .iter()
            .position(|g| g.location.part == location.part)
        {
            Some(i) => i,
            None => {
                let location = Location {
                    container: location.container.clone(),
                    part: location.part.clone(),
                    ..Default::default()
                };
                self.parts.push(PartGroup {
                    count: sample.count_of(&location),
                    location,
                    items: Vec::new(),
                });
                self.parts.len() - 1
            }
        };
        &mut self.parts[i]
    }
}

type PartKey = (Vec<String>, Option<String>);

/// The section of the embedded-object finding for the file at the end of `container`: the
/// visible content of an embedded file is shown there. Chain names are the embedded part's
/// file name, or `name:label` for a file inside an OLE package.
fn embedding_section(sections: &[Section<'_>], container: &[String]) -> Option<usize> {
    let (name, outer) = container.split_last()?;
    sections.iter().position(|s| {
        s.container == outer
            && s.findings.iter().any(|f| {
                f.rule == "embedded-object"
                    && f.location.part.as_deref().is_some_and(|p| {
                        let file = p.rsplit('/').next().unwrap_or(p);
                        name == file || name.starts_with(&format!("{file}:"))
                    })
            })
    })
}

/// Groups the structural findings and the sampled items into sections, in view order.
fn sections<'a>(findings: &[&'a Finding], sample: &'a Sample) -> Vec<Section<'a>> {
    let mut sections: Vec<Section<'a>> = Vec::new();
    let mut by_part: HashMap<PartKey, usize> = HashMap::new();
    let mut by_category: HashMap<(Vec<String>, Category), usize> = HashMap::new();
    for f in findings {
        let key = (f.location.container.clone(), f.location.part.clone());
        let category = Category::of_rule(f.rule);
        let i = *by_part.entry(key).or_insert_with(|| {
            sections.push(Section {
                category,
                container: f.location.container.clone(),
                findings: Vec::new(),
                parts: Vec::new(),
            });
            sections.len() - 1
        });
        let s = &mut sections[i];
        s.category = s.category.min(category);
        s.findings.push(f);
        s.group(&f.location, sample);
        by_category
            .entry((f.location.container.clone(), category))
            .or_insert(i);
    }
    for item in &sample.items {
        let key = (item.location.container.clone(), item.location.part.clone());
        let i = match by_part.get(&key) {
            Some(&i) => i,
            None => {
                let i = if item.hidden || item.location.container.is_empty() {
                    None
                } else {
                    embedding_section(&sections, &item.location.container)
                };
                let i = i.unwrap_or_else(|| {
                    let category = Category::of_item(item);
                    let shared = (category != Category::HiddenCells)
                        .then(|| by_category.get(&(key.0.clone(), category)).copied())
                        .flatten();
                    shared.unwrap_or_else(|| {
                        sections.push(Section {
                            category,
                            container: key.0.clone(),
                            findings: Vec::new(),
                            parts: Vec::new(),
                        });
                        let i = sections.len() - 1;
                        if category != Category::HiddenCells {
                            by_category.insert((key.0.clone(), category), i);
                        }
                        i
                    })
                });
                by_part.insert(key, i);
                i
            }
        };
        sections[i].group(&item.location, sample).items.push(item);
    }
    // File properties are in every file; without a finding they are not worth a section.
    sections.retain(|s| !(s.findings.is_empty() && s.category == Category::Properties));
    // Stable: within a category, sections keep the order of findings (most severe first)
    // and then of extraction.
    sections.sort_by_key(|s| s.category);
    sections
}

fn write_view(
    out: &mut Budget<'_>,
    report: &FileReport,
    sample: &Sample,
    fail_on: Severity,
) -> io::Result<()> {
    writeln!(out, "{WARNING}")?;
    writeln!(out)?;
    write_header(out, report, fail_on)?;

    let structural: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule != "unscannable" && !is_detector_rule(f.rule))
        .collect();
    let detectors: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| is_detector_rule(f.rule))
        .collect();
    let unscannable: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule == "unscannable")
        .collect();
    let sections = sections(&structural, sample);

    if report.findings.is_empty() {
        writeln!(out)?;
        if sections.is_empty() {
            writeln!(
                out,
                "Nothing hidden: foiguard found nothing to report in this file."
            )?;
        } else {
            writeln!(
                out,
                "No findings; text a reader does not normally see is listed below for completeness."
            )?;
        }
    }
    let mut shown = 0usize;
    for s in &sections {
        if shown >= MAX_SECTIONS || out.written >= MAX_BYTES {
            break;
        }
        writeln!(out)?;
        write_section(out, s)?;
        shown += 1;
    }
    if shown < sections.len() {
        writeln!(out)?;
        writeln!(
            out,
            "… and {} not shown to keep this view bounded: `foiguard scan` lists every finding.",
            plural(
                (sections.len() - shown) as u64,
                "more section",
                "more sections"
            )
        )?;
    }
    if !detectors.is_empty() {
        writeln!(out)?;
        write_detectors(out, &detectors)?;
    }
    if !unscannable.is_empty() {
        writeln!(out)?;
        write_unscannable(out, &unscannable)?;
    }
    writeln!(out)?;
    writeln!(out, "{WARNING}")
}

fn write_header(out: &mut dyn Write, r: &FileReport, fail_on: Severity) -> io::Result<()> {
    writeln!(
        out,
        "foiguard inspect: everything hidden in one file, shown in full"
    )?;
    writeln!(out, "  file      {}", clean_line(&r.path))?;
    writeln!(out, "  format    {}", r.format)?;
    writeln!(
        out,
        "  size      {} ({})",
        plural(r.bytes, "byte", "bytes"),
        bytes_human(r.bytes)
    )?;
    if !r.sha256.is_empty() {
        writeln!(out, "  sha256    {}", r.sha256)?;
    }
    let verdict = match r.verdict {
        Verdict::Block => "BLOCK: `foiguard scan` would block this file",
        Verdict::Pass => "PASS: `foiguard scan` would let this file through",
    };
    writeln!(
        out,
        "  verdict   {verdict} (blocks at {fail_on} or above, or when unscannable)"
    )?;
    let mut by_severity: Vec<String> = Vec::new();
    for sev in Severity::ALL.iter().rev() {
        let n = r.findings.iter().filter(|f| f.severity == *sev).count();
        if n > 0 {
            by_severity.push(format!("{n} {sev}"));
        }
    }
    let detail = if by_severity.is_empty() {
        String::new()
    } else {
        format!(": {}", by_severity.join(", "))
    };
    writeln!(out, "  findings  {}{detail}", r.findings.len())
}

fn chain(container: &[String]) -> String {
    container
        .iter()
        .map(|c| format!("{} > ", clean_line(c)))
        .collect()
}

fn quoted(name: &str) -> String {
    format!("'{}'", clean_line(name))
}

/// The heading's words after the category: which sheet, how much.
fn heading_detail(s: &Section<'_>) -> (String, String) {
    let first = s.findings.first();
    let sheet = first.and_then(|f| f.location.sheet.clone()).or_else(|| {
        s.parts
            .iter()
            .flat_map(|g| &g.items)
            .find_map(|i| i.location.sheet.clone())
    });
    let range = first.and_then(|f| f.location.range.clone());
    let rows = s.parts.first().and_then(|g| g.count).map(|c| c.rows);
    match s.category {
        Category::HiddenSheet => {
            let title = match first.map(|f| f.rule) {
                Some("very-hidden-sheet") => "Very hidden sheet",
                _ => "Hidden sheet",
            };
            let name = sheet.as_deref().map(quoted).unwrap_or_default();
            let extent = match (range, rows) {
                (Some(r), Some(n)) => format!(" — {r}, {}", plural(n, "row", "rows")),
                (Some(r), None) => format!(" — {r}"),
                _ => " — empty".into(),
            };
            (format!("{title} {name}"), extent)
        }
        Category::HiddenCells => match sheet {
            Some(sh) => (
                format!("Hidden cells on sheet {}", quoted(&sh)),
                range.map(|r| format!(" — {r}")).unwrap_or_default(),
            ),
            // A document's disguised text has no sheet: its place is in the findings.
            None => ("Text a reader does not see".into(), String::new()),
        },
        Category::Pivot => {
            let records = s
                .parts
                .iter()
                .filter(|g| g.items.iter().any(|i| i.kind == ItemKind::CacheRecord))
                .filter_map(|g| g.count)
                .map(|c| c.rows.saturating_sub(1))
                .sum::<u64>();
            let source = match (sheet, range) {
                (Some(sh), Some(r)) => format!(", source {}!{r}", quoted(&sh)),
                (Some(sh), None) => format!(", source {}", quoted(&sh)),
                _ => String::new(),
            };
            let held = if records > 0 {
                format!(" — {}", plural(records, "record", "records"))
            } else {
                String::new()
            };
            ("Pivot cache".into(), format!("{held}{source}"))
        }
        Category::Comment => (
            match sheet {
                Some(sh) => format!("Comments and notes on sheet {}", quoted(&sh)),
                None => "Comments and notes".into(),
            },
            String::new(),
        ),
        Category::ExternalLink => {
            let target = s
                .parts
                .iter()
                .flat_map(|g| &g.items)
                .find(|i| {
                    i.kind == ItemKind::Property
                        && i.detail.as_deref() == Some("external link target")
                })
                .map(|i| i.text.clone())
                .or_else(|| first.and_then(|f| f.evidence.clone()));
            // The full path is listed below; the heading names the file.
            let title = match target {
                Some(t) => {
                    let file = t.rsplit(['/', '\\']).next().unwrap_or(&t);
                    format!("External link to {}", quoted(&file.replace("%20", " ")))
                }
                None => "External link".into(),
            };
            (title, String::new())
        }
        Category::Embedded => {
            let name = first
                .and_then(|f| f.location.part.as_deref())
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
                .unwrap_or_default();
            (format!("Embedded object {}", quoted(&name)), String::new())
        }
        Category::Residual => (
            "Residual data".into(),
            match (sheet, range) {
                (Some(sh), Some(r)) => format!(" — {}!{r}", quoted(&sh)),
                (None, Some(r)) => format!(" — {r}"),
                _ => String::new(),
            },
        ),
        Category::Other => (
            first.map_or("Other finding", |f| f.rule).to_string(),
            String::new(),
        ),
        other => (other.title().to_string(), String::new()),
    }
}

fn write_section(out: &mut dyn Write, s: &Section<'_>) -> io::Result<()> {
    let (title, detail) = heading_detail(s);
    let rules = if s.findings.is_empty() {
        "no finding".to_string()
    } else {
        let mut seen: Vec<String> = Vec::new();
        for f in &s.findings {
            let r = format!("{}, {}", f.rule, f.severity);
            if !seen.contains(&r) {
                seen.push(r);
            }
        }
        seen.join("; ")
    };
    writeln!(out, "== {}{title} ({rules}){detail}", chain(&s.container))?;
    for f in &s.findings {
        write_finding(out, f)?;
    }
    let content: Vec<&PartGroup<'_>> = s.parts.iter().filter(|g| !g.items.is_empty()).collect();
    if content.is_empty() {
        let note = match s.category {
            Category::DataModel => {
                "   (its tables are compressed in a format foiguard does not decode: open the data model in Excel to review them)"
            }
            Category::Embedded => {
                "   (its content is scanned as a file of its own: see the sections whose heading starts with its name)"
            }
            _ => "   (no text of this place to show)",
        };
        writeln!(out, "{note}")?;
    }
    for g in content {
        let nested = g.location.container != s.container;
        if s.parts.len() > 1 || nested {
            write_group_heading(out, g)?;
        }
        write_group(out, g)?;
    }
    Ok(())
}

/// `-- embedded.xlsx > sheet 'Summary' (xl/worksheets/sheet1.xml)`
fn write_group_heading(out: &mut dyn Write, g: &PartGroup<'_>) -> io::Result<()> {
    let sheet = g.items.iter().find_map(|i| i.location.sheet.as_deref());
    let part = g.location.part.as_deref().map(clean_line);
    let place = match (sheet, part) {
        (Some(sh), Some(p)) => format!("sheet {} ({p})", quoted(sh)),
        (Some(sh), None) => format!("sheet {}", quoted(sh)),
        (None, Some(p)) => p,
        (None, None) => "the file itself".into(),
    };
    writeln!(out, "   -- {}{place}", chain(&g.location.container))
}

fn write_finding(out: &mut dyn Write, f: &Finding) -> io::Result<()> {
    writeln!(
        out,
        "   {:<8} {:<20} {}{}",
        f.severity.as_str(),
        f.rule,
        clean_line(&f.location.describe()),
        if f.hidden { " [hidden]" } else { "" }
    )?;
    writeln!(out, "   {:<8} {:<20} {}", "", "", clean_line(&f.message))?;
    if let Some(e) = &f.evidence {
        writeln!(
            out,
            "   {:<8} {:<20} evidence: {}",
            "",
            "",
            clip(&clean_line(e), LONG_CHARS)
        )?;
    }
    Ok(())
}

/// Order in which the kinds of one part are shown: who and where first, then the content.
const KIND_ORDER: [ItemKind; 17] = [
    ItemKind::Property,
    ItemKind::Author,
    ItemKind::Cell,
    ItemKind::CacheRecord,
    ItemKind::CacheItem,
    ItemKind::ExternalCell,
    ItemKind::Revision,
    ItemKind::Comment,
    ItemKind::ChartLabel,
    ItemKind::DefinedName,
    ItemKind::Connection,
    ItemKind::CustomXml,
    ItemKind::Macro,
    ItemKind::SharedString,
    ItemKind::Paragraph,
    ItemKind::Notes,
    ItemKind::Text,
];

fn write_group(out: &mut dyn Write, g: &PartGroup<'_>) -> io::Result<()> {
    let single = g.single_kind();
    for kind in KIND_ORDER {
        let items: Vec<&OwnedItem> = g.items.iter().copied().filter(|i| i.kind == kind).collect();
        if items.is_empty() {
            continue;
        }
        // With one kind in the part, everything the scan counted beyond what is shown is
        // "more"; with several, the sample's own overflow is told once at the end.
        let total = if single {
            g.count.map_or(items.len() as u64, |c| c.items)
        } else {
            items.len() as u64
        };
        let total_rows = if single {
            g.count.map(|c| c.rows)
        } else {
            None
        };
        match kind {
            ItemKind::Cell => write_grid(out, &items, total_rows, "rows")?,
            ItemKind::CacheRecord => write_records(out, &items, total_rows)?,
            ItemKind::CacheItem => write_field_values(out, &items)?,
            ItemKind::ExternalCell => {
                let mut sheets: Vec<Option<&str>> = Vec::new();
                for i in &items {
                    if !sheets.contains(&i.location.sheet.as_deref()) {
                        sheets.push(i.location.sheet.as_deref());
                    }
                }
                for sheet in sheets {
                    let of_sheet: Vec<&OwnedItem> = items
                        .iter()
                        .copied()
                        .filter(|i| i.location.sheet.as_deref() == sheet)
                        .collect();
                    writeln!(
                        out,
                        "   cached values of sheet {}:",
                        quoted(sheet.unwrap_or("?"))
                    )?;
                    write_grid(out, &of_sheet, None, "rows")?;
                }
            }
            ItemKind::Macro => write_macro(out, &items)?,
            ItemKind::ChartLabel => write_chart(out, &items)?,
            ItemKind::Comment | ItemKind::Revision | ItemKind::Paragraph | ItemKind::Notes => {
                write_list(out, &items, total, LONG_CHARS)?
            }
            _ => write_list(out, &items, total, LIST_CHARS)?,
        }
    }
    let dropped = g.dropped();
    if !single && dropped > 0 {
        writeln!(
            out,
            "   … and {} of this part not kept for this view",
            plural(dropped, "more item", "more items")
        )?;
    }
    Ok(())
}

/// Values by (row, column), a formula standing in for a cell without a value.
fn cells_of(items: &[&OwnedItem]) -> BTreeMap<(u32, u32), String> {
    let mut cells: BTreeMap<(u32, u32), String> = BTreeMap::new();
    for i in items {
        let Some(pos) = i.location.cell.as_deref().and_then(parse_cell_ref) else {
            continue;
        };
        let text = if i.detail.as_deref() == Some("formula") {
            format!("={}", i.text)
        } else {
            i.text.clone()
        };
        cells.entry(pos).or_insert(text);
    }
    cells
}

/// A small sheet: A1 column letters, row numbers, the first rows and columns.
fn write_grid(
    out: &mut dyn Write,
    items: &[&OwnedItem],
    total_rows: Option<u64>,
    unit: &str,
) -> io::Result<()> {
    let cells = cells_of(items);
    let rows: BTreeSet<u32> = cells.keys().map(|(r, _)| *r).collect();
    let shown_rows: Vec<u32> = rows.iter().copied().take(TABLE_ROWS).collect();
    let cols: BTreeSet<u32> = cells
        .keys()
        .filter(|(r, _)| shown_rows.contains(r))
        .map(|(_, c)| *c)
        .collect();
    let shown_cols: Vec<u32> = cols.iter().copied().take(TABLE_COLS).collect();
    let header: Vec<String> = shown_cols.iter().map(|c| column_name(*c)).collect();
    let body: Vec<(String, Vec<String>)> = shown_rows
        .iter()
        .map(|r| {
            let row = shown_cols
                .iter()
                .map(|c| {
                    cells
                        .get(&(*r, *c))
                        .map(|t| clip(&clean_line(t), CELL_CHARS))
                        .unwrap_or_default()
                })
                .collect();
            (thousands(*r as u64 + 1), row)
        })
        .collect();
    write_table(out, "", &header, &body)?;
    if cols.len() > shown_cols.len() {
        writeln!(
            out,
            "   … and {} to the right",
            plural(
                (cols.len() - shown_cols.len()) as u64,
                "more column",
                "more columns"
            )
        )?;
    }
    let total = total_rows.unwrap_or(rows.len() as u64);
    let more = total.saturating_sub(shown_rows.len() as u64);
    if more > 0 {
        writeln!(out, "   … and {} more {unit}", thousands(more))?;
    }
    Ok(())
}

/// Pivot-cache records: the field names (row 0) as the header, then the first records.
fn write_records(
    out: &mut dyn Write,
    items: &[&OwnedItem],
    total_rows: Option<u64>,
) -> io::Result<()> {
    let cells = cells_of(items);
    let fields: Vec<(u32, String)> = cells
        .iter()
        .filter(|((r, _), _)| *r == 0)
        .map(|((_, c), t)| (*c, clip(&clean_line(t), CELL_CHARS)))
        .take(TABLE_COLS)
        .collect();
    let records: BTreeSet<u32> = cells.keys().map(|(r, _)| *r).filter(|r| *r > 0).collect();
    let shown: Vec<u32> = records.iter().copied().take(RECORD_ROWS).collect();
    let header: Vec<String> = fields.iter().map(|(_, n)| n.clone()).collect();
    let body: Vec<(String, Vec<String>)> = shown
        .iter()
        .map(|r| {
            let row = fields
                .iter()
                .map(|(c, _)| {
                    cells
                        .get(&(*r, *c))
                        .map(|t| clip(&clean_line(t), CELL_CHARS))
                        .unwrap_or_default()
                })
                .collect();
            (thousands(*r as u64), row)
        })
        .collect();
    write_table(out, "#", &header, &body)?;
    let total = total_rows
        .map(|n| n.saturating_sub(1))
        .unwrap_or(records.len() as u64);
    let more = total.saturating_sub(shown.len() as u64);
    if more > 0 {
        writeln!(out, "   … and {} more records", thousands(more))?;
    }
    Ok(())
}

/// The distinct values a pivot-cache definition keeps for each field.
fn write_field_values(out: &mut dyn Write, items: &[&OwnedItem]) -> io::Result<()> {
    let mut fields: Vec<(&str, Vec<&str>)> = Vec::new();
    for i in items {
        let name = i.detail.as_deref().unwrap_or("?");
        match fields.iter_mut().find(|(n, _)| *n == name) {
            Some((_, values)) => values.push(&i.text),
            None => fields.push((name, vec![&i.text])),
        }
    }
    writeln!(out, "   distinct values kept in the cache definition:")?;
    let width = fields
        .iter()
        .map(|(n, _)| width_of(&clip(&clean_line(n), 24)))
        .max()
        .unwrap_or(0);
    for (name, values) in fields {
        let mut shown: Vec<String> = values
            .iter()
            .take(FIELD_VALUES)
            .map(|v| clip(&clean_line(v), CELL_CHARS))
            .collect();
        if values.len() > FIELD_VALUES {
            shown.push(format!("… ({} in all)", thousands(values.len() as u64)));
        }
        writeln!(
            out,
            "   {}  {}",
            pad(&clip(&clean_line(name), 24), width),
            shown.join("; ")
        )?;
    }
    Ok(())
}

/// Chart caches: one row per point, a label and a value column per series.
fn write_chart(out: &mut dyn Write, items: &[&OwnedItem]) -> io::Result<()> {
    // (point, column) where column = series * 2 (+1 for values).
    let mut cells: BTreeMap<(u32, u32), String> = BTreeMap::new();
    for i in items {
        let Some((point, series)) = i.location.cell.as_deref().and_then(parse_cell_ref) else {
            continue;
        };
        let value = i.detail.as_deref() == Some("cached value");
        let col = series.saturating_mul(2).saturating_add(value as u32);
        cells
            .entry((point, col))
            .or_insert_with(|| clip(&clean_line(&i.text), CELL_CHARS));
    }
    let cols: Vec<u32> = cells
        .keys()
        .map(|(_, c)| *c)
        .collect::<BTreeSet<u32>>()
        .into_iter()
        .take(TABLE_COLS)
        .collect();
    let points: BTreeSet<u32> = cells.keys().map(|(p, _)| *p).collect();
    let header: Vec<String> = cols
        .iter()
        .map(|c| {
            let what = if c % 2 == 0 { "label" } else { "value" };
            format!("series {} {what}", c / 2 + 1)
        })
        .collect();
    let body: Vec<(String, Vec<String>)> = points
        .iter()
        .take(TABLE_ROWS)
        .map(|p| {
            let row = cols
                .iter()
                .map(|c| cells.get(&(*p, *c)).cloned().unwrap_or_default())
                .collect();
            (thousands(*p as u64 + 1), row)
        })
        .collect();
    writeln!(out, "   values cached in the chart:")?;
    write_table(out, "point", &header, &body)?;
    if points.len() > TABLE_ROWS {
        writeln!(
            out,
            "   … and {} more points",
            thousands((points.len() - TABLE_ROWS) as u64)
        )?;
    }
    Ok(())
}

/// VBA code, module by module, with line numbers.
fn write_macro(out: &mut dyn Write, items: &[&OwnedItem]) -> io::Result<()> {
    let mut modules: Vec<(String, Vec<(&str, &str)>)> = Vec::new();
    for i in items {
        let detail = i.detail.as_deref().unwrap_or("");
        let (module, line) = detail
            .strip_prefix("module ")
            .and_then(|d| d.rsplit_once(", line "))
            .unwrap_or((detail, ""));
        match modules.iter_mut().find(|(m, _)| m == module) {
            Some((_, lines)) => lines.push((line, &i.text)),
            None => modules.push((module.to_string(), vec![(line, &i.text)])),
        }
    }
    for (module, lines) in modules {
        writeln!(out, "   module {}:", clean_line(&module))?;
        let width = lines.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        for (n, text) in lines.iter().take(MACRO_LINES) {
            writeln!(
                out,
                "   {n:>width$} | {}",
                clip(&clean_line(text), LIST_CHARS)
            )?;
        }
        if lines.len() > MACRO_LINES {
            writeln!(
                out,
                "   … and {} of this module",
                plural(
                    (lines.len() - MACRO_LINES) as u64,
                    "more line",
                    "more lines"
                )
            )?;
        }
    }
    Ok(())
}

/// Where an item sits, in a reader's words: `Sheet1!B4`, `page 3`, and what it is.
fn label_of(i: &OwnedItem) -> String {
    let loc = &i.location;
    let mut parts: Vec<String> = Vec::new();
    let at = match i.kind {
        // Chart points are (point, series), not sheet cells.
        ItemKind::ChartLabel => loc
            .cell
            .as_deref()
            .and_then(parse_cell_ref)
            .map(|(p, s)| format!("series {}, point {}", s + 1, p + 1)),
        // The section's heading names the sheet of cells; text outside cells names it here.
        _ => match (&loc.cell, &loc.sheet) {
            (Some(c), _) => Some(c.clone()),
            (None, Some(sh)) => Some(format!("sheet {}", quoted(sh))),
            _ => None,
        },
    };
    parts.extend(at);
    // Page, slide, story and paragraph of document text.
    if let Some(words) = loc.document_words() {
        parts.push(words);
    }
    if let Some(l) = loc.line {
        parts.push(format!("line {l}"));
    }
    if let Some(d) = &i.detail {
        parts.push(clean_line(d));
    }
    parts.join(" · ")
}

/// One item a line (continuation lines indented), the first [`LIST_ITEMS`] of them.
fn write_list(
    out: &mut dyn Write,
    items: &[&OwnedItem],
    total: u64,
    chars: usize,
) -> io::Result<()> {
    let shown: Vec<(String, String)> = items
        .iter()
        .take(LIST_ITEMS)
        .map(|i| {
            let text = if i.kind == ItemKind::DefinedName {
                format!("= {}", i.text)
            } else {
                i.text.clone()
            };
            (label_of(i), clip(&clean_text(&text), chars))
        })
        .collect();
    let width = shown
        .iter()
        .map(|(l, _)| width_of(l))
        .max()
        .unwrap_or(0)
        .min(40);
    let indent = if width == 0 { 0 } else { width + 2 };
    for (label, text) in &shown {
        let mut lines = text.lines();
        let first = lines.next().unwrap_or("");
        if width == 0 {
            writeln!(out, "   {first}")?;
        } else {
            writeln!(out, "   {}  {first}", pad(label, width))?;
        }
        for more in lines {
            writeln!(out, "   {}{more}", pad("", indent))?;
        }
    }
    let more = total.saturating_sub(shown.len() as u64);
    if more > 0 {
        writeln!(out, "   … and {} more", thousands(more))?;
    }
    Ok(())
}

/// An aligned table: a header row (with `corner` above the row labels), then the rows.
fn write_table(
    out: &mut dyn Write,
    corner: &str,
    header: &[String],
    body: &[(String, Vec<String>)],
) -> io::Result<()> {
    let label_width = body
        .iter()
        .map(|(l, _)| width_of(l))
        .chain([width_of(corner)])
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            body.iter()
                .map(|(_, row)| width_of(&row[c]))
                .chain([width_of(&header[c])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |label: &str, cells: &[String]| -> String {
        let mut s = format!("   {:>label_width$} |", label);
        for (c, w) in cells.iter().zip(&widths) {
            s.push(' ');
            s.push_str(&pad(c, *w));
            s.push_str(" |");
        }
        s.truncate(s.trim_end().len());
        s
    };
    writeln!(out, "{}", line(corner, header))?;
    let rule: String = widths
        .iter()
        .map(|w| format!("-{}-+", "-".repeat(*w)))
        .collect();
    writeln!(out, "   {}-+{rule}", "-".repeat(label_width))?;
    for (label, row) in body {
        writeln!(out, "{}", line(label, row))?;
    }
    Ok(())
}

fn write_detectors(out: &mut dyn Write, findings: &[&Finding]) -> io::Result<()> {
    writeln!(
        out,
        "== Personal data found by the detectors ({})",
        plural(findings.len() as u64, "finding", "findings")
    )?;
    for f in findings.iter().take(DETECTOR_FINDINGS) {
        write_finding(out, f)?;
    }
    if findings.len() > DETECTOR_FINDINGS {
        writeln!(
            out,
            "   … and {} more",
            thousands((findings.len() - DETECTOR_FINDINGS) as u64)
        )?;
    }
    Ok(())
}

fn write_unscannable(out: &mut dyn Write, findings: &[&Finding]) -> io::Result<()> {
    writeln!(
        out,
        "== Could not be inspected (unscannable, {})",
        findings
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Critical)
    )?;
    for f in findings {
        write_finding(out, f)?;
    }
    writeln!(
        out,
        "   What could not be read was not checked and cannot be shown here; the file is blocked until it can be."
    )
}

/// Text as printed: control characters (a hostile file could carry terminal escapes) and
/// bidirectional overrides (which reorder what the reviewer reads) become U+FFFD; tabs and
/// line breaks are kept for [`write_list`] to lay out.
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' => '\n',
            '\t' | '\r' => ' ',
            c if c.is_control() => '\u{fffd}',
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// [`clean_text`] on one line: line breaks shown as `↵`.
fn clean_line(s: &str) -> String {
    clean_text(s).trim_end_matches('\n').replace('\n', " ↵ ")
}

/// At most `max` characters, the last one `…` when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn width_of(s: &str) -> usize {
    s.chars().count()
}

fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(width_of(s))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_and_clean_keep_text_readable_and_safe() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        assert_eq!(clean_line("a\x1b[31mb\nc"), "a\u{fffd}[31mb ↵ c");
        assert_eq!(clean_text("x\u{202e}y\tz"), "x\u{fffd}y z");
    }

    fn view_of(findings: Vec<Finding>, items: Vec<OwnedItem>) -> String {
        let report = FileReport {
            path: "x.pdf".into(),
            format: "pdf".into(),
            bytes: 1,
            sha256: String::new(),
            verdict: Verdict::Block,
            error: None,
            findings,
            duplicate_of: None,
            parts: Default::default(),
            elapsed_ms: 0,
        };
        let sample = Sample {
            items,
            parts: Vec::new(),
        };
        let mut buf = Vec::new();
        let mut out = Budget {
            inner: &mut buf,
            written: 0,
        };
        write_view(&mut out, &report, &sample, Severity::High).expect("write");
        String::from_utf8(buf).expect("UTF-8")
    }

    #[test]
    fn an_inspector_this_module_does_not_know_gets_its_section() {
        // What a PDF fake-redaction inspector would emit: a finding on a page and the text
        // under the box as a hidden item there.
        let loc = Location {
            part: Some("page 3".into()),
            page: Some(3),
            ..Default::default()
        };
        let finding = crate::finding::new_finding(
            "fake-redaction",
            Severity::Critical,
            true,
            loc.clone(),
            "a black box hides nothing".into(),
            "k",
        );
        let item = OwnedItem {
            text: "SMITH, John 07700 900123".into(),
            kind: ItemKind::Text,
            hidden: true,
            location: loc,
            detail: Some("text under a box".into()),
        };
        let view = view_of(vec![finding], vec![item]);
        assert!(
            view.contains("== Text a reader does not see (fake-redaction, critical)"),
            "{view}"
        );
        assert!(
            view.contains("page 3 · text under a box  SMITH, John 07700 900123"),
            "{view}"
        );
    }

    #[test]
    fn the_number_of_sections_is_capped() {
        let findings = (0..MAX_SECTIONS + 5)
            .map(|i| {
                crate::finding::new_finding(
                    "comment",
                    Severity::Medium,
                    true,
                    Location::part(&[], &format!("xl/comments{i}.xml")),
                    format!("note {i}"),
                    "k",
                )
            })
            .collect();
        let view = view_of(findings, Vec::new());
        assert_eq!(view.matches("\n== ").count(), MAX_SECTIONS, "{view}");
        assert!(view.contains("… and 5 more sections not shown"), "{view}");
    }

    #[test]
    fn rules_fall_into_fixed_categories() {
        assert_eq!(
            Category::of_rule("very-hidden-sheet"),
            Category::HiddenSheet
        );
        assert_eq!(Category::of_rule("fake-redaction"), Category::HiddenText);
        assert_eq!(Category::of_rule("something-new"), Category::Other);
        assert!(is_detector_rule("pii.nino") && is_detector_rule("roster-match"));
        assert!(!is_detector_rule("hidden-sheet"));
    }
}
