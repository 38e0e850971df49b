//! Everything in a PDF besides the page content: annotations (notes, free text, ink, markup,
//! unapplied redactions), attachments, the Info dictionary and XMP, JavaScript, bookmarks,
//! form field values and optional content groups. Read through lopdf's object model; every
//! walk over the object graph is bounded (visited sets, depth and count caps) because a
//! hostile file can make it cyclic or endless.

use super::page::BBox;
use super::redaction::{BoxKind, Cover, DARK};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Location, Severity};
use crate::util::plural;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

/// Deepest chain of references, tree levels or nested arrays followed.
const MAX_DEPTH: usize = 64;
/// Most entries read from one name tree, outline or field tree.
const MAX_TREE_ENTRIES: usize = 100_000;

/// Follows references (a bounded number of hops).
pub fn resolve<'d>(doc: &'d Document, mut obj: &'d Object) -> Option<&'d Object> {
    for _ in 0..MAX_DEPTH {
        match obj {
            Object::Reference(id) => obj = doc.objects.get(id)?,
            other => return Some(other),
        }
    }
    None
}

pub fn dict<'d>(doc: &'d Document, obj: &'d Object) -> Option<&'d Dictionary> {
    match resolve(doc, obj)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn get<'d>(doc: &'d Document, d: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    resolve(doc, d.get(key).ok()?)
}

pub fn get_dict<'d>(doc: &'d Document, d: &'d Dictionary, key: &[u8]) -> Option<&'d Dictionary> {
    dict(doc, d.get(key).ok()?)
}

pub fn get_array<'d>(doc: &'d Document, d: &'d Dictionary, key: &[u8]) -> Option<&'d [Object]> {
    match get(doc, d, key)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

pub fn get_name<'d>(doc: &'d Document, d: &'d Dictionary, key: &[u8]) -> Option<&'d [u8]> {
    match get(doc, d, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

/// A text string (PDFDocEncoding, UTF-16 or UTF-8), or a stream's decoded bytes as text.
pub fn text(doc: &Document, obj: &Object, ctx: &mut Ctx<'_>) -> Option<String> {
    match resolve(doc, obj)? {
        o @ Object::String(..) => lopdf::decode_text_string(o).ok().or_else(|| {
            o.as_str()
                .ok()
                .map(|b| String::from_utf8_lossy(b).into_owned())
        }),
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        Object::Stream(s) => {
            let data = stream_data(s, ctx).ok()?;
            Some(String::from_utf8_lossy(&data).into_owned())
        }
        _ => None,
    }
}

fn get_text(doc: &Document, d: &Dictionary, key: &[u8], ctx: &mut Ctx<'_>) -> Option<String> {
    let t = text(doc, d.get(key).ok()?, ctx)?;
    (!t.trim().is_empty()).then_some(t)
}

/// A stream's decoded content, within the per-stream and per-file limits.
pub fn stream_data(s: &lopdf::Stream, ctx: &mut Ctx<'_>) -> ScanResult<Vec<u8>> {
    let cap = ctx
        .limits
        .max_pdf_stream_bytes
        .min(ctx.remaining_inflate_budget()) as usize;
    let limit = || {
        if cap as u64 == ctx.limits.max_pdf_stream_bytes {
            ctx.limits.the_limit("max_pdf_stream_bytes")
        } else {
            ctx.limits.the_limit("max_total_inflated")
        }
    };
    let data = if s.dict.get(b"Filter").is_ok() {
        s.decompressed_content_with_limit(cap)
            .map_err(|e| match e {
                lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                }) => ScanError::new(format!("a stream inflates past {}", limit())),
                e => ScanError::new(format!("a stream could not be decoded: {e}")),
            })?
    } else {
        if s.content.len() > cap {
            return Err(ScanError::new(format!(
                "a stream is larger than {}",
                limit()
            )));
        }
        s.content.clone()
    };
    ctx.charge_inflated(data.len() as u64)?;
    Ok(data)
}

/// Calls `f` for every (key, value) of a name tree, each node once.
pub fn name_tree<'d>(
    doc: &'d Document,
    root: &'d Dictionary,
    mut f: impl FnMut(&'d Object, &'d Object),
) {
    let mut seen: HashSet<*const Dictionary> = HashSet::new();
    let mut stack: Vec<(&Dictionary, usize)> = vec![(root, 0)];
    let mut entries = 0usize;
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH || !seen.insert(node as *const _) {
            continue;
        }
        if let Some(names) = get_array(doc, node, b"Names") {
            for pair in names.chunks(2) {
                if let [k, v] = pair {
                    entries += 1;
                    if entries > MAX_TREE_ENTRIES {
                        return;
                    }
                    f(k, v);
                }
            }
        }
        if let Some(kids) = get_array(doc, node, b"Kids") {
            for kid in kids {
                if let Some(d) = dict(doc, kid) {
                    stack.push((d, depth + 1));
                }
            }
        }
    }
}

