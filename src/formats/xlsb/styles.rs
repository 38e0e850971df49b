//! The style sheet (`styles.bin`): number formats (`BrtFmt`), fonts (`BrtFont`), fills
//! (`BrtFill`), the indexed-colour palette (`BrtIndexedColor`) and the cell formats
//! (`BrtXF` inside `BrtBeginCellXFs`), resolved to RGB the way xlsx's `styles.xml` is, so
//! [`cell_effect`] judges white-on-white, `;;;` and tiny fonts the same way in both.

use super::records::{self as rec, Fields, Records};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::formats::grid::{CellLook, DEFAULT_PALETTE, Rgb, cell_effect};
pub use crate::formats::xlsx::styles::Styles;
use crate::formats::xlsx::styles::{apply_tint, theme_colour};

/// A `BrtColor`, unresolved.
#[derive(Debug, Clone, Copy, Default)]
enum Colour {
    #[default]
    Auto,
    Indexed(u8),
    Rgb(Rgb),
    Theme(u8, f64),
}

#[derive(Debug, Default, Clone, Copy)]
struct Font {
    /// Points.
    size: f64,
    colour: Colour,
}

#[derive(Debug, Default, Clone, Copy)]
struct Fill {
    solid: bool,
    fg: Colour,
}

#[derive(Debug, Default, Clone, Copy)]
struct Xf {
    num_fmt: u16,
    font: u16,
    fill: u16,
}

/// `BrtColor`: type in the flags' high bits, index, tint, then RGBA.
fn colour(f: &mut Fields<'_>) -> Option<Colour> {
    let flags = f.u8()?;
    let index = f.u8()?;
    let tint = f.u16()? as i16;
    let (r, g, b) = (f.u8()?, f.u8()?, f.u8()?);
    f.u8()?;
    let tint = if tint < 0 {
        tint as f64 / 32768.0
    } else {
        tint as f64 / 32767.0
    };
    Some(match flags >> 1 {
        1 => Colour::Indexed(index),
        2 => Colour::Rgb([r, g, b]),
        3 => Colour::Theme(index, tint),
        _ => Colour::Auto,
    })
}

/// Parses the style sheet into per-format effects, resolving theme colours with `theme`.
pub fn parse(
    pkg: &mut Package<'_>,
    part: &str,
    theme: &[Rgb],
    ctx: &mut Ctx<'_>,
) -> ScanResult<Styles> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(Styles::default());
    };
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut num_fmts: Vec<(u16, String)> = Vec::new();
    let mut fonts: Vec<Font> = Vec::new();
    let mut fills: Vec<Fill> = Vec::new();
    let mut xfs: Vec<Xf> = Vec::new();
    let mut palette: Vec<Rgb> = Vec::new();
    let mut in_cell_xfs = false;
    while let Some(id) = records.next(&mut body, ctx)? {
        let mut f = Fields::new(&body);
        match id {
            rec::FMT => {
                if let (Some(ifmt), Some(code)) = (f.u16(), f.wide()) {
                    num_fmts.push((ifmt, code));
                }
            }
            rec::FONT => {
                let font = (|| {
                    let height = f.u16()?;
                    f.skip(10)?;
                    Some(Font {
                        size: height as f64 / 20.0,
                        colour: colour(&mut f)?,
                    })
                })();
                fonts.push(font.unwrap_or_default());
            }
            rec::FILL => {
                let fill = (|| {
                    let pattern = f.u32()?;
                    Some(Fill {
                        solid: pattern == 1,
                        fg: colour(&mut f)?,
                    })
                })();
                fills.push(fill.unwrap_or_default());
            }
            rec::BEGIN_CELL_XFS => in_cell_xfs = true,
            rec::END_CELL_XFS => in_cell_xfs = false,
            rec::XF if in_cell_xfs => {
                let xf = (|| {
                    f.u16()?;
                    Some(Xf {
                        num_fmt: f.u16()?,
                        font: f.u16()?,
                        fill: f.u16()?,
                    })
                })();
                xfs.push(xf.unwrap_or_default());
            }
            rec::INDEXED_COLOR => {
                if let (Some(r), Some(g), Some(b)) = (f.u8(), f.u8(), f.u8()) {
                    palette.push([r, g, b]);
                }
            }
            _ => {}
        }
    }
    let palette = if palette.is_empty() {
        DEFAULT_PALETTE.to_vec()
    } else {
        palette
    };
    let resolve = |c: Colour| -> Option<Rgb> {
        match c {
            Colour::Auto => None,
            Colour::Rgb(rgb) => Some(rgb),
            Colour::Theme(i, tint) => theme_colour(theme, i as u32).map(|b| apply_tint(b, tint)),
            Colour::Indexed(64 | 65) => None,
            Colour::Indexed(i) => palette.get(i as usize).copied(),
        }
    };
    let effects = xfs
        .iter()
        .map(|xf| {
            let font = fonts.get(xf.font as usize);
            let fill = fills.get(xf.fill as usize);
            let code = num_fmts
                .iter()
                .find(|(id, _)| *id == xf.num_fmt)
                .map(|(_, c)| c.as_str())
                .unwrap_or("");
            // An automatic font colour is black; no solid fill shows the white page.
            cell_effect(&CellLook {
                font: font.and_then(|f| resolve(f.colour)),
                size: font.map(|f| f.size).filter(|s| *s > 0.0),
                fill: match fill {
                    Some(f) if f.solid => Some(resolve(f.fg).unwrap_or([255, 255, 255])),
                    _ => None,
                },
                number_format: code,
            })
        })
        .collect();
    Ok(Styles { xfs: effects })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_of_every_type() {
        let rgb = [0x05, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        assert!(matches!(
            colour(&mut Fields::new(&rgb)),
            Some(Colour::Rgb([255, 255, 255]))
        ));
        let theme = [0x07, 0, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            colour(&mut Fields::new(&theme)),
            Some(Colour::Theme(0, _))
        ));
        let indexed = [0x03, 9, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            colour(&mut Fields::new(&indexed)),
            Some(Colour::Indexed(9))
        ));
        assert!(colour(&mut Fields::new(&indexed[..7])).is_none());
    }
}
