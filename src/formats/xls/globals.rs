//! The workbook globals substream: everything before the first sheet's BOF. It lists the
//! sheets (BOUNDSHEET, with their visibility and where their records start), the shared
//! string table, fonts, cell formats and the palette, defined names, links to other
//! workbooks with their cached values, the pivot cache streams and who last saved the file.

use super::records::{
    Biff, CONTINUE, Cursor, Record, Records, TextCodec, error_text, number_text, u16_at, u32_at,
    virtual_path,
};
use crate::context::{Ctx, ScanError, ScanResult};
use crate::formats::grid::{CellEffect, CellLook, DEFAULT_PALETTE, Rgb, SheetState, cell_effect};

pub const BOF: u16 = 0x0809;
pub const EOF: u16 = 0x000A;

/// What BOUNDSHEET says a sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Worksheet,
    /// Excel 4.0 macro sheet: its formulas are macro code.
    MacroSheet,
    Chart,
    /// Excel 5.0 Visual Basic module sheet.
    VbModule,
    Other(u8),
}

#[derive(Debug, Clone)]
pub struct SheetEntry {
    pub name: String,
    pub state: SheetState,
    pub kind: SheetKind,
    /// Offset of the sheet's BOF in the workbook stream.
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub struct DefinedName {
    pub name: String,
    pub hidden: bool,
    pub builtin: Option<u8>,
    /// 1-based sheet index for a name local to a sheet; 0 for a workbook name.
    pub itab: u16,
    pub rgce: Vec<u8>,
    /// Bytes after the formula: the values of constant arrays.
    pub extra: Vec<u8>,
}

/// One linked workbook (SUPBOOK) with the cached values of its cells (CRN).
#[derive(Debug, Clone, Default)]
pub struct ExternalBook {
    pub path: String,
    pub sheets: Vec<String>,
    pub names: Vec<String>,
    /// (sheet index in `sheets`, row, column, value) of every non-empty cached cell.
    pub cached: Vec<(usize, u32, u32, String)>,
    /// DDE or OLE link rather than a workbook.
    pub kind: &'static str,
}

/// One pivot cache the globals list: its stream id and the source it was built from.
#[derive(Debug, Clone, Default)]
pub struct PivotSource {
    pub stream_id: u16,
    pub sheet: Option<String>,
    pub range: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Default)]
