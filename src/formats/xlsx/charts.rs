//! Chart caches: every series keeps a copy of the values and labels it plots
//! (`c:strCache`, `c:numCache`). When the source is hidden or deleted, the copy is all that
//! is left, and it is still in the file.

use super::SheetIndex;
use super::sheet::SheetState;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use crate::xml::{XmlReader, local, local_end, push_text};
use quick_xml::events::Event;
use std::collections::BTreeSet;

pub fn inspect(
    pkg: &mut Package<'_>,
    part: &str,
    index: &SheetIndex,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut sheets: BTreeSet<String> = BTreeSet::new();
    let mut labels = 0u64;
    let mut values = 0u64;
    let mut external_data = false;
    // 1 inside strCache/multiLvlStrCache, 2 inside numCache.
    let mut cache_kind = 0u8;
    let mut in_v = false;
    let mut in_f = false;
    let mut text = String::new();
    let mut point = 0u32;
    let mut series = 0u32;
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) | Event::Empty(e) => match local(e) {
                "ser" => series += 1,
                "strCache" | "multiLvlStrCache" => cache_kind = 1,
                "numCache" => cache_kind = 2,
                "pt" => point = crate::xml::attr_u32(e, "idx").unwrap_or(point),
                "v" if cache_kind > 0 && matches!(ev, Event::Start(_)) => {
                    in_v = true;
                    text.clear();
                }
                "f" if matches!(ev, Event::Start(_)) => {
                    in_f = true;
                    text.clear();
                }
                "externalData" => external_data = true,
                _ => {}
            },
            Event::End(e) => match local_end(e.name().0) {
                "strCache" | "multiLvlStrCache" | "numCache" => cache_kind = 0,
                "v" if in_v => {
                    in_v = false;
                    let is_label = cache_kind == 1;
                    if is_label {
                        labels += 1;
                    } else {
                        values += 1;
                    }
                    ctx.item(&Item {
                        text: &text,
                        kind: ItemKind::ChartLabel,
                        hidden: false,
                        part,
                        sheet: None,
                        cell: Some((point, series.saturating_sub(1))),
                        detail: Some(if is_label {
                            "cached label"
                        } else {
                            "cached value"
                        }),
                        doc: DocPlace::NONE,
                    });
                }
                "f" if in_f => {
                    in_f = false;
                    sheets.extend(referenced_sheets(&text));
                }
                _ => {}
            },
            Event::Eof => break,
            other => {
                if in_v || in_f {
                    push_text(other, &mut text);
                }
            }
        }
    }
    if labels + values == 0 && !external_data {
        return Ok(());
    }
    let mut hidden_sources = Vec::new();
    let mut missing_sources = Vec::new();
    for s in &sheets {
        match index.state_of(s) {
            None => missing_sources.push(s.as_str()),
            Some(SheetState::Visible) => {}
            Some(_) => hidden_sources.push(s.as_str()),
        }
    }
    let mut msg = format!(
        "chart caches {} and {}",
        plural(values, "value", "values"),
        plural(labels, "label", "labels")
    );
    if !sheets.is_empty() {
        let list: Vec<&str> = sheets.iter().map(String::as_str).collect();
        msg.push_str(&format!(" from sheet {}", quoted(&list)));
    }
    let hidden = !hidden_sources.is_empty() || !missing_sources.is_empty();
    if !hidden_sources.is_empty() {
        msg.push_str(&format!(
            "; source sheet {} is hidden",
            quoted(&hidden_sources)
        ));
    }
    if !missing_sources.is_empty() {
        msg.push_str(&format!(
            "; source sheet {} is no longer in the workbook",
            quoted(&missing_sources)
        ));
    }
    if external_data {
        msg.push_str("; its data lives in an embedded workbook");
    }
    let severity = if hidden {
        Severity::High
    } else {
        Severity::Low
    };
    let mut loc = ctx.loc(part);
    loc.sheet = sheets.iter().next().cloned();
    ctx.report(
        "chart-cache",
        severity,
        hidden,
        loc,
        msg,
        &format!("{values}:{labels}"),
    );
    Ok(())
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
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
                name.push_str(&formula[j..(j + ch_len).min(bytes.len())]);
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
    use super::referenced_sheets;

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
}
