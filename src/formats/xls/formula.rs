//! Formulas (parsed `rgce` token arrays) turned back into text: cell formulas, defined names
//! and shared formulas carry string literals, constant arrays and references to other
//! workbooks, and all of it must reach the detectors. The common tokens render as Excel
//! writes them (`Data!$A$1:$D$13`, `{"Smith","Jones"}`, `IF(A1="x",1,2)`); a formula with a
//! token this reader does not know falls back to the list of its literals and references,
//! so no literal is lost. Every read is bounded by the token array.

use super::globals::Globals;
use super::records::{Biff, Cursor, TextCodec, error_text, number_text, u16_at};
use crate::model::column_name;

/// Names the formula refers to: sheets of this workbook and of linked ones.
pub struct Names<'a> {
    pub globals: &'a Globals,
}

/// A rendered formula: its text and whether it is a plain constant (a name holding data).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub constant: bool,
}

const MAX_STACK: usize = 1024;

/// Renders `rgce` (with `extra`, the constant-array data after it).
pub fn render(rgce: &[u8], extra: &[u8], codec: &TextCodec, names: &Names<'_>) -> Rendered {
    let mut stack: Vec<String> = Vec::new();
    let mut flat: Vec<String> = Vec::new();
    let mut extra = Cursor::new(extra);
    let mut pos = 0usize;
    let mut ok = true;
    let mut tokens = 0usize;
    let mut constant = true;
    let biff8 = codec.biff == Biff::Biff8;
    while pos < rgce.len() {
        tokens += 1;
        let ptg = rgce[pos];
        pos += 1;
        let base = if ptg >= 0x20 {
            (ptg & 0x1F) | 0x20
        } else {
            ptg
        };
        let d = &rgce[pos..];
        let push = |s: String, stack: &mut Vec<String>, flat: &mut Vec<String>| {
            flat.push(s.clone());
            if stack.len() < MAX_STACK {
                stack.push(s);
            }
        };
        let size = match base {
            0x03..=0x11 => {
                constant = false;
                let op = [
                    "+", "-", "*", "/", "^", "&", "<", "<=", "=", ">=", ">", "<>", " ", ",", ":",
                ][(base - 0x03) as usize];
                match (stack.pop(), stack.pop()) {
                    (Some(b), Some(a)) => stack.push(format!("{a}{op}{b}")),
                    _ => ok = false,
                }
                0
            }
            0x12..=0x14 => {
                constant = false;
                match stack.pop() {
                    Some(a) => stack.push(match base {
                        0x12 => format!("+{a}"),
                        0x13 => format!("-{a}"),
                        _ => format!("{a}%"),
                    }),
                    None => ok = false,
                }
                0
            }
            0x15 => {
                match stack.pop() {
                    Some(a) => stack.push(format!("({a})")),
                    None => ok = false,
                }
                0
            }
            0x16 => {
                stack.push(String::new());
                0
            }
            0x17 => {
                let mut c = Cursor::new(d);
                match c.string8(codec) {
                    Some(s) => {
                        push(
                            format!("\"{}\"", s.replace('"', "\"\"")),
                            &mut stack,
                            &mut flat,
                        );
                        d.len() - c.remaining()
                    }
                    None => break,
                }
            }
            0x19 => {
                // PtgAttr: spaces, IF/CHOOSE jumps, and SUM of one argument.
                let grbit = d.first().copied().unwrap_or(0);
                let w = u16_at(d, 1).unwrap_or(0) as usize;
                if grbit & 0x10 != 0 {
                    match stack.pop() {
                        Some(a) => stack.push(format!("SUM({a})")),
                        None => ok = false,
                    }
                }
                if grbit & 0x04 != 0 {
                    3 + (w + 1) * 2
                } else {
                    3
                }
            }
            0x1C => {
                push(
                    error_text(d.first().copied().unwrap_or(0)).into(),
                    &mut stack,
                    &mut flat,
                );
                1
            }
            0x1D => {
                let b = d.first().copied().unwrap_or(0) != 0;
                push(
                    if b { "TRUE" } else { "FALSE" }.into(),
                    &mut stack,
                    &mut flat,
                );
                1
            }
            0x1E => {
                push(u16_at(d, 0).unwrap_or(0).to_string(), &mut stack, &mut flat);
                2
            }
            0x1F => {
                let v = super::records::f64_at(d, 0).unwrap_or(0.0);
                push(number_text(v), &mut stack, &mut flat);
                8
            }
            0x20 => {
                push(array(&mut extra, codec), &mut stack, &mut flat);
                7
            }
            0x21 => {
                constant = false;
                let iftab = u16_at(d, 0).unwrap_or(u16::MAX);
                match fixed_function(iftab) {
                    Some((name, argc)) if stack.len() >= argc => {
                        let args = stack.split_off(stack.len() - argc);
                        stack.push(format!("{name}({})", args.join(",")));
                    }
                    _ => ok = false,
                }
                2
            }
            0x22 => {
                constant = false;
                let argc = d.first().copied().unwrap_or(0) as usize & 0x7F;
                let iftab = u16_at(d, 1).unwrap_or(0) & 0x7FFF;
                if stack.len() >= argc {
                    let mut args = stack.split_off(stack.len() - argc);
                    let name = if iftab == 255 && !args.is_empty() {
                        args.remove(0)
                    } else {
                        variable_function(iftab)
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("FUNCTION{iftab}"))
                    };
                    stack.push(format!("{name}({})", args.join(",")));
                } else {
                    ok = false;
                }
                3
            }
            0x23 => {
                constant = false;
                let i = u16_at(d, 0).unwrap_or(0) as usize;
                let name = names
                    .globals
                    .names
                    .get(i.wrapping_sub(1))
                    .map(|n| n.name.clone())
                    .unwrap_or_else(|| format!("NAME{i}"));
                push(name, &mut stack, &mut flat);
                if biff8 { 4 } else { 14 }
            }
            0x24 | 0x2C => {
                constant = false;
                push(cell(d, biff8, base == 0x2C), &mut stack, &mut flat);
                if biff8 { 4 } else { 3 }
            }
            0x25 | 0x2D => {
                constant = false;
                push(area(d, biff8, base == 0x2D), &mut stack, &mut flat);
                if biff8 { 8 } else { 6 }
            }
            0x26..=0x28 => {
                constant = false;
                6
            }
            0x29 | 0x2E | 0x2F => {
                constant = false;
                if biff8 { 2 } else { 1 }
            }
            0x2A => {
                constant = false;
                push("#REF!".into(), &mut stack, &mut flat);
                if biff8 { 4 } else { 3 }
            }
            0x2B => {
                constant = false;
                push("#REF!".into(), &mut stack, &mut flat);
                if biff8 { 8 } else { 6 }
            }
            0x39 => {
                constant = false;
                let s = if biff8 {
                    let ixti = u16_at(d, 0).unwrap_or(0) as usize;
                    let iname = u16_at(d, 2).unwrap_or(0) as usize;
                    external_name(names, ixti, iname)
                } else {
                    format!("NAME{}", u16_at(d, 10).unwrap_or(0))
                };
                push(s, &mut stack, &mut flat);
                if biff8 { 6 } else { 24 }
            }
            0x3A | 0x3C => {
                constant = false;
                let s = if biff8 {
                    let sheet = sheet_prefix(names, u16_at(d, 0).unwrap_or(u16::MAX));
                    let r = if base == 0x3C {
                        "#REF!".into()
                    } else {
                        cell(d.get(2..).unwrap_or_default(), true, false)
                    };
                    format!("{sheet}{r}")
                } else {
                    let itab = u16_at(d, 10).unwrap_or(u16::MAX) as usize;
                    let r = cell(d.get(14..).unwrap_or_default(), false, false);
                    format!("{}{r}", local_sheet(names, itab))
                };
                push(s, &mut stack, &mut flat);
                if biff8 { 6 } else { 17 }
            }
            0x3B | 0x3D => {
                constant = false;
                let s = if biff8 {
                    let sheet = sheet_prefix(names, u16_at(d, 0).unwrap_or(u16::MAX));
                    let r = if base == 0x3D {
                        "#REF!".into()
                    } else {
                        area(d.get(2..).unwrap_or_default(), true, false)
                    };
                    format!("{sheet}{r}")
                } else {
                    let itab = u16_at(d, 10).unwrap_or(u16::MAX) as usize;
                    let r = area(d.get(14..).unwrap_or_default(), false, false);
                    format!("{}{r}", local_sheet(names, itab))
                };
                push(s, &mut stack, &mut flat);
                if biff8 { 10 } else { 20 }
            }
            0x01 | 0x02 => {
                constant = false;
                4
            }
            _ => {
                // PtgExtended and anything unknown: the token's size is unknown, so the
                // walk stops; what was read so far is kept.
                ok = false;
                break;
            }
        };
        if size > d.len() {
            ok = false;
            break;
        }
        pos += size;
    }
    let text = if ok && stack.len() == 1 {
        stack.pop().unwrap_or_default()
    } else {
        flat.join(" ")
    };
    Rendered {
        constant: constant && tokens > 0,
        text,
    }
}

