//! Single property modifiers ([MS-DOC] 2.2.5): the 16-bit opcode and operand lists
//! (`grpprl`) that carry every character and paragraph property, and the few properties
//! that decide what a reader sees of the text: tracked insertions and deletions with their
//! authors, hidden text, colours, highlight, shading and size, and, for paragraphs, the
//! style, table membership and shading.

use super::le::{u8_at, u16_at, u32_at};
pub use crate::formats::drawingml::Rgb;

/// One sprm with its operand bytes.
#[derive(Debug, Clone, Copy)]
pub struct Prl<'a> {
    pub sprm: u16,
    pub operand: &'a [u8],
}

impl Prl<'_> {
    pub fn byte(&self) -> u8 {
        self.operand.first().copied().unwrap_or(0)
    }

    pub fn word(&self) -> u16 {
        u16_at(self.operand, 0).unwrap_or(0)
    }

    pub fn long(&self) -> u32 {
        u32_at(self.operand, 0).unwrap_or(0)
    }
}

/// Iterates the sprms of a `grpprl`, stopping at the first that runs past its end.
pub fn iter(grpprl: &[u8]) -> impl Iterator<Item = Prl<'_>> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let sprm = u16_at(grpprl, pos)?;
        let at = pos + 2;
        let (start, len) = match sprm >> 13 {
            0 | 1 => (at, 1),
            2 | 4 | 5 => (at, 2),
            3 => (at, 4),
            7 => (at, 3),
            _ => match sprm {
                // sprmTDefTable and sprmTDefTable10: a 2-byte size, one more than the rest.
                0xD608 | 0xD606 => {
                    let cb = u16_at(grpprl, at)? as usize;
                    (at + 2, cb.saturating_sub(1))
                }
                // sprmPChgTabs: a size of 255 means the operand measures itself.
                0xC615 if u8_at(grpprl, at)? == 255 => {
                    let del = u8_at(grpprl, at + 1)? as usize;
                    let add_at = at + 2 + del * 4;
                    let add = u8_at(grpprl, add_at)? as usize;
                    (at + 1, 1 + del * 4 + 1 + add * 3)
                }
                _ => (at + 1, u8_at(grpprl, at)? as usize),
            },
        };
        let operand = grpprl.get(start..start.checked_add(len)?)?;
        pos = start + len;
        Some(Prl { sprm, operand })
    })
}

/// A text colour: Word's automatic colour (black on light backgrounds, white on dark), or
/// a set colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colour {
    #[default]
    Auto,
    Rgb(Rgb),
}

/// Word's 16 colours (`Ico`); 0 is automatic (`None`).
pub fn ico(i: u8) -> Option<Rgb> {
    Some(match i {
        1 => Rgb(0, 0, 0),
        2 => Rgb(0, 0, 0xFF),
        3 => Rgb(0, 0xFF, 0xFF),
        4 => Rgb(0, 0xFF, 0),
        5 => Rgb(0xFF, 0, 0xFF),
        6 => Rgb(0xFF, 0, 0),
        7 => Rgb(0xFF, 0xFF, 0),
        8 => Rgb(0xFF, 0xFF, 0xFF),
        9 => Rgb(0, 0, 0x80),
        10 => Rgb(0, 0x80, 0x80),
        11 => Rgb(0, 0x80, 0),
        12 => Rgb(0x80, 0, 0x80),
        13 => Rgb(0x80, 0, 0),
        14 => Rgb(0x80, 0x80, 0),
        15 => Rgb(0x80, 0x80, 0x80),
        16 => Rgb(0xC0, 0xC0, 0xC0),
        _ => return None,
    })
}

/// A `COLORREF` (red, green, blue, then 0xFF for automatic).
fn colorref(b: &[u8]) -> Option<Rgb> {
    match b {
        [r, g, bl, 0, ..] => Some(Rgb(*r, *g, *bl)),
        _ => None,
    }
}

