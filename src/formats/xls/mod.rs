//! Excel 97–2003 workbooks (xls: BIFF8, and BIFF5 from Excel 5.0/95) in an OLE compound
//! file. The `Workbook` stream is walked record by record (`records`): its globals
//! (`globals`) list the sheets, shared strings, styles, names and links; each sheet's
//! substream (`sheet`) streams into the shared grid, so hidden sheets, rows, columns,
//! filters and disguised cells read exactly as for xlsx. The other streams of the file are
//! pivot caches (`pivot`), the VBA project, the property sets, and embedded objects.
//!
//! calamine reads xls too, but only by decoding every sheet into a dense grid up front: a
//! file whose DIMENSIONS or cell records claim a huge extent makes it allocate that grid and
//! abort the process. So cells are streamed here, and calamine serves where it is safe: it
//! decodes the VBA project.

pub(crate) mod formula;
mod globals;
mod pivot;
pub mod records;
mod sheet;

use crate::container::ledger::{Ledger, PartState};
use crate::container::ole::{self, Compound, root_storages};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::grid::{self, Rect, SheetState, SheetSummary};
use crate::formats::names::{self, NameEntry};
use crate::formats::{embedded, ole_props, unknown, vba};
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use formula::Names;
use globals::{Globals, SheetKind};
use records::TextCodec;
use std::collections::BTreeSet;

/// Streams of an xls file known to hold no text a person wrote.
const NO_TEXT: &[&str] = &[
    "\u{1}CompObj",
    "\u{1}Ole",
    "\u{3}ObjInfo",
    "\u{1}CompObjInfo",
];

/// True for a raw BIFF2–BIFF4 stream (Excel 2.x to 4.0 saved a worksheet as bare records,
/// not inside an OLE file): a BOF record (0x0009, 0x0209, 0x0409, 0x0809) of a sane length.
pub fn is_raw_biff(bytes: &[u8]) -> bool {
    let (Some(t), Some(len)) = (records::u16_at(bytes, 0), records::u16_at(bytes, 2)) else {
        return false;
    };
    matches!(t, 0x0009 | 0x0209 | 0x0409 | 0x0809)
        && (4..=20).contains(&len)
        && bytes.len() >= 4 + len as usize
}

pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    if !bytes.starts_with(ole::MAGIC) {
        return Err(ScanError::new(raw_biff_reason(bytes)));
    }
    let mut cf = Compound::open(bytes)?;
    let streams: Vec<String> = cf.streams().to_vec();
    let mut ledger = Ledger::new(&streams);
    let part = ["Workbook", "Book"]
        .into_iter()
        .find_map(|n| streams.iter().find(|s| s.eq_ignore_ascii_case(n)).cloned())
        .ok_or_else(|| ScanError::new("the OLE file has no Workbook stream"))?;
    let stream = cf.read(&part, ctx.limits.max_part_bytes)?;
    ctx.charge_inflated(stream.len() as u64)?;
    if records::within_record_limit(&stream, ctx.limits.max_biff_records).is_err() {
        return Err(ScanError::new(format!(
            "the {part} stream holds more BIFF records than {}",
            ctx.limits.the_limit("max_biff_records")
        )));
    }
    ledger.mark(&part, PartState::Inspected);
    let (g, codec) = match globals::parse(&stream, ctx) {
        Ok(parsed) => parsed,
        Err(e) => {
            // An encrypted workbook still keeps its property sets in clear: who wrote it is
            // worth reporting even though its cells cannot be read.
            ole_props::inspect(&mut cf, &[], ctx)?;
            return Err(e);
        }
    };
    for p in &g.problems {
        let loc = ctx.loc(&part);
        ctx.unscannable(loc, p);
    }
    if g.sheets.is_empty() {
        return Err(ScanError::new(
            "the workbook lists no sheets (no BOUNDSHEET record)",
        ));
    }

    let mut used = vec![false; g.strings.len()];
    let mut all_read = g.problems.is_empty();
    let mut pivot_users: BTreeSet<u16> = BTreeSet::new();
    let names = Names { globals: &g };
    for (index, entry) in g.sheets.iter().enumerate() {
        let holds_cells = matches!(
            entry.kind,
            SheetKind::Worksheet | SheetKind::MacroSheet | SheetKind::Other(_)
        );
        let summary = if holds_cells {
            let sc = sheet::SheetContext {
                stream: &stream,
                part: &part,
                globals: &g,
                codec: &codec,
                filter_range: filter_range(&g, index, &codec, &names),
            };
            let read = ctx.guard(&part, |ctx| sheet::inspect(&sc, entry, &mut used, ctx))?;
            match read {
                Some((summary, extras)) => {
                    pivot_users.extend(extras.pivot_caches.iter().copied());
                    report_notes(ctx, &part, &entry.name, &extras.notes);
                    if let Some(p) = extras.problem {
                        all_read = false;
                        let loc = ctx.loc(&part).with_sheet(&entry.name);
                        ctx.unscannable(loc, &format!("sheet '{}': {p}", entry.name));
                    }
                    Some(summary)
                }
                None => {
                    all_read = false;
                    None
                }
            }
        } else {
            Some(SheetSummary::default())
        };
        grid::report_sheet_state(ctx, &part, &entry.name, entry.state, summary.as_ref());
        report_macro_sheet(ctx, &part, entry);
    }
    if all_read {
        grid::report_unused_strings(ctx, &part, &g.strings, &used);
    }
    drop(used);

    report_names(ctx, &part, &g, &codec, &names);
    report_links(ctx, &part, &g);
    for (what, text) in &g.side_text {
        ctx.item(&Item {
            text,
            kind: ItemKind::Text,
            hidden: true,
            part: &part,
            sheet: None,
            cell: None,
            detail: Some(what),
            doc: DocPlace::NONE,
        });
    }

    pivot_caches(
        ctx,
        &mut cf,
        &streams,
        &mut ledger,
        &g,
        &codec,
        &pivot_users,
    )?;
    vba_project(ctx, &mut cf, &streams, &mut ledger)?;
    let extras: Vec<ole_props::Extra<'_>> = [
        (
            g.write_access.as_deref(),
            "the user who last saved it (WRITEACCESS)",
            "WRITEACCESS user name",
        ),
        (
            g.file_sharing_user.as_deref(),
            "the user who reserved it",
            "FILESHARING user name",
        ),
    ]
    .into_iter()
    .filter_map(|(value, label, detail)| {
        value.map(|value| ole_props::Extra {
            label,
            detail,
            part: &part,
            value,
        })
    })
    .collect();
    ole_props::inspect(&mut cf, &extras, ctx)?;
    ledger.mark(ole_props::SUMMARY, PartState::Inspected);
    ledger.mark(ole_props::DOC_SUMMARY, PartState::Inspected);
    embedded_objects(ctx, &mut cf, &streams, &mut ledger)?;
    custom_xml(ctx, &mut cf, &streams, &mut ledger)?;
    other_streams(ctx, &mut cf, &mut ledger)?;
    ctx.record_parts(&ledger.tally());
    Ok(())
}

/// Why a file that is not an OLE workbook cannot be read.
fn raw_biff_reason(bytes: &[u8]) -> String {
    let version = match records::u16_at(bytes, 0) {
        Some(0x0009) => "Excel 2.x (BIFF2)",
        Some(0x0209) => "Excel 3.0 (BIFF3)",
        Some(0x0409) => "Excel 4.0 (BIFF4)",
        _ => "a bare BIFF stream",
    };
    format!(
        "{version} worksheet outside an OLE compound file: foiguard reads Excel 5.0 to 2003 workbooks (BIFF5 and BIFF8) only"
    )
}

/// The range of the sheet's AutoFilter, from its built-in `_FilterDatabase` name.
fn filter_range(g: &Globals, index: usize, codec: &TextCodec, names: &Names<'_>) -> Option<Rect> {
    let n = g
        .names
        .iter()
        .find(|n| n.builtin == Some(globals::FILTER_DATABASE) && n.itab as usize == index + 1)?;
    let text = formula::render(&n.rgce, &n.extra, codec, names).text;
    let range = text.rsplit('!').next()?.replace('$', "");
    Rect::parse(&range)
}

fn report_notes(ctx: &mut Ctx<'_>, part: &str, sheet: &str, notes: &[sheet::Note]) {
    if notes.is_empty() {
        return;
    }
    let mut authors: BTreeSet<&str> = BTreeSet::new();
    for n in notes {
        let cell = (n.row != u32::MAX).then_some((n.row, n.col));
        ctx.item(&Item {
            text: &n.text,
            kind: ItemKind::Comment,
            hidden: true,
            part,
            sheet: Some(sheet),
            cell,
            detail: Some("note"),
            doc: DocPlace::NONE,
        });
        if !n.author.is_empty() {
            authors.insert(&n.author);
        }
    }
    for a in &authors {
        ctx.item(&Item {
            text: a,
            kind: ItemKind::Author,
            hidden: true,
            part,
            sheet: Some(sheet),
            cell: None,
            detail: Some("comment author"),
            doc: DocPlace::NONE,
        });
    }
    let loc = ctx.loc(part).with_sheet(sheet);
    ctx.report(
        "comment",
        Severity::Medium,
        true,
        loc,
        format!(
            "{} on sheet '{sheet}' by {}",
            plural(notes.len() as u64, "note", "notes"),
            plural(authors.len() as u64, "author", "authors")
        ),
        "notes",
    );
}