fn item(ctx: &mut Ctx<'_>, text: &str, kind: ItemKind, hidden: bool, detail: &str, doc: DocPlace) {
    ctx.item(&Item {
        text,
        kind,
        hidden,
        part: "",
        sheet: None,
        cell: None,
        detail: Some(detail),
        doc,
    });
}

fn page_loc(ctx: &Ctx<'_>, page: u32, bbox: Option<BBox>) -> Location {
    Location {
        page: Some(page),
        bbox,
        ..ctx.loc_file()
    }
}

fn rect_of(doc: &Document, d: &Dictionary) -> Option<BBox> {
    let a = get_array(doc, d, b"Rect")?;
    let mut v = [0f32; 4];
    for (i, o) in a.iter().take(4).enumerate() {
        v[i] = resolve(doc, o)?.as_float().ok()?;
    }
    Some([
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ])
}

/// The boxes of `QuadPoints` (highlights and redactions mark several line pieces), or the Rect.
fn quads_of(doc: &Document, d: &Dictionary) -> Vec<BBox> {
    let mut out = Vec::new();
    if let Some(q) = get_array(doc, d, b"QuadPoints") {
        let nums: Vec<f32> = q
            .iter()
            .filter_map(|o| resolve(doc, o)?.as_float().ok())
            .collect();
        for c in nums.chunks(8).take(10_000) {
            if c.len() == 8 {
                let xs = [c[0], c[2], c[4], c[6]];
                let ys = [c[1], c[3], c[5], c[7]];
                out.push([
                    xs.iter().copied().fold(f32::MAX, f32::min),
                    ys.iter().copied().fold(f32::MAX, f32::min),
                    xs.iter().copied().fold(f32::MIN, f32::max),
                    ys.iter().copied().fold(f32::MIN, f32::max),
                ]);
            }
        }
    }
    if out.is_empty()
        && let Some(r) = rect_of(doc, d)
    {
        out.push(r);
    }
    out
}

