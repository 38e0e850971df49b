//! DrawingML, shared by workbooks, documents and presentations: the caches a chart keeps of
//! the data it plots, the text of SmartArt diagrams, and the colours shapes and text are
//! painted with (to tell a black box or white text from ordinary formatting).

use crate::container::opc::{Opc, PartKind, Rel};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use crate::xml::{XmlReader, attr, attr_u32, local, local_end, push_text};
use quick_xml::events::Event;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Where the objects of a document sit: lower-cased part name → the place (slide,
/// paragraph) of the object that uses it, and whether that place is hidden (a hidden slide,
/// the glossary).
pub type Places = HashMap<String, (DocPlace, bool)>;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
    pub const BLACK: Rgb = Rgb(0, 0, 0);

    /// `FF0000` (Word's and DrawingML's hex form); `auto` and anything else is `None`.
    pub fn parse_hex(s: &str) -> Option<Rgb> {
        let s = s.trim().trim_start_matches('#');
        if s.len() != 6 || !s.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(s.get(i..i + 2)?, 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// Relative luminance (WCAG): 0 for black, 1 for white.
    pub fn luminance(self) -> f32 {
        let lin = |c: u8| {
            let c = c as f32 / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Black, or close enough to pass for a redaction bar (up to about #3F3F3F, navy and
    /// dark red).
    pub fn is_dark(self) -> bool {
        self.luminance() < 0.05
    }

    /// Two colours a reader cannot tell apart as text on background: each channel within
    /// 40 of the other, or both very dark.
    pub fn near(self, other: Rgb) -> bool {
        let close = |a: u8, b: u8| a.abs_diff(b) <= 40;
        (close(self.0, other.0) && close(self.1, other.1) && close(self.2, other.2))
            || (self.is_dark() && other.is_dark())
    }

    /// Word's highlight colours (`w:highlight w:val`); `none` is `None`.
    pub fn highlight(name: &str) -> Option<Rgb> {
        Some(match name {
            "black" => Rgb(0, 0, 0),
            "blue" => Rgb(0, 0, 0xFF),
            "cyan" => Rgb(0, 0xFF, 0xFF),
            "green" => Rgb(0, 0xFF, 0),
            "magenta" => Rgb(0xFF, 0, 0xFF),
            "red" => Rgb(0xFF, 0, 0),
            "yellow" => Rgb(0xFF, 0xFF, 0),
            "white" => Rgb(0xFF, 0xFF, 0xFF),
            "darkBlue" => Rgb(0, 0, 0x80),
            "darkCyan" => Rgb(0, 0x80, 0x80),
            "darkGreen" => Rgb(0, 0x80, 0),
            "darkMagenta" => Rgb(0x80, 0, 0x80),
            "darkRed" => Rgb(0x80, 0, 0),
            "darkYellow" => Rgb(0x80, 0x80, 0),
            "darkGray" => Rgb(0x80, 0x80, 0x80),
            "lightGray" => Rgb(0xC0, 0xC0, 0xC0),
            _ => return None,
        })
    }

    /// DrawingML colour elements: `a:srgbClr val`, `a:prstClr val`, `a:sysClr lastClr`,
    /// and the scheme colours whose lightness every standard theme fixes (`tx1`/`dk1` dark,
    /// `bg1`/`lt1` light). Other scheme colours depend on the theme: `None`.
    pub fn drawing_color(element: &str, e: &quick_xml::events::BytesStart<'_>) -> Option<Rgb> {
        match element {
            "srgbClr" => attr(e, "val").and_then(|v| Rgb::parse_hex(&v)),
            "sysClr" => attr(e, "lastClr").and_then(|v| Rgb::parse_hex(&v)),
            "prstClr" => match attr(e, "val").as_deref() {
                Some("black") => Some(Rgb::BLACK),
                Some("white") => Some(Rgb::WHITE),
                _ => None,
            },
            "schemeClr" => match attr(e, "val").as_deref() {
                Some("tx1" | "dk1") => Some(Rgb::BLACK),
                Some("bg1" | "lt1") => Some(Rgb::WHITE),
                _ => None,
            },
            _ => None,
        }
    }
}

/// What a chart part caches.
#[derive(Debug, Default)]
pub struct ChartCache {
    /// Cached category and series-name labels (`c:strCache`, `c:multiLvlStrCache`).
    pub labels: u64,
    /// Cached numbers (`c:numCache`).
    pub values: u64,
    /// Titles and other rich text of the chart.
    pub texts: u64,
    /// Sheets the series formulas refer to.
    pub sheets: BTreeSet<String>,
    /// The chart's data lives in a workbook (`c:externalData`), embedded or linked.
    pub external_data: bool,
}

impl ChartCache {
    pub fn is_empty(&self) -> bool {
        self.labels + self.values + self.texts == 0 && !self.external_data
    }
}

/// Reads a chart part: every cached value and label goes to the detectors as a chart label
/// (visible: the chart plots it), and so do titles and other rich text. `place` is where
/// the chart sits in a document; in a workbook (`None`) each cached point keeps its
/// (point, series) position.
pub fn read_chart(
    pkg: &mut Package<'_>,
    part: &str,
    place: Option<&DocPlace>,
    hidden: bool,
    ctx: &mut Ctx<'_>,
) -> ScanResult<ChartCache> {
    let mut out = ChartCache::default();
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(out);
    };
    let mut xml = XmlReader::new(reader, part);
    // 1 inside strCache/multiLvlStrCache, 2 inside numCache.
    let mut cache_kind = 0u8;
    let mut in_v = false;
    let mut in_f = false;
    let mut in_rich = 0u32;
    let mut dim = false;
    let mut in_t = false;
    let mut text = String::new();
    let mut rich = String::new();
    let mut point = 0u32;
    let mut series = 0u32;
    let doc = place.copied().unwrap_or(DocPlace::NONE);
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let start = matches!(ev, Event::Start(_));
                match local(e) {
                    // `c:ser` in a chart; `cx:data` holds one series in a chartex chart.
                    "ser" | "data" => series += 1,
                    "strCache" | "multiLvlStrCache" => cache_kind = 1,
                    "numCache" => cache_kind = 2,
                    // Chartex (Office 2016 charts): the cached points are `cx:pt` text under
                    // `cx:strDim` / `cx:numDim`, with no `v`.
                    "strDim" => {
                        cache_kind = 1;
                        dim = true;
                    }
                    "numDim" => {
                        cache_kind = 2;
                        dim = true;
                    }
                    "pt" => {
                        point = attr_u32(e, "idx").unwrap_or(point);
                        if dim && start {
                            in_v = true;
                            text.clear();
                        }
                    }
                    "v" if cache_kind > 0 && start => {
                        in_v = true;
                        text.clear();
                    }
                    "f" if start => {
                        in_f = true;
                        text.clear();
                    }
                    "rich" if start => in_rich += 1,
                    "p" if in_rich > 0 && !rich.is_empty() => rich.push('\n'),
                    "t" if in_rich > 0 && start => in_t = true,
                    "externalData" => out.external_data = true,
                    _ => {}
                }
            }
            Event::End(e) => match local_end(e.name().0) {
                "strCache" | "multiLvlStrCache" | "numCache" => cache_kind = 0,
                "strDim" | "numDim" => {
                    cache_kind = 0;
                    dim = false;
                }
                "v" | "pt" if in_v => {
                    in_v = false;
                    let is_label = cache_kind == 1;
                    if is_label {
                        out.labels += 1;
                    } else {
                        out.values += 1;
                    }
                    ctx.item(&Item {
                        text: &text,
                        kind: ItemKind::ChartLabel,
                        hidden,
                        part,
                        sheet: None,
                        cell: place.is_none().then_some((point, series.saturating_sub(1))),
                        detail: Some(if is_label {
                            "cached label"
                        } else {
                            "cached value"
                        }),
                        doc,
                    });
                }
                "f" if in_f => {
                    in_f = false;
                    out.sheets.extend(referenced_sheets(&text));
                }
                "t" => in_t = false,
                "rich" if in_rich > 0 => {
                    in_rich -= 1;
                    if in_rich == 0 && !rich.trim().is_empty() {
                        out.texts += 1;
                        ctx.item(&Item {
                            text: &rich,
                            kind: ItemKind::ChartLabel,
                            hidden,
                            part,
                            sheet: None,
                            cell: None,
                            detail: Some("chart title or label"),
                            doc,
                        });
                    }
                    rich.clear();
                }
                _ => {}
            },
            Event::Eof => break,
            other => {
                if in_v || in_f {
                    push_text(other, &mut text);
                } else if in_t {
                    push_text(other, &mut rich);
                }
            }
        }
    }
    Ok(out)
}

/// The paragraphs of a SmartArt data or drawing part (`a:p` of `a:t` runs), in order.
pub fn diagram_paragraphs(
    pkg: &mut Package<'_>,
    part: &str,
    ctx: &mut Ctx<'_>,
) -> ScanResult<Vec<String>> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(Vec::new());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut out = Vec::new();
    let mut text = String::new();
    let mut in_t = false;
    let mut total = 0usize;
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) if local(e) == "t" => in_t = true,
            Event::Start(e) if local(e) == "p" => text.clear(),
            Event::Empty(e) if local(e) == "br" => text.push('\n'),
            Event::End(e) => match local_end(e.name().0) {
                "t" => in_t = false,
                "p" => {
                    if !text.trim().is_empty() {
                        total += text.len();
                        out.push(std::mem::take(&mut text));
                        if out.len().is_multiple_of(1024) {
                            ctx.check_time()?;
                        }
                    }
                    text.clear();
                }
                _ => {}
            },
            Event::Eof => break,
            other => {
                if in_t && total < ctx.limits.max_part_bytes as usize {
                    push_text(other, &mut text);
                }
            }
        }
    }
    Ok(out)
}