fn report_macro_sheet(ctx: &mut Ctx<'_>, part: &str, entry: &globals::SheetEntry) {
    let what = match entry.kind {
        SheetKind::MacroSheet => "an Excel 4.0 macro sheet",
        SheetKind::VbModule => "an Excel 5.0 Visual Basic module",
        _ => return,
    };
    let loc = ctx.loc(part).with_sheet(&entry.name);
    ctx.report(
        "macro",
        Severity::Medium,
        entry.state != SheetState::Visible,
        loc,
        format!("sheet '{}' is {what}", entry.name),
        &entry.name,
    );
}

fn report_names(ctx: &mut Ctx<'_>, part: &str, g: &Globals, codec: &TextCodec, names: &Names<'_>) {
    let rendered: Vec<formula::Rendered> = g
        .names
        .iter()
        .map(|n| formula::render(&n.rgce, &n.extra, codec, names))
        .collect();
    let entries: Vec<NameEntry<'_>> = g
        .names
        .iter()
        .zip(&rendered)
        .map(|(n, r)| NameEntry {
            name: &n.name,
            hidden: n.hidden,
            value: &r.text,
            sheet: (n.itab > 0)
                .then(|| g.sheets.get(n.itab as usize - 1))
                .flatten()
                .map(|s| s.name.as_str()),
            builtin: n.builtin.is_some(),
            holds_data: r.constant,
        })
        .collect();
    names::report(&entries, part, ctx);
}

/// Linked workbooks (SUPBOOK, or BIFF5 EXTERNSHEET paths): the path, the names used from
/// them, and every cached value (CRN), as xlsx external links are reported.
fn report_links(ctx: &mut Ctx<'_>, part: &str, g: &Globals) {
    for book in g
        .books
        .iter()
        .filter(|b| b.kind != "self" && !b.path.is_empty())
    {
        let file = book
            .path
            .rsplit(['\\', '/'])
            .next()
            .unwrap_or(&book.path)
            .to_string();
        let sheet_names: Vec<String> = book.sheets.iter().map(|s| format!("[{file}]{s}")).collect();
        for (sheet, row, col, value) in &book.cached {
            ctx.item(&Item {
                text: value,
                kind: ItemKind::ExternalCell,
                hidden: true,
                part,
                sheet: sheet_names.get(*sheet).map(String::as_str),
                cell: Some((*row, *col)),
                detail: Some("cached value of a linked workbook"),
                doc: DocPlace::NONE,
            });
        }
        for name in &book.names {
            ctx.item(&Item {
                text: name,
                kind: ItemKind::ExternalCell,
                hidden: true,
                part,
                sheet: None,
                cell: None,
                detail: Some("name used from a linked workbook"),
                doc: DocPlace::NONE,
            });
        }
        ctx.item(&Item {
            text: &book.path,
            kind: ItemKind::Property,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("external link target"),
            doc: DocPlace::NONE,
        });
        let cached = book.cached.len() as u64;
        let kind = if book.kind == "workbook" {
            "workbook"
        } else {
            book.kind
        };
        let (severity, message) = if cached > 0 {
            (
                Severity::High,
                format!(
                    "external {kind} link to '{file}' keeps {} from its sheets ({}) inside this file",
                    plural(cached, "cached value", "cached values"),
                    book.sheets.join(", ")
                ),
            )
        } else {
            (
                Severity::Medium,
                format!("external {kind} link to '{file}' reveals the path of the linked file"),
            )
        };
        let mut loc = ctx.loc(part);
        loc.sheet = sheet_names.first().cloned();
        ctx.report(
            "external-link",
            severity,
            true,
            loc,
            message,
            &format!("{file}|{cached}"),
        );
        if let Some(f) = ctx.findings.last_mut() {
            f.evidence = Some(book.path.clone());
        }
    }
}