/// The character properties that decide what a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chp {
    pub vanish: bool,
    pub spec_vanish: bool,
    pub web_hidden: bool,
    pub deleted: bool,
    pub inserted: bool,
    /// Index into `SttbfRMark` of the author of the insertion, and of the deletion.
    pub author_ins: Option<u16>,
    pub author_del: Option<u16>,
    /// A tracked change of formatting (`sprmCPropRMark`).
    pub format_change: bool,
    pub colour: Colour,
    pub highlight: Option<Rgb>,
    pub shading: Option<Rgb>,
    /// Font size in half-points.
    pub hps: u16,
    /// The character stands for an object, a picture or a field character (`fSpec`).
    pub special: bool,
    /// An embedded OLE object's anchor (`fOle2`), and where its data is: the number of
    /// its `ObjectPool` storage (`sprmCPicLocation`).
    pub ole2: bool,
    pub pic_location: Option<u32>,
    /// The character style (`sprmCIstd`).
    pub istd: u16,
}

impl Default for Chp {
    fn default() -> Self {
        Chp {
            vanish: false,
            spec_vanish: false,
            web_hidden: false,
            deleted: false,
            inserted: false,
            author_ins: None,
            author_del: None,
            format_change: false,
            colour: Colour::Auto,
            highlight: None,
            shading: None,
            hps: 20,
            special: false,
            ole2: false,
            pic_location: None,
            istd: 10,
        }
    }
}

/// A toggle operand ([MS-DOC] 2.9.325): off, on, the style's value, or its opposite.
fn toggle(op: u8, base: bool) -> bool {
    match op {
        0 => false,
        1 => true,
        0x80 => base,
        0x81 => !base,
        _ => base,
    }
}

/// The colour a shading shows behind the text: the background colour of a clear pattern,
/// the foreground of a solid one; `None` for automatic (no shading).
fn shading(fore: Option<Rgb>, back: Option<Rgb>, ipat: u16) -> Option<Rgb> {
    match ipat {
        0 => back,
        1 => fore,
        // Patterns between: the darker of the two shows through, close enough to decide
        // whether text in the same colour can be read.
        _ => match (fore, back) {
            (Some(f), Some(b)) => Some(if f.luminance() < b.luminance() { f } else { b }),
            (f, b) => f.or(b),
        },
    }
}

/// A `Shd80` (two Ico colours and a pattern in 16 bits).
pub fn shd80(v: u16) -> Option<Rgb> {
    let fore = ico((v & 0x1F) as u8);
    let back = ico(((v >> 5) & 0x1F) as u8);
    shading(fore, back, v >> 10)
}

/// A `SHDOperand` (size byte, then `Shd`: two COLORREFs and a pattern).
pub fn shd(operand: &[u8]) -> Option<Rgb> {
    let fore = colorref(operand.get(0..4)?);
    let back = colorref(operand.get(4..8)?);
    shading(fore, back, u16_at(operand, 8).unwrap_or(0))
}

pub const SPRM_CISTD: u16 = 0x4A30;

impl Chp {
    /// Applies one character sprm; `base` is the style's value, for toggles.
    pub fn apply(&mut self, p: &Prl<'_>, base: &Chp) {
        match p.sprm {
            0x0800 => self.deleted = toggle(p.byte(), base.deleted),
            0x0801 => self.inserted = toggle(p.byte(), base.inserted),
            0x4804 => self.author_ins = Some(p.word()),
            0x4863 => self.author_del = Some(p.word()),
            0xCA57 | 0xCA89 => self.format_change = p.operand.first().is_some_and(|&f| f != 0),
            0x083C => self.vanish = toggle(p.byte(), base.vanish),
            0x0818 => self.spec_vanish = toggle(p.byte(), base.spec_vanish),
            0x0811 => self.web_hidden = toggle(p.byte(), base.web_hidden),
            0x2A42 => {
                self.colour = match ico(p.byte()) {
                    Some(c) => Colour::Rgb(c),
                    None => Colour::Auto,
                }
            }
            0x6870 => {
                self.colour = match colorref(p.operand) {
                    Some(c) => Colour::Rgb(c),
                    None => Colour::Auto,
                }
            }
            0x2A0C => self.highlight = ico(p.byte()),
            0x4866 => self.shading = shd80(p.word()),
            0xCA71 => self.shading = shd(p.operand),
            0x4A43 => self.hps = p.word(),
            0x0855 => self.special = toggle(p.byte(), false),
            0x080A => self.ole2 = toggle(p.byte(), false),
            0x6A03 => self.pic_location = Some(p.long()),
            SPRM_CISTD => self.istd = p.word(),
            // sprmCPlain: back to the paragraph style's properties, keeping revision marks.
            0x2A33 => {
                let keep = (
                    self.deleted,
                    self.inserted,
                    self.author_ins,
                    self.author_del,
                    self.special,
                );
                *self = *base;
                (
                    self.deleted,
                    self.inserted,
                    self.author_ins,
                    self.author_del,
                    self.special,
                ) = keep;
            }
            _ => {}
        }
    }

