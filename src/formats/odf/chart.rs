//! Charts (`office:chart`, the content of an embedded chart object). An ODF chart keeps its
//! own table of the data it plots (`table:table` named `local-table`): in a spreadsheet a
//! copy of the source cells, in a text document or presentation the only copy. Its values
//! and labels go to the detectors; the finding says where the data came from and whether
//! that source is hidden or gone.

use super::document::DocState;
use super::spreadsheet::{SheetInfo, simple_table};
use super::{Elem, collect_text, loc};
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use crate::xml::XmlReader;
use quick_xml::events::Event;
use std::collections::BTreeSet;
use std::io::BufRead;

/// `office:chart` (its start tag already read).
pub fn body<R: BufRead>(
    xml: &mut XmlReader<R>,
    part: &str,
    doc: &mut DocState,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let mut sheets: BTreeSet<String> = BTreeSet::new();
    let mut values = 0u64;
    let mut labels = 0u64;
    let mut depth = 0u32;
    loop {
        ctx.check_time()?;
        let ev = xml.next_event()?;
        let (elem, empty) = match &ev {
            Event::Start(e) => (Elem::read(e), false),
            Event::Empty(e) => (Elem::read(e), true),
            Event::End(_) => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        drop(ev);
        for (k, v) in &elem.attrs {
            let k = crate::xml::local_end(k);
            if k.ends_with("cell-range-address") || k.ends_with("cell-address") {
                sheets.extend(referenced_sheets(v));
            }
        }
        match elem.local() {
            "title" | "subtitle" | "footer" if elem.prefix() == "chart" && !empty => {
                let t = collect_text(xml, ctx)?;
                labels += u64::from(!t.trim().is_empty());
                item(ctx, part, &t, None, "chart title");
            }
            "table" if elem.prefix() == "table" && !empty => {
                simple_table(xml, ctx, |ctx, row, col, text, number| {
                    if number {
                        values += 1;
                    } else {
                        labels += 1;
                    }
                    let detail = if number {
                        "cached value"
                    } else {
                        "cached label"
                    };
                    item(ctx, part, text, Some((row, col)), detail);
                })?;
            }
            _ => {
                if !empty {
                    depth += 1;
                }
            }
        }
    }
    sheets.remove("local-table");
    report(ctx, part, doc, &sheets, values, labels);
    Ok(())
}

fn item(ctx: &mut Ctx<'_>, part: &str, text: &str, cell: Option<(u32, u32)>, detail: &str) {
    ctx.item(&Item {
        text,
        kind: ItemKind::ChartLabel,
        hidden: false,
        part,
        sheet: None,
        cell,
        detail: Some(detail),
        doc: DocPlace::NONE,
    });
}

fn report(
    ctx: &mut Ctx<'_>,
    part: &str,
    doc: &DocState,
    sheets: &BTreeSet<String>,
    values: u64,
    labels: u64,
) {
    if values + labels == 0 {
        return;
    }
    let known: &[SheetInfo] = if doc.parent_sheets.is_empty() {
        &doc.sheets
    } else {
        &doc.parent_sheets
    };
    let mut msg = format!(
        "chart caches {} and {}",
        plural(values, "value", "values"),
        plural(labels, "label", "labels")
    );
    let mut hidden_sources = Vec::new();
    let mut missing = Vec::new();
    if sheets.is_empty() {
        msg.push_str(" in its own data table");
    } else {
        let list: Vec<String> = sheets.iter().map(|s| format!("'{s}'")).collect();
        msg.push_str(&format!(" from sheet {}", list.join(", ")));
        for s in sheets {
            match known.iter().find(|k| k.name.eq_ignore_ascii_case(s)) {
                Some(k) if k.hidden => hidden_sources.push(format!("'{s}'")),
                Some(_) => {}
                None if !known.is_empty() => missing.push(format!("'{s}'")),
                None => {}
            }
        }
    }
    if !hidden_sources.is_empty() {
        msg.push_str(&format!(
            "; source sheet {} is hidden",
            hidden_sources.join(", ")
        ));
    }
    if !missing.is_empty() {
        msg.push_str(&format!(
            "; source sheet {} is no longer in the workbook",
            missing.join(", ")
        ));
    }
    let hidden = !hidden_sources.is_empty() || !missing.is_empty();
    let mut l = loc(ctx, part);
    l.sheet = sheets.iter().next().cloned();
    ctx.report(
        "chart-cache",
        if hidden {
            Severity::High
        } else {
            Severity::Low
        },
        hidden,
        l,
        msg,
        &format!("{values}:{labels}"),
    );
}

/// Sheet names in an ODF range address: `Sheet1.A1:Sheet1.B5`, `$'My sheet'.$B$2:.$B$9`,
/// several ranges separated by spaces.
pub fn referenced_sheets(address: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Ranges are separated by spaces, but a quoted sheet name may hold spaces too.
    let mut ranges: Vec<String> = vec![String::new()];
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                if let Some(r) = ranges.last_mut() {
                    r.push(c);
                }
            }
            c if c.is_whitespace() && !quoted => ranges.push(String::new()),
            c => {
                if let Some(r) = ranges.last_mut() {
                    r.push(c);
                }
            }
        }
    }
    for range in ranges.iter().filter(|r| !r.is_empty()) {
        for end in range.split(':') {
            let end = end.trim_start_matches('$');
            let name = if let Some(rest) = end.strip_prefix('\'') {
                // Quoted: up to the closing quote ('' is a quote in the name).
                let mut name = String::new();
                let mut chars = rest.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            name.push('\'');
                            chars.next();
                            continue;
                        }
                        break;
                    }
                    name.push(c);
                }
                name
            } else {
                match end.rfind('.') {
                    Some(i) => end[..i].trim_start_matches('$').to_string(),
                    None => String::new(),
                }
            };
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::referenced_sheets;

    #[test]
    fn sheet_names_in_range_addresses() {
        assert_eq!(referenced_sheets("Sheet1.A1:Sheet1.B5"), vec!["Sheet1"]);
        assert_eq!(
            referenced_sheets("$'Staff list'.$B$2:.$B$9 Data.A1"),
            vec!["Staff list", "Data"]
        );
        assert_eq!(referenced_sheets("'O''Neil'.A1"), vec!["O'Neil"]);
        assert_eq!(
            referenced_sheets("local-table.$A$1:.$C$5"),
            vec!["local-table"]
        );
    }
}
