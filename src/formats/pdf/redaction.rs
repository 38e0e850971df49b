//! Who can see each glyph of a page: the geometry of boxes, drawing order and colour.
//!
//! A glyph is painted over (a fake redaction) when an opaque, dark box drawn *after* it covers
//! most of its core; the box can be a filled rectangle, a thick stroke, an image whose covering
//! part is dark, or a redaction or dark highlight annotation. Free Law Project's x-ray taught
//! which look-alikes to leave alone, so none of these count:
//! - a box over nothing (a real redaction removed the text);
//! - shading drawn *before* the text on it (table cells, banners): drawing order decides;
//! - white or light boxes (a white box over text hides it, which is `hidden-text`, not a
//!   redaction that failed);
//! - "REDACTED", "XXXX", punctuation or whitespace under a box;
//! - a box over only part of a glyph (the underline of the line above, a bar beside a word).
//!
//! Invisible text (render mode 3 or 7) is hidden, except on a scanned page, where it is the
//! OCR layer and so the page's own text; there a dark box anywhere over a word (vector or burnt
//! into the scan) hides that word from the reader while the OCR text keeps it: a fake redaction.

use super::page::{BBox, Fill, FillKind, Glyph, Ink, PageRecord};

/// Darkest luminance a box may have and still be a "black box" (navy, dark grey and black
/// markers are all below it; mid greys and table shading are above).
pub const DARK: f32 = 0.35;
/// Lightest boxes: white-out.
pub const LIGHT: f32 = 0.85;
/// White text.
const WHITE_TEXT: f32 = 0.92;
/// Largest luminance difference between text and the box under it at which the text
/// cannot be told from the box.
const SAME_INK: f32 = 0.1;
/// Share of a glyph's core a box must cover.
const COVER: f32 = 0.7;

/// Where a covering box comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    Fill,
    Image,
    /// A `/Redact` annotation never applied.
    RedactAnnot,
    /// A dark highlight or filled square annotation without its own appearance.
    MarkupAnnot,
}

/// A box that may hide the glyphs under it.
#[derive(Debug, Clone, Copy)]
pub struct Cover {
    pub bbox: BBox,
    pub seq: u32,
    pub lum: f32,
    pub kind: BoxKind,
}

/// What a reader sees of a glyph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Visible,
    /// Under the dark box `covers[i]`.
    UnderBox(u32),
    /// Under a white or light box drawn after it.
    WhitedOut,
    /// Render mode 3 or 7 on a page that is not a scan.
    Invisible,
    /// White text with nothing dark under it.
    WhiteOnWhite,
    /// Outside the crop box: never on the page.
    OffPage,
}

/// The result for one page.
#[derive(Default)]
pub struct Classified {
    pub seen: Vec<Seen>,
    pub covers: Vec<Cover>,
    /// The page is a scan with an OCR text layer.
    pub ocr: bool,
}

/// True when `bx` covers at least [`COVER`] of `core`.
pub fn covers(bx: &BBox, core: &BBox) -> bool {
    let w = (bx[2].min(core[2]) - bx[0].max(core[0])).max(0.0);
    let h = (bx[3].min(core[3]) - bx[1].max(core[1])).max(0.0);
    let area = (core[2] - core[0]).max(0.0) * (core[3] - core[1]).max(0.0);
    area > 0.0 && w * h >= COVER * area
}

fn overlaps(a: &BBox, b: &BBox) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

fn is_cover_fill(f: &Fill) -> bool {
    f.opaque && matches!(f.kind, FillKind::Rect | FillKind::Image) && f.lum >= 0.0
}

/// A page is a scan with an OCR layer when a page-sized image carries invisible text and
/// hardly any visible text or drawing besides (boxes drawn on the scan are allowed).
fn is_ocr_page(rec: &PageRecord) -> bool {
    if rec.full_page_images == 0 {
        return false;
    }
    let invisible = rec
        .glyphs
        .iter()
        .filter(|g| g.ink == Ink::Invisible)
        .count();
    let visible = rec
        .glyphs
        .iter()
        .filter(|g| g.ink != Ink::Invisible && !g.clipped)
        .count();
    invisible > 0 && visible <= 3.max(invisible / 10)
}

