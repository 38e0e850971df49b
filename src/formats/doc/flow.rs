//! The text of every story, read character by character with the properties that apply to
//! it, and sorted by what a reader really sees, exactly as the docx inspector sorts a
//! story part:
//! - visible text goes to the detectors as the paragraph, or as a table cell with its row
//!   and column (Word tables are grids: cell marks `\x07`, and the row-end mark of a table
//!   terminating paragraph);
//! - text a reader does not see goes to the detectors as hidden content, each kind on its
//!   own: tracked deletions, text formatted hidden, field codes, text of 1 pt or less, text
//!   coloured like its background, and text under a black bar of its own colour.
//!
//! Paragraphs are numbered from 1 within each story (the body, the headers, the footers,
//! the footnotes, the comments...). What a story hides becomes findings at its end, one per
//! kind, placed at the first paragraph concerned, with the docx inspector's messages.

use super::sprm::{Chp, Colour, Pap, Rgb};
use crate::context::Ctx;
use crate::detect::ItemSink;
use crate::formats::story_findings::{Stats, report_story};
use crate::model::{DocPlace, Item, ItemKind, Story};
use std::collections::{BTreeSet, HashMap};

/// The stream text and findings are reported against.
pub const PART: &str = "WordDocument";
/// Deepest nesting of fields followed.
const MAX_FIELD_DEPTH: usize = 64;

/// What a reader makes of a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cat {
    Visible,
    Hidden,
    Deleted,
    FieldCode,
    Tiny,
    SameColour,
    UnderBar,
}

const BUCKETS: [Cat; 6] = [
    Cat::Hidden,
    Cat::Deleted,
    Cat::FieldCode,
    Cat::Tiny,
    Cat::SameColour,
    Cat::UnderBar,
];

fn bucket(cat: Cat) -> usize {
    BUCKETS.iter().position(|c| *c == cat).unwrap_or(0)
}

/// The background a character is drawn on.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layer {
    /// A highlight (`true`) or shading, right behind the text.
    Mark(Rgb, bool),
    Page,
    /// A table style may paint it: no colour judgement.
    Unknown,
}

/// The background of the table cell a character sits in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellBackground {
    /// Not in a table, or a cell without shading: the page shows through.
    None,
    Known(Rgb),
    /// Shaded by a table style, or in a nested table: not known here.
    Unknown,
}

/// What a reader makes of a character with properties `chp` in a paragraph shaded
/// `para_shading` and a table cell of background `cell`; also whether it sits readable on a
/// black highlight.
pub fn category(chp: &Chp, para_shading: Option<Rgb>, cell: CellBackground) -> (Cat, bool) {
    if chp.deleted {
        return (Cat::Deleted, false);
    }
    if chp.hidden() {
        return (Cat::Hidden, false);
    }
    if chp.hps > 0 && chp.hps <= 2 {
        return (Cat::Tiny, false);
    }
    let layer = match (chp.highlight, chp.shading, para_shading, cell) {
        (Some(c), _, _, _) => Layer::Mark(c, true),
        (None, Some(c), _, _) => Layer::Mark(c, false),
        (None, None, Some(c), _) => Layer::Mark(c, false),
        (None, None, None, CellBackground::Known(c)) => Layer::Mark(c, false),
        (None, None, None, CellBackground::Unknown) => Layer::Unknown,
        _ => Layer::Page,
    };
    match (chp.colour, layer) {
        (Colour::Rgb(c), Layer::Mark(bg, _)) if c.near(bg) => {
            if bg.is_dark() {
                (Cat::UnderBar, false)
            } else {
                (Cat::SameColour, false)
            }
        }
        (Colour::Rgb(c), Layer::Page) if c.near(Rgb::WHITE) => (Cat::SameColour, false),
        (_, Layer::Mark(bg, true)) if bg.is_dark() => (Cat::Visible, true),
        _ => (Cat::Visible, false),
    }
}

/// Where each character's properties come from; implemented by the document reader.
pub trait Props {
    /// The character's text unit and its effective character properties.
    fn char_at(&mut self, cp: u32) -> Option<(u16, Chp)>;
    /// Properties of the paragraph whose mark is at `cp`.
    fn pap_at(&mut self, cp: u32) -> Pap;
    /// The shading of the paragraph that holds `cp`.
    fn para_shading(&mut self, cp: u32) -> Option<Rgb>;
    /// The background of the table cell that holds `cp`, the `col`-th of its row.
    fn cell_background(&mut self, cp: u32, col: u32) -> CellBackground;
    /// The name of the style a hidden character got its hidden property from, if it did.
    fn hidden_via(&mut self, cp: u32) -> Option<String>;
}

