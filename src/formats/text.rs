//! Plain text and CSV: every line (or CSV field) is a visible item.

use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::Format;
use crate::model::{DocPlace, Item, ItemKind};

/// Text if the bytes decode as UTF-8 (or near enough) with no NULs; CSV if it parses as
/// records of a steady width.
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
    // CSV when most of the first records have the same number (>1) of fields, quotes
    // and embedded commas understood. The last record may be cut by the 8 KB window.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let widths: Vec<usize> = reader
        .records()
        .take(20)
        .map_while(Result::ok)
        .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
        .map(|r| r.len())
        .collect();
    if widths.len() >= 2 && widths[0] > 1 {
        let same = widths.iter().filter(|w| **w == widths[0]).count();
        if same * 10 >= widths.len() * 8 {
            return Format::Csv;
        }
    }
    Format::Text
}

pub fn inspect(bytes: &[u8], format: Format, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if format == Format::Csv {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut row = 0u32;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(ScanError::new(format!("malformed CSV: {e}"))),
            }
            if row % 4096 == 0 {
                ctx.check_time()?;
            }
            for (col, field) in record.iter().enumerate() {
                ctx.item(&Item {
                    text: field.trim(),
                    kind: ItemKind::Cell,
                    hidden: false,
                    part: "",
                    sheet: None,
                    cell: Some((row, col as u32)),
                    detail: None,
                    doc: DocPlace::NONE,
                });
            }
            row += 1;
        }
        return Ok(());
    }
    for (line, content) in text.lines().enumerate() {
        if line % 4096 == 0 {
            ctx.check_time()?;
        }
        ctx.item(&Item {
            text: content,
            kind: ItemKind::Text,
            hidden: false,
            part: "",
            sheet: None,
            cell: None,
            detail: None,
            doc: DocPlace::NONE,
        });
    }
    Ok(())
}