/// Charts of a document or presentation: their caches go to the detectors with the place
/// of the chart, and each chart that caches data is reported as `chart-cache` (`high` on a
/// hidden slide). The workbook holding a chart's data is an embedded package, reported and
/// scanned in full as an embedded workbook by the caller; it gets the chart's place here.
/// A chart linked to a workbook outside the file keeps that workbook's path: it goes to the
/// detectors as hidden text.
pub fn inspect_charts(opc: &mut Opc<'_>, places: &mut Places, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    for part in opc.take(PartKind::Chart) {
        let (place, hidden) = places
            .get(&part.to_ascii_lowercase())
            .copied()
            .unwrap_or((DocPlace::NONE, false));
        let rels: Vec<Rel> = opc.graph.rels_of(&part).to_vec();
        for r in rels.iter().filter(|r| !r.external) {
            places
                .entry(r.target.to_ascii_lowercase())
                .or_insert((place, hidden));
        }
        let Some(cache) = ctx.guard(&part, |ctx| {
            read_chart(&mut opc.zip, &part, Some(&place), hidden, ctx)
        })?
        else {
            continue;
        };
        let linked: Vec<&Rel> = rels
            .iter()
            .filter(|r| r.external && !r.target.trim().is_empty())
            .collect();
        for r in &linked {
            ctx.item(&Item {
                text: &r.target,
                kind: ItemKind::Text,
                hidden: true,
                part: &part,
                sheet: None,
                cell: None,
                detail: Some("path of the workbook a chart is linked to"),
                doc: place,
            });
        }
        if cache.labels + cache.values == 0 && !cache.external_data {
            continue;
        }
        let embedded = rels.iter().any(|r| {
            !r.external
                && matches!(
                    opc.graph.kind(&r.target),
                    Some(PartKind::EmbeddedPackage | PartKind::OleObject)
                )
        });
        let mut msg = format!(
            "chart caches {} and {}",
            plural(cache.values, "value", "values"),
            plural(cache.labels, "label", "labels")
        );
        if embedded {
            msg.push_str("; its data lives in an embedded workbook, scanned too");
        } else if !linked.is_empty() {
            msg.push_str(
                "; its data is linked to a workbook outside the file, whose path is recorded",
            );
        }
        if hidden {
            msg.push_str("; the chart is not shown (a hidden slide or a building block)");
        }
        ctx.report(
            "chart-cache",
            if hidden {
                Severity::High
            } else {
                Severity::Low
            },
            hidden,
            ctx.loc(&part).with_doc(&place),
            msg,
            &format!("{}:{}", cache.values, cache.labels),
        );
    }
    Ok(())
}

