//! Word 97–2003 documents (doc, [MS-DOC]) in an OLE compound file. The `WordDocument`
//! stream starts with the FIB (`fib`), which says which table stream (`0Table`/`1Table`)
//! holds the rest and how many characters each story has. The text is read through the
//! piece table (`pieces`: compressed 8-bit and UTF-16 pieces, fast-saved or not), joined
//! with its formatting (`fkp` pages, `styles`, `sprm`) by `document`, and sorted by what a
//! reader sees (`flow`): the body, headers and footers, footnotes, endnotes, comments
//! (`comments`) and text boxes, with tracked changes, hidden text, disguised text and
//! fake redactions reported per story. The other streams are the property sets and the
//! table stream's own records (`settings`), the `Macros` storage (VBA), the `ObjectPool`
//! (embedded objects, each scanned with its own format's inspector), the `Data` stream and
//! custom XML; anything else is scanned as an unknown part.
//!
//! Word 6.0/95 and older files and encrypted documents are refused with the reason, and so
//! is a document whose text or formatting cannot be read whole: text read without the
//! properties that say whether it is hidden or deleted is never passed.

mod comments;
mod document;
mod fib;
mod fkp;
mod flow;
use crate::util::le;
mod officeart;
mod pieces;
mod residual;
mod settings;
mod sprm;
mod sttb;
mod styles;

use crate::container::ledger::{Ledger, PartState};
use crate::container::ole::{Compound, root_storages};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::{embedded, ole_props, unknown, vba, xls};
use crate::model::{DocPlace, Severity, Story};
use crate::util::plural;
use document::Document;
use fib::{Fib, fc};
use flow::{PART, Range, Reader, Role};

/// Most characters read from one document (all stories).
const MAX_CHARS: u64 = 1 << 28;

pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut cf = Compound::open(bytes)?;
    let streams: Vec<String> = cf.streams().to_vec();
    let mut ledger = Ledger::new(&streams);
    let word = cf.read(PART, ctx.limits.max_part_bytes)?;
    ctx.charge_inflated(word.len() as u64)?;
    ledger.mark(PART, PartState::Inspected);
    let fib = match fib::parse(&word) {
        Ok(f) => f,
        Err(e) => {
            // An old or encrypted document still keeps its property sets in clear: who
            // wrote it is worth reporting even though its text cannot be read.
            ole_props::inspect(&mut cf, &[], ctx)?;
            return Err(e);
        }
    };
    let table_name = fib.table_stream();
    let table = if cf.has(table_name) {
        let t = cf.read(table_name, ctx.limits.max_part_bytes)?;
        ctx.charge_inflated(t.len() as u64)?;
        ledger.mark(table_name, PartState::Inspected);
        t
    } else {
        return Err(ScanError::new(format!(
            "the FIB names the table stream {table_name}, which the file does not have"
        )));
    };
    stale_table(ctx, &mut cf, &fib, &mut ledger)?;
    let data = if cf.has("Data") {
        let d = ctx.guard("Data", |ctx| cf.read("Data", ctx.limits.max_part_bytes))?;
        if let Some(d) = &d {
            ctx.charge_inflated(d.len() as u64)?;
        }
        d
    } else {
        None
    };

    let read = ctx.guard(PART, |ctx| {
        read_text(&word, &table, data.as_deref(), &fib, ctx)
    })?;
    let mut anchors = Vec::new();
    if let Some((covered, objects)) = read {
        residual(ctx, &word, &covered, &fib)?;
        anchors = objects;
    }
    ctx.guard(table_name, |ctx| {
        let assoc = fib.slice(&table, fc::STTBF_ASSOC, "associated strings (SttbfAssoc)")?;
        let saved = fib.slice(&table, fc::STTB_SAVED_BY, "save history (SttbSavedBy)")?;
        settings::report(ctx, table_name, assoc, saved);
        Ok(())
    })?;
    if let Some(d) = &data {
        // Pictures, and the values of form fields: scanned for text as hidden content.
        unknown::scan_bytes(
            d,
            "Data",
            "text of the Data stream (pictures, form fields)",
            ctx,
        )?;
        ledger.mark("Data", PartState::Inspected);
    }
    ole_props::inspect(&mut cf, &[], ctx)?;
    ledger.mark(ole_props::SUMMARY, PartState::Inspected);
    ledger.mark(ole_props::DOC_SUMMARY, PartState::Inspected);
    macros(ctx, &mut cf, &streams, &mut ledger)?;
    objects(ctx, &mut cf, &streams, &anchors, &mut ledger)?;
    xls::custom_xml(ctx, &mut cf, &streams, &mut ledger)?;
    xls::other_streams(ctx, &mut cf, &mut ledger)?;
    ctx.record_parts(&ledger.tally());
    Ok(())
}

