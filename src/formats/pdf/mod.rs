//! PDF: the text on every page with its place and box, and every way a PDF keeps text a
//! reader does not see: text under black boxes (`fake-redaction`), invisible, white or
//! off-page text and hidden layers (`hidden-text`), earlier revisions kept below later edits
//! (`pdf-incremental-update`), annotations, attachments, metadata and JavaScript.
//!
//! Two readers serve: lopdf for the object graph (annotations, attachments, metadata,
//! revisions, encryption) and hayro-interpret for what the pages draw (glyphs, boxes, images,
//! in drawing order). Submodules:
//! - `structure`: opening, encryption, size bounds, revision boundaries;
//! - `page`: the drawing recorder; `lines`: glyphs into words and lines;
//! - `redaction`: who can see each glyph (boxes, order, colour, OCR layers);
//! - `objects`: annotations, attachments, metadata, JavaScript, bookmarks, forms, layers;
//! - `revisions`: the text of earlier revisions that later ones removed.

mod lines;
mod objects;
mod page;
mod redaction;
mod revisions;
mod structure;

use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Location, Severity};
use crate::util::{ContentDigest, plural, thousands};
use hayro_interpret::kurbo::{Affine, Rect};
use hayro_interpret::{Context, InterpreterCache, InterpreterSettings, RenderContent};
use hayro_syntax::Pdf;
use lines::Line;
use page::{BBox, PageCaps, PageRecord, Recorder};
use redaction::{BoxKind, Classified, Cover, Seen};
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

pub fn inspect(bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let doc = structure::open(bytes, ctx)?;
    structure::check_streams(&doc, ctx)?;
    let page_ids: Vec<lopdf::ObjectId> =
        doc.page_iter().take(ctx.limits.max_pdf_pages + 1).collect();
    if page_ids.len() > ctx.limits.max_pdf_pages {
        return Err(ScanError::new(format!(
            "the PDF has more pages than {}",
            ctx.limits.the_limit("max_pdf_pages")
        )));
    }

    objects::metadata(&doc, ctx)?;
    let mut state = objects::DocState::default();
    objects::document_level(&doc, ctx, &mut state)?;
    let mut annot_covers: Vec<Vec<Cover>> = Vec::with_capacity(page_ids.len());
    for (i, id) in page_ids.iter().enumerate() {
        annot_covers.push(objects::annotations(
            &doc,
            *id,
            i as u32 + 1,
            ctx,
            &mut state,
        )?);
    }
    state.report_scripts(ctx);

    let ends = structure::revision_ends(bytes, doc.linearization.is_some());
    let revisions = ends.len().max(doc.revision_count()).max(1);

    let pdf = open_pages(bytes.to_vec())?;
    // Fail closed on pages that cannot be found: every page object the page tree names must
    // exist and be drawn (a page listed twice is one page).
    let mut distinct: Vec<lopdf::ObjectId> = page_ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let missing = distinct
        .iter()
        .filter(|id| doc.get_dictionary(**id).is_err())
        .count();
    let declared = doc
        .catalog()
        .ok()
        .and_then(|c| objects::get_dict(&doc, c, b"Pages"))
        .and_then(|p| objects::get(&doc, p, b"Count"))
        .and_then(|c| c.as_i64().ok())
        .unwrap_or(0);
    let drawn = pdf.pages().len();
    if missing > 0 || drawn < distinct.len() - missing || (drawn == 0 && declared > 0) {
        return Err(ScanError::new(format!(
            "damaged PDF: its page tree names {} but only {} can be read",
            plural(
                distinct.len().max(declared.max(0) as usize) as u64,
                "page",
                "pages"
            ),
            thousands(drawn.min(distinct.len() - missing) as u64)
        )));
    }
    let mut words = (revisions > 1).then(HashSet::new);
    let extra = Extra {
        annot_covers: &annot_covers,
    };
    scan_pages(&pdf, &extra, ctx, words.as_mut())?;

    let layers = objects::hidden_layers(&doc, ctx);
    if !layers.is_empty() {
        hidden_layers(&doc, &pdf, &layers, ctx)?;
    }
    if revisions > 1 {
        revisions::inspect(bytes, &ends, revisions, &pdf, words.as_ref(), ctx)?;
    }
    Ok(())
}

/// Opens the page tree with hayro (an empty password decrypts what lopdf decrypted).
fn open_pages(bytes: Vec<u8>) -> ScanResult<Pdf> {
    Pdf::new(bytes).map_err(|e| match e {
        hayro_syntax::LoadPdfError::Decryption(_) => ScanError::new(
            "password-protected: the PDF needs a password to open, so its content cannot be checked",
        ),
        hayro_syntax::LoadPdfError::Invalid => {
            ScanError::new("damaged PDF: its pages cannot be read")
        }
    })
}