/// A constant array `{1,"a";2,"b"}` from the extra data after the formula.
fn array(c: &mut Cursor<'_>, codec: &TextCodec) -> String {
    let (cols, rows) = match codec.biff {
        Biff::Biff8 => (
            c.u8().map(|v| v as usize + 1),
            c.u16().map(|v| v as usize + 1),
        ),
        Biff::Biff5 => (
            c.u8().map(|v| v as usize + 1),
            c.u16().map(|v| v as usize + 1),
        ),
    };
    let (Some(cols), Some(rows)) = (cols, rows) else {
        return "{}".into();
    };
    let mut out = String::from("{");
    'rows: for r in 0..rows.min(65536) {
        if r > 0 {
            out.push(';');
        }
        for col in 0..cols {
            if col > 0 {
                out.push(',');
            }
            let Some(t) = c.u8() else { break 'rows };
            match t {
                0x01 => out.push_str(&c.f64().map(number_text).unwrap_or_default()),
                0x02 => {
                    let s = match codec.biff {
                        Biff::Biff8 => c.string16(codec),
                        Biff::Biff5 => c.string8(codec),
                    };
                    out.push('"');
                    out.push_str(&s.unwrap_or_default().replace('"', "\"\""));
                    out.push('"');
                }
                0x04 => {
                    let b = c.u8().unwrap_or(0);
                    c.skip(7);
                    out.push_str(if b != 0 { "TRUE" } else { "FALSE" });
                }
                0x10 => {
                    let e = c.u8().unwrap_or(0);
                    c.skip(7);
                    out.push_str(error_text(e));
                }
                _ => {
                    c.skip(8);
                }
            }
            if out.len() > 1 << 20 {
                break 'rows;
            }
        }
    }
    out.push('}');
    out
}

