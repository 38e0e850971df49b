//! String tables of the table stream: `STTB`s ([MS-DOC] 2.2.4) such as the revision
//! authors (`SttbfRMark`), the document's associated strings (`SttbfAssoc`: the attached
//! template, mail merge sources) and the save history (`SttbSavedBy`), and the plain list
//! of comment authors (`GrpXstAtnOwners`). Counts are capped and every string is cut at a
//! fixed length.

use super::le::{u8_at, u16_at, utf16_at};

const MAX_STRINGS: usize = 65_536;
const MAX_CHARS: usize = 1 << 15;

/// The strings of an STTB, in order (empty strings kept, so indices hold).
pub fn strings(b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let Some(first) = u16_at(b, 0) else {
        return out;
    };
    let extended = first == 0xFFFF;
    let mut pos = if extended { 2 } else { 0 };
    // cData is 2 bytes in every table read here (a few others use 4).
    let Some(count) = u16_at(b, pos).map(|c| c as usize) else {
        return out;
    };
    pos += 2;
    let Some(cb_extra) = u16_at(b, pos).map(|c| c as usize) else {
        return out;
    };
    pos += 2;
    for _ in 0..count.min(MAX_STRINGS) {
        let s = if extended {
            let Some(cch) = u16_at(b, pos).map(|c| c as usize) else {
                break;
            };
            let Some(s) = utf16_at(b, pos + 2, cch.min(MAX_CHARS)) else {
                break;
            };
            pos += 2 + cch * 2;
            s
        } else {
            let Some(cch) = u8_at(b, pos).map(|c| c as usize) else {
                break;
            };
            let Some(bytes) = b.get(pos + 1..pos + 1 + cch) else {
                break;
            };
            pos += 1 + cch;
            encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
        };
        pos += cb_extra;
        out.push(s);
    }
    out
}

/// `GrpXstAtnOwners`: comment authors as a plain run of `Xst` (length, UTF-16 text).
pub fn xsts(b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while out.len() < MAX_STRINGS {
        let Some(cch) = u16_at(b, pos).map(|c| c as usize) else {
            break;
        };
        let Some(s) = utf16_at(b, pos + 2, cch.min(MAX_CHARS)) else {
            break;
        };
        pos += 2 + cch * 2;
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_and_plain_tables() {
        // fExtend, cData 2, cbExtra 0, "Ann", "Bo".
        let mut b = vec![0xFF, 0xFF, 2, 0, 0, 0];
        for s in ["Ann", "Bo"] {
            b.extend_from_slice(&(s.len() as u16).to_le_bytes());
            for c in s.encode_utf16() {
                b.extend_from_slice(&c.to_le_bytes());
            }
        }
        assert_eq!(strings(&b), vec!["Ann".to_string(), "Bo".to_string()]);
        for cut in 0..b.len() {
            let _ = strings(&b[..cut]);
        }
        let plain = [1, 0, 0, 0, 2, b'J', b'o'];
        assert_eq!(strings(&plain), vec!["Jo".to_string()]);
        let owners = [2, 0, b'A', 0, b'B', 0];
        assert_eq!(xsts(&owners), vec!["AB".to_string()]);
    }
}
