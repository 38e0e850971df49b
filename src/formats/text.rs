//! Plain text and CSV: every line (or CSV field) is a visible item.

use crate::detect::ItemSink;
use crate::formats::Format;
use crate::model::{Item, ItemKind};
use crate::scan::{Ctx, ScanResult};

/// Text if the bytes decode as UTF-8 (or near enough) with no NULs; CSV if most lines split
/// into the same number of comma fields.
pub fn sniff(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Format::Binary;
    }
    let text = String::from_utf8_lossy(head);
    let bad = text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
        .count();
    if bad * 20 > text.chars().count().max(1) {
        return Format::Binary;
    }
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    if lines.len() >= 2 {
        let first = lines[0].matches(',').count();
        if first > 0
            && lines
                .iter()
                .filter(|l| l.matches(',').count() == first)
                .count()
                * 10
                >= lines.len() * 8
        {
            return Format::Csv;
        }
    }
    Format::Text
}

pub fn inspect(bytes: &[u8], format: Format, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    for (row, line) in text.lines().enumerate() {
        if row % 4096 == 0 {
            ctx.check_time()?;
        }
        if format == Format::Csv {
            for (col, field) in line.split(',').enumerate() {
                let field = field.trim().trim_matches('"');
                ctx.item(&Item {
                    text: field,
                    kind: ItemKind::Cell,
                    hidden: false,
                    part: "",
                    sheet: None,
                    cell: Some((row as u32, col as u32)),
                    detail: None,
                });
            }
        } else {
            ctx.item(&Item {
                text: line,
                kind: ItemKind::Text,
                hidden: false,
                part: "",
                sheet: None,
                cell: None,
                detail: None,
            });
        }
    }
    Ok(())
}