fn col_ref(col: u32, rel: bool) -> String {
    format!("{}{}", if rel { "" } else { "$" }, column_name(col))
}

fn row_ref(row: u32, rel: bool) -> String {
    format!("{}{}", if rel { "" } else { "$" }, row + 1)
}

/// A cell reference (`$A$1`). Relative offsets of shared formulas (`PtgRefN`) are shown as
/// `R[n]C[n]`.
fn cell(d: &[u8], biff8: bool, offsets: bool) -> String {
    let (row, col, row_rel, col_rel) = if biff8 {
        let row = u16_at(d, 0).unwrap_or(0) as u32;
        let c = u16_at(d, 2).unwrap_or(0);
        (row, (c & 0x3FFF) as u32, c & 0x8000 != 0, c & 0x4000 != 0)
    } else {
        let r = u16_at(d, 0).unwrap_or(0);
        let col = d.get(2).copied().unwrap_or(0) as u32;
        ((r & 0x3FFF) as u32, col, r & 0x8000 != 0, r & 0x4000 != 0)
    };
    if offsets {
        return format!("R[{}]C[{}]", row as i16, col as i8);
    }
    format!("{}{}", col_ref(col, col_rel), row_ref(row, row_rel))
}

fn area(d: &[u8], biff8: bool, offsets: bool) -> String {
    if biff8 {
        let (r1, r2) = (u16_at(d, 0).unwrap_or(0), u16_at(d, 2).unwrap_or(0));
        let (c1, c2) = (u16_at(d, 4).unwrap_or(0), u16_at(d, 6).unwrap_or(0));
        let a = [r1.to_le_bytes(), c1.to_le_bytes()].concat();
        let b = [r2.to_le_bytes(), c2.to_le_bytes()].concat();
        format!("{}:{}", cell(&a, true, offsets), cell(&b, true, offsets))
    } else {
        let (r1, r2) = (u16_at(d, 0).unwrap_or(0), u16_at(d, 2).unwrap_or(0));
        let (c1, c2) = (
            d.get(4).copied().unwrap_or(0),
            d.get(5).copied().unwrap_or(0),
        );
        let a = [r1.to_le_bytes().as_slice(), &[c1]].concat();
        let b = [r2.to_le_bytes().as_slice(), &[c2]].concat();
        format!("{}:{}", cell(&a, false, offsets), cell(&b, false, offsets))
    }
}