/// Decides for every glyph of `rec` whether a reader sees it. `annots` are boxes from
/// annotations (drawn after all page content). `crop` is the page's visible area.
pub fn classify(rec: &PageRecord, annots: &[Cover], crop: BBox, out: &mut Classified) {
    out.seen.clear();
    out.covers.clear();
    out.ocr = is_ocr_page(rec);
    out.covers.extend(
        rec.fills
            .iter()
            .filter(|f| is_cover_fill(f))
            .filter_map(|f| {
                (f.lum <= DARK || f.lum >= LIGHT).then_some(Cover {
                    bbox: f.bbox,
                    seq: f.seq,
                    lum: f.lum,
                    kind: if f.kind == FillKind::Image {
                        BoxKind::Image
                    } else {
                        BoxKind::Fill
                    },
                })
            }),
    );
    out.covers.extend_from_slice(annots);

    out.seen
        .extend(rec.glyphs.iter().map(|g| first_look(g, &crop)));

    // Glyphs sorted by the bottom of their core, so each box looks at a band of them.
    let mut order: Vec<u32> = (0..rec.glyphs.len() as u32).collect();
    order.sort_unstable_by(|a, b| {
        rec.glyphs[*a as usize].core[1].total_cmp(&rec.glyphs[*b as usize].core[1])
    });
    let max_h = rec
        .glyphs
        .iter()
        .map(|g| g.core[3] - g.core[1])
        .fold(0.0f32, f32::max);

    for (ci, c) in out.covers.iter().enumerate() {
        let dark = c.lum <= DARK;
        let lo = c.bbox[1] - max_h;
        let start = order.partition_point(|i| rec.glyphs[*i as usize].core[1] < lo);
        for &gi in &order[start..] {
            let g = &rec.glyphs[gi as usize];
            if g.core[1] > c.bbox[3] {
                break;
            }
            let seen = &mut out.seen[gi as usize];
            if matches!(seen, Seen::OffPage | Seen::UnderBox(_)) {
                continue;
            }
            if !covers(&c.bbox, &g.core) {
                continue;
            }
            let on_top = g.seq > c.seq;
            if g.ink == Ink::Invisible {
                // Invisible text has no "on top": on a scan, a dark box anywhere over an
                // OCR word hides the word the OCR layer keeps.
                if out.ocr && dark {
                    *seen = Seen::UnderBox(ci as u32);
                }
                continue;
            }
            if on_top {
                // Text drawn on a dark box in the box's own colour (black shading or
                // highlighting behind black text) cannot be read either.
                // Only a box shaped like a redaction bar (a line or two high) counts: dark
                // page bands and banners with low-contrast text on them are design.
                let bar = c.bbox[3] - c.bbox[1] <= 2.5 * g.size.max(1.0);
                if dark
                    && bar
                    && g.ink == Ink::Fill
                    && g.lum >= 0.0
                    && (g.lum - c.lum).abs() <= SAME_INK
                {
                    *seen = Seen::UnderBox(ci as u32);
                }
                continue;
            }
            *seen = if dark {
                Seen::UnderBox(ci as u32)
            } else if *seen == Seen::Visible || *seen == Seen::WhiteOnWhite {
                Seen::WhitedOut
            } else {
                *seen
            };
        }
    }

    // White text is hidden unless something other than white lies under it.
    for (gi, g) in rec.glyphs.iter().enumerate() {
        if out.seen[gi] != Seen::WhiteOnWhite {
            continue;
        }
        let backed = rec
            .fills
            .iter()
            .any(|f| f.seq < g.seq && overlaps(&f.bbox, &g.core) && (f.lum < LIGHT || f.lum < 0.0));
        if backed {
            out.seen[gi] = Seen::Visible;
        }
    }
    if out.ocr
        && let Some(scan) = &rec.scan
    {
        burnt_boxes(rec, scan, out);
    }
    if out.ocr {
        for s in out.seen.iter_mut() {
            if *s == Seen::Invisible {
                *s = Seen::Visible;
            }
        }
    }
}

