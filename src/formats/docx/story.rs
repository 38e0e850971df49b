//! One story part of a Word document (the body, a header, a footer, the footnotes, the
//! endnotes, the comments, the glossary), streamed once. Every paragraph's runs are joined
//! into one text, so a name split across runs is one item; each piece of text is sorted by
//! what a reader really sees of it:
//! - visible text (inserted text and field results included) goes to the detectors as the
//!   paragraph, or as a table cell with its row and column, so Word tables are grids;
//! - text a reader does not see goes to the detectors as hidden content, each kind on its
//!   own: tracked deletions (and text moved away), text formatted hidden (`w:vanish`,
//!   `w:specVanish`, directly or through a style), field codes, text of 1 pt or less, text
//!   coloured like its background, and text under a black bar or a drawn box.
//!
//! Text boxes (`w:txbxContent`, DrawingML or VML) are their own story. Alternate content
//! (`mc:AlternateContent`) is read the way Word reads it: the first choice; a fallback that
//! says the same is not read twice, and one that says something else is scanned as hidden.
//! What the part hides becomes findings at its end, one per kind and story, placed at the
//! first paragraph concerned.

use super::styles::{RunProps, Styles, TextColor, shading};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::drawingml::Rgb;
use crate::formats::story_findings::{Stats, report_story};
use crate::model::{DocPlace, Item, ItemKind, Story};
use crate::xml::{XmlReader, attr, attr_flag, local, push_text};
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::BufRead;

/// How the part's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Body, headers, footers, footnotes, endnotes: what a reader sees is visible.
    Document,
    /// The comments part: every paragraph is comment text.
    Comments,
    /// Building blocks (the glossary document): nothing of it is in the document.
    Glossary,
}

pub struct StoryInput<'a> {
    pub part: &'a str,
    /// The story of the part; `None` for the glossary.
    pub story: Option<Story>,
    pub mode: Mode,
    pub styles: &'a Styles,
    /// The page colour (`w:background` of the main document), white by default.
    pub page: Rgb,
}

/// What other parts need from a story part.
#[derive(Debug, Default)]
pub struct StoryOutput {
    /// Relationship ids the part uses for objects (charts, diagrams, OLE objects, chunks,
    /// controls) with where each sits.
    pub anchors: Vec<(String, DocPlace)>,
    /// Comment id → where its reference sits.
    pub comment_refs: Vec<(String, DocPlace)>,
    /// The comments of a comments part.
    pub comments: Vec<CommentInfo>,
    /// The page colour (`w:background`), from the main document.
    pub background: Option<Rgb>,
    /// Hyperlinks (`w:hyperlink r:id`) with the text a reader sees on them, so a link
    /// target that only repeats its visible text is not scanned again as hidden text.
    pub link_texts: Vec<(String, String)>,
}

#[derive(Debug, Default, Clone)]
pub struct CommentInfo {
    pub id: String,
    pub author: String,
    pub initials: String,
    /// `w14:paraId` of each paragraph; the last one keys `commentsExtended`.
    pub para_ids: Vec<String>,
    /// First paragraph of the comment within the comments story.
    pub paragraph: u32,
    pub chars: u64,
}

/// What a reader makes of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cat {
    Visible,
    Hidden,
    Deleted,
    MovedFrom,
    FieldCode,
    Tiny,
    SameColour,
    UnderBar,
}

const BUCKETS: [Cat; 7] = [
    Cat::Hidden,
    Cat::Deleted,
    Cat::MovedFrom,
    Cat::FieldCode,
    Cat::Tiny,
    Cat::SameColour,
    Cat::UnderBar,
];

fn bucket(cat: Cat) -> usize {
    BUCKETS.iter().position(|c| *c == cat).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextMode {
    None,
    Text,
    DelText,
    Instr,
    DelInstr,
    Offset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rev {
    Ins,
    Del,
    MoveFrom,
    MoveTo,
}

/// Elements whose end matters, kept on a stack so a property knows its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    P,
    R,
    RunRPr,
    MarkRPr,
    OtherRPr,
    PPr,
    TcPr,
    TblPr,
    TrPr,
    Tbl,
    Tr,
    Tc,
    Rev(Rev),
    Text(TextMode),
    Txbx,
    Ac,
    Choice,
    Fallback,
    Drawing,
    PosV,
    PosH,
    SpPr,
    Ln,
    SolidFill,
    ShapeStyle,
    FillRef,
    Vml,
    Comment,
    /// A footnote or endnote separator: no text, and not a paragraph a reader counts.
    Separator,
    Hyperlink,
    Skip,
    Other,
}

/// The background a piece of text is drawn on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layer {
    /// A highlight (`true`) or shading: a colour painted right behind the text.
    Mark(Rgb, bool),
    Page(Rgb),
    Unknown,
}

#[derive(Debug, Default)]
struct Para {
    story: Option<Story>,
    number: u32,
    frame: usize,
    style: Option<String>,
    shading: Option<Option<Rgb>>,
    text: String,
    buckets: [String; 7],
    last: Option<Cat>,
    /// Text shown on a black highlight that stays readable.
    readable_bar: String,
    web_hidden: String,
    moved_to: String,
    /// A dark box drawn in front of this paragraph's text (true), or one whose cover
    /// cannot be told from its anchor (false).
    boxes: Vec<bool>,
    shadow: bool,
}

#[derive(Debug, Default)]
struct Run {
    direct: RunProps,
    style: Option<String>,
    effective: Option<(RunProps, Option<String>)>,
}

#[derive(Debug)]
struct Frame {
    story: Option<Story>,
    /// Visible text read in the frame so far (a text box that says something is a label,
    /// not a redaction box).
    chars: usize,
    hidden: bool,
    /// A text box's fill: known, or not known (`None`).
    background: Option<Rgb>,
    is_textbox: bool,
}

#[derive(Debug, Default)]
struct Table {
    index: u32,
    row: Option<u32>,
    col: u32,
    styled_shading: bool,
    shading: Option<Rgb>,
    frame: usize,
}