fn quoted(sheet: &str) -> String {
    crate::model::quote_sheet(sheet)
}

fn local_sheet(names: &Names<'_>, itab: usize) -> String {
    names
        .globals
        .sheets
        .get(itab)
        .map(|s| format!("{}!", quoted(&s.name)))
        .unwrap_or_default()
}

/// `Sheet!` or `'[book.xls]Sheet'!` for a BIFF8 EXTERNSHEET index.
fn sheet_prefix(names: &Names<'_>, ixti: u16) -> String {
    let g = names.globals;
    let Some(&(book, first, _)) = g.xti.get(ixti as usize) else {
        return String::new();
    };
    match g.books.get(book as usize) {
        Some(b) if b.kind != "self" && !b.path.is_empty() => {
            let file = b.path.rsplit(['\\', '/']).next().unwrap_or(&b.path);
            let sheet = usize::try_from(first)
                .ok()
                .and_then(|i| b.sheets.get(i))
                .cloned()
                .unwrap_or_default();
            format!("'[{file}]{}'!", sheet.replace('\'', "''"))
        }
        _ => usize::try_from(first)
            .ok()
            .and_then(|i| g.sheets.get(i))
            .map(|s| format!("{}!", quoted(&s.name)))
            .unwrap_or_else(|| "#REF!".into()),
    }
}

fn external_name(names: &Names<'_>, ixti: usize, iname: usize) -> String {
    let g = names.globals;
    g.xti
        .get(ixti)
        .and_then(|&(book, _, _)| g.books.get(book as usize))
        .and_then(|b| {
            let name = b.names.get(iname.wrapping_sub(1))?;
            if b.kind == "self" || b.path.is_empty() {
                Some(name.clone())
            } else {
                let file = b.path.rsplit(['\\', '/']).next().unwrap_or(&b.path);
                Some(format!("[{file}]{name}"))
            }
        })
        .unwrap_or_else(|| format!("NAME{iname}"))
}

