//! BIFF12 formulas (`CellParsedFormula`, `NameParsedFormula`: a token array `rgce` and its
//! extra data `rgcb`) turned back into text, so the string literals, constant arrays and
//! references of cell formulas and defined names reach the detectors, and a defined name's
//! value can be told to be data (`{"Smith","Jones"}`) or a reference (`Data!$A$1:$D$13`).
//!
//! The tokens are those of BIFF8 with wider fields (rows of 4 bytes, string lengths of 2,
//! names of 4). A formula with a token this reader does not know falls back to the list of
//! the literals and references read before it, so no literal is lost. Every read is bounded
//! by the token array.

use super::records::{Fields, error_text, number_text};
use crate::formats::xls::formula::{fixed_function, variable_function};
use crate::model::{column_name, quote_sheet};

/// What a sheet reference (`ixti`) of a formula points at (`BrtExternSheet`'s `Xti`).
#[derive(Debug, Clone, Copy)]
pub struct Xti {
    /// The supporting link: `None` for this workbook, else the 1-based number of the
    /// external workbook as Excel writes it (`[1]Sheet1!A1`).
    pub book: Option<usize>,
    pub first: i32,
}

/// What the formulas of one workbook refer to.
#[derive(Default)]
pub struct Names<'a> {
    pub sheets: &'a [String],
    pub xti: &'a [Xti],
    pub defined: &'a [String],
}

/// A rendered formula: its text and whether it is a plain constant (a name holding data).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub constant: bool,
}

const MAX_STACK: usize = 1024;
/// Most characters a constant array renders to.
const MAX_ARRAY_CHARS: usize = 1 << 20;

/// Token kinds whose data sits in `rgcb`, in token order.
enum Extra {
    Array,
    Mem,
}