/// A range of the CP space read as one story (a header, the footnotes...).
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub story: Story,
    pub start: u32,
    pub end: u32,
    pub role: Role,
}

/// What a range holds besides its story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Text,
    /// The text of one comment.
    Comment,
    /// Text of the comments story after the last comment.
    CommentTail,
    /// A footnote or endnote separator or continuation notice: not a paragraph a reader
    /// counts (usually no text at all).
    Separator,
}

/// What the comments need from the reading.
#[derive(Debug, Default)]
pub struct Output {
    /// Paragraph number in the body of every paragraph mark read, for placing comment
    /// anchors: (CP of the mark, paragraph number).
    pub body_marks: Vec<(u32, u32)>,
    /// For each comment story range, its first paragraph and its count of non-space
    /// characters.
    pub comment_text: Vec<(Option<u32>, u64)>,
    /// `SttbfRMark` indices of the authors of tracked changes.
    pub change_authors: BTreeSet<u16>,
    pub changes: u64,
    /// Where each embedded object is anchored: its `ObjectPool` storage number and place.
    pub objects: Vec<(u32, DocPlace)>,
}

#[derive(Debug, Default)]
struct Para {
    number: u32,
    text: String,
    buckets: [String; 6],
    last: Option<Cat>,
    readable_bar: String,
    web_hidden: String,
}

#[derive(Debug, Default)]
struct Cell {
    text: String,
    first_para: Option<u32>,
}

#[derive(Debug, Default)]
struct Table {
    index: u32,
    row: u32,
    col: u32,
    open: bool,
}

pub struct Reader<'c, 'e> {
    ctx: &'c mut Ctx<'e>,
    stats: HashMap<Story, Stats>,
    order: Vec<Story>,
    counters: HashMap<Story, u32>,
    tables: HashMap<Story, Table>,
    /// Paragraphs read now are not numbered (separators).
    uncounted: bool,
    pub out: Output,
}

/// A field being read: its code (instruction) until the separator, then its result.
#[derive(Default)]
struct Field {
    result: bool,
    /// The start of the code, to recognise fields whose code is shown.
    code: String,
    /// A `MACROBUTTON` field shows the rest of its code (after the macro name) as its
    /// text: that part is read as visible.
    shown: bool,
}

impl Field {
    fn push_code(&mut self, c: char) {
        if self.code.len() < 64 {
            self.code.push(c);
            let mut words = self.code.split_whitespace();
            self.shown = words
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("MACROBUTTON"))
                && words.next().is_some()
                && self.code.ends_with(char::is_whitespace);
        }
    }
}

impl<'c, 'e> Reader<'c, 'e> {
    pub fn new(ctx: &'c mut Ctx<'e>) -> Self {
        Reader {
            ctx,
            stats: HashMap::new(),
            order: Vec::new(),
            counters: HashMap::new(),
            tables: HashMap::new(),
            uncounted: false,
            out: Output::default(),
        }
    }

    fn stats(&mut self, story: Story) -> &mut Stats {
        if !self.order.contains(&story) {
            self.order.push(story);
        }
        self.stats.entry(story).or_default()
    }

