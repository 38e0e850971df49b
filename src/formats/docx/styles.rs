//! Word styles (`styles.xml`): the run properties that hide or disguise text can come from a
//! character or paragraph style (with `w:basedOn` inheritance) as well as from the run
//! itself, so a run is judged on its effective properties, not only on what it says.

use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::formats::drawingml::Rgb;
use crate::xml::{XmlReader, attr, attr_flag, local, local_end};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

/// The colour of text: `auto` is black on a light background and white on a dark one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextColor {
    Auto,
    Rgb(Rgb),
}

/// The run properties that decide whether a reader sees a run. `None` means "not set
/// here"; for highlight and shading, `Some(None)` means "explicitly none".
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunProps {
    pub vanish: Option<bool>,
    pub spec_vanish: Option<bool>,
    pub web_hidden: Option<bool>,
    pub color: Option<TextColor>,
    pub highlight: Option<Option<Rgb>>,
    pub shading: Option<Option<Rgb>>,
    /// Font size in half-points (`w:sz`).
    pub size: Option<u32>,
}

impl RunProps {
    /// Applies one child element of a `w:rPr`. Returns false for elements it ignores.
    pub fn apply(&mut self, name: &str, e: &BytesStart<'_>) -> bool {
        match name {
            "vanish" => self.vanish = Some(toggle(e)),
            "specVanish" => self.spec_vanish = Some(toggle(e)),
            "webHidden" => self.web_hidden = Some(toggle(e)),
            "color" => {
                self.color = attr(e, "val").map(|v| match Rgb::parse_hex(&v) {
                    Some(rgb) => TextColor::Rgb(rgb),
                    None => TextColor::Auto,
                })
            }
            "highlight" => {
                self.highlight = attr(e, "val").map(|v| Rgb::highlight(v.trim()));
            }
            "shd" => self.shading = Some(shading(e)),
            "sz" => {
                if let Some(v) = attr(e, "val").and_then(|v| v.trim().parse::<f64>().ok()) {
                    // Some writers put fractional sizes; a half-point count is what Word reads.
                    self.size = Some(v.clamp(0.0, 100_000.0) as u32);
                }
            }
            _ => return false,
        }
        true
    }

    /// These properties, with whatever they leave unset taken from `lower`.
    pub fn or(self, lower: RunProps) -> RunProps {
        RunProps {
            vanish: self.vanish.or(lower.vanish),
            spec_vanish: self.spec_vanish.or(lower.spec_vanish),
            web_hidden: self.web_hidden.or(lower.web_hidden),
            color: self.color.or(lower.color),
            highlight: self.highlight.or(lower.highlight),
            shading: self.shading.or(lower.shading),
            size: self.size.or(lower.size),
        }
    }
}

/// A toggle property: present means on unless `w:val` is `0`, `false` or `off`.
pub fn toggle(e: &BytesStart<'_>) -> bool {
    !matches!(
        attr(e, "val").as_deref().map(str::trim),
        Some("0" | "false" | "off")
    )
}

/// The colour a `w:shd` paints: `w:fill` behind a clear pattern, `w:color` for a solid one
/// (auto is black there); `nil` and `auto` fills paint nothing.
pub fn shading(e: &BytesStart<'_>) -> Option<Rgb> {
    let pattern = attr(e, "val").unwrap_or_default();
    match pattern.trim() {
        "nil" => None,
        "solid" => Some(
            attr(e, "color")
                .and_then(|c| Rgb::parse_hex(&c))
                .unwrap_or(Rgb::BLACK),
        ),
        _ => attr(e, "fill").and_then(|f| Rgb::parse_hex(&f)),
    }
}

/// One style with its `basedOn` chain already applied.
#[derive(Debug, Clone, Default)]
struct Resolved {
    name: String,
    run: RunProps,
    paragraph_shading: Option<Option<Rgb>>,
    /// A table style that paints any cell (its conditional formats included): the
    /// background of text in such a table is not known without laying it out.
    table_shading: bool,
}

#[derive(Debug, Default)]
struct Raw {
    name: String,
    based_on: Option<String>,
    run: RunProps,
    paragraph_shading: Option<Option<Rgb>>,
    table_shading: bool,
}

/// The styles of one document (the main document or the glossary).
#[derive(Debug, Default)]
pub struct Styles {
    resolved: HashMap<String, Resolved>,
    defaults: RunProps,
    default_paragraph: Option<String>,
}