/// Byte ranges of the WordDocument stream that the FIB, the text and the formatting pages
/// account for.
type Covered = Vec<(u64, u64)>;

/// Reads every story and reports what they hide. Returns the byte ranges the text and its
/// pages cover, and where the embedded objects are anchored.
fn read_text(
    word: &[u8],
    table: &[u8],
    data: Option<&[u8]>,
    fib: &Fib,
    ctx: &mut Ctx<'_>,
) -> ScanResult<(Covered, Vec<(u32, DocPlace)>)> {
    let total = fib.total_cp();
    if total > MAX_CHARS || total > 4 * word.len() as u64 + 4 {
        return Err(ScanError::new(format!(
            "the FIB counts {total} characters of text, more than the WordDocument stream can hold"
        )));
    }
    let total = total as u32;
    let clx = fib.slice(table, fc::CLX, "piece table (Clx)")?;
    if clx.is_empty() {
        return Err(ScanError::new("the document has no piece table (Clx)"));
    }
    let clx = pieces::parse(clx)?;
    let text = pieces::text(word, &clx.pieces, total)?;
    if (text.len() as u64) < total as u64 {
        return Err(ScanError::new(format!(
            "the piece table covers {} of the {total} characters the FIB counts",
            text.len()
        )));
    }
    ctx.charge_inflated(text.len() as u64 * 2)?;
    let chpx = fkp::read(
        word,
        fib.slice(
            table,
            fc::PLCF_BTE_CHPX,
            "list of character formatting pages",
        )?,
        fkp::Kind::Chpx,
        "character formatting (CHPX)",
    )?;
    if chpx.runs.is_empty() && text.iter().any(|&u| u >= 0x20) {
        return Err(ScanError::new(
            "the document has no character formatting (CHPX) pages, so hidden text and tracked changes cannot be told from visible text",
        ));
    }
    let papx = fkp::read(
        word,
        fib.slice(
            table,
            fc::PLCF_BTE_PAPX,
            "list of paragraph formatting pages",
        )?,
        fkp::Kind::Papx,
        "paragraph formatting (PAPX)",
    )?;
    let styles = styles::Styles::parse(fib.slice(table, fc::STSHF, "style sheet")?);
    if let Some(p) = styles.problem() {
        return Err(ScanError::new(format!(
            "{p}, so text hidden through a style cannot be placed"
        )));
    }
    let mut covered: Covered = vec![(0, 0x200.min(word.len() as u64))];
    for p in &clx.pieces {
        if p.cp_start < total {
            let end = p.cp_end.min(total);
            covered.push((p.fc as u64, p.fc_of(end.max(p.cp_start))));
        }
    }
    for &page in chpx.pages.iter().chain(&papx.pages) {
        covered.push((page as u64, page as u64 + 512));
    }
    let dgg = fib.slice(table, fc::DGG_INFO, "drawing data (OfficeArtContent)")?;
    covered.extend(officeart::delayed_blips(dgg));
    // Shape names, alternative text and hyperlinks of drawings: not on the page.
    unknown::scan_bytes(
        dgg,
        fib.table_stream(),
        "drawing properties (shape names, alternative text)",
        ctx,
    )?;
    let ranges = ranges(fib, table)?;
    let rmark =
        sttb::strings(fib.slice(table, fc::STTBF_RMARK, "revision authors (SttbfRMark)")?);
    let owners = sttb::xsts(fib.slice(
        table,
        fc::GRP_XST_ATN_OWNERS,
        "comment authors (GrpXstAtnOwners)",
    )?);
    let annotations = comments::annotations(
        fib.slice(table, fc::PLCF_AND_REF, "comment references (PlcfandRef)")?,
        &owners,
    );
    let mut doc = Document::new(text, clx.pieces, clx.prcs, chpx, papx, styles, data);
    let mut reader = Reader::new(ctx);
    for range in ranges {
        reader.read(range, &mut doc);
    }
    let out = reader.finish(&rmark);
    ctx.check_time()?;
    if doc.unformatted > 0 {
        return Err(ScanError::new(format!(
            "{} of text have no character formatting run, so whether they are hidden or deleted cannot be told",
            plural(doc.unformatted, "character", "characters")
        )));
    }
    if doc.unknown_prm > 0 {
        return Err(ScanError::new(format!(
            "{} of text are formatted by property groups the piece table does not have, so whether they are hidden or deleted cannot be told",
            plural(doc.unknown_prm, "character", "characters")
        )));
    }
    comments::report(ctx, &annotations, &out.comment_text, &out.body_marks);
    Ok((covered, out.objects))
}