/// Luminance of a colour array (gray, RGB or CMYK), if it is one.
fn colour_lum(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<f32> {
    let a = get_array(doc, d, key)?;
    let v: Vec<f32> = a
        .iter()
        .filter_map(|o| resolve(doc, o)?.as_float().ok())
        .collect();
    match v.as_slice() {
        [g] => Some(*g),
        [r, g, b] => Some(0.2126 * r + 0.7152 * g + 0.0722 * b),
        [c, m, y, k] => {
            let rgb = |x: f32| (1.0 - x) * (1.0 - k);
            Some(0.2126 * rgb(*c) + 0.7152 * rgb(*m) + 0.0722 * rgb(*y))
        }
        _ => None,
    }
}

/// Reads the annotations of one page: their text and authors go to the detectors, their
/// attachments are scanned, and the boxes that may hide text (unapplied redactions, dark
/// highlights or filled squares that have no appearance of their own) come back for the
/// page geometry.
pub fn annotations(
    doc: &Document,
    page_id: ObjectId,
    page_no: u32,
    ctx: &mut Ctx<'_>,
    state: &mut DocState,
) -> ScanResult<Vec<Cover>> {
    let mut covers = Vec::new();
    let Ok(page) = doc.get_dictionary(page_id) else {
        return Ok(covers);
    };
    let Some(annots) = get_array(doc, page, b"Annots") else {
        return Ok(covers);
    };
    let mut with_text = 0u64;
    let mut authors: Vec<String> = Vec::new();
    let mut bbox: Option<BBox> = None;
    let mut digest = crate::util::ContentDigest::default();
    for (i, a) in annots.iter().enumerate().take(100_000) {
        if i % 256 == 0 {
            ctx.check_time()?;
        }
        let Some(d) = dict(doc, a) else { continue };
        let subtype = get_name(doc, d, b"Subtype").unwrap_or_default();
        let place = DocPlace {
            page: Some(page_no),
            bbox: rect_of(doc, d),
            ..DocPlace::NONE
        };
        // JavaScript behind the annotation (links, form fields).
        for key in [&b"A"[..], b"AA"] {
            if let Ok(o) = d.get(key) {
                state.actions(doc, o, ctx, 0);
            }
        }
        match subtype {
            b"Popup" => continue,
            b"Link" => {
                if let Some(uri) =
                    get_dict(doc, d, b"A").and_then(|a| get_text(doc, a, b"URI", ctx))
                {
                    item(ctx, &uri, ItemKind::Text, false, "link", place);
                }
                continue;
            }
            b"Widget" => {
                continue;
            }
            b"FileAttachment" => {
                if let Ok(fs) = d.get(b"FS") {
                    state.attachment(doc, fs, ctx, Some(page_no))?;
                }
            }
            b"Redact" => {
                for b in quads_of(doc, d) {
                    covers.push(Cover {
                        bbox: b,
                        seq: u32::MAX,
                        lum: 0.0,
                        kind: BoxKind::RedactAnnot,
                    });
                }
                if let Some(t) = get_text(doc, d, b"OverlayText", ctx) {
                    item(
                        ctx,
                        &t,
                        ItemKind::Comment,
                        true,
                        "redaction overlay text",
                        place,
                    );
                }
            }
            b"Highlight" | b"Square" | b"Polygon" | b"Ink" => {
                // A viewer draws an annotation without an appearance from its colours; a
                // dark one over text is a black highlighter.
                let no_ap = get_dict(doc, d, b"AP").is_none();
                let lum = if subtype == b"Highlight" || subtype == b"Ink" {
                    colour_lum(doc, d, b"C")
                } else {
                    colour_lum(doc, d, b"IC")
                };
                if no_ap
                    && subtype != b"Ink"
                    && let Some(l) = lum.filter(|l| *l <= DARK)
                {
                    for b in quads_of(doc, d) {
                        covers.push(Cover {
                            bbox: b,
                            seq: u32::MAX,
                            lum: l,
                            kind: BoxKind::MarkupAnnot,
                        });
                    }
                }
            }
            _ => {}
        }
        let mut has_text = false;
        for (key, kind, detail) in [
            (&b"Contents"[..], ItemKind::Comment, "annotation text"),
            (b"RC", ItemKind::Comment, "annotation rich text"),
            (b"Subj", ItemKind::Comment, "annotation subject"),
            (b"T", ItemKind::Author, "annotation author"),
        ] {
            if let Some(t) = get_text(doc, d, key, ctx) {
                item(ctx, &t, kind, true, detail, place);
                digest.update(t.as_bytes());
                if kind == ItemKind::Author {
                    if !authors.contains(&t) {
                        authors.push(t);
                    }
                } else {
                    has_text = true;
                }
            }
        }
        if has_text {
            with_text += 1;
            if let Some(r) = place.bbox {
                bbox = Some(match bbox {
                    Some(b) => super::page::union(b, r),
                    None => r,
                });
            }
        }
    }
    if with_text > 0 || !authors.is_empty() {
        let mut message = format!(
            "page {page_no} has {} with text",
            plural(with_text, "annotation", "annotations")
        );
        if !authors.is_empty() {
            message.push_str(&format!(
                " by {}",
                plural(authors.len() as u64, "author", "authors")
            ));
        }
        ctx.report(
            "comment",
            if with_text > 0 {
                Severity::Medium
            } else {
                Severity::Low
            },
            true,
            page_loc(ctx, page_no, bbox),
            message,
            &digest.hex(),
        );
        if let Some(f) = ctx.findings.last_mut()
            && !authors.is_empty()
        {
            f.evidence = Some(authors.join("; "));
        }
    }
    Ok(covers)
}

/// Document-wide state gathered while objects are read: attachments seen (each scanned once)
/// and JavaScript found.
#[derive(Default)]
pub struct DocState {
    attachments_seen: HashSet<ObjectId>,
    attachment_names: HashSet<String>,
    actions_seen: HashSet<ObjectId>,
    pub scripts: u64,
    script_digest: crate::util::ContentDigest,
}

impl DocState {
    /// A file specification: its name and description are scanned, and its embedded file is
    /// reported and inspected with the module for its format.
    pub fn attachment(
        &mut self,
        doc: &Document,
        fs: &Object,
        ctx: &mut Ctx<'_>,
        page: Option<u32>,
    ) -> ScanResult<()> {
        if let Object::Reference(id) = fs
            && !self.attachments_seen.insert(*id)
        {
            return Ok(());
        }
        let Some(fs_dict) = dict(doc, fs) else {
            return Ok(());
        };
        let name = get_text(doc, fs_dict, b"UF", ctx)
            .or_else(|| get_text(doc, fs_dict, b"F", ctx))
            .unwrap_or_else(|| "attachment".to_string());
        let place = DocPlace {
            page,
            ..DocPlace::NONE
        };
        item(ctx, &name, ItemKind::Text, true, "attachment name", place);
        if let Some(desc) = get_text(doc, fs_dict, b"Desc", ctx) {
            item(
                ctx,
                &desc,
                ItemKind::Text,
                true,
                "attachment description",
                place,
            );
        }
        let Some(ef) = get_dict(doc, fs_dict, b"EF") else {
            return Ok(());
        };
        let stream_obj = ef.get(b"UF").or_else(|_| ef.get(b"F")).ok();
        if let Some(Object::Reference(id)) = stream_obj
            && !self.attachments_seen.insert(*id)
        {
            return Ok(());
        }
        let Some(Object::Stream(s)) = stream_obj.and_then(|o| resolve(doc, o)) else {
            return Ok(());
        };
        // Names are only a label in the container chain; keep them unique and short.
        let mut label: String = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&name)
            .chars()
            .take(120)
            .collect();
        if !self.attachment_names.insert(label.clone()) {
            label = format!("{label} ({})", self.attachment_names.len());
            self.attachment_names.insert(label.clone());
        }
        let part = match page {
            Some(p) => format!("page {p} attachment"),
            None => "EmbeddedFiles".to_string(),
        };
        let bytes = match stream_data(s, ctx) {
            Ok(b) => b,
            Err(e) => {
                let loc = ctx.loc(&part);
                ctx.unscannable(loc, &format!("attachment '{label}': {}", e.0));
                return Ok(());
            }
        };
        crate::formats::embedded::inspect_object(&label, &part, &bytes, ctx)
    }

    /// An action or additional-actions dictionary: JavaScript is counted and its code scanned;
    /// `/Next` chains are followed.
    pub fn actions(&mut self, doc: &Document, obj: &Object, ctx: &mut Ctx<'_>, depth: usize) {
        if depth > 16 {
            return;
        }
        if let Object::Reference(id) = obj
            && !self.actions_seen.insert(*id)
        {
            return;
        }
        let Some(d) = dict(doc, obj) else {
            if let Some(Object::Array(a)) = resolve(doc, obj) {
                for o in a.iter().take(1000) {
                    self.actions(doc, o, ctx, depth + 1);
                }
            }
            return;
        };
        if get_name(doc, d, b"S") == Some(b"JavaScript") {
            let code = d.get(b"JS").ok().and_then(|o| text(doc, o, ctx));
            self.script(code.as_deref().unwrap_or(""), ctx);
        } else if !d.has(b"S") {
            // An additional-actions dictionary: each value is an action.
            for (_, v) in d.iter().take(64) {
                self.actions(doc, v, ctx, depth + 1);
            }
        }
        if let Ok(next) = d.get(b"Next") {
            self.actions(doc, next, ctx, depth + 1);
        }
    }

    fn script(&mut self, code: &str, ctx: &mut Ctx<'_>) {
        self.scripts += 1;
        self.script_digest.update(code.as_bytes());
        item(
            ctx,
            code,
            ItemKind::Macro,
            true,
            "JavaScript",
            DocPlace::NONE,
        );
    }

    pub fn report_scripts(&self, ctx: &mut Ctx<'_>) {
        if self.scripts == 0 {
            return;
        }
        ctx.report(
            "macro",
            Severity::Medium,
            true,
            ctx.loc_file(),
            format!(
                "the PDF carries {} (run when it is opened or used)",
                plural(self.scripts, "JavaScript action", "JavaScript actions")
            ),
            &self.script_digest.hex(),
        );
    }
}