#[derive(Debug, Default)]
struct Cell {
    table: u32,
    row: u32,
    col: u32,
    span: u32,
    text: String,
    first_para: Option<u32>,
    shading: Option<Rgb>,
    frame: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fill {
    Unset,
    None,
    Solid(Option<Rgb>),
    Other,
}

#[derive(Debug)]
struct Drawing {
    anchored: bool,
    behind: bool,
    wrap_none: bool,
    v_rel: String,
    v_off: Option<i64>,
    cx: i64,
    cy: i64,
    hidden: bool,
    shape: bool,
    fill: Fill,
    /// Fill from the shape's theme style (`wps:style/a:fillRef`): `Some(None)` when a
    /// theme colour paints it and the colour is not known.
    style_fill: Option<Option<Rgb>>,
    vml: bool,
    /// The shape holds text of its own (a label or a banner, not a plain box).
    has_text: bool,
}

impl Drawing {
    fn new(anchored: bool) -> Self {
        Drawing {
            anchored,
            behind: false,
            wrap_none: false,
            v_rel: String::new(),
            v_off: None,
            cx: 0,
            cy: 0,
            hidden: false,
            shape: false,
            fill: Fill::Unset,
            style_fill: None,
            vml: false,
            has_text: false,
        }
    }

    /// The colour the shape is painted with, when it is solid and known.
    fn solid(&self) -> Option<Rgb> {
        match self.fill {
            Fill::Solid(c) => c,
            Fill::Unset => self.style_fill.flatten(),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
struct AltFrame {
    chosen: bool,
    in_choice: bool,
    shadow: bool,
    choice_text: String,
    shadow_text: String,
    saved: Option<HashMap<Option<Story>, (u32, u32)>>,
}

/// The reader of one story part.
pub struct StoryReader<'a, 'c, 'e> {
    input: StoryInput<'a>,
    ctx: &'c mut Ctx<'e>,
    out: StoryOutput,
    tags: Vec<Tag>,
    paras: Vec<Para>,
    run: Option<Run>,
    frames: Vec<Frame>,
    tables: Vec<Table>,
    cells: Vec<Cell>,
    drawings: Vec<Drawing>,
    alts: Vec<AltFrame>,
    revs: Vec<Rev>,
    counters: HashMap<Option<Story>, (u32, u32)>,
    stats: HashMap<Option<Story>, Stats>,
    story_order: Vec<Option<Story>>,
    authors: BTreeSet<String>,
    moved_to: HashSet<String>,
    moved_from: Vec<(String, DocPlace)>,
    comment: Option<CommentInfo>,
    text_mode: TextMode,
    offset_text: String,
    skip: u32,
    separator: u32,
    /// Open hyperlinks: relationship id and the text shown on it so far.
    links: Vec<(String, String)>,
    events: u64,
}

/// Deepest nesting of elements read. Word nests a few dozen levels (tables in text boxes in
/// tables); each open paragraph costs memory, so a part nested deeper is refused.
const MAX_DEPTH: usize = 2_000;

/// Reads one story part and reports what it hides.
pub fn read<R: BufRead>(
    xml: &mut XmlReader<R>,
    input: StoryInput<'_>,
    ctx: &mut Ctx<'_>,
) -> ScanResult<StoryOutput> {
    let base = Frame {
        story: input.story,
        chars: 0,
        hidden: false,
        background: Some(input.page),
        is_textbox: false,
    };
    let mut reader = StoryReader {
        input,
        ctx,
        out: StoryOutput::default(),
        tags: Vec::new(),
        paras: Vec::new(),
        run: None,
        frames: vec![base],
        tables: Vec::new(),
        cells: Vec::new(),
        drawings: Vec::new(),
        alts: Vec::new(),
        revs: Vec::new(),
        counters: HashMap::new(),
        stats: HashMap::new(),
        story_order: Vec::new(),
        authors: BTreeSet::new(),
        moved_to: HashSet::new(),
        moved_from: Vec::new(),
        comment: None,
        text_mode: TextMode::None,
        offset_text: String::new(),
        skip: 0,
        separator: 0,
        links: Vec::new(),
        events: 0,
    };
    loop {
        reader.events += 1;
        if reader.events.is_multiple_of(4096) {
            reader.ctx.check_time()?;
        }
        match xml.next_event()? {
            Event::Start(e) => {
                if reader.tags.len() >= MAX_DEPTH {
                    return Err(ScanError::new(format!(
                        "{}: elements nested deeper than {MAX_DEPTH} levels",
                        reader.input.part
                    )));
                }
                let tag = reader.open(&e);
                reader.tags.push(tag);
            }
            Event::Empty(e) => {
                let tag = reader.open(&e);
                reader.close(tag);
            }
            Event::End(_) => {
                if let Some(tag) = reader.tags.pop() {
                    reader.close(tag);
                }
            }
            Event::Eof => break,
            other => {
                let mut text = String::new();
                if push_text(&other, &mut text) {
                    reader.text(&text);
                }
            }
        }
    }
    reader.finish();
    Ok(reader.out)
}

impl StoryReader<'_, '_, '_> {
    fn parent(&self) -> Option<Tag> {
        self.tags.last().copied()
    }

    fn shadow(&self) -> bool {
        self.alts.iter().any(|a| a.shadow)
    }

    fn frame(&self) -> &Frame {
        // The base frame is never popped.
        &self.frames[self.frames.len() - 1]
    }

    fn story(&self) -> Option<Story> {
        self.frame().story
    }

    fn stats(&mut self, story: Option<Story>) -> &mut Stats {
        if !self.stats.contains_key(&story) {
            self.story_order.push(story);
        }
        self.stats.entry(story).or_default()
    }

    /// Where the current paragraph sits (or the next one, between paragraphs).
    fn place(&self) -> DocPlace {
        if self.input.mode == Mode::Glossary {
            return DocPlace::NONE;
        }
        let story = self.story();
        let paragraph = match self.paras.last() {
            Some(p) if p.number > 0 => p.number,
            _ => self.counters.get(&story).map(|c| c.0).unwrap_or(0) + 1,
        };
        DocPlace {
            story,
            paragraph: Some(paragraph),
            ..DocPlace::NONE
        }
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Tag {
        if self.skip > 0 {
            self.skip += 1;
            return Tag::Skip;
        }
        let name = local(e);
        let parent = self.parent();
        match name {
            "p" => self.open_paragraph(e),
            "r" => {
                self.run = Some(Run::default());
                Tag::R
            }
            "rPr" => match parent {
                Some(Tag::R) => Tag::RunRPr,
                Some(Tag::PPr) => Tag::MarkRPr,
                _ => Tag::OtherRPr,
            },
            "pPr" if parent == Some(Tag::P) => Tag::PPr,
            "pStyle" if parent == Some(Tag::PPr) => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, "val").map(|v| v.to_string());
                }
                Tag::Other
            }
            "rStyle" if parent == Some(Tag::RunRPr) => {
                if let Some(r) = &mut self.run {
                    r.style = attr(e, "val").map(|v| v.to_string());
                }
                Tag::Other
            }
            "shd" => {
                match parent {
                    Some(Tag::RunRPr) => {
                        if let Some(r) = &mut self.run {
                            r.direct.shading = Some(shading(e));
                        }
                    }
                    Some(Tag::PPr) => {
                        if let Some(p) = self.paras.last_mut() {
                            p.shading = Some(shading(e));
                        }
                    }
                    Some(Tag::TcPr) => {
                        if let Some(c) = self.cells.last_mut() {
                            c.shading = shading(e);
                        }
                    }
                    Some(Tag::TblPr) => {
                        if let Some(t) = self.tables.last_mut() {
                            t.shading = shading(e);
                        }
                    }
                    _ => {}
                }
                Tag::Other
            }
            "vanish" | "specVanish" | "webHidden" | "color" | "highlight" | "sz"
                if parent == Some(Tag::RunRPr) =>
            {
                if let Some(r) = &mut self.run {
                    r.direct.apply(name, e);
                }
                Tag::Other
            }
            "t" | "delText" | "instrText" | "delInstrText" => {
                let mode = match name {
                    "t" => TextMode::Text,
                    "delText" => TextMode::DelText,
                    "instrText" => TextMode::Instr,
                    _ => TextMode::DelInstr,
                };
                self.text_mode = mode;
                Tag::Text(mode)
            }
            "tab" | "ptab" if parent == Some(Tag::R) => {
                self.run_text("\t");
                Tag::Other
            }
            "br" | "cr" if parent == Some(Tag::R) => {
                self.run_text("\n");
                Tag::Other
            }
            "noBreakHyphen" if parent == Some(Tag::R) => {
                self.run_text("-");
                Tag::Other
            }
            "fldSimple" => {
                if let Some(instr) = attr(e, "instr") {
                    let saved = self.text_mode;
                    self.text_mode = TextMode::Instr;
                    self.text(&format!(" {instr} "));
                    self.text_mode = saved;
                }
                Tag::Other
            }
            "ins" | "del" | "moveFrom" | "moveTo" => self.open_revision(name, e, parent),
            "rPrChange" | "pPrChange" | "sectPrChange" | "tblPrChange" | "trPrChange"
            | "tcPrChange" | "tblGridChange" | "tblPrExChange" | "numberingChange" => {
                self.change(e, ChangeKind::Format);
                self.skip = 1;
                Tag::Skip
            }
            "cellIns" => {
                self.change(e, ChangeKind::Insertion);
                Tag::Other
            }
            "cellDel" => {
                self.change(e, ChangeKind::Deletion);
                Tag::Other
            }
            "cellMerge" => {
                self.change(e, ChangeKind::Format);
                Tag::Other
            }
            "moveFromRangeStart" | "moveToRangeStart" => {
                self.author(e);
                Tag::Other
            }
            "tbl" => {
                let shadow = self.shadow();
                let story = self.story();
                let frame = self.frames.len();
                let counter = self.counters.entry(story).or_default();
                let index = counter.1;
                if !shadow {
                    counter.1 += 1;
                }
                self.tables.push(Table {
                    index,
                    frame,
                    ..Table::default()
                });
                Tag::Tbl
            }
            "tblPr" if parent == Some(Tag::Tbl) => Tag::TblPr,
            "tblStyle" if parent == Some(Tag::TblPr) => {
                let shaded =
                    attr(e, "val").is_some_and(|v| self.input.styles.table_shading(v.trim()));
                if let Some(t) = self.tables.last_mut() {
                    t.styled_shading = shaded;
                }
                Tag::Other
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(t.row.map_or(0, |r| r.saturating_add(1)));
                    t.col = 0;
                }
                Tag::Tr
            }
            "trPr" if parent == Some(Tag::Tr) => Tag::TrPr,
            "gridBefore" if parent == Some(Tag::TrPr) => {
                if let (Some(t), Some(n)) = (self.tables.last_mut(), crate::xml::attr_u32(e, "val"))
                {
                    t.col = t.col.saturating_add(n.min(64));
                }
                Tag::Other
            }
            "tc" => {
                let frame = self.frames.len();
                let (table, row, col) = self
                    .tables
                    .last()
                    .map(|t| (t.index, t.row.unwrap_or(0), t.col))
                    .unwrap_or_default();
                self.cells.push(Cell {
                    table,
                    row,
                    col,
                    span: 1,
                    frame,
                    ..Cell::default()
                });
                Tag::Tc
            }
            "tcPr" if parent == Some(Tag::Tc) => Tag::TcPr,
            "gridSpan" if parent == Some(Tag::TcPr) => {
                if let (Some(c), Some(n)) = (self.cells.last_mut(), crate::xml::attr_u32(e, "val"))
                {
                    c.span = n.clamp(1, 64);
                }
                Tag::Other
            }
            "txbxContent" => {
                let (hidden, background) = match self.drawings.last() {
                    Some(d) => (
                        d.hidden,
                        match d.fill {
                            Fill::Solid(c) => c,
                            _ => None,
                        },
                    ),
                    None => (false, None),
                };
                let hidden = hidden || self.frame().hidden;
                self.frames.push(Frame {
                    chars: 0,
                    story: if self.input.mode == Mode::Glossary {
                        None
                    } else {
                        Some(Story::Textbox)
                    },
                    hidden,
                    background,
                    is_textbox: true,
                });
                Tag::Txbx
            }
            "AlternateContent" => {
                self.alts.push(AltFrame::default());
                Tag::Ac
            }
            "Choice" if parent == Some(Tag::Ac) => {
                let counters = self.counters.clone();
                if let Some(a) = self.alts.last_mut() {
                    if a.chosen {
                        a.shadow = true;
                        a.saved = Some(counters);
                    } else {
                        a.chosen = true;
                        a.in_choice = true;
                    }
                }
                Tag::Choice
            }
            "Fallback" if parent == Some(Tag::Ac) => {
                let counters = self.counters.clone();
                if let Some(a) = self.alts.last_mut()
                    && a.chosen
                {
                    a.shadow = true;
                    a.saved = Some(counters);
                }
                Tag::Fallback
            }
            "anchor" | "inline" if e.name().0.starts_with("wp") => {
                let mut d = Drawing::new(name == "anchor");
                d.behind = attr_flag(e, "behindDoc");
                self.drawings.push(d);
                Tag::Drawing
            }
            "positionV" if parent == Some(Tag::Drawing) => {
                if let Some(d) = self.drawings.last_mut() {
                    d.v_rel = attr(e, "relativeFrom").unwrap_or_default().to_string();
                }
                Tag::PosV
            }
            "positionH" if parent == Some(Tag::Drawing) => Tag::PosH,
            "posOffset" if parent == Some(Tag::PosV) => {
                self.text_mode = TextMode::Offset;
                self.offset_text.clear();
                Tag::Text(TextMode::Offset)
            }
            "extent" if parent == Some(Tag::Drawing) => {
                if let Some(d) = self.drawings.last_mut() {
                    d.cx = attr_i64(e, "cx");
                    d.cy = attr_i64(e, "cy");
                }
                Tag::Other
            }
            "wrapNone" if parent == Some(Tag::Drawing) => {
                if let Some(d) = self.drawings.last_mut() {
                    d.wrap_none = true;
                }
                Tag::Other
            }
            "docPr" => {
                if let Some(d) = self.drawings.last_mut()
                    && attr_flag(e, "hidden")
                {
                    d.hidden = true;
                }
                self.alt_text(e, &["descr", "title"]);
                Tag::Other
            }
            "wsp" => {
                if let Some(d) = self.drawings.last_mut() {
                    d.shape = true;
                }
                Tag::Other
            }
            "spPr" if !self.drawings.is_empty() => Tag::SpPr,
            "ln" if parent == Some(Tag::SpPr) => Tag::Ln,
            "noFill" if parent == Some(Tag::SpPr) => {
                self.set_fill(Fill::None);
                Tag::Other
            }
            "gradFill" | "blipFill" | "pattFill" if parent == Some(Tag::SpPr) => {
                self.set_fill(Fill::Other);
                Tag::Other
            }
            "solidFill" if parent == Some(Tag::SpPr) => {
                self.set_fill(Fill::Solid(None));
                Tag::SolidFill
            }
            "srgbClr" | "schemeClr" | "prstClr" | "sysClr" => {
                let color = Rgb::drawing_color(name, e);
                match parent {
                    Some(Tag::SolidFill) => self.set_fill(Fill::Solid(color)),
                    Some(Tag::FillRef) => {
                        if let Some(d) = self.drawings.last_mut() {
                            d.style_fill = Some(color);
                        }
                    }
                    _ => {}
                }
                Tag::Other
            }
            "style" if !self.drawings.is_empty() => Tag::ShapeStyle,
            "fillRef" if parent == Some(Tag::ShapeStyle) => {
                if let Some(d) = self.drawings.last_mut()
                    && crate::xml::attr_u32(e, "idx").unwrap_or(0) > 0
                {
                    d.style_fill = Some(None);
                }
                Tag::FillRef
            }
            "shape" | "rect" | "roundrect" | "oval" if e.name().0.starts_with("v:") => {
                self.open_vml(e);
                Tag::Vml
            }
            "wrap" if e.name().0.starts_with("w10:") => {
                if let Some(d) = self.drawings.last_mut()
                    && d.vml
                {
                    d.wrap_none = matches!(attr(e, "type").as_deref(), Some("none") | None);
                }
                Tag::Other
            }
            "textpath" => {
                if let Some(s) = attr(e, "string") {
                    let hidden = self.drawings.last().is_some_and(|d| d.hidden);
                    self.emit_side(&s, hidden, "WordArt text");
                }
                Tag::Other
            }
            "imagedata" => {
                self.alt_text(e, &["title"]);
                Tag::Other
            }
            "chart" | "OLEObject" | "altChunk" | "control" => {
                for key in ["id"] {
                    if let Some(id) = rel_id(e, key) {
                        let place = self.place();
                        self.out.anchors.push((id, place));
                    }
                }
                Tag::Other
            }
            "relIds" => {
                for key in ["dm", "lo", "qs", "cs"] {
                    if let Some(id) = rel_id(e, key) {
                        let place = self.place();
                        self.out.anchors.push((id, place));
                    }
                }
                Tag::Other
            }
            "hyperlink" => match rel_id(e, "id") {
                Some(id) => {
                    self.links.push((id, String::new()));
                    Tag::Hyperlink
                }
                None => Tag::Other,
            },
            "commentReference" => {
                if let Some(id) = attr(e, "id") {
                    let place = self.place();
                    self.out.comment_refs.push((id.to_string(), place));
                }
                Tag::Other
            }
            "background" if self.paras.is_empty() && e.name().0.starts_with("w:") => {
                if let Some(c) = attr(e, "color") {
                    self.out.background = Rgb::parse_hex(&c);
                    if let (Some(rgb), Some(base)) = (self.out.background, self.frames.first_mut())
                    {
                        base.background = Some(rgb);
                    }
                }
                Tag::Other
            }
            "listItem" => {
                for key in ["displayText", "value"] {
                    if let Some(v) = attr(e, key) {
                        self.emit_side(&v, true, "content control list entry");
                    }
                }
                Tag::Other
            }
            "listEntry" | "default" | "statusText" | "helpText" => {
                if let Some(v) = attr(e, "val") {
                    self.emit_side(&v, true, "form field entry or help text");
                }
                Tag::Other
            }
            "footnote" | "endnote"
                if matches!(
                    attr(e, "type").as_deref(),
                    Some("separator" | "continuationSeparator" | "continuationNotice")
                ) =>
            {
                self.separator += 1;
                Tag::Separator
            }
            "comment" if self.input.mode == Mode::Comments => {
                let author = attr(e, "author").unwrap_or_default().to_string();
                let initials = attr(e, "initials").unwrap_or_default().to_string();
                for a in [&author, &initials] {
                    if !a.trim().is_empty() {
                        self.authors.insert(a.clone());
                    }
                }
                self.comment = Some(CommentInfo {
                    id: attr(e, "id").unwrap_or_default().to_string(),
                    author,
                    initials,
                    ..CommentInfo::default()
                });
                Tag::Comment
            }
            _ => Tag::Other,
        }
    }

    fn close(&mut self, tag: Tag) {
        match tag {
            Tag::Skip => self.skip = self.skip.saturating_sub(1),
            Tag::P => self.close_paragraph(),
            Tag::R => self.run = None,
            Tag::Text(TextMode::Offset) => {
                if let Some(d) = self.drawings.last_mut() {
                    d.v_off = self.offset_text.trim().parse().ok();
                }
                self.text_mode = TextMode::None;
            }
            Tag::Text(_) => self.text_mode = TextMode::None,
            Tag::Rev(_) => {
                self.revs.pop();
            }
            Tag::Tbl => {
                self.tables.pop();
            }
            Tag::Tc => self.close_cell(),
            Tag::Txbx => {
                if self.frames.len() > 1
                    && let Some(f) = self.frames.pop()
                    && f.chars > 0
                    && let Some(d) = self.drawings.last_mut()
                {
                    d.has_text = true;
                }
            }
            Tag::Choice => {
                let shadowed = self.alts.last_mut().is_some_and(|a| {
                    a.in_choice = false;
                    a.saved.is_some()
                });
                if shadowed {
                    self.end_shadow();
                }
            }
            Tag::Fallback => self.end_shadow(),
            Tag::Ac => {
                self.alts.pop();
            }
            Tag::Drawing | Tag::Vml => self.close_drawing(),
            Tag::Comment => {
                if let Some(c) = self.comment.take() {
                    self.out.comments.push(c);
                }
            }
            Tag::Separator => self.separator = self.separator.saturating_sub(1),
            Tag::Hyperlink => {
                if let Some(link) = self.links.pop()
                    && self.out.link_texts.len() < 100_000
                {
                    self.out.link_texts.push(link);
                }
            }
            _ => {}
        }
    }

    fn open_paragraph(&mut self, e: &BytesStart<'_>) -> Tag {
        let shadow = self.shadow();
        let story = self.story();
        let frame = self.frames.len();
        let number = if shadow || self.separator > 0 || self.input.mode == Mode::Glossary {
            0
        } else {
            let c = self.counters.entry(story).or_default();
            c.0 += 1;
            c.0
        };
        if let Some(c) = &mut self.comment
            && frame == 1
        {
            if let Some(id) = attr(e, "paraId") {
                c.para_ids.push(id.to_string());
            }
            if c.paragraph == 0 {
                c.paragraph = number;
            }
        }
        self.paras.push(Para {
            story,
            number,
            frame,
            shadow,
            ..Para::default()
        });
        Tag::P
    }

    fn open_revision(&mut self, name: &str, e: &BytesStart<'_>, parent: Option<Tag>) -> Tag {
        let rev = match name {
            "ins" => Rev::Ins,
            "del" => Rev::Del,
            "moveFrom" => Rev::MoveFrom,
            _ => Rev::MoveTo,
        };
        let kind = match rev {
            Rev::Ins => ChangeKind::Insertion,
            Rev::Del => ChangeKind::Deletion,
            Rev::MoveFrom | Rev::MoveTo => ChangeKind::Move,
        };
        // A paragraph mark or a table row marked inserted or deleted holds no text.
        let mark = matches!(
            parent,
            Some(Tag::MarkRPr | Tag::TrPr | Tag::OtherRPr | Tag::RunRPr)
        );
        if rev != Rev::MoveTo {
            self.change(e, kind);
        } else {
            self.author(e);
        }
        if mark {
            return Tag::Other;
        }
        self.revs.push(rev);
        Tag::Rev(rev)
    }

    fn author(&mut self, e: &BytesStart<'_>) {
        if let Some(a) = attr(e, "author").filter(|a| !a.trim().is_empty())
            && !self.shadow()
            && self.authors.len() < 10_000
        {
            self.authors.insert(a.to_string());
        }
    }

    fn change(&mut self, e: &BytesStart<'_>, kind: ChangeKind) {
        if self.shadow() {
            return;
        }
        self.author(e);
        let place = self.place();
        let story = self.story();
        let s = self.stats(story);
        match kind {
            ChangeKind::Insertion => s.insertions += 1,
            ChangeKind::Deletion => s.deletions += 1,
            ChangeKind::Move => s.moves += 1,
            ChangeKind::Format => s.format_changes += 1,
        }
        s.first_change.get_or_insert(place);
        if s.change_paragraphs.last != place.paragraph {
            s.change_paragraphs.add(place, "");
        }
    }

    fn set_fill(&mut self, fill: Fill) {
        if let Some(d) = self.drawings.last_mut() {
            d.fill = fill;
        }
    }

    /// A VML shape (`w:pict`): absolutely positioned shapes float over the text unless a
    /// negative z-index puts them behind it.
    fn open_vml(&mut self, e: &BytesStart<'_>) {
        let style = attr(e, "style").unwrap_or_default().to_ascii_lowercase();
        let prop = |key: &str| -> Option<String> {
            style.split(';').find_map(|kv| {
                let (k, v) = kv.split_once(':')?;
                (k.trim() == key).then(|| v.trim().to_string())
            })
        };
        let mut d = Drawing::new(prop("position").as_deref() == Some("absolute"));
        d.vml = true;
        d.wrap_none = d.anchored;
        d.behind = prop("z-index")
            .and_then(|z| z.parse::<i64>().ok())
            .is_some_and(|z| z < 0);
        d.hidden = prop("visibility").as_deref() == Some("hidden");
        d.v_rel = prop("mso-position-vertical-relative").unwrap_or_else(|| "text".into());
        let points = |v: &str| -> Option<i64> {
            let v = v.trim();
            let (num, unit) =
                v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len()));
            let n: f64 = num.trim().parse().ok()?;
            let emu_per = match unit {
                "pt" | "" => 12_700.0,
                "in" => 914_400.0,
                "cm" => 360_000.0,
                "mm" => 36_000.0,
                "px" => 9_525.0,
                _ => return None,
            };
            Some((n * emu_per) as i64)
        };
        d.v_off = prop("margin-top").and_then(|v| points(&v));
        d.cx = prop("width").and_then(|v| points(&v)).unwrap_or(0);
        d.cy = prop("height").and_then(|v| points(&v)).unwrap_or(0);
        d.shape = true;
        let filled = !matches!(attr(e, "filled").as_deref(), Some("f" | "false"));
        d.fill = if filled {
            match attr(e, "fillcolor") {
                Some(c) => Fill::Solid(vml_color(&c)),
                // VML fills white when no colour is given.
                None => Fill::Solid(Some(Rgb::WHITE)),
            }
        } else {
            Fill::None
        };
        self.alt_text(e, &["alt", "title"]);
        self.drawings.push(d);
    }

    /// Decides whether a dark shape covers text: it must float in front of the text, not
    /// wrap it, and be placed against the paragraph or line it is anchored to.
    fn close_drawing(&mut self) {
        let Some(d) = self.drawings.pop() else {
            return;
        };
        if self.shadow() || !d.shape || d.hidden || !d.anchored || d.behind {
            return;
        }
        if !d.solid().is_some_and(Rgb::is_dark) {
            return;
        }
        let against_text = matches!(
            d.v_rel.as_str(),
            "paragraph" | "line" | "text" | "char" | "character"
        );
        let near = d.v_off.is_none_or(|off| off.abs() <= d.cy.max(0) + 457_200);
        let covers = d.wrap_none && against_text && near && d.cx > 0 && d.cy > 0 && !d.has_text;
        if let Some(p) = self.paras.last_mut() {
            p.boxes.push(covers);
        }
    }

    fn end_shadow(&mut self) {
        let Some(a) = self.alts.last_mut() else {
            return;
        };
        let saved = a.saved.take();
        a.shadow = false;
        let differs = normalise(&a.shadow_text) != normalise(&a.choice_text);
        let text = std::mem::take(&mut a.shadow_text);
        if let Some(saved) = saved {
            self.counters = saved;
        }
        if differs && !text.trim().is_empty() && !self.shadow() {
            self.emit_side(
                &text,
                true,
                "alternate content that current Word does not show",
            );
        }
    }

    fn alt_text(&mut self, e: &BytesStart<'_>, keys: &[&str]) {
        if self.shadow() {
            return;
        }
        for key in keys {
            if let Some(v) = attr(e, key).filter(|v| !v.trim().is_empty()) {
                self.emit_side(&v, true, "alternative text of a picture or shape");
            }
        }
    }

    /// An item beside the flow of paragraphs (alt text, list entries, alternate content).
    fn emit_side(&mut self, text: &str, hidden: bool, detail: &str) {
        if self.shadow() {
            if let Some(a) = self.alts.iter_mut().rev().find(|a| a.shadow) {
                a.shadow_text.push_str(text);
                a.shadow_text.push(' ');
            }
            return;
        }
        for a in self.alts.iter_mut().filter(|a| a.in_choice) {
            a.choice_text.push_str(text);
            a.choice_text.push(' ');
        }
        let place = self.place();
        let part = self.input.part;
        let hidden = hidden || self.input.mode != Mode::Document;
        self.ctx.item(&Item {
            text,
            kind: ItemKind::Text,
            hidden,
            part,
            sheet: None,
            cell: None,
            detail: Some(detail),
            doc: place,
        });
    }

    /// Text a run element stands for (a tab, a break, a hyphen), read like `w:t` text.
    fn run_text(&mut self, s: &str) {
        let saved = self.text_mode;
        if saved == TextMode::None {
            self.text_mode = TextMode::Text;
        }
        self.text(s);
        self.text_mode = saved;
    }

    fn text(&mut self, s: &str) {
        match self.text_mode {
            TextMode::Offset => {
                self.offset_text.push_str(s);
                return;
            }
            TextMode::None => return,
            _ => {}
        }
        if self.paras.is_empty() {
            return;
        }
        if self.shadow() {
            if let Some(a) = self.alts.iter_mut().rev().find(|a| a.shadow) {
                a.shadow_text.push_str(s);
            }
            return;
        }
        for a in self.alts.iter_mut().filter(|a| a.in_choice) {
            a.choice_text.push_str(s);
        }
        let (cat, readable_bar, web_hidden, via) = self.category();
        let moved_to = self.revs.contains(&Rev::MoveTo);
        if let Some(via) = via {
            let story = self.story();
            self.stats(story).hidden_styles.insert(via);
        } else if cat == Cat::Hidden && !self.frame().hidden {
            let story = self.story();
            self.stats(story).hidden_direct += 1;
        }
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        if let Some(c) = &mut self.comment {
            c.chars += s.chars().filter(|c| !c.is_whitespace()).count() as u64;
        }
        if cat == Cat::Visible {
            if let Some(f) = self.frames.last_mut() {
                f.chars += s.len();
            }
            if let Some((_, text)) = self.links.last_mut()
                && text.len() < 4096
            {
                text.push_str(s);
            }
            p.text.push_str(s);
            if readable_bar {
                p.readable_bar.push_str(s);
            }
            if web_hidden {
                p.web_hidden.push_str(s);
            }
            if moved_to {
                p.moved_to.push_str(s);
            }
        } else {
            let b = &mut p.buckets[bucket(cat)];
            if p.last != Some(cat) && !b.is_empty() {
                b.push('\n');
            }
            b.push_str(s);
        }
        p.last = Some(cat);
    }

    /// What a reader makes of text of the current run, and whether it sits on a readable
    /// black highlight, is hidden in web layout only, or was hidden through a style.
    fn category(&mut self) -> (Cat, bool, bool, Option<String>) {
        match self.text_mode {
            TextMode::Instr | TextMode::DelInstr => return (Cat::FieldCode, false, false, None),
            TextMode::DelText => return (Cat::Deleted, false, false, None),
            _ => {}
        }
        if self.revs.contains(&Rev::Del) {
            return (Cat::Deleted, false, false, None);
        }
        if self.revs.contains(&Rev::MoveFrom) {
            return (Cat::MovedFrom, false, false, None);
        }
        if self.frame().hidden {
            return (Cat::Hidden, false, false, None);
        }
        let paragraph_style = self.paras.last().and_then(|p| p.style.clone());
        let styles = self.input.styles;
        let run = self.run.get_or_insert_with(Run::default);
        if run.effective.is_none() {
            let (props, via) = styles.effective(
                &run.direct,
                run.style.as_deref(),
                paragraph_style.as_deref(),
            );
            run.effective = Some((props, via.map(str::to_string)));
        }
        let (props, via) = run.effective.clone().unwrap_or_default();
        if props.vanish == Some(true) || props.spec_vanish == Some(true) {
            return (Cat::Hidden, false, false, via);
        }
        if props.size.is_some_and(|s| s <= 2) {
            return (Cat::Tiny, false, false, None);
        }
        let web_hidden = props.web_hidden == Some(true);
        let layer = self.background(&props, paragraph_style.as_deref());
        let color = props.color.unwrap_or(TextColor::Auto);
        match (color, layer) {
            (TextColor::Rgb(c), Layer::Mark(bg, _)) if c.near(bg) => {
                if bg.is_dark() {
                    (Cat::UnderBar, false, false, None)
                } else {
                    (Cat::SameColour, false, false, None)
                }
            }
            (TextColor::Rgb(c), Layer::Page(bg)) if c.near(bg) => {
                (Cat::SameColour, false, false, None)
            }
            (_, Layer::Mark(bg, true)) if bg.is_dark() => (Cat::Visible, true, web_hidden, None),
            _ => (Cat::Visible, false, web_hidden, None),
        }
    }

    /// The colour right behind the current text: highlight, run shading, paragraph
    /// shading, cell and table shading, a text box's fill, the page.
    fn background(&self, props: &RunProps, paragraph_style: Option<&str>) -> Layer {
        if let Some(Some(c)) = props.highlight {
            return Layer::Mark(c, true);
        }
        if let Some(Some(c)) = props.shading {
            return Layer::Mark(c, false);
        }
        let frame = self.frames.len();
        if let Some(p) = self.paras.last() {
            let shading = p
                .shading
                .or_else(|| self.input.styles.paragraph_shading(paragraph_style));
            if let Some(Some(c)) = shading {
                return Layer::Mark(c, false);
            }
        }
        if let Some(c) = self.cells.last().filter(|c| c.frame == frame) {
            if let Some(s) = c.shading {
                return Layer::Mark(s, false);
            }
            if let Some(t) = self.tables.last().filter(|t| t.frame == frame) {
                if let Some(s) = t.shading {
                    return Layer::Mark(s, false);
                }
                if t.styled_shading {
                    return Layer::Unknown;
                }
            }
        }
        let f = self.frame();
        match (f.is_textbox, f.background) {
            (true, Some(c)) => Layer::Mark(c, false),
            (true, None) => Layer::Unknown,
            (false, Some(c)) => Layer::Page(c),
            (false, None) => Layer::Unknown,
        }
    }

    fn close_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else {
            return;
        };
        self.run = None;
        if p.shadow {
            return;
        }
        let place = if self.input.mode == Mode::Glossary {
            DocPlace::NONE
        } else {
            DocPlace {
                story: p.story,
                paragraph: Some(p.number),
                ..DocPlace::NONE
            }
        };
        let stats_story = p.story;
        let part = self.input.part;
        let mode = self.input.mode;
        let covered = p.boxes.iter().any(|c| *c) && !p.text.trim().is_empty();
        // Visible text.
        if covered {
            self.emit(
                &p.text,
                ItemKind::Paragraph,
                true,
                "text under a box drawn over it",
                place,
            );
            self.stats(stats_story).covered.add(place, &p.text);
        } else if let Some(cell) = self.cells.last_mut().filter(|c| c.frame == p.frame) {
            if !p.text.trim().is_empty() {
                if !cell.text.is_empty() {
                    cell.text.push('\n');
                }
                cell.text.push_str(&p.text);
            }
            cell.first_para.get_or_insert(p.number);
        } else if !p.text.trim().is_empty() {
            let (kind, hidden, detail) = match mode {
                Mode::Document => (ItemKind::Paragraph, false, None),
                Mode::Comments => (ItemKind::Comment, true, None),
                Mode::Glossary => (
                    ItemKind::Paragraph,
                    true,
                    Some("building block (glossary document)"),
                ),
            };
            self.ctx.item(&Item {
                text: &p.text,
                kind,
                hidden,
                part,
                sheet: None,
                cell: None,
                detail,
                doc: place,
            });
        }
        if !p.boxes.is_empty() && !covered {
            self.stats(stats_story).review_boxes.add(place, "");
        }
        if !p.moved_to.trim().is_empty() {
            self.moved_to.insert(normalise(&p.moved_to));
        }
        if !p.readable_bar.trim().is_empty() && mode == Mode::Document {
            self.stats(stats_story)
                .readable_bar
                .add(place, &p.readable_bar);
        }
        if p.web_hidden.chars().any(char::is_alphabetic) && mode == Mode::Document {
            self.stats(stats_story).web_hidden.add(place, &p.web_hidden);
        }
        // Text the reader does not see.
        for (i, text) in p.buckets.iter().enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            let cat = BUCKETS[i];
            let (kind, detail) = match cat {
                Cat::Hidden => (ItemKind::Paragraph, "hidden text"),
                Cat::Deleted => (ItemKind::Revision, "tracked deletion"),
                Cat::MovedFrom => {
                    self.moved_from.push((text.clone(), place));
                    continue;
                }
                Cat::FieldCode => {
                    // A field code that only repeats what its result shows (a HYPERLINK
                    // to the address written in the text) hides nothing more.
                    let rest = beyond_visible(text, &p.text);
                    if !rest.trim().is_empty() {
                        self.emit(&rest, ItemKind::Text, true, "field code", place);
                    }
                    continue;
                }
                Cat::Tiny => (ItemKind::Paragraph, "text of 1 pt or smaller"),
                Cat::SameColour => (ItemKind::Paragraph, "text coloured like its background"),
                Cat::UnderBar => (
                    ItemKind::Paragraph,
                    "text under a black bar of its own colour",
                ),
                Cat::Visible => continue,
            };
            self.emit(text, kind, true, detail, place);
            if mode == Mode::Glossary {
                continue;
            }
            let s = self.stats(stats_story);
            match cat {
                Cat::Hidden => s.hidden.add(place, text),
                Cat::Deleted => s.deleted.add(place, text),
                Cat::Tiny => s.tiny.add(place, text),
                Cat::SameColour => s.same_colour.add(place, text),
                Cat::UnderBar => s.under_bar.add(place, text),
                _ => {}
            }
        }
    }

    fn close_cell(&mut self) {
        let Some(cell) = self.cells.pop() else {
            return;
        };
        if let Some(t) = self.tables.last_mut() {
            t.col = t.col.saturating_add(cell.span);
        }
        if cell.text.trim().is_empty() || self.shadow() {
            return;
        }
        let story = self
            .frames
            .get(cell.frame.saturating_sub(1))
            .and_then(|f| f.story);
        let place = DocPlace {
            story,
            paragraph: cell.first_para.filter(|n| *n > 0),
            table: Some(cell.table),
            ..DocPlace::NONE
        };
        let (kind, hidden, detail) = match self.input.mode {
            Mode::Document => (ItemKind::Cell, false, None),
            Mode::Comments => (ItemKind::Comment, true, None),
            Mode::Glossary => (
                ItemKind::Paragraph,
                true,
                Some("building block (glossary document)"),
            ),
        };
        let place = if self.input.mode == Mode::Glossary {
            DocPlace::NONE
        } else {
            place
        };
        self.ctx.item(&Item {
            text: &cell.text,
            kind,
            hidden,
            part: self.input.part,
            sheet: None,
            cell: (kind == ItemKind::Cell).then_some((cell.row, cell.col)),
            detail,
            doc: place,
        });
    }

    fn emit(&mut self, text: &str, kind: ItemKind, hidden: bool, detail: &str, place: DocPlace) {
        let detail = if self.input.mode == Mode::Glossary {
            "building block (glossary document)"
        } else {
            detail
        };
        self.ctx.item(&Item {
            text,
            kind,
            hidden,
            part: self.input.part,
            sheet: None,
            cell: None,
            detail: Some(detail),
            doc: place,
        });
    }

    /// End of the part: text moved away that is not where it was moved to, the authors of
    /// changes and comments, and one finding per kind of hidden text and story.
    fn finish(&mut self) {
        let part = self.input.part;
        let moved = std::mem::take(&mut self.moved_from);
        for (text, place) in moved {
            if self.moved_to.contains(&normalise(&text)) {
                continue;
            }
            self.emit(
                &text,
                ItemKind::Revision,
                true,
                "text moved away (tracked move)",
                place,
            );
            if self.input.mode != Mode::Glossary {
                self.stats(place.story).moved_away.add(place, &text);
            }
        }
        let authors = std::mem::take(&mut self.authors);
        for a in &authors {
            self.ctx.item(&Item {
                text: a,
                kind: ItemKind::Author,
                hidden: true,
                part,
                sheet: None,
                cell: None,
                detail: Some("author of a tracked change or comment"),
                doc: DocPlace::NONE,
            });
        }
        if self.input.mode == Mode::Glossary {
            return;
        }
        let change_authors = authors.len() as u64;
        for story in std::mem::take(&mut self.story_order) {
            let Some(s) = self.stats.remove(&story) else {
                continue;
            };
            report_story(self.ctx, part, &s, change_authors);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum ChangeKind {
    Insertion,
    Deletion,
    Move,
    Format,
}

/// The words of a field code that the paragraph's visible text does not already show
/// (quotes and a `mailto:` prefix set aside).
fn beyond_visible(code: &str, visible: &str) -> String {
    code.split_whitespace()
        .filter(|w| {
            let bare = w.trim_matches('"');
            let bare = bare.strip_prefix("mailto:").unwrap_or(bare);
            bare.is_empty() || !visible.contains(bare)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whitespace collapsed, to compare texts that differ only in layout.
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn attr_i64(e: &BytesStart<'_>, name: &str) -> i64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0)
}

/// A relationship id attribute (`r:id`, `r:dm`...), by its prefixed name so that plain
/// `w:id` (bookmark and comment ids) is not mistaken for one.
fn rel_id(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        let name = a.key.0;
        let (prefix, local) = name.split_once(':')?;
        (local == key && prefix != "w" && prefix != "w14")
            .then(|| crate::xml::attr_value(a).trim().to_string())
    })
}

/// VML colours: `#000000`, `#000`, `black`, `windowText`, optionally with a `[n]` suffix.
fn vml_color(s: &str) -> Option<Rgb> {
    let s = s.trim();
    let s = s.split_whitespace().next().unwrap_or(s);
    let s = s.split('[').next().unwrap_or(s).trim();
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() == 3 {
            let expanded: String = hex.chars().flat_map(|c| [c, c]).collect();
            return Rgb::parse_hex(&expanded);
        }
        return Rgb::parse_hex(hex);
    }
    match s.to_ascii_lowercase().as_str() {
        "black" | "windowtext" => Some(Rgb::BLACK),
        "white" | "window" => Some(Rgb::WHITE),
        "navy" => Some(Rgb(0, 0, 0x80)),
        "maroon" => Some(Rgb(0x80, 0, 0)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::story_findings::Tally;

    #[test]
    fn field_codes_keep_only_what_the_result_does_not_show() {
        let code = r#" HYPERLINK "mailto:jane.smith@example.com" "#;
        assert_eq!(
            beyond_visible(code, "write to jane.smith@example.com"),
            "HYPERLINK"
        );
        assert_eq!(
            beyond_visible(code, "write to our team"),
            r#"HYPERLINK "mailto:jane.smith@example.com""#
        );
        assert_eq!(
            beyond_visible(" MERGEFIELD Surname ", ""),
            "MERGEFIELD Surname"
        );
    }

    #[test]
    fn vml_colours_read() {
        assert_eq!(vml_color("#000"), Some(Rgb::BLACK));
        assert_eq!(vml_color("black [3213]"), Some(Rgb::BLACK));
        assert_eq!(vml_color("#FFFFFF"), Some(Rgb::WHITE));
        assert_eq!(vml_color("fill darken(118)"), None);
    }

    #[test]
    fn paragraph_lists_read_like_a_person_writes_them() {
        let mut t = Tally::default();
        t.add(
            DocPlace {
                paragraph: Some(3),
                ..DocPlace::NONE
            },
            "a",
        );
        assert_eq!(t.where_words(), " in paragraph 3");
        for p in [7, 9, 12, 15, 20] {
            t.add(
                DocPlace {
                    paragraph: Some(p),
                    ..DocPlace::NONE
                },
                "b",
            );
        }
        assert_eq!(t.where_words(), " in 6 paragraphs (3, 7, 9, 12, 15, …)");
    }
}