/// Renders `rgce` with its extra data `rgcb`. `base` is the cell holding the formula, for
/// the relative references of shared formulas.
pub fn render(rgce: &[u8], rgcb: &[u8], names: &Names<'_>, base: (u32, u32)) -> Rendered {
    let mut stack: Vec<String> = Vec::new();
    let mut flat: Vec<String> = Vec::new();
    let mut extras: Vec<Extra> = Vec::new();
    let mut arrays = 0usize;
    let mut f = Fields::new(rgce);
    let mut ok = true;
    let mut tokens = 0usize;
    let mut constant = true;
    fn push(s: String, stack: &mut Vec<String>, flat: &mut Vec<String>) {
        flat.push(s.clone());
        if stack.len() < MAX_STACK {
            stack.push(s);
        }
    }
    while f.remaining() > 0 {
        tokens += 1;
        let Some(ptg) = f.u8() else { break };
        let base_ptg = if ptg >= 0x20 {
            (ptg & 0x1F) | 0x20
        } else {
            ptg
        };
        let read = match base_ptg {
            0x01 | 0x02 => {
                // PtgExp / PtgTbl: the formula lives in a shared or array formula record.
                constant = false;
                f.skip(4)
            }
            0x03..=0x11 => {
                constant = false;
                let op = [
                    "+", "-", "*", "/", "^", "&", "<", "<=", "=", ">=", ">", "<>", " ", ",", ":",
                ][(base_ptg - 0x03) as usize];
                match (stack.pop(), stack.pop()) {
                    (Some(b), Some(a)) => stack.push(format!("{a}{op}{b}")),
                    _ => ok = false,
                }
                Some(())
            }
            0x12..=0x14 => {
                constant = false;
                match stack.pop() {
                    Some(a) => stack.push(match base_ptg {
                        0x12 => format!("+{a}"),
                        0x13 => format!("-{a}"),
                        _ => format!("{a}%"),
                    }),
                    None => ok = false,
                }
                Some(())
            }
            0x15 => {
                match stack.pop() {
                    Some(a) => stack.push(format!("({a})")),
                    None => ok = false,
                }
                Some(())
            }
            0x16 => {
                stack.push(String::new());
                Some(())
            }
            0x17 => f.u16().and_then(|cch| f.chars(cch as usize)).map(|s| {
                push(
                    format!("\"{}\"", s.replace('"', "\"\"")),
                    &mut stack,
                    &mut flat,
                )
            }),
            0x18 => {
                constant = false;
                match f.u8() {
                    // PtgList (a table reference) and PtgSxName.
                    Some(0x19) => f
                        .skip(12)
                        .map(|_| push("[table]".into(), &mut stack, &mut flat)),
                    Some(0x1D) => f
                        .skip(4)
                        .map(|_| push("[name]".into(), &mut stack, &mut flat)),
                    _ => None,
                }
            }
            0x19 => {
                let kind = f.u8().unwrap_or(0);
                if kind & 0x10 != 0 {
                    constant = false;
                    match stack.pop() {
                        Some(a) => stack.push(format!("SUM({a})")),
                        None => ok = false,
                    }
                }
                if kind & 0x04 != 0 {
                    constant = false;
                    f.u16().and_then(|n| f.skip((n as usize + 1) * 2))
                } else {
                    f.skip(2)
                }
            }
            0x1C => f
                .u8()
                .map(|e| push(error_text(e).into(), &mut stack, &mut flat)),
            0x1D => f.u8().map(|b| {
                push(
                    if b != 0 { "TRUE" } else { "FALSE" }.into(),
                    &mut stack,
                    &mut flat,
                )
            }),
            0x1E => f.u16().map(|v| push(v.to_string(), &mut stack, &mut flat)),
            0x1F => f.f64().map(|v| push(number_text(v), &mut stack, &mut flat)),
            0x20 => f.skip(14).map(|_| {
                extras.push(Extra::Array);
                arrays += 1;
                push(placeholder(arrays - 1), &mut stack, &mut flat);
            }),
            0x21 => {
                constant = false;
                f.u16().map(|iftab| match fixed_function(iftab) {
                    Some((name, argc)) if stack.len() >= argc => {
                        let args = stack.split_off(stack.len() - argc);
                        stack.push(format!("{name}({})", args.join(",")));
                    }
                    _ => ok = false,
                })
            }
            0x22 => {
                constant = false;
                match (f.u8(), f.u16()) {
                    (Some(argc), Some(tab)) => {
                        let argc = argc as usize & 0x7F;
                        let iftab = tab & 0x7FFF;
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
                        Some(())
                    }
                    _ => None,
                }
            }
            0x23 => {
                constant = false;
                f.u32().map(|i| {
                    let name = names
                        .defined
                        .get((i as usize).wrapping_sub(1))
                        .cloned()
                        .unwrap_or_else(|| format!("NAME{i}"));
                    push(name, &mut stack, &mut flat)
                })
            }
            0x24 | 0x2C => {
                constant = false;
                cell(&mut f, base, base_ptg == 0x2C).map(|s| push(s, &mut stack, &mut flat))
            }
            0x25 | 0x2D => {
                constant = false;
                area(&mut f, base, base_ptg == 0x2D).map(|s| push(s, &mut stack, &mut flat))
            }
            0x26 => {
                constant = false;
                extras.push(Extra::Mem);
                f.skip(6)
            }
            0x27 | 0x28 => {
                constant = false;
                f.skip(6)
            }
            0x29 => {
                constant = false;
                f.skip(2)
            }
            0x2A => {
                constant = false;
                f.skip(6)
                    .map(|_| push("#REF!".into(), &mut stack, &mut flat))
            }
            0x2B => {
                constant = false;
                f.skip(12)
                    .map(|_| push("#REF!".into(), &mut stack, &mut flat))
            }
            0x39 => {
                constant = false;
                match (f.u16(), f.u32()) {
                    (Some(ixti), Some(i)) => {
                        let book = names.xti.get(ixti as usize).and_then(|x| x.book);
                        let prefix = book.map(|b| format!("[{b}]")).unwrap_or_default();
                        let name = match book {
                            None => names
                                .defined
                                .get((i as usize).wrapping_sub(1))
                                .cloned()
                                .unwrap_or_else(|| format!("NAME{i}")),
                            Some(_) => format!("NAME{i}"),
                        };
                        push(format!("{prefix}{name}"), &mut stack, &mut flat);
                        Some(())
                    }
                    _ => None,
                }
            }
            0x3A | 0x3C => {
                constant = false;
                f.u16().and_then(|ixti| {
                    let prefix = sheet_prefix(names, ixti);
                    let r = if base_ptg == 0x3C {
                        f.skip(6).map(|_| "#REF!".to_string())
                    } else {
                        cell(&mut f, base, false)
                    };
                    r.map(|r| push(format!("{prefix}{r}"), &mut stack, &mut flat))
                })
            }
            0x3B | 0x3D => {
                constant = false;
                f.u16().and_then(|ixti| {
                    let prefix = sheet_prefix(names, ixti);
                    let r = if base_ptg == 0x3D {
                        f.skip(12).map(|_| "#REF!".to_string())
                    } else {
                        area(&mut f, base, false)
                    };
                    r.map(|r| push(format!("{prefix}{r}"), &mut stack, &mut flat))
                })
            }
            _ => None,
        };
        if read.is_none() {
            // An unknown token (its size is unknown) or one cut short: the walk stops and
            // keeps what it read.
            ok = false;
            break;
        }
    }
    // The extra data: constant arrays in the order of their tokens.
    let mut extra = Fields::new(rgcb);
    let mut texts: Vec<String> = Vec::new();
    for e in &extras {
        match e {
            Extra::Array => match array(&mut extra) {
                Some(text) => texts.push(text),
                None => break,
            },
            Extra::Mem => {
                let Some(n) = extra.u32() else { break };
                if extra.skip((n as usize).saturating_mul(16)).is_none() {
                    break;
                }
            }
        }
    }
    let mut text = if ok && stack.len() == 1 {
        stack.pop().unwrap_or_default()
    } else {
        flat.join(" ")
    };
    for i in 0..arrays {
        let value = texts.get(i).map(String::as_str).unwrap_or("{}");
        text = text.replace(&placeholder(i), value);
    }
    Rendered {
        constant: constant && tokens > 0 && ok,
        text,
    }
}