/// OCR words lying on black in the scan itself (a box painted onto the image before it was
/// placed). A word is judged as a whole, over its full em box: printed letters darken at most
/// a third of it, a burnt-in box nearly all. Each run of such words on a line becomes one box.
fn burnt_boxes(rec: &PageRecord, scan: &super::page::LumaGrid, out: &mut Classified) {
    /// Darkest a word's em box gets from ink alone is far above this.
    const BURNT: f32 = 0.2;
    let glyphs = &rec.glyphs;
    let mut last: Option<usize> = None;
    let mut i = 0;
    while i < glyphs.len() {
        let ocr_glyph =
            |k: usize| glyphs[k].ink == Ink::Invisible && out.seen[k] == Seen::Invisible;
        if !ocr_glyph(i) || glyphs[i].ch.is_whitespace() {
            i += 1;
            continue;
        }
        // The word: following OCR glyphs up to a space or a jump to another line.
        let mut j = i + 1;
        let mut bbox = glyphs[i].bbox;
        while j < glyphs.len()
            && ocr_glyph(j)
            && !glyphs[j].ch.is_whitespace()
            && (glyphs[j].origin[1] - glyphs[j - 1].origin[1]).abs() < 0.3 * glyphs[i].size
            && glyphs[j].origin[0] - glyphs[j - 1].end[0] < 0.3 * glyphs[i].size
        {
            bbox = super::page::union(bbox, glyphs[j].bbox);
            j += 1;
        }
        let lum = scan.mean(&bbox);
        if (0.0..=BURNT).contains(&lum) {
            let size = glyphs[i].size;
            let joins = last.is_some_and(|ci| {
                let b = &out.covers[ci].bbox;
                bbox[1] < b[3] && bbox[3] > b[1] && bbox[0] - b[2] < 2.0 * size
            });
            let ci = match (joins, last) {
                (true, Some(ci)) => {
                    let b = &mut out.covers[ci].bbox;
                    *b = super::page::union(*b, bbox);
                    ci
                }
                _ => {
                    out.covers.push(Cover {
                        bbox,
                        seq: u32::MAX,
                        lum,
                        kind: BoxKind::Image,
                    });
                    out.covers.len() - 1
                }
            };
            last = Some(ci);
            for s in &mut out.seen[i..j] {
                *s = Seen::UnderBox(ci as u32);
            }
        }
        i = j;
    }
}

fn first_look(g: &Glyph, crop: &BBox) -> Seen {
    // Clipped glyphs count as visible: writers clip overflowing table cells and scrolling
    // form fields, whose text a reader can still reach; the crop box is the page itself.
    if !overlaps(&g.core, crop) {
        Seen::OffPage
    } else if g.ink == Ink::Invisible {
        Seen::Invisible
    } else if g.ink == Ink::Fill && g.lum >= WHITE_TEXT {
        Seen::WhiteOnWhite
    } else {
        Seen::Visible
    }
}

/// True when the text under a box is what a real redaction leaves or writes there: nothing
/// but whitespace and punctuation, a row of X's or other mask characters, or a label such as
/// "REDACTED" or an exemption reference.
pub fn harmless_under_box(text: &str) -> bool {
    let core: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    if core.is_empty() {
        return true;
    }
    if core.chars().all(|c| c == 'X') {
        return true;
    }
    // Labels redaction tools and officers write into boxes (x-ray's "OK words", and the
    // exemption references of UK FOI responses).
    const LABELS: &[&str] = &[
        "REDACTED",
        "REDACTION",
        "WITHHELD",
        "EXEMPT",
        "EXEMPTION",
        "REMOVED",
        "DELETED",
        "CONFIDENTIAL",
        "PRIVILEGE",
        "PRIVILEGED",
    ];
    // Words that may go with a label ("name redacted", "redacted and publicly filed",
    // "section 40 personal data") but are not one on their own.
    const FILLER: &[&str] = &[
        "NAME",
        "AND",
        "PUBLICLY",
        "FILED",
        "PERSONAL",
        "DATA",
        "INFORMATION",
        "UNDER",
        "FOIA",
        "ACT",
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect();
    let exemption = |w: &str| {
        w == "S"
            || w == "SECTION"
            || (w.len() > 1 && w.starts_with('S') && w[1..].chars().all(|c| c.is_ascii_digit()))
    };
    words.iter().all(|w| {
        LABELS.contains(&w.as_str())
            || FILLER.contains(&w.as_str())
            || w.chars().all(|c| c == 'X')
            || w.chars().all(|c| c.is_ascii_digit())
            || exemption(w)
    }) && words
        .iter()
        .any(|w| LABELS.contains(&w.as_str()) || exemption(w))
}

/// A date written as digits ("03/23/2019", "2019-03-23", "23.3.19").
pub fn is_date(text: &str) -> bool {
    let t = text.trim();
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_needs_most_of_the_core() {
        let core = [0.0, 0.0, 10.0, 10.0];
        assert!(covers(&[-1.0, -1.0, 11.0, 11.0], &core));
        assert!(covers(&[0.0, 0.0, 10.0, 8.0], &core));
        assert!(!covers(&[0.0, 0.0, 10.0, 5.0], &core));
        assert!(!covers(&[20.0, 0.0, 30.0, 10.0], &core));
    }

    #[test]
    fn what_real_redactions_leave_under_a_box() {
        for t in [
            "REDACTED",
            "[Redacted]",
            "XXXX XXX",
            "   ",
            ".,",
            "s40(2)",
            "Section 40(2)",
        ] {
            assert!(harmless_under_box(t), "{t}");
        }
        for t in [
            "John Smith",
            "AB 12 34 56 C",
            "34",
            "07700 900123",
            "Sam",
            "Personal data",
        ] {
            assert!(!harmless_under_box(t), "{t}");
        }
    }
}
