//! Incremental updates: a PDF saved "incrementally" keeps every earlier revision in the file,
//! and a viewer can be made to show it again. That is how a redaction gets undone: the names
//! removed by the last save are still in the bytes before it.
//!
//! Each earlier revision is the file cut at the `%%EOF` that ended it, so it is opened and its
//! pages drawn like any PDF. Every line of an earlier revision that holds a word the final
//! revision no longer has anywhere is text a later revision removed: it goes to the detectors
//! as hidden text, and the finding is `high`. Updates that remove no text (a signature, a
//! form fill, an added annotation) are `info`.

use super::lines::{self, Line};
use super::page::PageRecord;
use super::{caps, open_pages, record_page};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Location, Severity};
use crate::util::{ContentDigest, plural, thousands};
use hayro_interpret::InterpreterCache;
use hayro_syntax::Pdf;
use std::collections::HashSet;

pub fn inspect(
    bytes: &[u8],
    ends: &[usize],
    revisions: usize,
    final_pdf: &Pdf,
    final_words: Option<&HashSet<String>>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let earlier = &ends[..ends.len().saturating_sub(1)];
    if earlier.len() > ctx.limits.max_pdf_revisions {
        return Err(ScanError::new(format!(
            "the PDF has {} revisions, more than the {} whose text can be rebuilt {}",
            thousands(revisions as u64),
            ctx.limits.max_pdf_revisions,
            crate::limits::raise("max_pdf_revisions")
        )));
    }
    let empty = HashSet::new();
    let final_words = final_words.unwrap_or(&empty);
    let caps = caps(ctx);
    let mut rec = PageRecord::default();
    let mut buf = String::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut reported: HashSet<String> = HashSet::new();
    let mut removed_lines = 0u64;
    let mut removed_words = 0u64;
    let mut digest = ContentDigest::default();
    let mut first: Option<(u32, [f32; 4])> = None;
    for (k, &end) in earlier.iter().enumerate() {
        ctx.check_time()?;
        let Some(prefix) = bytes.get(..end) else {
            continue;
        };
        let old = match open_pages(prefix.to_vec()) {
            Ok(p) => p,
            Err(e) => {
                let loc = ctx.loc_file();
                ctx.unscannable(
                    loc,
                    &format!(
                        "earlier revision {} of {revisions} cannot be read: {}",
                        k + 1,
                        e.0
                    ),
                );
                continue;
            }
        };
        let cache = InterpreterCache::new();
        for (i, page) in old.pages().iter().enumerate() {
            ctx.check_time()?;
            let page_no = i as u32 + 1;
            // A page whose content did not change has no text of its own to lose.
            if let Some(now) = final_pdf.pages().get(i)
                && now.page_stream().is_some()
                && now.page_stream() == page.page_stream()
            {
                continue;
            }
            if let Err(why) = record_page(&old, page, &cache, &mut rec, caps, false, false) {
                let loc = Location {
                    page: Some(page_no),
                    ..ctx.loc_file()
                };
                ctx.unscannable(
                    loc,
                    &format!("page {page_no} of earlier revision {}: {why}", k + 1),
                );
                continue;
            }
            buf.clear();
            lines.clear();
            lines::build(&rec.glyphs, |_| true, &mut buf, &mut lines);
            for l in &lines {
                let text = &buf[l.start..l.end];
                let gone = text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty() && !final_words.contains(&w.to_lowercase()))
                    .count() as u64;
                if gone == 0 || !reported.insert(text.to_string()) {
                    continue;
                }
                removed_lines += 1;
                removed_words += gone;
                digest.update(text.as_bytes());
                first.get_or_insert((page_no, l.bbox));
                ctx.item(&Item {
                    text,
                    kind: ItemKind::Paragraph,
                    hidden: true,
                    part: "",
                    sheet: None,
                    cell: None,
                    detail: Some("text a later revision removed"),
                    doc: DocPlace {
                        page: Some(page_no),
                        bbox: Some(l.bbox),
                        ..DocPlace::NONE
                    },
                });
            }
        }
    }
    let updates = revisions - 1;
    let (severity, message, loc) = if removed_lines > 0 {
        let (page, bbox) = first.unwrap_or((1, [0.0; 4]));
        (
            Severity::High,
            format!(
                "the file keeps {} below {}: {} ({}) of page text that later revisions removed can be read back",
                plural(
                    earlier.len() as u64,
                    "earlier revision",
                    "earlier revisions"
                ),
                plural(updates as u64, "incremental update", "incremental updates"),
                plural(removed_lines, "line", "lines"),
                plural(removed_words, "word", "words"),
            ),
            Location {
                page: Some(page),
                bbox: Some(bbox),
                ..ctx.loc_file()
            },
        )
    } else {
        (
            Severity::Info,
            format!(
                "the file has {}; later revisions removed no page text (for example a signature, a form fill or an added note)",
                plural(revisions as u64, "revision", "revisions")
            ),
            ctx.loc_file(),
        )
    };
    digest.update(format!("{revisions}").as_bytes());
    ctx.report(
        "pdf-incremental-update",
        severity,
        true,
        loc,
        message,
        &digest.hex(),
    );
    Ok(())
}