    /// Reads one range of the CP space.
    pub fn read(&mut self, range: Range, props: &mut dyn Props) {
        let role = range.role;
        let comment = matches!(role, Role::Comment | Role::CommentTail);
        self.uncounted = role == Role::Separator;
        let story = range.story;
        let mut para = self.new_para(story);
        let mut cell: Option<Cell> = None;
        let mut fields: Vec<Field> = Vec::new();
        let mut prev_del = false;
        let mut prev_ins = false;
        let mut prev_fmt = false;
        let mut comment_first: Option<u32> = None;
        let mut comment_chars = 0u64;
        let mut cp = range.start;
        while cp < range.end {
            if (cp - range.start).is_multiple_of(65_536) && self.ctx.check_time().is_err() {
                break;
            }
            let Some((unit, chp)) = props.char_at(cp) else {
                break;
            };
            let here = cp;
            cp += 1;
            // Tracked changes are counted by runs of marked characters.
            if chp.deleted && !prev_del {
                self.change(story, &para, true, chp.author_del.or(chp.author_ins));
            }
            if chp.inserted && !chp.deleted && !prev_ins {
                self.change(story, &para, false, chp.author_ins);
            }
            if chp.format_change && !prev_fmt {
                self.stats(story).format_changes += 1;
                self.out.changes += 1;
                let place = self.place(story, para.number);
                let s = self.stats(story);
                s.first_change.get_or_insert(place);
                s.change_paragraphs.add(place, "");
            }
            prev_del = chp.deleted;
            prev_ins = chp.inserted && !chp.deleted;
            prev_fmt = chp.format_change;
            // The object's mark (Word formats the \x01 of an EMBED field's result,
            // LibreOffice its field separator).
            if chp.ole2
                && let Some(id) = chp.pic_location
                && self.out.objects.len() < 65_536
                && !self.out.objects.iter().any(|(o, _)| *o == id)
            {
                let place = self.place(story, para.number);
                self.out.objects.push((id, place));
            }
            match unit {
                0x13 => {
                    if fields.len() < MAX_FIELD_DEPTH {
                        fields.push(Field::default());
                    }
                    continue;
                }
                0x14 => {
                    if let Some(f) = fields.last_mut() {
                        f.result = true;
                    }
                    continue;
                }
                0x15 => {
                    fields.pop();
                    continue;
                }
                0x0D | 0x07 => {
                    let pap = props.pap_at(here);
                    self.end_paragraph(story, &mut para, &mut cell, unit, &pap, here, comment);
                    if comment {
                        comment_first.get_or_insert(para.number);
                    }
                    para = self.new_para(story);
                    continue;
                }
                _ => {}
            }
            let Some(c) = text_of(unit, &chp) else {
                continue;
            };
            let in_code = fields.iter().any(|f| !f.result && !f.shown);
            if let Some(f) = fields.last_mut().filter(|f| !f.result && !f.shown) {
                f.push_code(c);
            }
            let (cat, readable) = if in_code {
                (Cat::FieldCode, false)
            } else {
                let col = self.tables.get(&story).map_or(0, |t| t.col);
                let cell = props.cell_background(here, col);
                category(&chp, props.para_shading(here), cell)
            };
            if cat == Cat::Hidden && !chp.deleted {
                match props.hidden_via(here) {
                    Some(name) => {
                        self.stats(story).hidden_styles.insert(name);
                    }
                    None => self.stats(story).hidden_direct += 1,
                }
            }
            if comment && !c.is_whitespace() {
                comment_chars += 1;
            }
            push(&mut para, cat, c, readable, chp.web_hidden);
        }
        // Text after the last mark of the range (a story that does not end in one).
        if !para.text.trim().is_empty() || para.buckets.iter().any(|b| !b.trim().is_empty()) {
            let pap = Pap::default();
            self.end_paragraph(story, &mut para, &mut cell, 0x0D, &pap, range.end, comment);
            if comment {
                comment_first.get_or_insert(para.number);
            }
        }
        self.close_table(story);
        if role == Role::Comment {
            self.out.comment_text.push((comment_first, comment_chars));
        }
        self.uncounted = false;
    }

    fn new_para(&mut self, story: Story) -> Para {
        let c = self.counters.entry(story).or_default();
        Para {
            number: if self.uncounted { 0 } else { *c + 1 },
            ..Para::default()
        }
    }

    fn place(&self, story: Story, paragraph: u32) -> DocPlace {
        DocPlace {
            story: Some(story),
            paragraph: (paragraph > 0).then_some(paragraph),
            ..DocPlace::NONE
        }
    }

    fn change(&mut self, story: Story, para: &Para, deletion: bool, author: Option<u16>) {
        let place = self.place(story, para.number);
        if let Some(a) = author {
            self.out.change_authors.insert(a);
        }
        self.out.changes += 1;
        let s = self.stats(story);
        if deletion {
            s.deletions += 1;
        } else {
            s.insertions += 1;
        }
        s.first_change.get_or_insert(place);
        s.change_paragraphs.add(place, "");
    }