/// SmartArt: the data part holds the text a reader sees in the diagram (visible, unless
/// the diagram's place is hidden); the drawing part is Office's cached rendering of it,
/// whose text is only scanned (as hidden) where it says something the data does not.
pub fn inspect_diagrams(opc: &mut Opc<'_>, places: &Places, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut seen: HashSet<String> = HashSet::new();
    let place_of = |part: &str| {
        places
            .get(&part.to_ascii_lowercase())
            .copied()
            .unwrap_or((DocPlace::NONE, false))
    };
    for part in opc.take(PartKind::DiagramData) {
        let (place, hidden) = place_of(&part);
        let Some(paragraphs) =
            ctx.guard(&part, |ctx| diagram_paragraphs(&mut opc.zip, &part, ctx))?
        else {
            continue;
        };
        for p in &paragraphs {
            seen.insert(p.split_whitespace().collect::<Vec<_>>().join(" "));
            ctx.item(&Item {
                text: p,
                kind: ItemKind::Paragraph,
                hidden,
                part: &part,
                sheet: None,
                cell: None,
                detail: Some("SmartArt text"),
                doc: place,
            });
        }
    }
    for part in opc.take(PartKind::DiagramDrawing) {
        let (place, _) = place_of(&part);
        let Some(paragraphs) =
            ctx.guard(&part, |ctx| diagram_paragraphs(&mut opc.zip, &part, ctx))?
        else {
            continue;
        };
        for p in &paragraphs {
            if seen.contains(&p.split_whitespace().collect::<Vec<_>>().join(" ")) {
                continue;
            }
            ctx.item(&Item {
                text: p,
                kind: ItemKind::Paragraph,
                hidden: true,
                part: &part,
                sheet: None,
                cell: None,
                detail: Some("cached SmartArt drawing text the diagram data does not hold"),
                doc: place,
            });
        }
    }
    Ok(())
}

