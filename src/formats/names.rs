//! Defined names, the same way in every spreadsheet format: each name's value goes to the
//! detectors (as hidden content when the name is hidden or holds data), and one
//! `defined-name` finding per workbook lists the hidden names and the names that hold data
//! (a constant or a list) rather than a cell reference.

use crate::context::Ctx;
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::shorten;

/// One defined name, as a format decoded it.
pub struct NameEntry<'a> {
    pub name: &'a str,
    pub hidden: bool,
    /// The name's formula as text (`Data!$A$1:$D$13`, `{"Smith","Jones"}`).
    pub value: &'a str,
    /// The sheet a local name belongs to.
    pub sheet: Option<&'a str>,
    /// A name Excel defines itself (`_xlnm.Print_Area`, `_FilterDatabase`): its value goes
    /// to the detectors but it is not reported.
    pub builtin: bool,
    /// The value is data, not a reference.
    pub holds_data: bool,
}

/// A name's value is data, not a reference: a string, number, boolean or array constant.
pub fn holds_data(value: &str) -> bool {
    let v = value.trim().trim_start_matches('=').trim();
    v.starts_with('"')
        || v.starts_with('{')
        || v.parse::<f64>().is_ok()
        || v.eq_ignore_ascii_case("TRUE")
        || v.eq_ignore_ascii_case("FALSE")
}

/// Reports hidden names and names holding data, one finding for the workbook.
pub fn report(names: &[NameEntry<'_>], part: &str, ctx: &mut Ctx<'_>) {
    let mut hidden = Vec::new();
    let mut data = Vec::new();
    let mut hidden_data = 0u64;
    for n in names {
        ctx.item(&Item {
            text: n.value,
            kind: ItemKind::DefinedName,
            hidden: n.hidden || n.holds_data,
            part,
            sheet: n.sheet,
            cell: None,
            detail: Some(n.name),
            doc: DocPlace::NONE,
        });
        if n.builtin {
            continue;
        }
        if n.hidden {
            hidden.push(n.name);
        }
        if n.holds_data {
            data.push(n.name);
            if n.hidden {
                hidden_data += 1;
            }
        }
    }
    if hidden.is_empty() && data.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    if !hidden.is_empty() {
        parts.push(format!("{} hidden ({})", hidden.len(), shorten(&hidden, 5)));
    }
    if !data.is_empty() {
        parts.push(format!(
            "{} holding data rather than a cell reference ({})",
            data.len(),
            shorten(&data, 5)
        ));
    }
    let severity = if hidden_data > 0 {
        Severity::High
    } else if !data.is_empty() {
        Severity::Medium
    } else {
        Severity::Low
    };
    let key = format!("{}|{}", hidden.join(","), data.join(","));
    ctx.report(
        "defined-name",
        severity,
        true,
        ctx.loc(part),
        format!("defined names: {}", parts.join("; ")),
        &key,
    );
}