    pub fn apply_all(&mut self, grpprl: &[u8], base: &Chp) {
        for p in iter(grpprl) {
            self.apply(&p, base);
        }
    }

    /// The text is not shown: hidden, or deleted.
    pub fn hidden(&self) -> bool {
        self.vanish || self.spec_vanish
    }
}

/// The sprm a simple `Prm0` stands for ([MS-DOC] 2.9.215), for the character and
/// paragraph properties foiguard reads; others change only layout.
pub fn prm0_sprm(isprm: u8) -> Option<u16> {
    Some(match isprm {
        0x18 => 0x2416, // sprmPFInTable
        0x19 => 0x2417, // sprmPFTtp
        0x41 => 0x0800, // sprmCFRMarkDel
        0x42 => 0x0801, // sprmCFRMarkIns
        0x4D => 0x2A0C, // sprmCHighlight
        0x50 => 0x0811, // sprmCFWebHidden
        0x51 => 0x0818, // sprmCFSpecVanish
        0x53 => 0x2A33, // sprmCPlain
        0x5C => 0x083C, // sprmCFVanish
        0x62 => 0x2A42, // sprmCIco
        0x63 => 0x4A43, // sprmCHps
        _ => return None,
    })
}

/// Paragraph properties: its style, whether it sits in a table and ends a row, and the
/// shading behind its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pap {
    pub istd: u16,
    pub in_table: bool,
    /// Table terminating paragraph: the mark that ends a row.
    pub ttp: bool,
    /// Nesting depth (`sprmPItap`); 0 outside tables.
    pub itap: u32,
    pub inner_cell: bool,
    pub inner_ttp: bool,
    pub shading: Option<Rgb>,
}

impl Pap {
    pub fn apply(&mut self, p: &Prl<'_>) {
        match p.sprm {
            0x2416 => self.in_table = p.byte() != 0,
            0x2417 => self.ttp = p.byte() != 0,
            0x6649 => self.itap = p.long(),
            0x664A => self.itap = (self.itap as i64 + p.long() as i32 as i64).max(0) as u32,
            0x244B => self.inner_cell = p.byte() != 0,
            0x244C => self.inner_ttp = p.byte() != 0,
            0x442D => self.shading = shd80(p.word()),
            0xC64D => self.shading = shd(p.operand),
            _ => {}
        }
    }

    pub fn apply_all(&mut self, grpprl: &[u8]) {
        for p in iter(grpprl) {
            self.apply(&p);
        }
    }

    /// The depth of the table the paragraph sits in (1 for an outer table).
    pub fn depth(&self) -> u32 {
        if self.itap > 0 {
            self.itap
        } else if self.in_table {
            1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprms_are_measured_by_their_opcode() {
        // sprmCFRMarkDel on, sprmCIbstRMarkDel 3, sprmCCv red, a variable sprmCShd.
        let mut g = vec![
            0x00, 0x08, 0x01, 0x63, 0x48, 0x03, 0x00, 0x70, 0x68, 0xFF, 0, 0, 0,
        ];
        g.extend_from_slice(&[0x71, 0xCA, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let prls: Vec<Prl<'_>> = iter(&g).collect();
        assert_eq!(prls.len(), 4);
        let mut chp = Chp::default();
        chp.apply_all(&g, &Chp::default());
        assert!(chp.deleted);
        assert_eq!(chp.author_del, Some(3));
        assert_eq!(chp.colour, Colour::Rgb(Rgb(0xFF, 0, 0)));
        assert_eq!(chp.shading, Some(Rgb::BLACK));
        // Cut anywhere, the iterator stops without reading past the end.
        for cut in 0..g.len() {
            let _ = iter(&g[..cut]).count();
        }
    }

    #[test]
    fn toggles_follow_the_style() {
        let base = Chp {
            vanish: true,
            ..Chp::default()
        };
        let mut chp = base;
        chp.apply_all(&[0x3C, 0x08, 0x81], &base);
        assert!(!chp.vanish);
        chp.apply_all(&[0x3C, 0x08, 0x80], &base);
        assert!(chp.vanish);
    }
}