/// Document-level objects: attachments, JavaScript, bookmarks, form field values.
pub fn document_level(doc: &Document, ctx: &mut Ctx<'_>, state: &mut DocState) -> ScanResult<()> {
    let Ok(catalog) = doc.catalog() else {
        return Ok(());
    };
    if let Some(names) = get_dict(doc, catalog, b"Names") {
        if let Some(ef) = get_dict(doc, names, b"EmbeddedFiles") {
            let mut specs: Vec<&Object> = Vec::new();
            name_tree(doc, ef, |_, v| specs.push(v));
            for fs in specs {
                ctx.check_time()?;
                state.attachment(doc, fs, ctx, None)?;
            }
        }
        if let Some(js) = get_dict(doc, names, b"JavaScript") {
            let mut actions: Vec<&Object> = Vec::new();
            name_tree(doc, js, |_, v| actions.push(v));
            for a in actions {
                state.actions(doc, a, ctx, 0);
            }
        }
    }
    for key in [&b"OpenAction"[..], b"AA"] {
        if let Ok(o) = catalog.get(key) {
            state.actions(doc, o, ctx, 0);
        }
    }
    outlines(doc, catalog, ctx)?;
    form_fields(doc, catalog, ctx, state)?;
    Ok(())
}

/// Bookmark titles: a reader sees them in the navigation pane, and they name what the pages
/// once said.
fn outlines(doc: &Document, catalog: &Dictionary, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let Some(root) = get_dict(doc, catalog, b"Outlines") else {
        return Ok(());
    };
    let mut seen: HashSet<*const Dictionary> = HashSet::new();
    let mut stack: Vec<(&Dictionary, usize)> = Vec::new();
    if let Some(first) = get_dict(doc, root, b"First") {
        stack.push((first, 0));
    }
    let mut count = 0usize;
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH || !seen.insert(node as *const _) || count > MAX_TREE_ENTRIES {
            continue;
        }
        count += 1;
        if let Some(t) = get_text(doc, node, b"Title", ctx) {
            item(ctx, &t, ItemKind::Text, false, "bookmark", DocPlace::NONE);
        }
        if let Some(next) = get_dict(doc, node, b"Next") {
            stack.push((next, depth));
        }
        if let Some(first) = get_dict(doc, node, b"First") {
            stack.push((first, depth + 1));
        }
    }
    Ok(())
}