/// The stories as ranges of the CP space, in order: the body, footnotes, headers and
/// footers (split by `PlcfHdd`: note separators first), comments (one range per comment,
/// by `PlcfandTxt`), endnotes and text boxes.
fn ranges(fib: &Fib, table: &[u8]) -> ScanResult<Vec<Range>> {
    let mut out = Vec::new();
    let mut at = 0u32;
    let span = |at: &mut u32, n: u32| {
        let start = *at;
        *at = at.saturating_add(n);
        (start, *at)
    };
    let [text, ftn, hdd, mcr, atn, edn, txbx, hdr_txbx] = fib.ccp;
    let mut push = |story, (start, end): (u32, u32), role: Role| {
        if end > start {
            out.push(Range {
                story,
                start,
                end,
                role,
            });
        }
    };
    push(Story::Body, span(&mut at, text), Role::Text);
    push(Story::Footnote, span(&mut at, ftn), Role::Text);
    let (h_start, h_end) = span(&mut at, hdd);
    if h_end > h_start {
        let plc = fib.slice(table, fc::PLCF_HDD, "header list (PlcfHdd)")?;
        let (cps, _) = document::plc_cps(plc, 0);
        if cps.len() < 2 {
            push(Story::Header, (h_start, h_end), Role::Text);
        } else {
            // Each pair of CPs bounds one story: six separators, then per section the
            // even and odd headers, even and odd footers, first-page header and footer.
            if let Some(&first) = cps.first()
                && first > 0
            {
                push(
                    Story::Header,
                    (h_start, h_start + first.min(hdd)),
                    Role::Text,
                );
            }
            let mut reached = 0u32;
            for (i, w) in cps.windows(2).enumerate() {
                let (a, b) = (w[0].min(hdd).max(reached), w[1].min(hdd));
                if b <= a {
                    continue;
                }
                let (story, role) = match i {
                    0..=2 => (Story::Footnote, Role::Separator),
                    3..=5 => (Story::Endnote, Role::Separator),
                    _ => match (i - 6) % 6 {
                        2 | 3 | 5 => (Story::Footer, Role::Text),
                        _ => (Story::Header, Role::Text),
                    },
                };
                push(story, (h_start + a, h_start + b), role);
                reached = b;
            }
            // Whatever the list leaves out of the header story is still read.
            if reached < hdd {
                push(
                    Story::Header,
                    (h_start + reached.max(cps[0].min(hdd)), h_end),
                    Role::Text,
                );
            }
        }
    }
    // Macro text (a Word 6 story Word 97 no longer writes): read as body text if present.
    push(Story::Body, span(&mut at, mcr), Role::Text);
    let (a_start, a_end) = span(&mut at, atn);
    if a_end > a_start {
        let plc = fib.slice(table, fc::PLCF_AND_TXT, "comment texts (PlcfandTxt)")?;
        let (cps, _) = document::plc_cps(plc, 0);
        // One range per comment; the list's last range holds only the story's closing
        // paragraph mark.
        let mut last = 0u32;
        for w in cps.windows(2).take(cps.len().saturating_sub(2)) {
            let (a, b) = (w[0].min(atn), w[1].min(atn));
            if b > a && a >= last {
                push(Story::Comment, (a_start + a, a_start + b), Role::Comment);
                last = b;
            }
        }
        if last < atn {
            push(Story::Comment, (a_start + last, a_end), Role::CommentTail);
        }
    }
    push(Story::Endnote, span(&mut at, edn), Role::Text);
    push(Story::Textbox, span(&mut at, txbx), Role::Text);
    push(Story::Textbox, span(&mut at, hdr_txbx), Role::Text);
    Ok(out)
}

