//! The workbook part (`xl/workbook.bin`): the sheet list with visibility (`BrtBundleSh`),
//! defined names (`BrtName`), the supporting links formulas refer to (`BrtSupSelf`,
//! `BrtSupBookSrc`, `BrtExternSheet`), the folder the file was last saved in
//! (`BrtAbsPath15`) and the user who reserved it (`BrtFileSharing`).

use super::formula::{self, Xti};
use super::records::{self as rec, Fields, Records};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::grid::SheetState;
use crate::formats::names::{self, NameEntry};
use crate::model::{DocPlace, Item, ItemKind};

#[derive(Debug, Clone)]
pub struct SheetEntry {
    pub name: String,
    pub state: SheetState,
    pub rel_id: String,
}

#[derive(Debug, Clone, Default)]
pub struct DefinedName {
    pub name: String,
    pub hidden: bool,
    pub builtin: bool,
    /// The sheet a local name belongs to (index into the sheet list).
    pub local_sheet: Option<u32>,
    pub rgce: Vec<u8>,
    pub rgcb: Vec<u8>,
    pub comment: String,
}

#[derive(Debug, Default)]
pub struct Workbook {
    pub sheets: Vec<SheetEntry>,
    pub names: Vec<DefinedName>,
    pub xti: Vec<Xti>,
    pub abs_path: Option<String>,
    pub sharing_user: Option<String>,
    /// Names of custom workbook views (often a person's name).
    pub view_names: Vec<String>,
    /// Records that could not be decoded, with why.
    pub problems: Vec<String>,
}

/// Supporting links in the order the workbook lists them: `Some(n)` for the n-th external
/// workbook (1-based, as formulas show it), `None` for this workbook or an add-in.
type SupBooks = Vec<Option<usize>>;

pub fn parse(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<Workbook> {
    let reader = pkg
        .reader(part, ctx)?
        .ok_or_else(|| ScanError::new(format!("{part} is missing from the package")))?;
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut wb = Workbook::default();
    let mut supbooks: SupBooks = Vec::new();
    let mut external = 0usize;
    let mut first = true;
    while let Some(id) = records.next(&mut body, ctx)? {
        if first {
            first = false;
            if id != rec::BEGIN_BOOK {
                return Err(ScanError::new(format!(
                    "{part} is not a BIFF12 workbook (it starts with record type 0x{id:04X})"
                )));
            }
        }
        let mut f = Fields::new(&body);
        match id {
            rec::BUNDLE_SH => match bundle_sheet(&mut f) {
                Some(s) => wb.sheets.push(s),
                None => wb
                    .problems
                    .push("a sheet entry (BrtBundleSh) is cut short".into()),
            },
            rec::NAME => match defined_name(&mut f) {
                Some(n) => wb.names.push(n),
                None => wb
                    .problems
                    .push("a defined name (BrtName) is cut short".into()),
            },
            rec::SUP_SELF | rec::SUP_SAME | rec::SUP_ADDIN => supbooks.push(None),
            rec::SUP_BOOK_SRC => {
                external += 1;
                supbooks.push(Some(external));
            }
            rec::EXTERN_SHEET => {
                let Some(count) = f.u32() else { continue };
                for _ in 0..count {
                    let (Some(book), Some(first_tab), Some(_last)) = (f.u32(), f.u32(), f.u32())
                    else {
                        break;
                    };
                    wb.xti.push(Xti {
                        book: supbooks.get(book as usize).copied().flatten(),
                        first: first_tab as i32,
                    });
                }
            }
            rec::ABS_PATH15 => wb.abs_path = f.wide().filter(|p| !p.is_empty()),
            rec::FILE_SHARING => {
                wb.sharing_user = f
                    .skip(4)
                    .and_then(|_| f.nullable_wide())
                    .filter(|u| !u.trim().is_empty());
            }
            0x018D => {
                // BrtUserBookView: a custom view, named after whoever made it.
                if let Some(name) = f.skip(46).and_then(|_| f.wide())
                    && !name.trim().is_empty()
                {
                    wb.view_names.push(name);
                }
            }
            _ => {}
        }
    }
    if first {
        return Err(ScanError::new(format!("{part} is empty")));
    }
    if wb.sheets.is_empty() {
        return Err(ScanError::new(format!("{part} lists no sheets")));
    }
    Ok(wb)
}

/// `BrtBundleSh`: state, tab id, relationship id, name. Some early Excel 2007 files carry
/// four more bytes before the tab id; a record that does not read exactly one way is read
/// the other.
fn bundle_sheet(f: &mut Fields<'_>) -> Option<SheetEntry> {
    let read = |mut f: Fields<'_>, extra: usize| -> Option<SheetEntry> {
        let state = match f.u32()? {
            1 => SheetState::Hidden,
            2 => SheetState::VeryHidden,
            _ => SheetState::Visible,
        };
        f.skip(4 + extra)?;
        let rel_id = f.nullable_wide()?;
        let name = f.wide()?;
        (f.remaining() == 0).then_some(SheetEntry {
            name,
            state,
            rel_id,
        })
    };
    read(f.clone(), 0).or_else(|| read(f.clone(), 4))
}

