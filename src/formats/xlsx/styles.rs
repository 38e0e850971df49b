//! `styles.xml`: each cell format's font, fill and number format, with theme, indexed and
//! tinted colours resolved to RGB, so `grid::cell_effect` can tell which hide content.

use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::formats::grid::{CellEffect, CellLook, DEFAULT_PALETTE, Rgb, cell_effect};
use crate::xml::{XmlReader, attr, attr_f64, attr_u32, local, local_end};
use quick_xml::events::{BytesStart, Event};

/// Effects of every cell format, indexed by the cell's `s` attribute.
#[derive(Debug, Default)]
pub struct Styles {
    pub xfs: Vec<CellEffect>,
}

impl Styles {
    pub fn effect(&self, style: u32) -> CellEffect {
        self.xfs.get(style as usize).copied().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, Default)]
enum ColourSpec {
    #[default]
    Auto,
    Rgb(Rgb),
    Theme(u32, f64),
    Indexed(u32),
}

#[derive(Debug, Default, Clone)]
struct Font {
    size: Option<f64>,
    colour: ColourSpec,
}

#[derive(Debug, Default, Clone)]
struct Fill {
    solid: bool,
    fg: ColourSpec,
}

#[derive(Debug, Default)]
struct Xf {
    num_fmt: u32,
    font: u32,
    fill: u32,
}