/// Stands for a constant array until the extra data after the tokens is read.
fn placeholder(i: usize) -> String {
    format!("\u{1}{i}\u{1}")
}

/// A `PtgExtraArray`: rows, columns, then one `SerAr` per element.
fn array(f: &mut Fields<'_>) -> Option<String> {
    let rows = f.u32()? as u64;
    let cols = f.u32()? as u64;
    // Every element takes at least two bytes: a size the data cannot hold is refused before
    // any loop runs over it.
    let elements = rows.checked_mul(cols)?;
    if elements == 0 || elements > (f.remaining() / 2) as u64 {
        return None;
    }
    let mut out = String::from("{");
    for r in 0..rows {
        if r > 0 {
            out.push(';');
        }
        for c in 0..cols {
            if c > 0 {
                out.push(',');
            }
            match f.u8()? {
                0x00 => out.push_str(&number_text(f.f64()?)),
                0x01 => {
                    let cch = f.u16()? as usize;
                    out.push('"');
                    out.push_str(&f.chars(cch)?.replace('"', "\"\""));
                    out.push('"');
                }
                0x02 => out.push_str(if f.u8()? != 0 { "TRUE" } else { "FALSE" }),
                0x04 => {
                    out.push_str(error_text(f.u8()?));
                    f.skip(3)?;
                }
                _ => return None,
            }
            if out.len() > MAX_ARRAY_CHARS {
                return None;
            }
        }
    }
    out.push('}');
    Some(out)
}

/// A row (4 bytes) and a `ColRelShort` (14-bit column, relative flags).
fn position(f: &mut Fields<'_>) -> Option<(u32, u16)> {
    Some((f.u32()?, f.u16()?))
}

fn show(row: u32, col: u16, base: (u32, u32), offsets: bool) -> String {
    let row_rel = col & 0x8000 != 0;
    let col_rel = col & 0x4000 != 0;
    let mut c = (col & 0x3FFF) as u32;
    let mut r = row;
    if offsets {
        // Shared formulas store relative parts as offsets from the cell holding them.
        if row_rel {
            r = (base.0 as i64 + row as i32 as i64).rem_euclid(1 << 20) as u32;
        }
        if col_rel {
            let off = ((c as i32) << 18) >> 18;
            c = (base.1 as i64 + off as i64).rem_euclid(1 << 14) as u32;
        }
    }
    format!(
        "{}{}{}{}",
        if col_rel { "" } else { "$" },
        column_name(c),
        if row_rel { "" } else { "$" },
        r.saturating_add(1)
    )
}

fn cell(f: &mut Fields<'_>, base: (u32, u32), offsets: bool) -> Option<String> {
    let (row, col) = position(f)?;
    Some(show(row, col, base, offsets))
}

fn area(f: &mut Fields<'_>, base: (u32, u32), offsets: bool) -> Option<String> {
    let (r1, r2) = (f.u32()?, f.u32()?);
    let (c1, c2) = (f.u16()?, f.u16()?);
    Some(format!(
        "{}:{}",
        show(r1, c1, base, offsets),
        show(r2, c2, base, offsets)
    ))
}