/// Form field names and values (a value can differ from what the field's appearance shows).
fn form_fields(
    doc: &Document,
    catalog: &Dictionary,
    ctx: &mut Ctx<'_>,
    state: &mut DocState,
) -> ScanResult<()> {
    let Some(form) = get_dict(doc, catalog, b"AcroForm") else {
        return Ok(());
    };
    let Some(fields) = get_array(doc, form, b"Fields") else {
        return Ok(());
    };
    let mut seen: HashSet<*const Dictionary> = HashSet::new();
    let mut stack: Vec<(&Dictionary, usize)> = fields
        .iter()
        .filter_map(|f| dict(doc, f))
        .map(|d| (d, 0))
        .collect();
    let mut count = 0usize;
    while let Some((f, depth)) = stack.pop() {
        if depth > MAX_DEPTH || !seen.insert(f as *const _) || count > MAX_TREE_ENTRIES {
            continue;
        }
        count += 1;
        if let Some(v) = get_text(doc, f, b"V", ctx) {
            item(
                ctx,
                &v,
                ItemKind::Text,
                false,
                "form field value",
                DocPlace::NONE,
            );
        }
        if let Some(t) = get_text(doc, f, b"TU", ctx) {
            item(
                ctx,
                &t,
                ItemKind::Text,
                false,
                "form field tooltip",
                DocPlace::NONE,
            );
        }
        if let Ok(aa) = f.get(b"AA") {
            state.actions(doc, aa, ctx, 0);
        }
        if let Some(kids) = get_array(doc, f, b"Kids") {
            stack.extend(
                kids.iter()
                    .filter_map(|k| dict(doc, k))
                    .map(|d| (d, depth + 1)),
            );
        }
    }
    Ok(())
}