/// Parses `styles.xml` into per-format effects, resolving theme colours with `theme`
/// (from [`parse_theme`]; empty when the workbook has none).
pub fn parse(
    pkg: &mut Package<'_>,
    part: &str,
    theme: &[Rgb],
    ctx: &mut Ctx<'_>,
) -> ScanResult<Styles> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(Styles::default());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut num_fmts: Vec<(u32, String)> = Vec::new();
    let mut fonts: Vec<Font> = Vec::new();
    let mut fills: Vec<Fill> = Vec::new();
    let mut xfs: Vec<Xf> = Vec::new();
    let mut palette: Vec<Rgb> = Vec::new();
    let mut section = "";
    loop {
        let (e, is_start) = match xml.next_event()? {
            Event::Start(e) => (e.into_owned(), true),
            Event::Empty(e) => (e.into_owned(), false),
            Event::End(e) => {
                match local_end(e.name().0) {
                    "fonts" | "fills" | "cellXfs" | "indexedColors" | "numFmts" => section = "",
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = local(&e);
        match (section, name) {
            (_, "fonts") if is_start => section = "fonts",
            (_, "fills") if is_start => section = "fills",
            (_, "cellXfs") if is_start => section = "cellXfs",
            (_, "indexedColors") if is_start => section = "indexedColors",
            (_, "numFmts") if is_start => section = "numFmts",
            ("numFmts", "numFmt") => {
                if let (Some(id), Some(code)) = (attr_u32(&e, "numFmtId"), attr(&e, "formatCode")) {
                    num_fmts.push((id, code.into_owned()));
                }
            }
            ("fonts", "font") => fonts.push(Font::default()),
            ("fonts", "sz") => {
                if let Some(f) = fonts.last_mut() {
                    f.size = attr_f64(&e, "val");
                }
            }
            ("fonts", "color") => {
                if let Some(f) = fonts.last_mut() {
                    f.colour = colour_spec(&e);
                }
            }
            ("fills", "fill") => fills.push(Fill::default()),
            ("fills", "patternFill") => {
                if let Some(f) = fills.last_mut() {
                    f.solid = attr(&e, "patternType").as_deref() == Some("solid");
                }
            }
            ("fills", "fgColor") => {
                if let Some(f) = fills.last_mut() {
                    f.fg = colour_spec(&e);
                }
            }
            ("cellXfs", "xf") => xfs.push(Xf {
                num_fmt: attr_u32(&e, "numFmtId").unwrap_or(0),
                font: attr_u32(&e, "fontId").unwrap_or(0),
                fill: attr_u32(&e, "fillId").unwrap_or(0),
            }),
            ("indexedColors", "rgbColor") => {
                if let Some(rgb) = attr(&e, "rgb").and_then(|v| parse_rgb(&v)) {
                    palette.push(rgb);
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
    let resolve = |c: ColourSpec| -> Option<Rgb> {
        match c {
            ColourSpec::Auto => None,
            ColourSpec::Rgb(rgb) => Some(rgb),
            ColourSpec::Theme(i, tint) => {
                let base = theme_colour(theme, i)?;
                Some(apply_tint(base, tint))
            }
            ColourSpec::Indexed(i) => match i {
                64 | 65 => None,
                i => palette.get(i as usize).copied(),
            },
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
                size: font.and_then(|f| f.size),
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

fn colour_spec(e: &BytesStart<'_>) -> ColourSpec {
    if let Some(rgb) = attr(e, "rgb").and_then(|v| parse_rgb(&v)) {
        return ColourSpec::Rgb(rgb);
    }
    if let Some(t) = attr_u32(e, "theme") {
        return ColourSpec::Theme(t, attr_f64(e, "tint").unwrap_or(0.0));
    }
    if let Some(i) = attr_u32(e, "indexed") {
        return ColourSpec::Indexed(i);
    }
    ColourSpec::Auto
}

/// `FFRRGGBB` or `RRGGBB`.
fn parse_rgb(v: &str) -> Option<Rgb> {
    let v = v.trim();
    let hex = if v.len() == 8 { &v[2..] } else { v };
    if hex.len() != 6 {
        return None;
    }
    let n = u32::from_str_radix(hex, 16).ok()?;
    Some([(n >> 16) as u8, (n >> 8) as u8, n as u8])
}

/// SpreadsheetML theme indexes swap the dark/light pairs of the DrawingML scheme.
pub(crate) fn theme_colour(theme: &[Rgb], idx: u32) -> Option<Rgb> {
    let scheme_idx = match idx {
        0 => 1,
        1 => 0,
        2 => 3,
        3 => 2,
        i => i,
    } as usize;
    theme.get(scheme_idx).copied().or(match idx {
        0 => Some([255, 255, 255]),
        1 => Some([0, 0, 0]),
        _ => None,
    })
}

/// Excel's tint: lighten (tint > 0) or darken (tint < 0) the HSL luminance.
pub(crate) fn apply_tint(rgb: Rgb, tint: f64) -> Rgb {
    if tint.abs() < 1e-9 {
        return rgb;
    }
    let (h, s, l) = rgb_to_hsl(rgb);
    let l = if tint < 0.0 {
        l * (1.0 + tint)
    } else {
        l * (1.0 - tint) + tint
    };
    hsl_to_rgb(h, s, l.clamp(0.0, 1.0))
}

fn rgb_to_hsl([r, g, b]: Rgb) -> (f64, f64, f64) {
    let (r, g, b) = (r as f64 / 255.0, g as f64 / 255.0, b as f64 / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    if (max - min).abs() < 1e-12 {
        return (0.0, 0.0, l);
    }
    let d = max - min;
    let s = if l > 0.5 {
        d / (2.0 - max - min)
    } else {
        d / (max + min)
    };
    let h = if max == r {
        (g - b) / d + if g < b { 6.0 } else { 0.0 }
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    } / 6.0;
    (h, s, l)
}

fn hsl_to_rgb(h: f64, s: f64, l: f64) -> Rgb {
    if s == 0.0 {
        let v = (l * 255.0).round() as u8;
        return [v, v, v];
    }
    let q = if l < 0.5 {
        l * (1.0 + s)
    } else {
        l + s - l * s
    };
    let p = 2.0 * l - q;
    let f = |mut t: f64| {
        if t < 0.0 {
            t += 1.0;
        }
        if t > 1.0 {
            t -= 1.0;
        }
        let v = if t < 1.0 / 6.0 {
            p + (q - p) * 6.0 * t
        } else if t < 0.5 {
            q
        } else if t < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - t) * 6.0
        } else {
            p
        };
        (v * 255.0).round().clamp(0.0, 255.0) as u8
    };
    [f(h + 1.0 / 3.0), f(h), f(h - 1.0 / 3.0)]
}

/// Theme palette in DrawingML order: dk1, lt1, dk2, lt2, accent1..6, hlink, folHlink.
pub fn parse_theme(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Vec<Rgb>> {
    const ORDER: [&str; 12] = [
        "dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5",
        "accent6", "hlink", "folHlink",
    ];
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut colours: [Option<Rgb>; 12] = [None; 12];
    let mut current: Option<usize> = None;
    let mut in_scheme = false;
    loop {
        match xml.next_event()? {
            Event::Start(e) | Event::Empty(e) => {
                let name = local(&e);
                if name == "clrScheme" {
                    in_scheme = true;
                } else if in_scheme {
                    if let Some(i) = ORDER.iter().position(|n| *n == name) {
                        current = Some(i);
                    } else if let Some(i) = current {
                        let val = match name {
                            "srgbClr" => attr(&e, "val"),
                            "sysClr" => attr(&e, "lastClr"),
                            _ => None,
                        };
                        if let Some(rgb) = val.and_then(|v| parse_rgb(&v)) {
                            colours[i].get_or_insert(rgb);
                        }
                    }
                }
            }
            // Read on to the end even so: a damaged theme is a damaged package, and only
            // a part read to its end is known to be whole.
            Event::End(e) if local_end(e.name().0) == "clrScheme" => {
                in_scheme = false;
                current = None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if colours.iter().all(Option::is_none) {
        return Ok(Vec::new());
    }
    Ok(colours.iter().map(|c| c.unwrap_or([0, 0, 0])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tint_and_theme() {
        assert_eq!(apply_tint([255, 255, 255], -0.5), [128, 128, 128]);
        assert_eq!(apply_tint([0, 0, 0], 0.5), [128, 128, 128]);
        let theme = vec![[0, 0, 0], [255, 255, 255]];
        assert_eq!(theme_colour(&theme, 0), Some([255, 255, 255]));
        assert_eq!(theme_colour(&theme, 1), Some([0, 0, 0]));
    }
}