/// `BrtName`: flags, shortcut key, sheet, name, formula (`NameParsedFormula`), comment.
fn defined_name(f: &mut Fields<'_>) -> Option<DefinedName> {
    let flags = f.u32()?;
    f.u8()?;
    let itab = f.u32()?;
    let mut name = f.wide()?;
    let cce = f.u32()? as usize;
    let rgce = f.take(cce)?.to_vec();
    let cb = f.u32()? as usize;
    let rgcb = f.take(cb)?.to_vec();
    let comment = f.nullable_wide().unwrap_or_default();
    let builtin = flags & 0x20 != 0 || name.starts_with("_xlnm.");
    if builtin && !name.starts_with("_xlnm.") {
        name = format!("_xlnm.{name}");
    }
    Some(DefinedName {
        name,
        hidden: flags & 0x01 != 0,
        builtin,
        local_sheet: (itab != u32::MAX).then_some(itab),
        rgce,
        rgcb,
        comment,
    })
}

/// The defined names of the workbook in formula order, for `PtgName`.
pub fn name_list(wb: &Workbook) -> Vec<String> {
    wb.names.iter().map(|n| n.name.clone()).collect()
}

/// Reports hidden names and names holding data (see [`names::report`]), and sends the
/// other texts the workbook part holds to the detectors.
pub fn report(wb: &Workbook, part: &str, ctx: &mut Ctx<'_>) {
    let sheets: Vec<String> = wb.sheets.iter().map(|s| s.name.clone()).collect();
    let defined = name_list(wb);
    let fnames = formula::Names {
        sheets: &sheets,
        xti: &wb.xti,
        defined: &defined,
    };
    let rendered: Vec<formula::Rendered> = wb
        .names
        .iter()
        .map(|n| formula::render(&n.rgce, &n.rgcb, &fnames, (0, 0)))
        .collect();
    let entries: Vec<NameEntry<'_>> = wb
        .names
        .iter()
        .zip(&rendered)
        .map(|(n, r)| NameEntry {
            name: &n.name,
            hidden: n.hidden,
            value: &r.text,
            sheet: n
                .local_sheet
                .and_then(|i| wb.sheets.get(i as usize))
                .map(|s| s.name.as_str()),
            builtin: n.builtin,
            holds_data: r.constant || names::holds_data(&r.text),
        })
        .collect();
    names::report(&entries, part, ctx);
    let texts = wb
        .names
        .iter()
        .filter(|n| !n.comment.trim().is_empty())
        .map(|n| (n.comment.as_str(), "comment of a defined name"))
        .chain(
            wb.view_names
                .iter()
                .map(|v| (v.as_str(), "name of a custom workbook view")),
        );
    for (text, detail) in texts {
        ctx.item(&Item {
            text,
            kind: ItemKind::Text,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some(detail),
            doc: DocPlace::NONE,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(s: &str) -> Vec<u8> {
        let mut out = (s.encode_utf16().count() as u32).to_le_bytes().to_vec();
        out.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        out
    }

    #[test]
    fn names_and_sheets_decode_and_refuse_short_records() {
        let mut b = 1u32.to_le_bytes().to_vec();
        b.extend(1u32.to_le_bytes());
        b.extend(wide("rId2"));
        b.extend(wide("Staff list"));
        let s = bundle_sheet(&mut Fields::new(&b)).expect("sheet");
        assert_eq!(s.state, SheetState::Hidden);
        assert_eq!(s.name, "Staff list");
        assert_eq!(s.rel_id, "rId2");
        for cut in 0..b.len() {
            assert!(bundle_sheet(&mut Fields::new(&b[..cut])).is_none());
        }
        let mut n = 0x21u32.to_le_bytes().to_vec();
        n.push(0);
        n.extend(0u32.to_le_bytes());
        n.extend(wide("_FilterDatabase"));
        n.extend(0u32.to_le_bytes());
        n.extend(0u32.to_le_bytes());
        n.extend(u32::MAX.to_le_bytes());
        let d = defined_name(&mut Fields::new(&n)).expect("name");
        assert!(d.hidden && d.builtin);
        assert_eq!(d.name, "_xlnm._FilterDatabase");
        assert_eq!(d.local_sheet, Some(0));
    }
}
