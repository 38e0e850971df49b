//! `xl/workbook.xml`: the sheet list with visibility, defined names, and file paths.

use super::sheet::SheetState;
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::formats::names::{self, NameEntry};
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

/// Reports hidden names and names holding data (see [`names::report`]).
pub fn report_names(wb: &Workbook, part: &str, ctx: &mut Ctx<'_>) {
    let entries: Vec<NameEntry<'_>> = wb
        .names
        .iter()
        .map(|n| NameEntry {
            name: &n.name,
            hidden: n.hidden,
            value: &n.value,
            sheet: n
                .local_sheet
                .and_then(|i| wb.sheets.get(i as usize))
                .map(|s| s.name.as_str()),
            builtin: n.name.starts_with("_xlnm."),
            holds_data: names::holds_data(&n.value),
        })
        .collect();
    names::report(&entries, part, ctx);
}
