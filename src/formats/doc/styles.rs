//! The style sheet (`STSH`, [MS-DOC] 2.9.271): each paragraph and character style's name,
//! base style and character properties, so text hidden or coloured through a style is
//! seen as such. A style's properties are its base's with its own applied over them
//! (toggles flip the base's value), resolved once per style with the chain's depth capped.

use super::le::{u16_at, utf16_at};
use super::sprm::Chp;

/// Most styles read, and the deepest base-style chain followed.
const MAX_STYLES: usize = 4096;
const MAX_DEPTH: usize = 16;
const NONE: u16 = 0x0FFF;

#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    base: u16,
    /// 1 paragraph, 2 character, 3 table, 4 numbering.
    kind: u8,
    chpx: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct Styles {
    styles: Vec<Option<Style>>,
    resolved: Vec<Chp>,
    /// Why the style sheet could not be read whole, if it could not.
    problem: Option<String>,
}

impl Styles {
    pub fn parse(stsh: &[u8]) -> Styles {
        let mut out = Styles::default();
        if stsh.is_empty() {
            return out;
        }
        let (Some(cb_stshi), Some(cstd), Some(cb_base)) =
            (u16_at(stsh, 0), u16_at(stsh, 2), u16_at(stsh, 4))
        else {
            out.problem = Some("the style sheet is cut short".into());
            return out;
        };
        let cstd = (cstd as usize).min(MAX_STYLES);
        let mut pos = 2 + cb_stshi as usize;
        for _ in 0..cstd {
            let Some(cb) = u16_at(stsh, pos) else {
                out.problem = Some("the style sheet ends before its last style".into());
                break;
            };
            let body = stsh.get(pos + 2..pos + 2 + cb as usize);
            pos += 2 + cb as usize;
            let style = match body {
                Some(b) if !b.is_empty() => std_entry(b, cb_base as usize),
                Some(_) => None,
                None => {
                    out.problem = Some("a style runs past the end of the style sheet".into());
                    None
                }
            };
            out.styles.push(style);
        }
        out.resolve();
        out
    }

    fn resolve(&mut self) {
        let n = self.styles.len();
        let mut done: Vec<Option<Chp>> = vec![None; n];
        for i in 0..n {
            // Walk up to the root, then apply down the chain.
            let mut chain = Vec::new();
            let mut at = i as u16;
            while (at as usize) < n && chain.len() < MAX_DEPTH && !chain.contains(&at) {
                if done[at as usize].is_some() {
                    break;
                }
                chain.push(at);
                at = self.styles[at as usize].as_ref().map_or(NONE, |s| s.base);
            }
            let mut chp = done.get(at as usize).copied().flatten().unwrap_or_default();
            for &s in chain.iter().rev() {
                let base = chp;
                if let Some(style) = &self.styles[s as usize] {
                    chp.apply_all(&style.chpx, &base);
                }
                // A style's own character style is itself; revision marks never come
                // from styles.
                chp.deleted = false;
                chp.inserted = false;
                done[s as usize] = Some(chp);
            }
        }
        self.resolved = done.into_iter().map(Option::unwrap_or_default).collect();
    }

    /// The character properties of style `istd` (defaults when it does not exist).
    pub fn chp(&self, istd: u16) -> Chp {
        self.resolved
            .get(istd as usize)
            .copied()
            .unwrap_or_default()
    }

    pub fn name(&self, istd: u16) -> Option<&str> {
        self.styles
            .get(istd as usize)?
            .as_ref()
            .map(|s| s.name.as_str())
    }

    /// True for a character style (as opposed to a paragraph style).
    pub fn is_character(&self, istd: u16) -> bool {
        self.styles
            .get(istd as usize)
            .and_then(|s| s.as_ref())
            .is_some_and(|s| s.kind == 2)
    }

    /// Applies character style `istd` (its chain from the root down) over the paragraph
    /// style's properties `chp`: what the character style sets wins, the rest stays.
    pub fn apply_character_style(&self, istd: u16, chp: &mut Chp) {
        let mut chain = Vec::new();
        let mut at = istd;
        while (at as usize) < self.styles.len() && chain.len() < MAX_DEPTH && !chain.contains(&at) {
            chain.push(at);
            at = self.styles[at as usize].as_ref().map_or(NONE, |s| s.base);
        }
        for &s in chain.iter().rev() {
            if let Some(style) = &self.styles[s as usize] {
                let base = *chp;
                chp.apply_all(&style.chpx, &base);
            }
        }
        chp.deleted = false;
        chp.inserted = false;
    }

    /// Why the style sheet could not be read whole, if it could not.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}

/// One `STD`: `StdfBase` (and `StdfPost2000`, `cb_base` bytes in all), the name, then the
/// property groups (`UPX`), each padded to an even length.
fn std_entry(b: &[u8], cb_base: usize) -> Option<Style> {
    let w1 = u16_at(b, 2)?;
    let kind = (w1 & 0x000F) as u8;
    let base = w1 >> 4;
    let cupx = (u16_at(b, 4)? & 0x000F) as usize;
    let mut pos = cb_base.max(10);
    let cch = u16_at(b, pos)? as usize;
    let name = utf16_at(b, pos + 2, cch).unwrap_or_default();
    pos += 2 + cch * 2 + 2;
    let mut upx: Vec<&[u8]> = Vec::new();
    for _ in 0..cupx.min(3) {
        let Some(cb) = u16_at(b, pos) else { break };
        let Some(body) = b.get(pos + 2..pos + 2 + cb as usize) else {
            break;
        };
        upx.push(body);
        pos += 2 + cb as usize;
        pos += pos % 2;
    }
    // The character UPX is the last one of paragraph and table styles, the only one of
    // character styles; numbering styles have none.
    let chpx = match kind {
        1 => upx.get(1),
        2 => upx.first(),
        3 => upx.get(2),
        _ => None,
    }
    .map(|c| c.to_vec())
    .unwrap_or_default();
    Some(Style {
        name,
        base,
        kind,
        chpx,
    })
}