/// The first path component of each stream under a root storage named like `prefix`.
fn pivot_caches(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    streams: &[String],
    ledger: &mut Ledger,
    g: &Globals,
    codec: &TextCodec,
    users: &BTreeSet<u16>,
) -> ScanResult<()> {
    let sheets: Vec<(String, SheetState)> =
        g.sheets.iter().map(|s| (s.name.clone(), s.state)).collect();
    for storage in root_storages(streams, |r, _| {
        r.eq_ignore_ascii_case("_SX_DB_CUR") || r.eq_ignore_ascii_case("_SX_DB")
    }) {
        for member in cf.streams_under(&storage) {
            let Some(bytes) =
                ctx.guard(&member, |ctx| cf.read(&member, ctx.limits.max_part_bytes))?
            else {
                ledger.mark(&member, PartState::Unreadable);
                continue;
            };
            ctx.charge_inflated(bytes.len() as u64)?;
            let id = member
                .rsplit('/')
                .next()
                .and_then(|n| u16::from_str_radix(n, 16).ok());
            let index = id.and_then(|id| g.pivots.iter().position(|p| p.stream_id == id));
            let info = pivot::CacheInfo {
                source: index.and_then(|i| g.pivots.get(i)),
                sheets: &sheets,
                // A stream the globals do not list is left over; without any list (some
                // Excel 95 files) nothing can be said.
                orphaned: match index {
                    Some(i) => !users.contains(&(i as u16)),
                    None => !g.pivots.is_empty(),
                },
            };
            ctx.guard(&member, |ctx| {
                pivot::inspect(&member, &bytes, codec, &info, ctx)
            })?;
            ledger.mark(&member, PartState::Inspected);
        }
    }
    Ok(())
}

fn vba_project(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    streams: &[String],
    ledger: &mut Ledger,
) -> ScanResult<()> {
    let storages = root_storages(streams, |root, _| {
        root.eq_ignore_ascii_case("_VBA_PROJECT_CUR")
    });
    vba::inspect_storages(ctx, cf, storages, ledger)
}

/// `MBD…` storages: objects embedded in the sheets (workbooks, documents, packages). Each
/// is copied out as a compound file of its own and scanned like a file.
fn embedded_objects(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    streams: &[String],
    ledger: &mut Ledger,
) -> ScanResult<()> {
    for storage in root_storages(streams, |r, _| {
        r.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("MBD"))
    }) {
        let budget = ctx
            .remaining_inflate_budget()
            .min(ctx.limits.max_part_bytes);
        let Some(bytes) = ctx.guard(&storage, |_| cf.extract_storage(&storage, budget))? else {
            continue;
        };
        ctx.charge_inflated(bytes.len() as u64)?;
        embedded::inspect_object(&storage, &storage, &bytes, ctx)?;
        for m in cf.streams_under(&storage) {
            ledger.mark(&m, PartState::Inspected);
        }
    }
    Ok(())
}

/// `MsoDataStore`: the custom XML parts of an xls file (SharePoint and document-management
/// properties), one storage per part with its XML in `Item`.
pub(crate) fn custom_xml(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    streams: &[String],
    ledger: &mut Ledger,
) -> ScanResult<()> {
    let mut with_text = 0u64;
    let mut first: Option<String> = None;
    for storage in root_storages(streams, |r, _| r.eq_ignore_ascii_case("MsoDataStore")) {
        for member in cf.streams_under(&storage) {
            let Some(bytes) =
                ctx.guard(&member, |ctx| cf.read(&member, ctx.limits.max_part_bytes))?
            else {
                ledger.mark(&member, PartState::Unreadable);
                continue;
            };
            ctx.charge_inflated(bytes.len() as u64)?;
            ledger.mark(&member, PartState::Inspected);
            if !member.ends_with("/Item") {
                continue;
            }
            let texts = crate::formats::ooxml_props::custom_xml_texts(&member, &bytes, ctx)?;
            if texts > 0 {
                with_text += 1;
                first.get_or_insert(member.clone());
            }
        }
    }
    if let Some(part) = first {
        ctx.report(
            "custom-xml",
            Severity::Low,
            true,
            ctx.loc(&part),
            format!(
                "{} stored with the document",
                plural(
                    with_text,
                    "custom XML part with content",
                    "custom XML parts with content"
                )
            ),
            &with_text.to_string(),
        );
    }
    Ok(())
}

/// Every stream not read above: structure streams known to hold no text, and anything else,
/// whose text is scanned as hidden content (`unknown-part`).
pub(crate) fn other_streams(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    ledger: &mut Ledger,
) -> ScanResult<()> {
    for s in ledger.unaccounted() {
        let leaf = s.rsplit('/').next().unwrap_or(&s);
        if NO_TEXT.iter().any(|n| n.eq_ignore_ascii_case(leaf)) {
            ledger.mark(&s, PartState::NoText);
            continue;
        }
        let Some(bytes) = ctx.guard(&s, |ctx| cf.read(&s, ctx.limits.max_part_bytes))? else {
            ledger.mark(&s, PartState::Unreadable);
            continue;
        };
        ctx.charge_inflated(bytes.len() as u64)?;
        unknown::inspect_bytes(&s, "OLE stream", &bytes, ctx)?;
        ledger.mark(&s, PartState::Unknown);
    }
    Ok(())
}