/// What the object pass adds to the page geometry.
struct Extra<'e> {
    annot_covers: &'e [Vec<Cover>],
}

fn caps(ctx: &Ctx<'_>) -> PageCaps {
    PageCaps {
        max_glyphs: ctx.limits.max_pdf_glyphs_per_page,
        max_fills: ctx.limits.max_pdf_fills_per_page,
    }
}

fn to_bbox(r: hayro_syntax::object::Rect) -> BBox {
    [
        r.x0.min(r.x1) as f32,
        r.y0.min(r.y1) as f32,
        r.x0.max(r.x1) as f32,
        r.y0.max(r.y1) as f32,
    ]
}

/// Runs one page through hayro into `rec`. A panic inside the interpreter is this page's
/// failure, never the file's pass.
fn record_page<'a>(
    pdf: &'a Pdf,
    page: &hayro_syntax::page::Page<'a>,
    cache: &InterpreterCache<'a>,
    rec: &mut PageRecord,
    caps: PageCaps,
    measure_images: bool,
    keep_scan: bool,
) -> Result<(), String> {
    let media = page.media_box();
    let page_box = Rect::new(media.x0, media.y0, media.x1, media.y1);
    let settings = InterpreterSettings {
        render_content: RenderContent::PAGE | RenderContent::ANNOTATIONS,
        ..InterpreterSettings::default()
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut context = Context::new(
            Affine::IDENTITY,
            Rect::new(-1e7, -1e7, 1e7, 1e7),
            cache,
            pdf.xref(),
            settings,
        );
        let mut recorder = Recorder::new(rec, caps, page_box);
        recorder.measure_images = measure_images;
        recorder.keep_scan = keep_scan;
        hayro_interpret::interpret_page(page, &mut context, &mut recorder);
    }));
    if result.is_err() {
        return Err("its content could not be interpreted".to_string());
    }
    if rec.over_cap {
        return Err(format!(
            "it draws more than {} glyphs or {} filled areas {}",
            thousands(caps.max_glyphs as u64),
            thousands(caps.max_fills as u64),
            "(limits.max_pdf_glyphs_per_page and limits.max_pdf_fills_per_page in foiguard.toml \
             raise them)"
        ));
    }
    Ok(())
}

/// Words (lower-case runs of letters and digits) of `text`, for comparing revisions.
fn add_words(text: &str, words: &mut HashSet<String>) {
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if !w.is_empty() && !words.contains(w) {
            words.insert(w.to_lowercase());
        }
    }
}

fn page_items(
    ctx: &mut Ctx<'_>,
    buf: &str,
    lines: &[Line],
    page_no: u32,
    hidden: bool,
    detail: Option<&str>,
    words: &mut Option<&mut HashSet<String>>,
) {
    for l in lines {
        let text = &buf[l.start..l.end];
        if let Some(w) = words.as_deref_mut() {
            add_words(text, w);
        }
        ctx.item(&Item {
            text,
            kind: ItemKind::Paragraph,
            hidden,
            part: "",
            sheet: None,
            cell: None,
            detail,
            doc: DocPlace {
                page: Some(page_no),
                bbox: Some(l.bbox),
                ..DocPlace::NONE
            },
        });
    }
}