/// `Sheet!`, `'Sheet name'!` or `[1]Sheet!` for an `ixti`.
fn sheet_prefix(names: &Names<'_>, ixti: u16) -> String {
    let Some(x) = names.xti.get(ixti as usize) else {
        return String::new();
    };
    match x.book {
        Some(b) => format!("[{b}]"),
        None => match usize::try_from(x.first)
            .ok()
            .and_then(|i| names.sheets.get(i))
        {
            Some(s) => format!("{}!", quote_sheet(s)),
            // -2: the workbook itself (a workbook-level name).
            None if x.first == -2 => String::new(),
            None => "#REF!".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    #[test]
    fn constants_references_and_arrays() {
        let sheets = vec!["Data".to_string(), "Staff list".to_string()];
        let xti = vec![
            Xti {
                book: None,
                first: 0,
            },
            Xti {
                book: None,
                first: 1,
            },
        ];
        let names = Names {
            sheets: &sheets,
            xti: &xti,
            defined: &[],
        };
        // "DS Patel"
        let mut rgce = vec![0x17, 8, 0];
        rgce.extend(wide("DS Patel"));
        let r = render(&rgce, &[], &names, (0, 0));
        assert_eq!(r.text, "\"DS Patel\"");
        assert!(r.constant);
        // Data!$A$1:$D$13 (PtgArea3d, absolute).
        let mut rgce = vec![0x3B, 0, 0];
        rgce.extend(0u32.to_le_bytes());
        rgce.extend(12u32.to_le_bytes());
        rgce.extend(0u16.to_le_bytes());
        rgce.extend(3u16.to_le_bytes());
        let r = render(&rgce, &[], &names, (0, 0));
        assert_eq!(r.text, "Data!$A$1:$D$13");
        assert!(!r.constant);
        // 'Staff list'!A2 (relative)
        let mut rgce = vec![0x3A, 1, 0];
        rgce.extend(1u32.to_le_bytes());
        rgce.extend(0xC000u16.to_le_bytes());
        assert_eq!(render(&rgce, &[], &names, (0, 0)).text, "'Staff list'!A2");
        // {"Smith","Jones"}
        let mut rgce = vec![0x40];
        rgce.extend([0u8; 14]);
        let mut rgcb = Vec::new();
        rgcb.extend(1u32.to_le_bytes());
        rgcb.extend(2u32.to_le_bytes());
        for s in ["Smith", "Jones"] {
            rgcb.push(1);
            rgcb.extend((s.len() as u16).to_le_bytes());
            rgcb.extend(wide(s));
        }
        let r = render(&rgce, &rgcb, &names, (0, 0));
        assert_eq!(r.text, "{\"Smith\",\"Jones\"}");
        assert!(r.constant);
    }

    #[test]
    fn functions_and_unknown_tokens() {
        let names = Names::default();
        // IF(A1="x","John Smith","")
        let mut rgce = vec![0x24];
        rgce.extend(0u32.to_le_bytes());
        rgce.extend(0xC000u16.to_le_bytes());
        rgce.extend([0x17, 1, 0]);
        rgce.extend(wide("x"));
        rgce.push(0x0B);
        rgce.extend([0x17, 10, 0]);
        rgce.extend(wide("John Smith"));
        rgce.extend([0x17, 0, 0]);
        rgce.extend([0x42, 3, 1, 0]);
        assert_eq!(
            render(&rgce, &[], &names, (0, 0)).text,
            "IF(A1=\"x\",\"John Smith\",\"\")"
        );
        // A string, then a token nobody knows: the string is kept.
        let mut rgce = vec![0x17, 5, 0];
        rgce.extend(wide("Jones"));
        rgce.push(0x0F + 0x60);
        rgce.push(0x7F);
        let r = render(&rgce, &[], &names, (0, 0));
        assert!(r.text.contains("\"Jones\""), "{}", r.text);
        assert!(!r.constant);
        // An array claiming billions of empty rows is refused at once.
        let mut rgcb = u32::MAX.to_le_bytes().to_vec();
        rgcb.extend(0u32.to_le_bytes());
        let arr = [0x40u8; 15];
        assert_eq!(render(&arr, &rgcb, &names, (0, 0)).text, "{}");
        // Truncated tokens never read past the array.
        for cut in 0..rgce.len() {
            render(&rgce[..cut], &[], &names, (0, 0));
        }
    }
}
