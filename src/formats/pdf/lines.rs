//! Glyphs into words and lines, so the detectors see "AB 12 34 56 C" or "DS Patel" as one
//! text even when a writer placed every glyph on its own.
//!
//! Glyphs are taken in drawing order, which follows reading order in nearly every writer.
//! A glyph joins the line of the one before it when it sits on the same baseline, a little
//! ahead of it; a gap wider than a space's share of the font size becomes a space, and a jump
//! backwards, to another baseline or far ahead starts a new line. The text goes into one
//! buffer reused for the whole page; lines are ranges of it.

use super::page::{BBox, Glyph, union};

/// One line of text: `buf[start..end]` and its box on the page.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    pub bbox: BBox,
    pub glyphs: u32,
}

/// Gap (in font sizes) above which two glyphs are two words.
const WORD_GAP: f32 = 0.18;
/// Gap above which they are not on one line of text any more (table columns far apart).
const LINE_GAP: f32 = 4.0;

/// Appends the lines made of the glyphs `keep` selects, in drawing order.
pub fn build(
    glyphs: &[Glyph],
    mut keep: impl FnMut(usize) -> bool,
    buf: &mut String,
    out: &mut Vec<Line>,
) {
    let mut prev: Option<&Glyph> = None;
    let mut cur: Option<Line> = None;
    for (i, g) in glyphs.iter().enumerate() {
        if !keep(i) {
            continue;
        }
        let joined = match (prev, cur.as_mut()) {
            (Some(p), Some(line)) => match relation(p, g) {
                Relation::Same => true,
                Relation::Space => {
                    if !buf.ends_with(' ') && !g.ch.is_whitespace() {
                        buf.push(' ');
                    }
                    true
                }
                Relation::Break => false,
            }
            .then(|| {
                line.bbox = union(line.bbox, g.bbox);
                line.glyphs += 1;
            })
            .is_some(),
            _ => false,
        };
        if !joined {
            if let Some(line) = cur.take() {
                finish(buf, line, out);
            }
            cur = Some(Line {
                start: buf.len(),
                end: buf.len(),
                bbox: g.bbox,
                glyphs: 1,
            });
        }
        let ch = if g.ch.is_whitespace() || g.ch.is_control() {
            ' '
        } else {
            g.ch
        };
        if !(ch == ' ' && (buf.ends_with(' ') || cur.is_some_and(|l| l.start == buf.len()))) {
            buf.push(ch);
        }
        prev = Some(g);
    }
    if let Some(line) = cur.take() {
        finish(buf, line, out);
    }
}

fn finish(buf: &mut String, mut line: Line, out: &mut Vec<Line>) {
    while buf.len() > line.start && buf.ends_with(' ') {
        buf.pop();
    }
    line.end = buf.len();
    if line.end > line.start {
        out.push(line);
    }
}

enum Relation {
    Same,
    Space,
    Break,
}

fn relation(p: &Glyph, g: &Glyph) -> Relation {
    let size = p.size.max(g.size).max(0.5);
    let (mut dx, mut dy) = (p.end[0] - p.origin[0], p.end[1] - p.origin[1]);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-3 {
        (dx, dy) = (1.0, 0.0);
    } else {
        (dx, dy) = (dx / len, dy / len);
    }
    let (vx, vy) = (g.origin[0] - p.end[0], g.origin[1] - p.end[1]);
    let along = vx * dx + vy * dy;
    let across = (vx * dy - vy * dx).abs();
    if across > 0.45 * size || along < -0.5 * size || along > LINE_GAP * size {
        Relation::Break
    } else if along > WORD_GAP * size {
        Relation::Space
    } else {
        Relation::Same
    }
}