/// Sheet names in a series formula: `'Staff list'!$A$2:$A$9`, `Sheet1!$B$2`, `(S1!A1,S2!B1)`.
pub fn referenced_sheets(formula: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = formula.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            let mut name = String::new();
            let mut j = i + 1;
            while j < bytes.len() {
                if bytes[j] == b'\'' {
                    if bytes.get(j + 1) == Some(&b'\'') {
                        name.push('\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                let ch_len = utf8_len(bytes[j]);
                name.push_str(formula.get(j..(j + ch_len).min(bytes.len())).unwrap_or(""));
                j += ch_len;
            }
            if bytes.get(j + 1) == Some(&b'!') {
                out.push(strip_book(&name));
            }
            i = j + 2;
        } else if bytes[i] == b'!' {
            let start = formula[..i]
                .rfind(['(', ',', ' ', '=', '+', '-', '*', '/'])
                .map(|p| p + 1)
                .unwrap_or(0);
            let name = &formula[start..i];
            if !name.is_empty() && !name.ends_with('\'') {
                out.push(strip_book(name));
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// `[1]Sheet1` → `Sheet1` (external references keep the book index in brackets).
fn strip_book(name: &str) -> String {
    match name.rfind(']') {
        Some(i) => name[i + 1..].to_string(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sheet_names_in_series_formulas() {
        assert_eq!(
            referenced_sheets("'Staff list'!$A$2:$A$9"),
            vec!["Staff list"]
        );
        assert_eq!(referenced_sheets("Sheet1!$B$2:$B$5"), vec!["Sheet1"]);
        assert_eq!(
            referenced_sheets("(Data!$A$1,'O''Neil'!$B$1)"),
            vec!["Data", "O'Neil"]
        );
        assert!(referenced_sheets("{1,2,3}").is_empty());
    }

    /// A chart part in a package of its own, read as a document's chart.
    fn chart_items(xml: &str) -> (ChartCache, Vec<crate::model::OwnedItem>) {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("chart.xml", zip::write::SimpleFileOptions::default())
            .expect("zip");
        zip.write_all(xml.as_bytes()).expect("write");
        let bytes = zip.finish().expect("finish").into_inner();
        let limits = crate::limits::Limits::default();
        let engine = crate::detect::Engine::structural_only();
        let mut ctx = Ctx::new(&limits, &engine);
        ctx.collect_items();
        let mut pkg = Package::open(&bytes, &ctx).expect("package");
        let place = DocPlace {
            slide: Some(3),
            ..DocPlace::NONE
        };
        let cache = read_chart(&mut pkg, "chart.xml", Some(&place), false, &mut ctx).expect("read");
        (cache, ctx.take_items())
    }

    #[test]
    fn classic_and_chartex_caches_are_read() {
        let classic = r#"<c:chartSpace xmlns:c="c" xmlns:a="a"><c:chart><c:title><c:tx><c:rich><a:p><a:r><a:t>Burglaries</a:t></a:r></a:p></c:rich></c:tx></c:title>
            <c:plotArea><c:barChart><c:ser><c:cat><c:strRef><c:f>Sheet1!$A$2:$A$3</c:f><c:strCache><c:ptCount val="2"/>
            <c:pt idx="0"><c:v>Mancroft</c:v></c:pt><c:pt idx="1"><c:v>Thorpe</c:v></c:pt></c:strCache></c:strRef></c:cat>
            <c:val><c:numRef><c:numCache><c:pt idx="0"><c:v>112</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>"#;
        let (cache, items) = chart_items(classic);
        assert_eq!((cache.labels, cache.values, cache.texts), (2, 1, 1));
        assert!(cache.sheets.contains("Sheet1"));
        let thorpe = items.iter().find(|i| i.text == "Thorpe").expect("label");
        assert_eq!(thorpe.location.slide, Some(3));
        assert!(items.iter().any(|i| i.text == "Burglaries"));
        let chartex = r#"<cx:chartSpace xmlns:cx="cx"><cx:chartData><cx:data id="0">
            <cx:strDim type="cat"><cx:f>Sheet1!$A$2:$A$3</cx:f><cx:lvl ptCount="2"><cx:pt idx="0">Mancroft</cx:pt><cx:pt idx="1">Eaton</cx:pt></cx:lvl></cx:strDim>
            <cx:numDim type="val"><cx:lvl ptCount="2"><cx:pt idx="0">112</cx:pt><cx:pt idx="1">29</cx:pt></cx:lvl></cx:numDim>
            </cx:data></cx:chartData></cx:chartSpace>"#;
        let (cache, items) = chart_items(chartex);
        assert_eq!((cache.labels, cache.values), (2, 2));
        assert!(items.iter().any(|i| i.text == "Eaton"));
        assert!(items.iter().any(|i| i.text == "29"));
    }

    #[test]
    fn colours_tell_bars_and_white_text_apart() {
        assert_eq!(Rgb::parse_hex("00FF7f"), Some(Rgb(0, 0xFF, 0x7F)));
        assert_eq!(Rgb::parse_hex("auto"), None);
        assert!(Rgb::BLACK.is_dark());
        assert!(Rgb::highlight("darkBlue").unwrap().is_dark());
        assert!(!Rgb::highlight("darkGray").unwrap().is_dark());
        assert!(!Rgb::highlight("yellow").unwrap().is_dark());
        assert!(Rgb::WHITE.near(Rgb(0xF2, 0xF2, 0xF2)));
        assert!(Rgb::BLACK.near(Rgb(0x1F, 0x1F, 0x3F)));
        assert!(!Rgb::WHITE.near(Rgb::BLACK));
        assert!(!Rgb(0xFF, 0xFF, 0).near(Rgb::WHITE));
    }
}
