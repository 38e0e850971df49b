//! Drawings (`xl/drawings/drawing*.xml`): text in shapes and text boxes, alternative text,
//! and shapes switched to hidden, which keep their text while nobody sees it.

use super::SheetIndex;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::{ContentDigest, plural};
use crate::xml::{XmlReader, attr, attr_flag, local, local_end, push_text};
use quick_xml::events::Event;

pub fn inspect(
    pkg: &mut Package<'_>,
    part: &str,
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let sheet = index.owner_of(part);
    let mut xml = XmlReader::new(reader, part);
    // Per shape: hidden flag and text, emitted when the shape (or anchor) ends.
    let mut depth_in_shape = 0u32;
    let mut shape_hidden = false;
    let mut in_t = false;
    let mut text = String::new();
    let mut hidden_shapes = 0u64;
    let mut hidden_with_text = 0u64;
    let mut digest = ContentDigest::default();
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let start = matches!(ev, Event::Start(_));
                match local(e) {
                    "sp" | "pic" | "graphicFrame" | "cxnSp" | "grpSp" if start => {
                        if depth_in_shape == 0 {
                            shape_hidden = false;
                            text.clear();
                        }
                        depth_in_shape += 1;
                    }
                    "cNvPr" => {
                        if depth_in_shape > 0 && attr_flag(e, "hidden") {
                            shape_hidden = true;
                        }
                        for key in ["descr", "title"] {
                            if let Some(alt) = attr(e, key).filter(|a| !a.trim().is_empty()) {
                                ctx.item(&Item {
                                    text: &alt,
                                    kind: ItemKind::Text,
                                    hidden: true,
                                    part,
                                    sheet: sheet.as_deref(),
                                    cell: None,
                                    detail: Some("alternative text of a drawing"),
                                    doc: DocPlace::NONE,
                                });
                            }
                        }
                    }
                    "t" if start => in_t = true,
                    "p" if depth_in_shape > 0 && !text.is_empty() => text.push('\n'),
                    _ => {}
                }
            }
            Event::End(e) => match local_end(e.name().0) {
                "t" => in_t = false,
                "sp" | "pic" | "graphicFrame" | "cxnSp" | "grpSp" if depth_in_shape > 0 => {
                    depth_in_shape -= 1;
                    if depth_in_shape == 0 {
                        let has_text = !text.trim().is_empty();
                        if shape_hidden {
                            hidden_shapes += 1;
                            if has_text {
                                hidden_with_text += 1;
                                digest.update(text.as_bytes());
                            }
                        }
                        ctx.item(&Item {
                            text: &text,
                            kind: ItemKind::Text,
                            hidden: shape_hidden,
                            part,
                            sheet: sheet.as_deref(),
                            cell: None,
                            detail: Some(if shape_hidden {
                                "text of a hidden shape"
                            } else {
                                "text of a shape"
                            }),
                            doc: DocPlace::NONE,
                        });
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            other => {
                if in_t && depth_in_shape > 0 {
                    push_text(other, &mut text);
                }
            }
        }
    }
    if hidden_shapes == 0 {
        return Ok(());
    }
    let on = sheet
        .as_deref()
        .map(|s| format!(" on sheet '{s}'"))
        .unwrap_or_default();
    let (severity, message) = if hidden_with_text > 0 {
        (
            Severity::High,
            format!(
                "{}{on} {} text that nobody sees",
                plural(hidden_with_text, "hidden shape", "hidden shapes"),
                if hidden_with_text == 1 {
                    "holds"
                } else {
                    "hold"
                }
            ),
        )
    } else {
        (
            Severity::Info,
            format!(
                "{}{on}, with no text",
                plural(hidden_shapes, "hidden shape", "hidden shapes")
            ),
        )
    };
    let mut loc = ctx.loc(part);
    loc.sheet = sheet;
    ctx.report("hidden-text", severity, true, loc, message, &digest.hex());
    Ok(())
}