/// Text in the WordDocument stream outside the FIB, the document's text, its formatting
/// pages and its pictures. A fast save appends its edits and leaves the text it replaced
/// where it was: that text travels with the file though no reader sees it. Only
/// fast-saved documents are searched (Word rewrites the others whole), and only for runs
/// that read as words, so picture data and padding are not taken for text.
fn residual(ctx: &mut Ctx<'_>, word: &[u8], covered: &Covered, fib: &Fib) -> ScanResult<()> {
    if !fib.complex {
        return Ok(());
    }
    let mut spans = covered.clone();
    spans.sort_unstable();
    let mut gaps: Vec<&[u8]> = Vec::new();
    let mut at = 0u64;
    for (start, end) in spans {
        if start > at
            && let Some(gap) = word.get(at as usize..(start as usize).min(word.len()))
        {
            gaps.push(gap);
        }
        at = at.max(end);
    }
    if let Some(tail) = word.get(at as usize..) {
        gaps.push(tail);
    }
    let mut texts = 0u64;
    let mut digest = crate::util::ContentDigest::default();
    for gap in gaps {
        for run in residual::words(gap) {
            texts += 1;
            digest.update(run.as_bytes());
            ctx.item(&crate::model::Item {
                text: &run,
                kind: crate::model::ItemKind::Text,
                hidden: true,
                part: PART,
                sheet: None,
                cell: None,
                detail: Some("text left in the WordDocument stream by a fast save"),
                doc: DocPlace::NONE,
            });
        }
    }
    if texts > 0 {
        ctx.report(
            "residual-data",
            Severity::High,
            true,
            ctx.loc(PART),
            format!(
                "the document was fast-saved ({} in a row), and the WordDocument stream keeps {} of earlier text the document no longer uses; a reader never sees it",
                plural(fib.quick_saves as u64, "quick save", "quick saves"),
                plural(texts, "run", "runs")
            ),
            &digest.hex(),
        );
    }
    Ok(())
}

/// The other table stream, when the file has both: Word alternates between `0Table` and
/// `1Table` on fast saves, and the one the FIB does not name is left from an earlier save
/// (style, font and bookmark names, and possibly authors and file paths).
fn stale_table(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    fib: &Fib,
    ledger: &mut Ledger,
) -> ScanResult<()> {
    let other = if fib.table1 { "0Table" } else { "1Table" };
    if !cf.has(other) {
        return Ok(());
    }
    let Some(bytes) = ctx.guard(other, |ctx| cf.read(other, ctx.limits.max_part_bytes))? else {
        ledger.mark(other, PartState::Unreadable);
        return Ok(());
    };
    ctx.charge_inflated(bytes.len() as u64)?;
    ledger.mark(other, PartState::Inspected);
    let (texts, digest) = unknown::scan_bytes(
        &bytes,
        other,
        "text of a table stream left by an earlier save",
        ctx,
    )?;
    if texts > 0 {
        ctx.report(
            "residual-data",
            Severity::Medium,
            true,
            ctx.loc(other),
            format!(
                "the table stream {other} is left from an earlier save (the document uses {}) and holds {}: style and font names, and possibly bookmarks, authors and file paths",
                fib.table_stream(),
                plural(texts, "piece of text", "pieces of text")
            ),
            &digest.hex(),
        );
    }
    Ok(())
}

/// Root storages whose name `matches`.
/// The `Macros` storage: Word's VBA project, copied out and decoded.
fn macros(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    streams: &[String],
    ledger: &mut Ledger,
) -> ScanResult<()> {
    let storages = root_storages(streams, |root, _| root.eq_ignore_ascii_case("Macros"));
    vba::inspect_storages(ctx, cf, storages, ledger)
}

/// `ObjectPool/_NNN` storages: embedded objects (workbooks, documents, packages), each
/// copied out as a compound file of its own and scanned like a file, placed at the
/// paragraph that anchors it.
fn objects(
    ctx: &mut Ctx<'_>,
    cf: &mut Compound<'_>,
    streams: &[String],
    anchors: &[(u32, DocPlace)],
    ledger: &mut Ledger,
) -> ScanResult<()> {
    let mut pool: Vec<String> = streams
        .iter()
        .filter_map(|s| {
            let (root, rest) = s.split_once('/')?;
            if !root.eq_ignore_ascii_case("ObjectPool") {
                return None;
            }
            let (object, _) = rest.split_once('/')?;
            Some(format!("{root}/{object}"))
        })
        .collect();
    pool.sort();
    pool.dedup();
    for storage in pool {
        let budget = ctx
            .remaining_inflate_budget()
            .min(ctx.limits.max_part_bytes);
        let Some(bytes) = ctx.guard(&storage, |_| cf.extract_storage(&storage, budget))? else {
            continue;
        };
        ctx.charge_inflated(bytes.len() as u64)?;
        let name = storage.rsplit('/').next().unwrap_or(&storage).to_string();
        let place = name
            .strip_prefix('_')
            .and_then(|n| n.parse::<u32>().ok())
            .and_then(|id| anchors.iter().find(|(a, _)| *a == id))
            .map_or(DocPlace::NONE, |(_, p)| *p);
        embedded::inspect_object_at(&name, &storage, &bytes, &place, ctx)?;
        for m in cf.streams_under(&storage) {
            ledger.mark(&m, PartState::Inspected);
        }
    }
    Ok(())
}