    fn close_table(&mut self, story: Story) {
        if let Some(t) = self.tables.get_mut(&story)
            && t.open
        {
            t.open = false;
            t.index += 1;
            t.row = 0;
            t.col = 0;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn end_paragraph(
        &mut self,
        story: Story,
        para: &mut Para,
        cell: &mut Option<Cell>,
        mark: u16,
        pap: &Pap,
        mark_cp: u32,
        comment: bool,
    ) {
        let depth = pap.depth();
        let row_end = mark == 0x07 && depth >= 1 && (pap.ttp || (depth > 1 && pap.inner_ttp));
        if depth == 0 {
            self.close_table(story);
        }
        // A row-end mark ends the row; it is not a paragraph of its own.
        if row_end && depth == 1 {
            if let Some(t) = self.tables.get_mut(&story) {
                t.row += 1;
                t.col = 0;
            }
            *cell = None;
            return;
        }
        let number = if self.uncounted {
            0
        } else {
            let c = self.counters.entry(story).or_default();
            *c += 1;
            *c
        };
        para.number = number;
        if story == Story::Body {
            self.out.body_marks.push((mark_cp, number));
        }
        let place = self.place(story, number);
        let kind = if comment {
            ItemKind::Comment
        } else {
            ItemKind::Paragraph
        };
        if depth >= 1 {
            let t = self.tables.entry(story).or_default();
            t.open = true;
            let c = cell.get_or_insert_with(Cell::default);
            c.first_para.get_or_insert(number);
            if !para.text.trim().is_empty() {
                if !c.text.is_empty() {
                    c.text.push('\n');
                }
                c.text.push_str(para.text.trim_end());
            }
            // An outer cell ends at its cell mark; nested tables' marks stay inside it.
            if mark == 0x07 && depth == 1 {
                let c = cell.take().unwrap_or_default();
                let (table, row, col) = (t.index, t.row, t.col);
                t.col += 1;
                if !c.text.trim().is_empty() {
                    let place = DocPlace {
                        story: Some(story),
                        paragraph: c.first_para,
                        table: Some(table),
                        ..DocPlace::NONE
                    };
                    self.ctx.item(&Item {
                        text: &c.text,
                        kind: if comment {
                            ItemKind::Comment
                        } else {
                            ItemKind::Cell
                        },
                        hidden: comment,
                        part: PART,
                        sheet: None,
                        cell: (!comment).then_some((row, col)),
                        detail: None,
                        doc: place,
                    });
                }
            }
        } else if !para.text.trim().is_empty() {
            self.ctx.item(&Item {
                text: para.text.trim_end(),
                kind,
                hidden: comment,
                part: PART,
                sheet: None,
                cell: None,
                detail: None,
                doc: place,
            });
        }
        if !para.readable_bar.trim().is_empty() && !comment {
            let t = std::mem::take(&mut para.readable_bar);
            self.stats(story).readable_bar.add(place, &t);
        }
        if para.web_hidden.chars().any(char::is_alphabetic) && !comment {
            let t = std::mem::take(&mut para.web_hidden);
            self.stats(story).web_hidden.add(place, &t);
        }
        for (i, text) in para.buckets.iter().enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            let cat = BUCKETS[i];
            let (kind, detail) = match cat {
                Cat::Hidden => (ItemKind::Paragraph, "hidden text"),
                Cat::Deleted => (ItemKind::Revision, "tracked deletion"),
                Cat::FieldCode => {
                    // A field code that only repeats what its result shows (a HYPERLINK
                    // to the address written in the text) hides nothing more.
                    let rest = beyond_visible(text, &para.text);
                    if !rest.trim().is_empty() {
                        self.ctx.item(&Item {
                            text: &rest,
                            kind: ItemKind::Text,
                            hidden: true,
                            part: PART,
                            sheet: None,
                            cell: None,
                            detail: Some("field code"),
                            doc: place,
                        });
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
            let kind = if comment && kind == ItemKind::Paragraph {
                ItemKind::Comment
            } else {
                kind
            };
            self.ctx.item(&Item {
                text,
                kind,
                hidden: true,
                part: PART,
                sheet: None,
                cell: None,
                detail: Some(detail),
                doc: place,
            });
            let text = text.clone();
            let s = self.stats.entry(story).or_default();
            if !self.order.contains(&story) {
                self.order.push(story);
            }
            match cat {
                Cat::Hidden => s.hidden.add(place, &text),
                Cat::Deleted => s.deleted.add(place, &text),
                Cat::Tiny => s.tiny.add(place, &text),
                Cat::SameColour => s.same_colour.add(place, &text),
                Cat::UnderBar => s.under_bar.add(place, &text),
                _ => {}
            }
        }
    }

    /// The findings for every story read, and the change authors' names.
    pub fn finish(mut self, authors: &[String]) -> Output {
        let used: Vec<&String> = if self.out.change_authors.is_empty() {
            Vec::new()
        } else {
            self.out
                .change_authors
                .iter()
                .filter_map(|&i| authors.get(i as usize))
                .collect()
        };
        // Without author indices on the changes, every name the revision table keeps is
        // a candidate (Word's placeholder "Unknown" is not a person).
        let named: Vec<&String> = if used.is_empty() && self.out.changes > 0 {
            authors
                .iter()
                .filter(|a| !a.trim().is_empty() && !a.eq_ignore_ascii_case("unknown"))
                .collect()
        } else {
            used
        };
        for a in &named {
            self.ctx.item(&Item {
                text: a,
                kind: ItemKind::Author,
                hidden: true,
                part: PART,
                sheet: None,
                cell: None,
                detail: Some("author of a tracked change"),
                doc: DocPlace::NONE,
            });
        }
        let mut distinct: Vec<&str> = named.iter().map(|s| s.trim()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let change_authors = distinct.len() as u64;
        for story in std::mem::take(&mut self.order) {
            if let Some(s) = self.stats.remove(&story) {
                report_story(self.ctx, PART, &s, change_authors);
            }
        }
        self.out
    }
}

/// The words of a field code that the paragraph's visible text does not already show
/// (quotes and a `mailto:` prefix set aside), as the docx inspector judges them.
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

/// Appends a character's text to the paragraph under its category.
fn push(p: &mut Para, cat: Cat, c: char, readable: bool, web_hidden: bool) {
    if cat == Cat::Visible {
        p.text.push(c);
        if readable {
            p.readable_bar.push(c);
        }
        if web_hidden {
            p.web_hidden.push(c);
        }
    } else {
        let b = &mut p.buckets[bucket(cat)];
        if p.last != Some(cat) && !b.is_empty() {
            b.push('\n');
        }
        b.push(c);
    }
    p.last = Some(cat);
}

/// What a text unit reads as: control characters of the text flow become the space or
/// line break they stand for, or nothing. Surrogate halves become the replacement
/// character: Word writes characters beyond the BMP too rarely to be worth joining pairs.
fn text_of(unit: u16, chp: &Chp) -> Option<char> {
    // Characters that stand for objects, pictures, notes and comment anchors.
    if chp.special && matches!(unit, 0x01..=0x08 | 0x28) {
        return None;
    }
    Some(match unit {
        0x09 => '\t',
        0x0B | 0x0C | 0x0E => '\n',
        0x1E => '-',
        0xA0 => ' ',
        0x00..=0x1F => return None,
        _ => char::from_u32(unit as u32).unwrap_or(char::REPLACEMENT_CHARACTER),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_reader_sees() {
        let black = Chp {
            colour: Colour::Rgb(Rgb::BLACK),
            ..Chp::default()
        };
        let bar = Chp {
            highlight: Some(Rgb::BLACK),
            ..black
        };
        assert_eq!(
            category(&bar, None, CellBackground::None),
            (Cat::UnderBar, false)
        );
        let auto_on_bar = Chp {
            colour: Colour::Auto,
            ..bar
        };
        assert_eq!(
            category(&auto_on_bar, None, CellBackground::None),
            (Cat::Visible, true)
        );
        let white = Chp {
            colour: Colour::Rgb(Rgb::WHITE),
            ..Chp::default()
        };
        assert_eq!(
            category(&white, None, CellBackground::None),
            (Cat::SameColour, false)
        );
        let white_on_navy = Chp {
            shading: Some(Rgb(0x1F, 0x38, 0x64)),
            ..white
        };
        assert_eq!(
            category(&white_on_navy, None, CellBackground::None),
            (Cat::Visible, false)
        );
        // White text in a cell shaded dark, or shaded by a table style, is not disguised.
        let navy = CellBackground::Known(Rgb(0x1F, 0x38, 0x64));
        assert_eq!(category(&white, None, navy), (Cat::Visible, false));
        assert_eq!(
            category(&white, None, CellBackground::Unknown),
            (Cat::Visible, false)
        );
        assert_eq!(
            category(&white, None, CellBackground::Known(Rgb::WHITE)),
            (Cat::SameColour, false)
        );
        let tiny = Chp {
            hps: 2,
            ..Chp::default()
        };
        assert_eq!(
            category(&tiny, None, CellBackground::None),
            (Cat::Tiny, false)
        );
        let deleted_hidden = Chp {
            deleted: true,
            vanish: true,
            ..Chp::default()
        };
        assert_eq!(
            category(&deleted_hidden, None, CellBackground::None),
            (Cat::Deleted, false)
        );
    }
}