/// Info dictionary and XMP metadata: each value is scanned; author, creator tool, original
/// file paths and custom keys are reported.
pub fn metadata(doc: &Document, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut evidence: Vec<String> = Vec::new();
    let mut digest = crate::util::ContentDigest::default();
    let note = |found: &mut Vec<&'static str>, label: &'static str| {
        if !found.contains(&label) {
            found.push(label);
        }
    };
    if let Some(info) = doc.trailer.get(b"Info").ok().and_then(|o| dict(doc, o)) {
        for (k, v) in info.iter().take(1000) {
            let Some(value) = text(doc, v, ctx).filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            let key = String::from_utf8_lossy(k).into_owned();
            let detail = format!("property {key}");
            item(
                ctx,
                &value,
                ItemKind::Property,
                true,
                &detail,
                DocPlace::NONE,
            );
            let label = match key.as_str() {
                "Author" => Some("author"),
                "Creator" => Some("creator tool"),
                "Producer" | "CreationDate" | "ModDate" | "Trapped" | "Title" | "Subject"
                | "Keywords" => None,
                _ => Some("custom properties"),
            };
            if let Some(l) = label {
                note(&mut found, l);
                digest.update(k);
                digest.update(value.as_bytes());
                if l == "author" {
                    evidence.push(value);
                }
            }
        }
    }
    if let Ok(catalog) = doc.catalog()
        && let Some(Object::Stream(s)) = get(doc, catalog, b"Metadata")
    {
        match stream_data(s, ctx) {
            Ok(xml) => {
                for (label, value) in xmp_values(&xml) {
                    let detail = format!("XMP {label}");
                    item(
                        ctx,
                        &value,
                        ItemKind::Property,
                        true,
                        &detail,
                        DocPlace::NONE,
                    );
                    let word = match label {
                        "creator" => Some("author"),
                        "CreatorTool" => Some("creator tool"),
                        "filePath" | "DerivedFrom" | "OriginalDocumentPath" => {
                            Some("the original file path")
                        }
                        "AuthorsPosition" | "CaptionWriter" | "LastModifiedBy" => Some("author"),
                        _ => None,
                    };
                    if let Some(w) = word {
                        note(&mut found, w);
                        digest.update(label.as_bytes());
                        digest.update(value.as_bytes());
                        if w == "author" && !evidence.contains(&value) {
                            evidence.push(value);
                        }
                    }
                }
            }
            Err(e) => {
                let loc = ctx.loc("XMP metadata");
                ctx.unscannable(loc, &e.0);
            }
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    ctx.report(
        "document-metadata",
        Severity::Low,
        true,
        ctx.loc_file(),
        format!("document properties record {}", found.join(", ")),
        &digest.hex(),
    );
    if let Some(f) = ctx.findings.last_mut()
        && !evidence.is_empty()
    {
        f.evidence = Some(evidence.join("; "));
    }
    Ok(())
}

/// The XMP elements worth reading, as (local name, text): `dc:creator` list items,
/// `xmp:CreatorTool`, paths of derived-from documents and any element whose text looks like a
/// file path. Streamed with quick-xml; a malformed packet yields what was read before the fault.
fn xmp_values(xml: &[u8]) -> Vec<(&'static str, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    let mut text = String::new();
    const WANTED: &[&str] = &[
        "creator",
        "CreatorTool",
        "filePath",
        "DerivedFrom",
        "OriginalDocumentPath",
        "AuthorsPosition",
        "CaptionWriter",
        "LastModifiedBy",
    ];
    let wanted_in = |stack: &[String]| -> Option<&'static str> {
        stack
            .iter()
            .rev()
            .find_map(|n| WANTED.iter().find(|w| **w == n.as_str()).copied())
    };
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_string();
                // Paths can also be attributes (stRef:filePath="...").
                for a in e.attributes().flatten() {
                    let k = a.key.local_name().as_ref().to_string();
                    if let Some(w) = WANTED.iter().find(|w| **w == k) {
                        out.push((*w, a.value.to_string()));
                    }
                }
                stack.push(name);
                text.clear();
            }
            Ok(Event::Empty(e)) => {
                for a in e.attributes().flatten() {
                    let k = a.key.local_name().as_ref().to_string();
                    if let Some(w) = WANTED.iter().find(|w| **w == k) {
                        out.push((*w, a.value.to_string()));
                    }
                }
            }
            Ok(Event::Text(t)) => {
                text.push_str(t.as_ref());
            }
            Ok(Event::End(_)) => {
                if !text.trim().is_empty()
                    && let Some(w) = wanted_in(&stack)
                {
                    out.push((w, text.trim().to_string()));
                }
                text.clear();
                stack.pop();
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        if out.len() > 10_000 || stack.len() > 256 {
            break;
        }
    }
    out
}

/// Optional content groups switched off in the default configuration: hidden layers.
/// Returns their names.
pub fn hidden_layers(doc: &Document, ctx: &mut Ctx<'_>) -> Vec<String> {
    let Ok(catalog) = doc.catalog() else {
        return Vec::new();
    };
    let Some(oc) = get_dict(doc, catalog, b"OCProperties") else {
        return Vec::new();
    };
    let Some(d) = get_dict(doc, oc, b"D") else {
        return Vec::new();
    };
    let all: Vec<ObjectId> = get_array(doc, oc, b"OCGs")
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    let on: Vec<ObjectId> = get_array(doc, d, b"ON")
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    let mut off: Vec<ObjectId> = get_array(doc, d, b"OFF")
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    if get_name(doc, d, b"BaseState") == Some(b"OFF") {
        off.extend(all.iter().filter(|id| !on.contains(id)));
    }
    off.sort_unstable();
    off.dedup();
    off.iter()
        .take(10_000)
        .map(|id| {
            doc.get_dictionary(*id)
                .ok()
                .and_then(|g| get_text(doc, g, b"Name", ctx))
                .unwrap_or_else(|| "unnamed layer".to_string())
        })
        .collect()
}
