//! The text flow shared by every ODF document: paragraphs and headings with their spans,
//! tables, sections, lists, notes, annotations, frames and shapes, fields and tracked
//! changes. One walker reads it from the XML stream, element by element, and decides for
//! each run of text whether a reader sees it:
//! - hidden: `text:display="none"` styles, hidden sections and paragraphs, hidden-text
//!   and conditional-text fields, hidden shapes and layers;
//! - disguised: coloured like what is behind it, or 1 pt or smaller;
//! - under a fake redaction: black highlight or shading, or coloured like its highlight.
//!
//! Writer (odt), Impress (odp) and Calc (ods, for cell text and comments) all feed their
//! elements through the same walker, so a run of white text is judged the same way in a
//! letter, on a slide or in a spreadsheet comment.
//!
//! Submodules: `look` (what a run looks like, and the class that gives), `changes`
//! (tracked changes), `shapes` (frames, shapes and embedded objects). Recursion into
//! sections, tables, notes and frames is bounded (`MAX_NESTING`, shared with documents
//! embedded inline), so hostile nesting ends in `unscannable`, not a stack overflow.

use super::styles::{Styles, WHITE};
use super::{Elem, collect_text, skip};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Story};
use crate::util::ContentDigest;
use crate::xml::{XmlReader, local_end, push_text};
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::BufRead;

mod changes;
mod look;
mod shapes;

pub use changes::Changes;
pub use look::{Class, Disguise, Fake, Ground, Hide, RunFx};
use shapes::is_shape;
pub use shapes::{ObjectRef, Pending, Shape};

/// Deepest nesting of sections, tables, frames and notes followed.
const MAX_NESTING: u32 = 200;
/// Paragraph numbers kept per finding for its message.
pub(super) const MAX_LISTED: usize = 6;

/// Which application's document is walked: places are written differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Text,
    Spreadsheet,
    Presentation,
}

/// Where text of the current story goes, and what kind of item it is.
#[derive(Debug, Clone, Copy)]
struct StoryCtx {
    story: Story,
    kind: ItemKind,
    /// A reader never sees the story in the normal view (comments, speaker notes).
    hidden: bool,
    detail: Option<&'static str>,
}

/// Where the visible text of a paragraph goes.
pub enum Sink<'b> {
    /// One item per paragraph.
    Emit,
    /// Appended to a buffer (a table cell or spreadsheet cell), paragraphs on new lines.
    Collect(&'b mut String),
}

/// Passages of one rule in one story, folded into one finding.
#[derive(Debug, Default)]
pub struct Passages {
    pub story: Option<Story>,
    pub count: u64,
    pub reasons: BTreeSet<&'static str>,
    pub first: DocPlace,
    pub first_cell: Option<(u32, u32)>,
    pub paragraphs: Vec<u32>,
    pub slides: BTreeSet<u32>,
    pub digest: ContentDigest,
    pub part: String,
}

/// Comments of one sheet (spreadsheets) or of the whole document.
#[derive(Debug, Default)]
pub struct Comments {
    pub count: u64,
    pub replies: u64,
    pub authors: BTreeSet<String>,
    pub first: DocPlace,
    pub first_cell: Option<(u32, u32)>,
    pub slides: BTreeSet<u32>,
    pub digest: ContentDigest,
    pub part: String,
}

/// Everything the walk found that becomes a structural finding.
#[derive(Debug, Default)]
pub struct Found {
    /// (rule, sheet, story name) → passages.
    pub passages: BTreeMap<(&'static str, Option<String>, &'static str), Passages>,
    pub empty_hidden_sections: u64,
    /// Sheet (spreadsheets; `None` elsewhere) → comments.
    pub comments: BTreeMap<Option<String>, Comments>,
    pub changes: Changes,
    pub objects: Vec<ObjectRef>,
    /// Dark filled shapes in a text document, which may sit over text.
    pub dark_boxes: Passages,
    /// Script fields (`text:script`) and their code.
    pub script_fields: u64,
}

/// Reads one document flow and sends its text to the detectors.
pub struct Walker<'s> {
    pub styles: &'s Styles,
    pub part: String,
    pub mode: Mode,
    pub sheet: Option<String>,
    pub cell: Option<(u32, u32)>,
    pub slide: Option<u32>,
    pub found: Found,
    /// When set, items wait here (a slide being read) instead of going to the detectors.
    pub pending: Option<Vec<Pending>>,
    /// Shapes of the slide being read (presentations).
    pub shapes: Vec<Shape>,
    /// Whether shapes are recorded (presentations).
    pub track_shapes: bool,
    paragraphs: HashMap<(Option<u32>, Story), u32>,
    tables: HashMap<(Option<u32>, Story), u32>,
    stories: Vec<StoryCtx>,
    hides: Vec<Hide>,
    grounds: Vec<Ground>,
    shape_stack: Vec<u32>,
    table_now: Option<u32>,
    /// Texts seen inside the hidden section being read (to tell empty ones apart).
    section_texts: Vec<u64>,
    nesting: u32,
    events: u64,
    /// Deletions whose text is being read in the flow (their `text:change-start` seen).
    open_deletions: Vec<String>,
    /// Nested flat documents met while walking (`draw:object` with an inline document).
    pub nested_docs: u32,
}