impl Styles {
    pub fn parse(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Styles> {
        let Some(reader) = pkg.reader(part, ctx)? else {
            return Ok(Styles::default());
        };
        let mut xml = XmlReader::new(reader, part);
        let mut raw: HashMap<String, Raw> = HashMap::new();
        let mut defaults = RunProps::default();
        let mut default_paragraph = None;
        let mut current: Option<(String, Raw)> = None;
        // Where the next property element belongs.
        let mut in_defaults = false;
        let mut in_rpr = false;
        let mut in_ppr = false;
        let mut in_table_props = 0u32;
        let mut in_change = 0u32;
        loop {
            let ev = xml.next_event()?;
            match &ev {
                Event::Start(e) | Event::Empty(e) => {
                    let start = matches!(ev, Event::Start(_));
                    let name = local(e);
                    if in_change > 0 {
                        if start {
                            in_change += 1;
                        }
                        continue;
                    }
                    match name {
                        "rPrDefault" if start => in_defaults = true,
                        "style" if start => {
                            let id = attr(e, "styleId").unwrap_or_default().to_string();
                            if attr(e, "type").as_deref() == Some("paragraph")
                                && attr_flag(e, "default")
                            {
                                default_paragraph = Some(id.clone());
                            }
                            current = Some((id, Raw::default()));
                        }
                        "name" => {
                            if let Some((_, s)) = &mut current {
                                s.name = attr(e, "val").unwrap_or_default().to_string();
                            }
                        }
                        "basedOn" => {
                            if let Some((_, s)) = &mut current {
                                s.based_on = attr(e, "val").map(|v| v.to_string());
                            }
                        }
                        "rPrChange" | "pPrChange" | "tblPrChange" | "tcPrChange" | "trPrChange"
                            if start =>
                        {
                            in_change = 1
                        }
                        "rPr" if start => in_rpr = true,
                        "pPr" if start => in_ppr = true,
                        "tblPr" | "tcPr" | "tblStylePr" | "trPr" if start => in_table_props += 1,
                        "shd" if in_table_props > 0 && !in_rpr => {
                            if let Some((_, s)) = &mut current
                                && shading(e).is_some()
                            {
                                s.table_shading = true;
                            }
                        }
                        "shd" if in_ppr && !in_rpr => {
                            if let Some((_, s)) = &mut current {
                                s.paragraph_shading = Some(shading(e));
                            }
                        }
                        other if in_rpr => {
                            if let Some((_, s)) = &mut current {
                                if in_table_props == 0 {
                                    s.run.apply(other, e);
                                } else if other == "shd" && shading(e).is_some() {
                                    s.table_shading = true;
                                }
                            } else if in_defaults {
                                defaults.apply(other, e);
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => {
                    if in_change > 0 {
                        in_change -= 1;
                        continue;
                    }
                    match local_end(e.name().0) {
                        "rPrDefault" => in_defaults = false,
                        "rPr" => in_rpr = false,
                        "pPr" => in_ppr = false,
                        "tblPr" | "tcPr" | "tblStylePr" | "trPr" => {
                            in_table_props = in_table_props.saturating_sub(1)
                        }
                        "style" => {
                            if let Some((id, s)) = current.take() {
                                // A style dropped past a cap could hide text unnoticed.
                                if raw.len() >= ctx.limits.max_entries {
                                    return Err(ScanError::new(format!(
                                        "more styles than {}",
                                        ctx.limits.the_limit("max_entries")
                                    )));
                                }
                                raw.entry(id).or_insert(s);
                            }
                        }
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(Styles::resolve(raw, defaults, default_paragraph))
    }

    fn resolve(
        raw: HashMap<String, Raw>,
        defaults: RunProps,
        default_paragraph: Option<String>,
    ) -> Styles {
        let mut resolved = HashMap::with_capacity(raw.len());
        for (id, style) in &raw {
            let mut out = Resolved {
                name: if style.name.is_empty() {
                    id.clone()
                } else {
                    style.name.clone()
                },
                ..Resolved::default()
            };
            // Child first, each ancestor fills what is still unset; a chain longer than
            // Word allows, or a cycle, stops.
            let mut next = Some(id.as_str());
            let mut steps = 0;
            while let Some(cur) = next {
                let Some(s) = raw.get(cur) else { break };
                out.run = out.run.or(s.run);
                out.paragraph_shading = out.paragraph_shading.or(s.paragraph_shading);
                out.table_shading |= s.table_shading;
                next = s.based_on.as_deref();
                steps += 1;
                if steps > 32 {
                    break;
                }
            }
            resolved.insert(id.clone(), out);
        }
        Styles {
            resolved,
            defaults,
            default_paragraph,
        }
    }

    /// The effective properties of a run: its own, then (for the toggle properties, the
    /// exclusive or of) its character style and its paragraph style (the default paragraph
    /// style when it names none), then the document defaults. Also the name of the style
    /// that hid it, when a style did.
    pub fn effective(
        &self,
        direct: &RunProps,
        run_style: Option<&str>,
        paragraph_style: Option<&str>,
    ) -> (RunProps, Option<&str>) {
        let character = run_style.and_then(|s| self.resolved.get(s));
        let paragraph = paragraph_style
            .or(self.default_paragraph.as_deref())
            .and_then(|s| self.resolved.get(s));
        let c = character.map(|s| s.run).unwrap_or_default();
        let p = paragraph.map(|s| s.run).unwrap_or_default();
        // ECMA-376 17.7.3: a toggle property set in both the character and the paragraph
        // style cancels out; direct formatting replaces both.
        let xor = |a: Option<bool>, b: Option<bool>| match (a, b) {
            (Some(a), Some(b)) => Some(a ^ b),
            (a, b) => a.or(b),
        };
        let mut styled = c.or(p);
        styled.vanish = xor(c.vanish, p.vanish);
        styled.spec_vanish = xor(c.spec_vanish, p.spec_vanish);
        let props = direct.or(styled).or(self.defaults);
        let via = if direct.vanish.is_none() && props.vanish == Some(true) {
            if c.vanish == Some(true) {
                character.map(|s| s.name.as_str())
            } else {
                paragraph.map(|s| s.name.as_str())
            }
        } else {
            None
        };
        (props, via)
    }

    /// Paragraph shading a paragraph style gives (direct `w:pPr/w:shd` wins over it).
    pub fn paragraph_shading(&self, paragraph_style: Option<&str>) -> Option<Option<Rgb>> {
        paragraph_style
            .or(self.default_paragraph.as_deref())
            .and_then(|s| self.resolved.get(s))
            .and_then(|s| s.paragraph_shading)
    }

    /// True when a table style paints cells (so a cell's background is not known).
    pub fn table_shading(&self, table_style: &str) -> bool {
        self.resolved
            .get(table_style)
            .is_some_and(|s| s.table_shading)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(name: &str, based_on: Option<&str>, run: RunProps) -> Raw {
        Raw {
            name: name.into(),
            based_on: based_on.map(str::to_string),
            run,
            ..Raw::default()
        }
    }

    #[test]
    fn hidden_comes_through_based_on_and_toggles_cancel() {
        let hidden = RunProps {
            vanish: Some(true),
            ..RunProps::default()
        };
        let mut styles = HashMap::new();
        styles.insert("Secret".to_string(), raw("Secret", None, hidden));
        styles.insert(
            "SecretChild".to_string(),
            raw("Secret child", Some("Secret"), RunProps::default()),
        );
        styles.insert(
            "Loop".to_string(),
            raw("Loop", Some("Loop"), RunProps::default()),
        );
        let s = Styles::resolve(styles, RunProps::default(), None);
        let (p, via) = s.effective(&RunProps::default(), Some("SecretChild"), None);
        assert_eq!(p.vanish, Some(true));
        assert_eq!(via, Some("Secret child"));
        // Both the character and the paragraph style hide: they cancel out.
        let (p, _) = s.effective(&RunProps::default(), Some("Secret"), Some("SecretChild"));
        assert_eq!(p.vanish, Some(false));
        // Direct formatting wins.
        let shown = RunProps {
            vanish: Some(false),
            ..RunProps::default()
        };
        let (p, via) = s.effective(&shown, Some("Secret"), None);
        assert_eq!(p.vanish, Some(false));
        assert_eq!(via, None);
        // A basedOn cycle ends.
        let (p, _) = s.effective(&RunProps::default(), Some("Loop"), None);
        assert_eq!(p.vanish, None);
    }
}