/// Functions with a fixed number of arguments (`PtgFunc`): the common ones.
pub(crate) fn fixed_function(iftab: u16) -> Option<(&'static str, usize)> {
    Some(match iftab {
        2 => ("ISNA", 1),
        3 => ("ISERROR", 1),
        10 => ("NA", 0),
        15 => ("SIN", 1),
        19 => ("PI", 0),
        20 => ("SQRT", 1),
        24 => ("ABS", 1),
        25 => ("INT", 1),
        27 => ("ROUND", 2),
        30 => ("REPT", 2),
        31 => ("MID", 3),
        32 => ("LEN", 1),
        33 => ("VALUE", 1),
        34 => ("TRUE", 0),
        35 => ("FALSE", 0),
        38 => ("NOT", 1),
        39 => ("MOD", 2),
        48 => ("TEXT", 2),
        63 => ("RAND", 0),
        65 => ("DATE", 3),
        67 => ("DAY", 1),
        68 => ("MONTH", 1),
        69 => ("YEAR", 1),
        74 => ("NOW", 0),
        111 => ("CHAR", 1),
        112 => ("LOWER", 1),
        113 => ("UPPER", 1),
        117 => ("EXACT", 2),
        118 => ("TRIM", 1),
        119 => ("REPLACE", 4),
        127 => ("ISTEXT", 1),
        128 => ("ISNUMBER", 1),
        129 => ("ISBLANK", 1),
        130 => ("T", 1),
        131 => ("N", 1),
        184 => ("FACT", 1),
        190 => ("ISNONTEXT", 1),
        212 => ("ROUNDUP", 2),
        213 => ("ROUNDDOWN", 2),
        221 => ("TODAY", 0),
        346 => ("COUNTIF", 2),
        347 => ("COUNTBLANK", 1),
        _ => return None,
    })
}

/// Functions with a variable number of arguments (`PtgFuncVar`).
pub(crate) fn variable_function(iftab: u16) -> Option<&'static str> {
    Some(match iftab {
        0 => "COUNT",
        1 => "IF",
        4 => "SUM",
        5 => "AVERAGE",
        6 => "MIN",
        7 => "MAX",
        28 => "LOOKUP",
        29 => "INDEX",
        36 => "AND",
        37 => "OR",
        64 => "MATCH",
        70 => "WEEKDAY",
        78 => "OFFSET",
        100 => "CHOOSE",
        101 => "HLOOKUP",
        102 => "VLOOKUP",
        115 => "LEFT",
        116 => "RIGHT",
        124 => "FIND",
        148 => "INDIRECT",
        169 => "COUNTA",
        336 => "CONCATENATE",
        345 => "SUMIF",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(rgce: &[u8], extra: &[u8]) -> Rendered {
        let g = Globals::default();
        render(
            rgce,
            extra,
            &TextCodec::new(Biff::Biff8),
            &Names { globals: &g },
        )
    }

    #[test]
    fn constants_and_expressions() {
        let s = r(&[0x17, 5, 0, b'S', b'm', b'i', b't', b'h'], &[]);
        assert_eq!(
            s,
            Rendered {
                text: "\"Smith\"".into(),
                constant: true
            }
        );
        // A1="x" -> IF(A1="x",1,2)
        let rgce = [
            0x44, 0, 0, 0, 0xC0, 0x17, 1, 0, b'x', 0x0B, 0x1E, 1, 0, 0x1E, 2, 0, 0x42, 3, 1, 0,
        ];
        let f = r(&rgce, &[]);
        assert_eq!(f.text, "IF(A1=\"x\",1,2)");
        assert!(!f.constant);
        // {"ab";1}
        let extra = [
            0, 1, 0, 0x02, 2, 0, 0, b'a', b'b', 0x01, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,
        ];
        let a = r(&[0x60, 0, 0, 0, 0, 0, 0, 0], &extra);
        assert_eq!(
            a,
            Rendered {
                text: "{\"ab\";1}".into(),
                constant: true
            }
        );
    }

    #[test]
    fn unknown_tokens_keep_the_literals() {
        let f = r(&[0x17, 2, 0, b'h', b'i', 0x18, 0x99], &[]);
        assert_eq!(f.text, "\"hi\"");
        let truncated = r(&[0x17, 9, 0, b'h'], &[]);
        assert_eq!(truncated.text, "");
    }
}