fn has_data(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

fn union_all(lines: &[Line]) -> Option<BBox> {
    lines.iter().map(|l| l.bbox).reduce(page::union)
}

/// Scans every page: visible text to the detectors, hidden text to the detectors as hidden,
/// and the findings for boxes over text and text nobody sees.
fn scan_pages(
    pdf: &Pdf,
    extra: &Extra<'_>,
    ctx: &mut Ctx<'_>,
    mut words: Option<&mut HashSet<String>>,
) -> ScanResult<()> {
    let cache = InterpreterCache::new();
    let caps = caps(ctx);
    let mut rec = PageRecord::default();
    let mut seen = Classified::default();
    let mut buf = String::new();
    let mut lines: Vec<Line> = Vec::new();
    for (i, page) in pdf.pages().iter().enumerate() {
        ctx.check_time()?;
        let page_no = i as u32 + 1;
        if let Err(why) = record_page(pdf, page, &cache, &mut rec, caps, true, false) {
            let loc = Location {
                page: Some(page_no),
                ..ctx.loc_file()
            };
            ctx.unscannable(loc, &format!("page {page_no}: {why}"));
            continue;
        }
        let annots = extra
            .annot_covers
            .get(i)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let crop = to_bbox(page.intersected_crop_box());
        redaction::classify(&rec, annots, crop, &mut seen);
        // A scan: draw it again keeping the scan's pixels, to find boxes burnt into them.
        if seen.ocr && record_page(pdf, page, &cache, &mut rec, caps, true, true).is_ok() {
            redaction::classify(&rec, annots, crop, &mut seen);
        }

        // Visible text.
        buf.clear();
        lines.clear();
        lines::build(
            &rec.glyphs,
            |g| seen.seen[g] == Seen::Visible,
            &mut buf,
            &mut lines,
        );
        page_items(ctx, &buf, &lines, page_no, false, None, &mut words);

        // Text under boxes: one finding per box, with the masked text.
        let mut boxes: Vec<u32> = seen
            .seen
            .iter()
            .filter_map(|s| match s {
                Seen::UnderBox(c) => Some(*c),
                _ => None,
            })
            .collect();
        boxes.sort_unstable();
        boxes.dedup();
        let mut candidates: Vec<(Cover, String, bool)> = Vec::new();
        for ci in boxes {
            buf.clear();
            lines.clear();
            lines::build(
                &rec.glyphs,
                |g| seen.seen[g] == Seen::UnderBox(ci),
                &mut buf,
                &mut lines,
            );
            let cover = seen.covers[ci as usize];
            let detail = if cover.kind == BoxKind::RedactAnnot {
                "text under an unapplied redaction"
            } else {
                "text under a black box"
            };
            page_items(ctx, &buf, &lines, page_no, true, Some(detail), &mut words);
            let masked: Vec<&str> = lines.iter().map(|l| &buf[l.start..l.end]).collect();
            let masked = masked.join(" ");
            if redaction::harmless_under_box(&masked) {
                continue;
            }
            let ocr = seen.ocr
                && rec
                    .glyphs
                    .iter()
                    .zip(&seen.seen)
                    .any(|(g, s)| *s == Seen::UnderBox(ci) && g.ink == page::Ink::Invisible);
            candidates.push((cover, masked, ocr));
        }
        // The same date written into several boxes is the redaction tool's stamp (x-ray's
        // "all dates" rule, narrowed so that one date of birth under a box still counts).
        let stamp = |m: &str| {
            redaction::is_date(m) && candidates.iter().filter(|(_, o, _)| o == m).count() >= 2
        };
        for (cover, masked, ocr) in &candidates {
            if !stamp(masked) {
                report_fake(ctx, page_no, cover, masked, *ocr);
            }
        }

        // Text nobody sees.
        for (class, detail, what) in [
            (
                Seen::Invisible,
                "invisible text",
                "invisible text (render mode 3 or 7)",
            ),
            (
                Seen::WhiteOnWhite,
                "white text on a white page",
                "white text on a white background",
            ),
            (
                Seen::WhitedOut,
                "text under a white box",
                "text covered by a white box drawn over it",
            ),
            (
                Seen::OffPage,
                "text outside the visible page",
                "text outside the page's visible area",
            ),
        ] {
            buf.clear();
            lines.clear();
            lines::build(&rec.glyphs, |g| seen.seen[g] == class, &mut buf, &mut lines);
            if lines.is_empty() {
                continue;
            }
            page_items(ctx, &buf, &lines, page_no, true, Some(detail), &mut words);
            report_hidden(ctx, page_no, &buf, &lines, what);
        }
    }
    Ok(())
}

fn report_fake(ctx: &mut Ctx<'_>, page_no: u32, cover: &Cover, masked: &str, ocr: bool) {
    let chars = masked.chars().filter(|c| c.is_alphanumeric()).count() as u64;
    let words = masked
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count() as u64;
    let amount = format!(
        "{} ({})",
        plural(words, "word", "words"),
        plural(chars, "letter or digit", "letters or digits")
    );
    let message = match (cover.kind, ocr) {
        (_, true) => format!(
            "a black box on the scanned page hides {amount} that the page's OCR text layer still holds"
        ),
        (BoxKind::RedactAnnot, _) => format!(
            "a redaction was marked but never applied: {amount} under it are still in the file"
        ),
        (BoxKind::MarkupAnnot, _) => {
            format!("a dark highlight annotation is drawn over {amount} that are still in the file")
        }
        (BoxKind::Image, _) => format!(
            "a dark image is placed over {amount} that are still in the file and can be copied out"
        ),
        (BoxKind::Fill, _) => format!(
            "a black box is drawn over {amount} that are still in the file and can be copied out"
        ),
    };
    let mut digest = ContentDigest::default();
    digest.update(masked.as_bytes());
    let loc = Location {
        page: Some(page_no),
        bbox: Some(cover.bbox),
        ..ctx.loc_file()
    };
    ctx.report(
        "fake-redaction",
        Severity::Critical,
        true,
        loc,
        message,
        &digest.hex(),
    );
    if let Some(f) = ctx.findings.last_mut() {
        f.evidence = Some(masked.to_string());
    }
}

fn report_hidden(ctx: &mut Ctx<'_>, page_no: u32, buf: &str, lines: &[Line], what: &str) {
    // Leader dots and spacing are not content: count the lines that hold letters or digits.
    let lines: Vec<Line> = lines
        .iter()
        .filter(|l| has_data(&buf[l.start..l.end]))
        .copied()
        .collect();
    if lines.is_empty() {
        return;
    }
    let text: String = lines
        .iter()
        .map(|l| &buf[l.start..l.end])
        .collect::<Vec<_>>()
        .join("\n");
    let lines = lines.as_slice();
    let chars = text.chars().filter(|c| c.is_alphanumeric()).count() as u64;
    let mut digest = ContentDigest::default();
    digest.update(text.as_bytes());
    let loc = Location {
        page: Some(page_no),
        bbox: union_all(lines),
        ..ctx.loc_file()
    };
    ctx.report(
        "hidden-text",
        Severity::High,
        true,
        loc,
        format!(
            "page {page_no} holds {} ({}) of {what}",
            plural(lines.len() as u64, "line", "lines"),
            plural(chars, "letter or digit", "letters or digits")
        ),
        &digest.hex(),
    );
}

/// Optional content switched off in the default view: the layers' text is scanned as hidden.
/// hayro draws only visible layers, so the pages are drawn again from a copy in which every
/// layer is on; what the second drawing adds is the hidden layers' text.
fn hidden_layers(
    doc: &lopdf::Document,
    pdf: &Pdf,
    layers: &[String],
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut all_on = doc.clone();
    let switched = all_on
        .catalog_mut()
        .ok()
        .and_then(|c| c.get_mut(b"OCProperties").ok())
        .and_then(|o| match o {
            lopdf::Object::Dictionary(d) => Some(d),
            _ => None,
        })
        .map(|d| {
            let mut config = lopdf::Dictionary::new();
            config.set("BaseState", lopdf::Object::Name(b"ON".to_vec()));
            d.set("D", lopdf::Object::Dictionary(config));
        })
        .is_some();
    let mut bytes = Vec::new();
    let reopened = if switched && all_on.save_to(&mut bytes).is_ok() {
        Pdf::new(bytes).ok()
    } else {
        None
    };
    let Some(on) = reopened else {
        let loc = ctx.loc_file();
        ctx.unscannable(loc, "the text of its hidden layers could not be read");
        return Ok(());
    };
    let cache_a = InterpreterCache::new();
    let cache_b = InterpreterCache::new();
    let caps = caps(ctx);
    let mut rec_a = PageRecord::default();
    let mut rec_b = PageRecord::default();
    let mut buf = String::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut total_lines = 0u64;
    let mut digest = ContentDigest::default();
    let mut first_page = None;
    for (i, (pa, pb)) in pdf.pages().iter().zip(on.pages().iter()).enumerate() {
        ctx.check_time()?;
        let page_no = i as u32 + 1;
        if record_page(pdf, pa, &cache_a, &mut rec_a, caps, false, false).is_err()
            || record_page(&on, pb, &cache_b, &mut rec_b, caps, false, false).is_err()
        {
            continue;
        }
        if rec_b.glyphs.len() == rec_a.glyphs.len() {
            continue;
        }
        // Glyphs of the all-layers drawing that the default drawing does not have.
        let mut shown: HashSet<(char, i32, i32)> = HashSet::new();
        for g in &rec_a.glyphs {
            shown.insert((g.ch, g.origin[0].round() as i32, g.origin[1].round() as i32));
        }
        buf.clear();
        lines.clear();
        lines::build(
            &rec_b.glyphs,
            |k| {
                let g = &rec_b.glyphs[k];
                !shown.contains(&(g.ch, g.origin[0].round() as i32, g.origin[1].round() as i32))
            },
            &mut buf,
            &mut lines,
        );
        if lines.is_empty() {
            continue;
        }
        page_items(
            ctx,
            &buf,
            &lines,
            page_no,
            true,
            Some("text on a hidden layer"),
            &mut None,
        );
        total_lines += lines.len() as u64;
        digest.update(buf.as_bytes());
        first_page.get_or_insert(page_no);
    }
    let with_text = total_lines > 0;
    ctx.report(
        "hidden-text",
        if with_text {
            Severity::High
        } else {
            Severity::Info
        },
        true,
        Location {
            page: first_page,
            ..ctx.loc_file()
        },
        if with_text {
            format!(
                "{} switched off in the default view ({}) hold {} of text",
                plural(layers.len() as u64, "layer", "layers"),
                crate::util::shorten(&layers.iter().map(String::as_str).collect::<Vec<_>>(), 3),
                plural(total_lines, "line", "lines")
            )
        } else {
            format!(
                "{} switched off in the default view, with no text",
                plural(layers.len() as u64, "layer", "layers")
            )
        },
        &digest.hex(),
    );
    Ok(())
}
