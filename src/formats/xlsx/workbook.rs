//! `xl/workbook.xml`: the sheet list with visibility, defined names, and file paths.

use super::sheet::SheetState;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::shorten;
use crate::xml::{XmlReader, attr, attr_flag, attr_u32, local, local_end, missing, push_text};
use quick_xml::events::Event;

#[derive(Debug, Clone)]
pub struct SheetEntry {
    pub name: String,
    pub state: SheetState,
    pub rel_id: String,
}

#[derive(Debug, Clone)]
pub struct DefinedName {
    pub name: String,
    pub hidden: bool,
    pub value: String,
    pub local_sheet: Option<u32>,
}

#[derive(Debug, Default)]
pub struct Workbook {
    pub sheets: Vec<SheetEntry>,
    pub names: Vec<DefinedName>,
    /// `x15ac:absPath`: the folder the workbook was last saved in.
    pub abs_path: Option<String>,
    /// `fileSharing/@userName`: who reserved the file.
    pub sharing_user: Option<String>,
}

pub fn parse(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Workbook> {
    let reader = pkg.reader(part, ctx)?.ok_or_else(|| missing(part))?;
    let mut xml = XmlReader::new(reader, part);
    let mut wb = Workbook::default();
    let mut current_name: Option<DefinedName> = None;
    let mut root_seen = false;
    loop {
        let ev = xml.next_event()?;
        if let Event::Start(e) | Event::Empty(e) = &ev
            && !root_seen
        {
            root_seen = true;
            if local(e) != "workbook" {
                return Err(ScanError::new(format!(
                    "{part} is not a SpreadsheetML workbook (its root element is <{}>)",
                    local(e)
                )));
            }
        }
        match &ev {
            Event::Start(e) | Event::Empty(e) => match local(e) {
                "sheet" => wb.sheets.push(SheetEntry {
                    name: attr(e, "name").unwrap_or_default().into_owned(),
                    state: match attr(e, "state").as_deref() {
                        Some("hidden") => SheetState::Hidden,
                        Some("veryHidden") => SheetState::VeryHidden,
                        _ => SheetState::Visible,
                    },
                    rel_id: attr(e, "id").unwrap_or_default().into_owned(),
                }),
                "definedName" => {
                    let name = DefinedName {
                        name: attr(e, "name").unwrap_or_default().into_owned(),
                        hidden: attr_flag(e, "hidden"),
                        value: String::new(),
                        local_sheet: attr_u32(e, "localSheetId"),
                    };
                    if matches!(ev, Event::Empty(_)) {
                        wb.names.push(name);
                    } else {
                        current_name = Some(name);
                    }
                }
                "absPath" => wb.abs_path = attr(e, "url").map(|u| u.into_owned()),
                "fileSharing" => wb.sharing_user = attr(e, "userName").map(|u| u.into_owned()),
                _ => {}
            },
            Event::End(e) if local_end(e.name().0) == "definedName" => {
                if let Some(n) = current_name.take() {
                    wb.names.push(n);
                }
            }
            Event::Eof => break,
            other => {
                if let Some(n) = &mut current_name {
                    push_text(other, &mut n.value);
                }
            }
        }
    }
    if !root_seen {
        return Err(ScanError::new(format!("{part} holds no XML workbook")));
    }
    if wb.sheets.is_empty() {
        return Err(ScanError::new(format!("{part} lists no sheets")));
    }
    Ok(wb)
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
pub fn report_names(wb: &Workbook, part: &str, ctx: &mut Ctx<'_>) {
    let mut hidden = Vec::new();
    let mut data = Vec::new();
    let mut hidden_data = 0u64;
    for n in &wb.names {
        let builtin = n.name.starts_with("_xlnm.");
        let sheet = n
            .local_sheet
            .and_then(|i| wb.sheets.get(i as usize))
            .map(|s| s.name.as_str());
        let is_data = holds_data(&n.value);
        ctx.item(&Item {
            text: &n.value,
            kind: ItemKind::DefinedName,
            hidden: n.hidden || is_data,
            part,
            sheet,
            cell: None,
            detail: Some(&n.name),
            doc: DocPlace::NONE,
        });
        if builtin {
            continue;
        }
        if n.hidden {
            hidden.push(n.name.as_str());
        }
        if is_data {
            data.push(n.name.as_str());
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