impl<'s> Walker<'s> {
    pub fn new(styles: &'s Styles, part: &str, mode: Mode) -> Self {
        Walker {
            styles,
            part: part.to_string(),
            mode,
            sheet: None,
            cell: None,
            slide: None,
            found: Found::default(),
            pending: None,
            shapes: Vec::new(),
            track_shapes: false,
            paragraphs: HashMap::new(),
            tables: HashMap::new(),
            stories: vec![StoryCtx {
                story: Story::Body,
                kind: if mode == Mode::Spreadsheet {
                    ItemKind::Cell
                } else {
                    ItemKind::Paragraph
                },
                hidden: false,
                detail: None,
            }],
            hides: Vec::new(),
            grounds: vec![Ground::Colour(WHITE)],
            shape_stack: Vec::new(),
            table_now: None,
            section_texts: Vec::new(),
            nesting: 0,
            events: 0,
            open_deletions: Vec::new(),
            nested_docs: 0,
        }
    }

    /// Starts the walker `levels` deep: a document embedded inline in another one shares
    /// its host's nesting budget, so a chain of embedded documents cannot exhaust the stack.
    pub fn nested_in(mut self, levels: u32) -> Self {
        self.nesting = levels;
        self
    }

    fn story(&self) -> StoryCtx {
        *self.stories.last().unwrap_or(&StoryCtx {
            story: Story::Body,
            kind: ItemKind::Paragraph,
            hidden: false,
            detail: None,
        })
    }

    /// Starts a story of its own (headers, footers, notes pages, comments).
    pub fn push_story(&mut self, story: Story, hidden: bool) {
        let kind = match story {
            Story::Comment => ItemKind::Comment,
            Story::Notes => ItemKind::Notes,
            _ if self.mode == Mode::Spreadsheet => ItemKind::Text,
            _ => ItemKind::Paragraph,
        };
        let detail = match story {
            Story::Comment => Some("comment"),
            Story::Header => Some("header"),
            Story::Footer => Some("footer"),
            _ => None,
        };
        self.stories.push(StoryCtx {
            story,
            kind,
            hidden,
            detail,
        });
    }

    pub fn pop_story(&mut self) {
        if self.stories.len() > 1 {
            self.stories.pop();
        }
    }

    pub fn push_hide(&mut self, h: Hide) {
        self.hides.push(h);
    }

    pub fn pop_hide(&mut self) {
        self.hides.pop();
    }

    pub fn hidden_now(&self) -> bool {
        !self.hides.is_empty() || self.story().hidden
    }

    pub fn push_ground(&mut self, g: Ground) {
        self.grounds.push(g);
    }

    pub fn pop_ground(&mut self) {
        if self.grounds.len() > 1 {
            self.grounds.pop();
        }
    }

    fn ground(&self) -> Ground {
        *self.grounds.last().unwrap_or(&Ground::Colour(WHITE))
    }

    /// The place of the next paragraph of the current story.
    fn next_paragraph(&mut self) -> u32 {
        let key = (self.slide, self.story().story);
        let n = self.paragraphs.entry(key).or_insert(0);
        *n = n.saturating_add(1);
        *n
    }

    /// The place of paragraph `n` of the current story (empty in spreadsheets, whose
    /// places are cells).
    pub fn place(&self, paragraph: Option<u32>) -> DocPlace {
        if self.mode == Mode::Spreadsheet {
            return DocPlace::NONE;
        }
        DocPlace {
            slide: self.slide,
            story: Some(self.story().story),
            paragraph,
            ..DocPlace::NONE
        }
    }

    fn current_paragraph(&self) -> Option<u32> {
        self.paragraphs
            .get(&(self.slide, self.story().story))
            .copied()
            .filter(|n| *n > 0)
    }