pub struct Globals {
    pub sheets: Vec<SheetEntry>,
    pub strings: Vec<String>,
    pub effects: Vec<CellEffect>,
    pub names: Vec<DefinedName>,
    pub books: Vec<ExternalBook>,
    /// EXTERNSHEET: (book index, first sheet, last sheet) of each reference.
    pub xti: Vec<(u16, i16, i16)>,
    pub write_access: Option<String>,
    pub file_sharing_user: Option<String>,
    pub pivots: Vec<PivotSource>,
    /// Strings of the globals a reader does not see (AutoFilter criteria, style names...).
    pub side_text: Vec<(&'static str, String)>,
    /// Why part of the globals could not be read.
    pub problems: Vec<String>,
}

pub struct Styles {
    fonts: Vec<(Option<u16>, f64)>,
    formats: Vec<(u16, String)>,
    xfs: Vec<(u16, u16, Option<u16>)>,
    palette: Vec<Rgb>,
}

/// Reads the globals. Fails for an encrypted workbook (FILEPASS) and for a stream that does
/// not start with a BIFF5/BIFF8 workbook BOF.
pub fn parse(stream: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<(Globals, TextCodec)> {
    let mut records = Records::new(stream, 0);
    let first = records
        .next()
        .ok_or_else(|| ScanError::new("the workbook stream is empty"))?;
    let biff = bof_version(&first)?;
    let mut codec = TextCodec::new(biff);
    let mut g = Globals::default();
    let mut styles = Styles {
        fonts: Vec::new(),
        formats: Vec::new(),
        xfs: Vec::new(),
        palette: DEFAULT_PALETTE.to_vec(),
    };
    let mut n = 0u64;
    // The CRN records follow the XCT that names their sheet.
    let mut crn_sheet = 0usize;
    while let Some(r) = records.next() {
        n += 1;
        if n.is_multiple_of(65536) {
            ctx.check_time()?;
        }
        match r.typ {
            EOF => break,
            0x002F => {
                return Err(ScanError::new(
                    "password-protected: the workbook is encrypted (FILEPASS), so its content cannot be checked",
                ));
            }
            0x0042 => {
                if let Some(cp) = u16_at(r.data, 0) {
                    codec.set_codepage(cp);
                }
            }
            0x005C => g.write_access = write_access(r.data, &codec),
            0x005B => {
                let user = Cursor::new(r.data.get(4..).unwrap_or_default()).string16(&codec);
                g.file_sharing_user = user.filter(|u| !u.trim().is_empty());
            }
            0x0085 => match bound_sheet(r.data, &codec) {
                Some(s) => g.sheets.push(s),
                None => g.problems.push(format!(
                    "BOUNDSHEET record at offset {} is malformed",
                    r.offset
                )),
            },
            0x00FC => {
                let segs = records.continues(r.data, 1 << 20);
                read_sst(segs, &codec, ctx, &mut g)?;
            }
            0x0031 => styles.fonts.push(font(r.data)),
            0x041E => {
                if let Some(f) = format_record(r.data, &codec) {
                    styles.formats.push(f);
                }
            }
            0x00E0 => styles.xfs.push(xf(r.data, biff)),
            0x0092 => palette(r.data, &mut styles.palette),
            0x0018 => match name_record(r.data, &codec) {
                Some(n) => g.names.push(n),
                None => g.problems.push(format!(
                    "defined name (NAME record) at offset {} is malformed",
                    r.offset
                )),
            },
            0x01AE => g.books.push(supbook(r.data, &codec)),
            0x0023 => {
                // EXTERNNAME: a name in the last linked book (or a DDE/OLE item).
                if let Some(book) = g.books.last_mut() {
                    let mut c = Cursor::new(r.data.get(6..).unwrap_or_default());
                    if let Some(name) = c.string8(&codec) {
                        book.names.push(name);
                    }
                }
            }
            0x0017 => extern_sheet(r.data, &codec, &mut g),
            0x0059 => {
                // XCT: the cached cells that follow belong to this sheet of the last book.
                let itab = u16_at(r.data, 2).unwrap_or(0) as usize;
                if let Some(book) = g.books.last_mut() {
                    book.kind = if book.kind.is_empty() {
                        "workbook"
                    } else {
                        book.kind
                    };
                    crn_sheet = itab;
                }
            }
            0x005A => {
                if let Some(book) = g.books.last_mut() {
                    crn(r.data, &codec, crn_sheet, book);
                }
            }
            0x00D5 => g.pivots.push(PivotSource {
                stream_id: u16_at(r.data, 0).unwrap_or(0),
                ..Default::default()
            }),
            0x0051 => {
                // DCONREF: the source range of the last pivot cache.
                if let Some(p) = g.pivots.last_mut() {
                    dconref(r.data, &codec, p);
                }
            }
            0x0052 => {
                if let Some(p) = g.pivots.last_mut() {
                    p.name = Cursor::new(r.data).string16(&codec);
                }
            }
            CONTINUE => {}
            _ => {}
        }
    }
    if let Some(e) = records.error.take() {
        g.problems.push(format!("workbook globals: {e}"));
    }
    g.effects = styles.effects();
    Ok((g, codec))
}

/// The version a workbook BOF declares. BIFF2–4 workbooks are not OLE files and never get
/// here; anything but BIFF5/BIFF8 workbook globals is refused with its reason.
pub fn bof_version(r: &Record<'_>) -> ScanResult<Biff> {
    if r.typ != BOF {
        return Err(ScanError::new(format!(
            "the workbook stream does not start with a BIFF5/BIFF8 BOF record (found record 0x{:04X})",
            r.typ
        )));
    }
    let vers = u16_at(r.data, 0).unwrap_or(0);
    let dt = u16_at(r.data, 2).unwrap_or(0);
    if dt != 0x0005 {
        return Err(ScanError::new(format!(
            "the workbook stream starts with a BOF of type 0x{dt:04X}, not workbook globals"
        )));
    }
    match vers {
        0x0600 => Ok(Biff::Biff8),
        0x0500 => Ok(Biff::Biff5),
        v => Err(ScanError::new(format!(
            "unsupported BIFF version 0x{v:04X}: foiguard reads Excel 5.0 to 2003 workbooks (BIFF5 and BIFF8)"
        ))),
    }
}

fn write_access(data: &[u8], codec: &TextCodec) -> Option<String> {
    let mut c = Cursor::new(data);
    let parsed = match codec.biff {
        Biff::Biff8 => c.string16(codec),
        Biff::Biff5 => c.string8(codec),
    };
    // Some writers (xlwt) store the bare name padded with spaces, without a length.
    let name = match parsed {
        Some(s) if !s.chars().any(|c| c.is_control() && c != '\0') => s,
        _ => data.iter().map(|&b| b as char).collect(),
    };
    let name = name
        .trim_matches(|c: char| c.is_whitespace() || c == '\0')
        .to_string();
    (!name.is_empty() && !name.chars().any(char::is_control)).then_some(name)
}

fn bound_sheet(data: &[u8], codec: &TextCodec) -> Option<SheetEntry> {
    let offset = u32_at(data, 0)? as usize;
    let state = match data.get(4)? & 0x03 {
        0 => SheetState::Visible,
        1 => SheetState::Hidden,
        _ => SheetState::VeryHidden,
    };
    let kind = match *data.get(5)? {
        0 => SheetKind::Worksheet,
        1 => SheetKind::MacroSheet,
        2 => SheetKind::Chart,
        6 => SheetKind::VbModule,
        k => SheetKind::Other(k),
    };
    let mut name = Cursor::new(data.get(6..)?).string8(codec)?;
    name.retain(|c| c != '\0');
    Some(SheetEntry {
        name,
        state,
        kind,
        offset,
    })
}

/// The shared string table, across its CONTINUE records, capped by the workbook limits.
fn read_sst(
    segs: Vec<&[u8]>,
    codec: &TextCodec,
    ctx: &mut Ctx<'_>,
    g: &mut Globals,
) -> ScanResult<()> {
    let mut c = Cursor::with_segments(segs);
    let _total = c.u32();
    let unique = c.u32().unwrap_or(0) as usize;
    let cap = ctx.limits.max_shared_strings;
    g.strings.reserve(unique.min(cap).min(1 << 16));
    while !c.at_end() {
        if g.strings.len() >= cap {
            return Err(ScanError::new(format!(
                "the shared string table has more strings than {}",
                ctx.limits.the_limit("max_shared_strings")
            )));
        }
        if g.strings.len() % 65536 == 65535 {
            ctx.check_time()?;
        }
        match c.string16(codec) {
            Some(s) => g.strings.push(s),
            None => {
                g.problems.push(format!(
                    "the shared string table is cut short after {} strings",
                    g.strings.len()
                ));
                break;
            }
        }
        if unique > 0 && g.strings.len() >= unique {
            break;
        }
    }
    Ok(())
}

/// FONT: (colour index, size in points).
fn font(data: &[u8]) -> (Option<u16>, f64) {
    let height = u16_at(data, 0).unwrap_or(200) as f64 / 20.0;
    let icv = u16_at(data, 4);
    (icv, height)
}

fn format_record(data: &[u8], codec: &TextCodec) -> Option<(u16, String)> {
    let id = u16_at(data, 0)?;
    let mut c = Cursor::new(data.get(2..)?);
    let code = match codec.biff {
        Biff::Biff8 => c.string16(codec)?,
        Biff::Biff5 => c.string8(codec)?,
    };
    Some((id, code))
}

/// XF: (font index, format id, solid fill colour index).
fn xf(data: &[u8], biff: Biff) -> (u16, u16, Option<u16>) {
    let font = u16_at(data, 0).unwrap_or(0);
    let fmt = u16_at(data, 2).unwrap_or(0);
    let fill = match biff {
        Biff::Biff8 => {
            let pattern = (u32_at(data, 14).unwrap_or(0) >> 26) & 0x3F;
            let fore = u16_at(data, 18).unwrap_or(0) & 0x7F;
            (pattern == 1).then_some(fore)
        }
        Biff::Biff5 => {
            let w = u32_at(data, 8).unwrap_or(0);
            let pattern = (w >> 16) & 0x3F;
            (pattern == 1).then_some((w & 0x7F) as u16)
        }
    };
    (font, fmt, fill)
}

fn palette(data: &[u8], palette: &mut [Rgb]) {
    let count = u16_at(data, 0).unwrap_or(0) as usize;
    for i in 0..count.min(56) {
        if let (Some(slot), Some(rgb)) = (palette.get_mut(8 + i), data.get(2 + i * 4..5 + i * 4)) {
            *slot = [rgb[0], rgb[1], rgb[2]];
        }
    }
}

/// Built-in number formats that hide nothing are all of them: only custom FORMAT records
/// can be `;;;`.
impl Styles {
    fn colour(&self, icv: u16) -> Option<Rgb> {
        match icv {
            // System colours: window text (automatic), window background.
            0x40 | 0x7FFF => None,
            0x41 => Some([255, 255, 255]),
            i => self.palette.get(i as usize).copied(),
        }
    }

    fn effects(&self) -> Vec<CellEffect> {
        self.xfs
            .iter()
            .map(|&(ifnt, ifmt, fill)| {
                // Font index 4 does not exist in BIFF: indexes above it are one off.
                let fi = if ifnt >= 4 {
                    ifnt as usize - 1
                } else {
                    ifnt as usize
                };
                let (icv, size) = self.fonts.get(fi).copied().unwrap_or((None, 10.0));
                let code = self
                    .formats
                    .iter()
                    .find(|(id, _)| *id == ifmt)
                    .map(|(_, c)| c.as_str())
                    .unwrap_or("");
                cell_effect(&CellLook {
                    font: icv.and_then(|i| self.colour(i)),
                    size: Some(size),
                    fill: fill.and_then(|i| self.colour(i)),
                    number_format: code,
                })
            })
            .collect()
    }
}

fn name_record(data: &[u8], codec: &TextCodec) -> Option<DefinedName> {
    let grbit = u16_at(data, 0)?;
    let cch = *data.get(3)? as usize;
    let cce = u16_at(data, 4)? as usize;
    let itab = u16_at(data, 8)?;
    let mut c = Cursor::new(data.get(14..)?);
    let builtin_flag = grbit & 0x0020 != 0;
    let name = match codec.biff {
        Biff::Biff8 => {
            let mut s = String::new();
            c.flagged_chars(cch, &mut s)?;
            s
        }
        Biff::Biff5 => c.string_body(cch, codec)?,
    };
    let builtin = builtin_flag.then(|| name.chars().next().map(|ch| ch as u32 as u8).unwrap_or(0));
    let used = data.len() - c.remaining();
    let rgce = data.get(used..used + cce)?.to_vec();
    let extra = data.get(used + cce..).unwrap_or_default().to_vec();
    // Function and macro names (`_xlfn.IFERROR`, command macros) are Excel's own
    // declarations, not data: treat them like built-in names.
    let builtin =
        builtin.or_else(|| (grbit & 0x000E != 0 || name.starts_with("_xlfn.")).then_some(0xFF));
    Some(DefinedName {
        name: match builtin {
            Some(b) if builtin_flag => builtin_name(b).to_string(),
            _ => name,
        },
        hidden: grbit & 0x0001 != 0,
        builtin,
        itab,
        rgce,
        extra,
    })
}

pub const FILTER_DATABASE: u8 = 0x0D;

fn builtin_name(b: u8) -> &'static str {
    match b {
        0x00 => "_xlnm.Consolidate_Area",
        0x01 => "_xlnm.Auto_Open",
        0x02 => "_xlnm.Auto_Close",
        0x03 => "_xlnm.Extract",
        0x04 => "_xlnm.Database",
        0x05 => "_xlnm.Criteria",
        0x06 => "_xlnm.Print_Area",
        0x07 => "_xlnm.Print_Titles",
        0x08 => "_xlnm.Recorder",
        0x09 => "_xlnm.Data_Form",
        0x0A => "_xlnm.Auto_Activate",
        0x0B => "_xlnm.Auto_Deactivate",
        0x0C => "_xlnm.Sheet_Title",
        0x0D => "_xlnm._FilterDatabase",
        _ => "_xlnm.Builtin",
    }
}

fn supbook(data: &[u8], codec: &TextCodec) -> ExternalBook {
    let ctab = u16_at(data, 0).unwrap_or(0) as usize;
    let cch = u16_at(data, 2).unwrap_or(0);
    let mut book = ExternalBook::default();
    // 0x0401: this workbook; 0x3A01: add-in functions. Neither names another file.
    if cch == 0x0401 || cch == 0x3A01 || codec.biff != Biff::Biff8 {
        book.kind = "self";
        return book;
    }
    let mut c = Cursor::new(data.get(4..).unwrap_or_default());
    let mut raw = String::new();
    if c.unicode_body(cch as usize, &mut raw).is_none() {
        book.kind = "self";
        return book;
    }
    book.path = virtual_path(&raw);
    book.kind = if ctab == 0 {
        "DDE/OLE link"
    } else {
        "workbook"
    };
    for _ in 0..ctab.min(4096) {
        match c.string16(codec) {
            Some(s) => book.sheets.push(s),
            None => break,
        }
    }
    book
}

fn extern_sheet(data: &[u8], codec: &TextCodec, g: &mut Globals) {
    match codec.biff {
        Biff::Biff8 => {
            let n = u16_at(data, 0).unwrap_or(0) as usize;
            for i in 0..n.min(65536) {
                let at = 2 + i * 6;
                let (Some(book), Some(first), Some(last)) =
                    (u16_at(data, at), u16_at(data, at + 2), u16_at(data, at + 4))
                else {
                    break;
                };
                g.xti.push((book, first as i16, last as i16));
            }
        }
        Biff::Biff5 => {
            // One record per reference; an encoded path (0x01...) names another workbook.
            let mut c = Cursor::new(data);
            if let Some(raw) = c.string8(codec)
                && raw.starts_with('\u{1}')
            {
                let decoded = virtual_path(&raw);
                let (path, sheet) = match decoded.rsplit_once(['\\', '/']) {
                    Some((dir, rest)) => match rest.split_once(']') {
                        Some((file, sheet)) => (format!("{dir}\\{file}"), sheet.to_string()),
                        None => (decoded.clone(), String::new()),
                    },
                    None => (decoded.clone(), String::new()),
                };
                g.books.push(ExternalBook {
                    path: path.replace('[', ""),
                    sheets: vec![sheet],
                    kind: "workbook",
                    ..Default::default()
                });
            }
        }
    }
}

/// CRN: cached values of one row of a linked sheet.
fn crn(data: &[u8], codec: &TextCodec, sheet: usize, book: &mut ExternalBook) {
    let (Some(&last), Some(&first), Some(row)) = (data.first(), data.get(1), u16_at(data, 2))
    else {
        return;
    };
    let mut c = Cursor::new(data.get(4..).unwrap_or_default());
    for col in first..=last.max(first) {
        if book.cached.len() >= 1_000_000 {
            return;
        }
        let Some(typ) = c.u8() else { return };
        let value = match typ {
            0x01 => c.f64().map(number_text),
            0x02 => c.string16(codec),
            0x04 => {
                let b = c.u8();
                c.skip(7);
                b.map(|b| if b != 0 { "TRUE" } else { "FALSE" }.to_string())
            }
            0x10 => {
                let e = c.u8();
                c.skip(7);
                e.map(|e| error_text(e).to_string())
            }
            _ => {
                c.skip(8);
                Some(String::new())
            }
        };
        let Some(value) = value else { return };
        if !value.trim().is_empty() {
            book.cached.push((sheet, row as u32, col as u32, value));
        }
    }
}

fn dconref(data: &[u8], codec: &TextCodec, p: &mut PivotSource) {
    let (Some(r1), Some(r2), Some(&c1), Some(&c2), Some(cch)) = (
        u16_at(data, 0),
        u16_at(data, 2),
        data.get(4),
        data.get(5),
        u16_at(data, 6),
    ) else {
        return;
    };
    p.range = Some(format!(
        "{}:{}",
        crate::model::cell_ref(r1 as u32, c1 as u32),
        crate::model::cell_ref(r2 as u32, c2 as u32)
    ));
    let mut c = Cursor::new(data.get(8..).unwrap_or_default());
    if let Some(raw) = c.string_body(cch as usize, codec) {
        let sheet = virtual_path(&raw);
        let sheet = sheet.trim_start_matches('\\').to_string();
        if !sheet.is_empty() {
            p.sheet = Some(sheet);
        }
    }
}