    /// Sends one text to the detectors (or holds it while a slide is read).
    #[allow(clippy::too_many_arguments)]
    pub fn emit(
        &mut self,
        ctx: &mut Ctx<'_>,
        text: &str,
        kind: ItemKind,
        hidden: bool,
        detail: Option<&str>,
        doc: DocPlace,
        cell: Option<(u32, u32)>,
    ) {
        if text.trim().is_empty() {
            return;
        }
        if let Some(s) = self.section_texts.last_mut() {
            *s += 1;
        }
        let cell = cell.or(self.cell);
        if let Some(buf) = &mut self.pending {
            buf.push(Pending {
                text: text.to_string(),
                kind,
                hidden,
                detail: detail.map(str::to_string),
                doc,
                cell,
                shape: self.shape_stack.last().copied(),
            });
            if !hidden
                && let Some(&id) = self.shape_stack.last()
                && let Some(s) = self.shapes.get_mut(id as usize)
            {
                s.has_text = true;
            }
            return;
        }
        ctx.item(&Item {
            text,
            kind,
            hidden,
            part: &self.part,
            sheet: self.sheet.as_deref(),
            cell,
            detail,
            doc,
        });
    }

    /// A passage a reader does not see, reported under its class's rule.
    fn passage(&mut self, ctx: &mut Ctx<'_>, class: Class, text: &str, doc: DocPlace) {
        let Some((rule, reason)) = class.rule() else {
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        let st = self.story();
        let kind = if st.kind == ItemKind::Cell {
            ItemKind::Cell
        } else {
            st.kind
        };
        self.emit(ctx, text, kind, true, Some(class.noun()), doc, None);
        // In a story nobody sees anyway (a comment), the story's own finding covers it.
        if st.hidden {
            return;
        }
        let key = (rule, self.sheet.clone(), st.story.as_str());
        let slide = self.slide;
        let cell = self.cell;
        let part = self.part.clone();
        let p = self.found.passages.entry(key).or_default();
        if p.count == 0 {
            p.story = Some(st.story);
            p.first = doc;
            p.first_cell = cell;
            p.part = part;
        }
        p.count += 1;
        p.reasons.insert(reason);
        if let Some(n) = doc.paragraph
            && p.paragraphs.len() < MAX_LISTED
            && p.paragraphs.last() != Some(&n)
        {
            p.paragraphs.push(n);
        }
        if let Some(s) = slide {
            p.slides.insert(s);
        }
        p.digest.update(text.as_bytes());
    }

    fn guard_nesting(&mut self) -> ScanResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(ScanError::new(format!(
                "{}: elements nested deeper than {MAX_NESTING} levels",
                self.part
            )));
        }
        Ok(())
    }

    fn tick(&mut self, ctx: &Ctx<'_>) -> ScanResult<()> {
        self.events += 1;
        if self.events.is_multiple_of(4096) {
            ctx.check_time()?;
        }
        Ok(())
    }

    /// Reads the content of a block container (the body, a section, a cell, a note, a
    /// frame...) whose start tag was just read, up to its end tag.
    pub fn block<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        sink: &mut Sink<'_>,
    ) -> ScanResult<()> {
        self.guard_nesting()?;
        let out = self.block_inner(xml, ctx, sink);
        self.nesting -= 1;
        out
    }

    fn block_inner<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        sink: &mut Sink<'_>,
    ) -> ScanResult<()> {
        let mut depth = 0u32;
        let mut stray = String::new();
        loop {
            self.tick(ctx)?;
            let ev = xml.next_event()?;
            let (elem, empty) = match &ev {
                Event::Start(e) => (Elem::read(e), false),
                Event::Empty(e) => (Elem::read(e), true),
                Event::End(_) => {
                    self.flush_stray(ctx, &mut stray);
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    continue;
                }
                Event::Eof => return Ok(()),
                other => {
                    push_text(other, &mut stray);
                    continue;
                }
            };
            drop(ev);
            self.flush_stray(ctx, &mut stray);
            if !self.element(xml, ctx, &elem, empty, sink)? && !empty {
                depth += 1;
            }
        }
    }

    fn flush_stray(&mut self, ctx: &mut Ctx<'_>, stray: &mut String) {
        if !stray.trim().is_empty() {
            let st = self.story();
            let hidden = self.hidden_now();
            let doc = self.place(self.current_paragraph());
            self.emit(ctx, stray, ItemKind::Text, hidden, st.detail, doc, None);
        }
        stray.clear();
    }

    /// Handles one element of a block container. Returns true when it consumed the
    /// element's content (and end tag); false leaves the element open, so its children
    /// are read as part of the container (lists, list items, index bodies...).
    fn element<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        e: &Elem,
        empty: bool,
        sink: &mut Sink<'_>,
    ) -> ScanResult<bool> {
        match e.local() {
            "p" | "h" => {
                self.paragraph(xml, ctx, e, empty, sink)?;
                Ok(true)
            }
            "table" if e.prefix() == "table" => {
                if !empty {
                    self.table(xml, ctx)?;
                }
                Ok(true)
            }
            "section" => {
                self.section(xml, ctx, e, empty, sink)?;
                Ok(true)
            }
            "annotation" => {
                self.annotation(xml, ctx, e, empty)?;
                Ok(true)
            }
            "note" => {
                self.note(xml, ctx, e, empty)?;
                Ok(true)
            }
            "tracked-changes" => {
                if !empty {
                    self.tracked_changes(xml, ctx, e)?;
                } else {
                    self.found.changes.tracking_on |= e.get("track-changes") != Some("false");
                }
                Ok(true)
            }
            "user-field-decl" | "variable-decl" => {
                // A field's stored value: shown only where the field is used, if anywhere.
                if let Some(v) = e.get("string-value") {
                    let detail = Some("field declaration");
                    self.emit(ctx, v, ItemKind::Text, true, detail, DocPlace::NONE, None);
                }
                if !empty {
                    skip(xml)?;
                }
                Ok(true)
            }
            "creator" => {
                // The author of an annotation or a tracked change.
                if !empty {
                    let who = collect_text(xml, ctx)?;
                    self.author(ctx, &who, "comment author");
                }
                Ok(true)
            }
            "forms" if e.prefix() == "office" => {
                if !empty {
                    self.form_controls(xml, ctx)?;
                }
                Ok(true)
            }
            "date" | "date-string" | "binary-data" | "enhanced-geometry" | "event-listeners"
            | "glue-point" | "contour-polygon" | "contour-path" | "page-thumbnail"
            | "sequence-decls" | "animations" | "par" | "seq" => {
                if !empty {
                    skip(xml)?;
                }
                Ok(true)
            }
            name if name.ends_with("-source") && e.prefix() == "text" => {
                // Index templates (table of contents, bibliography): never shown as such.
                if !empty {
                    let t = collect_text(xml, ctx)?;
                    let doc = self.place(None);
                    self.emit(
                        ctx,
                        &t,
                        ItemKind::Text,
                        true,
                        Some("index template"),
                        doc,
                        None,
                    );
                }
                Ok(true)
            }
            _ if is_shape(e) => {
                self.shape(xml, ctx, e, empty)?;
                Ok(true)
            }
            "title" | "desc" if e.prefix() == "svg" => {
                if !empty {
                    let t = collect_text(xml, ctx)?;
                    let doc = self.place(self.current_paragraph());
                    self.emit(ctx, &t, ItemKind::Text, true, Some("alt text"), doc, None);
                }
                Ok(true)
            }
            "object" | "object-ole" if e.prefix() == "draw" => {
                self.object(xml, ctx, e, empty)?;
                Ok(true)
            }
            "notes" if e.prefix() == "presentation" => {
                if !empty {
                    self.push_story(Story::Notes, true);
                    let r = self.block(xml, ctx, &mut Sink::Emit);
                    self.pop_story();
                    r?;
                }
                Ok(true)
            }
            "header" | "header-left" | "header-first" | "footer" | "footer-left"
            | "footer-first"
                if e.prefix() == "style" =>
            {
                if !empty {
                    let story = if e.local().starts_with("header") {
                        Story::Header
                    } else {
                        Story::Footer
                    };
                    let off = e.get("display") == Some("false");
                    self.push_story(story, false);
                    if off {
                        self.push_hide(Hide::HeaderOff);
                    }
                    let r = self.block(xml, ctx, &mut Sink::Emit);
                    if off {
                        self.pop_hide();
                    }
                    self.pop_story();
                    r?;
                }
                Ok(true)
            }
            "a" => {
                self.link_target(ctx, e);
                Ok(false)
            }
            "cell-range-source" if e.prefix() == "table" => {
                // A cell range copied from another file: the file's path stays with it.
                self.link_target(ctx, e);
                Ok(empty)
            }
            "image" if e.prefix() == "draw" => {
                self.mark_opaque();
                Ok(false)
            }
            "change" => {
                if let Some(id) = e.get("change-id") {
                    let id = id.to_string();
                    self.change_point(ctx, &id);
                }
                Ok(empty)
            }
            "change-start" => {
                self.change_start(e);
                Ok(empty)
            }
            "change-end" => {
                self.change_end(e);
                Ok(empty)
            }
            _ => Ok(false),
        }
    }

    /// `office:forms`: form controls keep what was typed or chosen in attributes
    /// (`form:current-value`, `form:value`, labels), which a printout never shows.
    fn form_controls<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
    ) -> ScanResult<()> {
        const TEXT_ATTRS: &[&str] = &[
            "value",
            "current-value",
            "default-value",
            "label",
            "title",
            "string-value",
        ];
        let mut depth = 0u32;
        loop {
            self.tick(ctx)?;
            let ev = xml.next_event()?;
            let (elem, empty) = match &ev {
                Event::Start(e) => (Elem::read(e), false),
                Event::Empty(e) => (Elem::read(e), true),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    continue;
                }
                Event::Eof => return Ok(()),
                _ => continue,
            };
            drop(ev);
            for (k, v) in &elem.attrs {
                if TEXT_ATTRS.contains(&local_end(k)) {
                    let doc = self.place(None);
                    self.emit(
                        ctx,
                        v,
                        ItemKind::Text,
                        true,
                        Some("form control"),
                        doc,
                        None,
                    );
                }
            }
            if !empty {
                depth += 1;
            }
        }
    }

    /// A paragraph or heading whose start tag was just read.
    pub fn paragraph<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        e: &Elem,
        empty: bool,
        sink: &mut Sink<'_>,
    ) -> ScanResult<()> {
        let n = self.next_paragraph();
        let style = e.get("style-name").unwrap_or_default();
        let def = if style.is_empty() {
            self.styles.default_of("paragraph")
        } else {
            self.styles.resolve("paragraph", style)
        };
        let base = RunFx::default().with(&def, true);
        let mut runs: BTreeMap<Class, String> = BTreeMap::new();
        let mut hidden_paragraph = false;
        if !empty {
            self.guard_nesting()?;
            let r = self.paragraph_inner(xml, ctx, base, n, &mut runs, &mut hidden_paragraph);
            self.nesting -= 1;
            r?;
        }
        self.finish_paragraph(ctx, n, runs, hidden_paragraph, sink);
        Ok(())
    }

    fn paragraph_inner<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        base: RunFx,
        n: u32,
        runs: &mut BTreeMap<Class, String>,
        hidden_paragraph: &mut bool,
    ) -> ScanResult<()> {
        // Open spans: (depth at which each opened, the look inside it).
        let mut spans: Vec<(u32, RunFx)> = Vec::new();
        let mut depth = 0u32;
        let mut text = String::new();
        loop {
            self.tick(ctx)?;
            let ev = xml.next_event()?;
            let (elem, empty) = match &ev {
                Event::Start(e) => (Elem::read(e), false),
                Event::Empty(e) => (Elem::read(e), true),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    if spans.last().is_some_and(|(d, _)| *d == depth) {
                        spans.pop();
                    }
                    continue;
                }
                Event::Eof => return Ok(()),
                other => {
                    text.clear();
                    if push_text(other, &mut text) {
                        let fx = spans.last().map(|(_, f)| *f).unwrap_or(base);
                        let class = self.class_of(&fx);
                        runs.entry(class).or_default().push_str(&text);
                    }
                    continue;
                }
            };
            drop(ev);
            let fx = spans.last().map(|(_, f)| *f).unwrap_or(base);
            let visible = |runs: &mut BTreeMap<Class, String>, s: &str, w: &Walker<'_>| {
                let class = w.class_of(&fx);
                runs.entry(class).or_default().push_str(s);
            };
            match elem.local() {
                "span" | "a" => {
                    if elem.local() == "a" {
                        self.link_target(ctx, &elem);
                    }
                    if !empty {
                        let inner = match elem.get("style-name") {
                            Some(s) if !s.is_empty() => {
                                fx.with(&self.styles.resolve("text", s), false)
                            }
                            _ => fx,
                        };
                        spans.push((depth, inner));
                        depth += 1;
                    }
                }
                "s" => {
                    let c = elem
                        .get("c")
                        .and_then(|c| c.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                    visible(runs, &" ".repeat(c), self);
                    if !empty {
                        depth += 1;
                    }
                }
                "tab" => {
                    visible(runs, "\t", self);
                    if !empty {
                        depth += 1;
                    }
                }
                "line-break" => {
                    visible(runs, "\n", self);
                    if !empty {
                        depth += 1;
                    }
                }
                "hidden-text" => {
                    let content = if empty {
                        String::new()
                    } else {
                        collect_text(xml, ctx)?
                    };
                    let shown = elem.get("is-hidden") == Some("false");
                    let value = if content.trim().is_empty() {
                        elem.get("string-value").unwrap_or_default().to_string()
                    } else {
                        content
                    };
                    if shown {
                        visible(runs, &value, self);
                    } else {
                        runs.entry(Class::Hidden(Hide::HiddenTextField))
                            .or_default()
                            .push_str(&value);
                    }
                }
                name if elem.prefix() == "text" && AUTO_FIELDS.contains(&name) => {
                    // A field the application fills in (page number, sheet name, date): its
                    // value is shown where the field is, and is no one's hidden text.
                    let value = if empty {
                        String::new()
                    } else {
                        collect_text(xml, ctx)?
                    };
                    if self.hides.is_empty() {
                        visible(runs, &value, self);
                    } else {
                        let doc = self.place(Some(n));
                        self.emit(
                            ctx,
                            &value,
                            ItemKind::Text,
                            true,
                            Some("field value"),
                            doc,
                            None,
                        );
                    }
                }
                "hidden-paragraph" => {
                    if elem.get("is-hidden") != Some("false") {
                        *hidden_paragraph = true;
                    }
                    if !empty {
                        skip(xml)?;
                    }
                }
                "conditional-text" => {
                    let content = if empty {
                        String::new()
                    } else {
                        collect_text(xml, ctx)?
                    };
                    visible(runs, &content, self);
                    let if_true = elem.get("string-value-if-true").unwrap_or_default();
                    let if_false = elem.get("string-value-if-false").unwrap_or_default();
                    let not_shown = match elem.get("current-value") {
                        Some("true") => if_false,
                        Some("false") => if_true,
                        _ if content == if_true => if_false,
                        _ => if_true,
                    };
                    if !not_shown.trim().is_empty() && not_shown != content {
                        let r = runs
                            .entry(Class::Hidden(Hide::ConditionalText))
                            .or_default();
                        if !r.is_empty() {
                            r.push(' ');
                        }
                        r.push_str(not_shown);
                    }
                }
                "script" => {
                    // A script field: code a reader never sees.
                    let code = if empty {
                        String::new()
                    } else {
                        collect_text(xml, ctx)?
                    };
                    self.found.script_fields += 1;
                    let doc = self.place(Some(n));
                    self.emit(
                        ctx,
                        &code,
                        ItemKind::Macro,
                        true,
                        Some("script field"),
                        doc,
                        None,
                    );
                }
                "alphabetical-index-mark" | "toc-mark" | "user-index-mark" => {
                    if let Some(v) = elem.get("string-value") {
                        let doc = self.place(Some(n));
                        self.emit(ctx, v, ItemKind::Text, true, Some("index entry"), doc, None);
                    }
                    if !empty {
                        depth += 1;
                    }
                }
                "note" => self.note(xml, ctx, &elem, empty)?,
                "annotation" => self.annotation(xml, ctx, &elem, empty)?,
                "change" => {
                    if let Some(id) = elem.get("change-id") {
                        let id = id.to_string();
                        self.change_point(ctx, &id);
                    }
                    if !empty {
                        depth += 1;
                    }
                }
                "change-start" => {
                    self.change_start(&elem);
                    if !empty {
                        depth += 1;
                    }
                }
                "change-end" => {
                    self.change_end(&elem);
                    if !empty {
                        depth += 1;
                    }
                }
                "title" | "desc" if elem.prefix() == "svg" => {
                    if !empty {
                        let t = collect_text(xml, ctx)?;
                        let doc = self.place(Some(n));
                        self.emit(ctx, &t, ItemKind::Text, true, Some("alt text"), doc, None);
                    }
                }
                "object" | "object-ole" if elem.prefix() == "draw" => {
                    self.object(xml, ctx, &elem, empty)?
                }
                "image" if elem.prefix() == "draw" => {
                    self.mark_opaque();
                    if !empty {
                        depth += 1;
                    }
                }
                "binary-data" | "event-listeners" | "ruby-text-properties" => {
                    if !empty {
                        skip(xml)?;
                    }
                }
                _ if is_shape(&elem) => self.shape(xml, ctx, &elem, empty)?,
                _ => {
                    if !empty {
                        depth += 1;
                    }
                }
            }
        }
    }

    fn finish_paragraph(
        &mut self,
        ctx: &mut Ctx<'_>,
        n: u32,
        runs: BTreeMap<Class, String>,
        hidden_paragraph: bool,
        sink: &mut Sink<'_>,
    ) {
        let doc = self.place(Some(n));
        let st = self.story();
        for (class, text) in runs {
            if class == Class::Deleted {
                self.deleted(ctx, &text, 1, doc);
                continue;
            }
            let mut class = class;
            if class == Class::Visible {
                if hidden_paragraph {
                    class = Class::Hidden(Hide::HiddenParagraph);
                } else if let Some(&h) = self.hides.last() {
                    class = Class::Hidden(h);
                }
            } else if let (Class::Disguised(_) | Class::Fake(_), Some(&h)) =
                (class, self.hides.last())
            {
                // Hidden anyway: the enclosing reason is the one a reader has to undo.
                class = Class::Hidden(h);
            }
            if class == Class::Visible {
                match sink {
                    Sink::Emit => {
                        self.emit(ctx, &text, st.kind, st.hidden, st.detail, doc, None);
                    }
                    Sink::Collect(buf) => {
                        if !buf.is_empty() && !text.trim().is_empty() {
                            buf.push('\n');
                        }
                        if !text.trim().is_empty() {
                            buf.push_str(&text);
                            if let Some(s) = self.section_texts.last_mut() {
                                *s += 1;
                            }
                        }
                    }
                }
            } else {
                self.passage(ctx, class, &text, doc);
            }
        }
    }

    fn section<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        e: &Elem,
        empty: bool,
        sink: &mut Sink<'_>,
    ) -> ScanResult<()> {
        let display = e.get("display").unwrap_or("true");
        let hidden = matches!(display, "none" | "condition")
            || (e.get("condition").is_some_and(|c| !c.trim().is_empty()) && display != "true")
            || e.get("is-hidden") == Some("true");
        if empty {
            if hidden {
                self.found.empty_hidden_sections += 1;
            }
            return Ok(());
        }
        if !hidden {
            return self.block(xml, ctx, sink);
        }
        self.push_hide(Hide::Section);
        self.section_texts.push(0);
        let r = self.block(xml, ctx, sink);
        self.pop_hide();
        let texts = self.section_texts.pop().unwrap_or(0);
        if texts == 0 {
            self.found.empty_hidden_sections += 1;
        } else if let Some(s) = self.section_texts.last_mut() {
            *s += texts;
        }
        r
    }

    /// A footnote or endnote: its body is a story of its own.
    fn note<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        e: &Elem,
        empty: bool,
    ) -> ScanResult<()> {
        if empty {
            return Ok(());
        }
        let story = if e.get("note-class") == Some("endnote") {
            Story::Endnote
        } else {
            Story::Footnote
        };
        self.guard_nesting()?;
        let mut depth = 0u32;
        let r = (|| -> ScanResult<()> {
            loop {
                let ev = xml.next_event()?;
                let (name, is_empty) = match &ev {
                    Event::Start(e) => (local_end(e.name().0).to_string(), false),
                    Event::Empty(e) => (local_end(e.name().0).to_string(), true),
                    Event::End(_) => {
                        if depth == 0 {
                            return Ok(());
                        }
                        depth -= 1;
                        continue;
                    }
                    Event::Eof => return Ok(()),
                    _ => continue,
                };
                drop(ev);
                match (name.as_str(), is_empty) {
                    ("note-citation", false) => skip(xml)?,
                    ("note-body", false) => {
                        self.push_story(story, false);
                        let r = self.block(xml, ctx, &mut Sink::Emit);
                        self.pop_story();
                        r?;
                    }
                    (_, false) => depth += 1,
                    _ => {}
                }
            }
        })();
        self.nesting -= 1;
        r
    }

    /// A comment (`office:annotation`, and `officeooo:annotation` of older Impress).
    pub fn annotation<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        e: &Elem,
        empty: bool,
    ) -> ScanResult<()> {
        let anchor = self.place(self.current_paragraph());
        let reply = e
            .attrs
            .iter()
            .any(|(k, v)| matches!(local_end(k), "parent-name" | "reply-to") && !v.is_empty());
        let key = self.sheet.clone();
        let cell = self.cell;
        let slide = self.slide;
        let part = self.part.clone();
        let c = self.found.comments.entry(key).or_default();
        if c.count == 0 {
            c.first = anchor;
            c.first_cell = cell;
            c.part = part;
        }
        c.count += 1;
        if reply {
            c.replies += 1;
        }
        if let Some(s) = slide {
            c.slides.insert(s);
        }
        if empty {
            return Ok(());
        }
        self.push_story(Story::Comment, true);
        let r = self.block(xml, ctx, &mut Sink::Emit);
        self.pop_story();
        r
    }

    /// Records an author of a comment or change (never in a message: counted only).
    fn author(&mut self, ctx: &mut Ctx<'_>, who: &str, detail: &str) {
        let who = who.trim();
        if who.is_empty() {
            return;
        }
        let key = self.sheet.clone();
        let new = if detail == "comment author" {
            let c = self.found.comments.entry(key).or_default();
            c.digest.update(who.as_bytes());
            c.authors.insert(who.to_string())
        } else {
            self.found.changes.authors.insert(who.to_string())
        };
        // Each author once: the detectors need the name, not every change it made.
        if new {
            self.emit(
                ctx,
                who,
                ItemKind::Author,
                true,
                Some(detail),
                DocPlace::NONE,
                None,
            );
        }
    }

    fn link_target(&mut self, ctx: &mut Ctx<'_>, e: &Elem) {
        if let Some(href) = e.get("href")
            && !href.starts_with('#')
        {
            let href = href.to_string();
            let doc = self.place(self.current_paragraph());
            self.emit(
                ctx,
                &href,
                ItemKind::Text,
                true,
                Some("hyperlink target"),
                doc,
                None,
            );
        }
    }

    /// A table of a document (Writer or Impress): each cell is an item at its row and
    /// column, so the table detectors see the table as a grid.
    pub fn table<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
    ) -> ScanResult<()> {
        self.guard_nesting()?;
        let key = (self.slide, self.story().story);
        let t = self.tables.entry(key).or_insert(0);
        let number = *t;
        *t += 1;
        let outer = self.table_now.replace(number);
        let r = self.table_inner(xml, ctx, number);
        self.table_now = outer;
        self.nesting -= 1;
        r
    }

    fn table_inner<R: BufRead>(
        &mut self,
        xml: &mut XmlReader<R>,
        ctx: &mut Ctx<'_>,
        number: u32,
    ) -> ScanResult<()> {
        let mut depth = 0u32;
        let mut row: u32 = 0;
        let mut col: u32 = 0;
        let mut row_repeat: u32 = 1;
        loop {
            self.tick(ctx)?;
            let ev = xml.next_event()?;
            let (elem, empty) = match &ev {
                Event::Start(e) => (Elem::read(e), false),
                Event::Empty(e) => (Elem::read(e), true),
                Event::End(e) => {
                    let name = local_end(e.name().0).to_string();
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    if name == "table-row" {
                        row = row.saturating_add(row_repeat);
                    }
                    continue;
                }
                Event::Eof => return Ok(()),
                _ => continue,
            };
            drop(ev);
            match elem.local() {
                "table-row" => {
                    col = 0;
                    row_repeat = repeat(&elem, "number-rows-repeated");
                    if empty {
                        row = row.saturating_add(row_repeat);
                    } else {
                        depth += 1;
                    }
                }
                "table-cell" | "covered-table-cell" => {
                    let covered = elem.local() == "covered-table-cell";
                    let span = repeat(&elem, "number-columns-repeated");
                    if !empty {
                        let first = self.current_paragraph().unwrap_or(0) + 1;
                        let mut text = String::new();
                        let ground = match elem.get("style-name") {
                            Some(s) => match self.styles.resolve("table-cell", s).cell_bg {
                                Some(Some(c)) => Some(Ground::Colour(c)),
                                _ => None,
                            },
                            None => None,
                        };
                        if let Some(g) = ground {
                            self.push_ground(g);
                        }
                        let r = self.block(xml, ctx, &mut Sink::Collect(&mut text));
                        if ground.is_some() {
                            self.pop_ground();
                        }
                        r?;
                        let st = self.story();
                        let hidden = st.hidden || !self.hides.is_empty() || covered;
                        let doc = DocPlace {
                            table: Some(number),
                            ..self.place(Some(first))
                        };
                        let detail = if covered {
                            Some("merged-away table cell")
                        } else {
                            st.detail
                        };
                        let kind = if st.kind == ItemKind::Paragraph {
                            ItemKind::Cell
                        } else {
                            st.kind
                        };
                        if !text.trim().is_empty() && !self.hides.is_empty() && !st.hidden {
                            let h = *self.hides.last().unwrap_or(&Hide::Section);
                            let doc = self.place(Some(first));
                            self.passage_counted(Class::Hidden(h), &text, doc);
                        }
                        self.emit(ctx, &text, kind, hidden, detail, doc, Some((row, col)));
                    }
                    col = col.saturating_add(span);
                }
                _ => {
                    if !empty {
                        depth += 1;
                    }
                }
            }
        }
    }

    /// Counts a hidden passage already emitted as an item of its own kind (a table cell).
    fn passage_counted(&mut self, class: Class, text: &str, doc: DocPlace) {
        let Some((rule, reason)) = class.rule() else {
            return;
        };
        let story = self.story().story;
        let key = (rule, self.sheet.clone(), story.as_str());
        let part = self.part.clone();
        let slide = self.slide;
        let p = self.found.passages.entry(key).or_default();
        if p.count == 0 {
            p.story = Some(story);
            p.first = doc;
            p.part = part;
        }
        p.count += 1;
        p.reasons.insert(reason);
        if let Some(n) = doc.paragraph
            && p.paragraphs.len() < MAX_LISTED
            && p.paragraphs.last() != Some(&n)
        {
            p.paragraphs.push(n);
        }
        if let Some(s) = slide {
            p.slides.insert(s);
        }
        p.digest.update(text.as_bytes());
    }
}

/// Fields whose value the application computes: page numbers, counts, dates, the file,
/// sheet and chapter names.
const AUTO_FIELDS: &[&str] = &[
    "page-number",
    "page-count",
    "page-continuation",
    "sheet-name",
    "date",
    "time",
    "file-name",
    "title",
    "subject",
    "chapter",
    "template-name",
    "word-count",
    "paragraph-count",
    "character-count",
];

/// `table:number-columns-repeated` and friends: at least 1.
pub fn repeat(e: &Elem, name: &str) -> u32 {
    e.get(name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}
