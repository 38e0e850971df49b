//! BIFF12 records, the unit every binary part of an xlsb package is made of, and the field
//! types inside them ([MS-XLSB] 2.1.4 and 2.5).
//!
//! A record is a type (one or two bytes of seven bits each) and a size (one to four bytes of
//! seven bits each), then that many bytes. Records are streamed from a part one at a time
//! into one reused buffer: a size field never allocates more than the bytes that really
//! follow it, and a part that ends inside a record is an error, never a short read taken as
//! data. Fields are read through [`Fields`], whose every read is checked against what is
//! left of the record.

use crate::context::{Ctx, ScanError, ScanResult};
use std::io::Read;

// Record types, named as [MS-XLSB] names them. Only the ones foiguard reads.
pub const ROW_HDR: u16 = 0x0000;
pub const CELL_BLANK: u16 = 0x0001;
pub const CELL_RK: u16 = 0x0002;
pub const CELL_ERROR: u16 = 0x0003;
pub const CELL_BOOL: u16 = 0x0004;
pub const CELL_REAL: u16 = 0x0005;
pub const CELL_ST: u16 = 0x0006;
pub const CELL_ISST: u16 = 0x0007;
pub const FMLA_STRING: u16 = 0x0008;
pub const FMLA_NUM: u16 = 0x0009;
pub const FMLA_BOOL: u16 = 0x000A;
pub const FMLA_ERROR: u16 = 0x000B;
pub const SHORT_BLANK: u16 = 0x000C;
pub const SHORT_RK: u16 = 0x000D;
pub const SHORT_ERROR: u16 = 0x000E;
pub const SHORT_BOOL: u16 = 0x000F;
pub const SHORT_REAL: u16 = 0x0010;
pub const SHORT_ST: u16 = 0x0011;
pub const SHORT_ISST: u16 = 0x0012;
pub const SST_ITEM: u16 = 0x0013;
pub const PCDI_MISSING: u16 = 0x0014;
pub const PCDI_NUMBER: u16 = 0x0015;
pub const PCDI_BOOLEAN: u16 = 0x0016;
pub const PCDI_ERROR: u16 = 0x0017;
pub const PCDI_STRING: u16 = 0x0018;
pub const PCDI_DATETIME: u16 = 0x0019;
pub const PCDI_INDEX: u16 = 0x001A;
pub const PCDIA_MISSING: u16 = 0x001B;
pub const PCDIA_NUMBER: u16 = 0x001C;
pub const PCDIA_BOOLEAN: u16 = 0x001D;
pub const PCDIA_ERROR: u16 = 0x001E;
pub const PCDIA_STRING: u16 = 0x001F;
pub const PCDIA_DATETIME: u16 = 0x0020;
pub const PCR_RECORD: u16 = 0x0021;
pub const PCR_RECORD_DT: u16 = 0x0022;
pub const NAME: u16 = 0x0027;
pub const FONT: u16 = 0x002B;
pub const FMT: u16 = 0x002C;
pub const FILL: u16 = 0x002D;
pub const XF: u16 = 0x002F;
pub const COL_INFO: u16 = 0x003C;
pub const CELL_RSTRING: u16 = 0x003E;
pub const BEGIN_SHEET: u16 = 0x0081;
pub const BEGIN_BOOK: u16 = 0x0083;
pub const SHEET_DATA_END: u16 = 0x0092;
pub const BUNDLE_SH: u16 = 0x009C;
pub const BEGIN_SST: u16 = 0x009F;
pub const BEGIN_AFILTER: u16 = 0x00A1;
pub const END_AFILTER: u16 = 0x00A2;
pub const BEGIN_FILTER_COLUMN: u16 = 0x00A3;
pub const FILTER: u16 = 0x00A7;
pub const CUSTOM_FILTER: u16 = 0x00AE;
pub const BEGIN_PIVOT_CACHE_DEF: u16 = 0x00B3;
pub const BEGIN_PCD_FIELD: u16 = 0x00B7;
pub const END_PCD_FIELD: u16 = 0x00B8;
pub const BEGIN_PCD_SOURCE: u16 = 0x00B9;
pub const BEGIN_PCD_SRANGE: u16 = 0x00BB;
pub const BEGIN_PCD_FATBL: u16 = 0x00BD;
pub const END_PCD_FATBL: u16 = 0x00BE;
pub const BEGIN_PCDI_RUN: u16 = 0x00BF;
pub const BEGIN_PIVOT_CACHE_RECORDS: u16 = 0x00C1;
pub const BEGIN_EXT_CONNECTION: u16 = 0x00C9;
pub const BEGIN_PCD_FGROUP: u16 = 0x00DB;
pub const END_PCD_FGROUP: u16 = 0x00DC;
pub const BEGIN_LIST: u16 = 0x0157;
pub const SUP_BOOK_SRC: u16 = 0x0163;
pub const SUP_SELF: u16 = 0x0165;
pub const SUP_SAME: u16 = 0x0166;
pub const SUP_TABS: u16 = 0x0167;
pub const BEGIN_SUP_BOOK: u16 = 0x0168;
pub const EXTERN_SHEET: u16 = 0x016A;
pub const EXTERN_TABLE_START: u16 = 0x016B;
pub const EXTERN_ROW_HDR: u16 = 0x016E;
pub const EXTERN_CELL_BLANK: u16 = 0x016F;
pub const EXTERN_CELL_REAL: u16 = 0x0170;
pub const EXTERN_CELL_BOOL: u16 = 0x0171;
pub const EXTERN_CELL_ERROR: u16 = 0x0172;
pub const EXTERN_CELL_STRING: u16 = 0x0173;
pub const ARR_FMLA: u16 = 0x01AA;
pub const SHR_FMLA: u16 = 0x01AB;
pub const INDEXED_COLOR: u16 = 0x01DB;
pub const BEGIN_HEADER_FOOTER: u16 = 0x01DF;
pub const WS_FMT_INFO: u16 = 0x01E5;
pub const HLINK: u16 = 0x01EE;
pub const FILE_SHARING: u16 = 0x0224;
pub const SUP_NAME_START: u16 = 0x0241;
pub const SUP_NAME_NUM: u16 = 0x0244;
pub const SUP_NAME_ERR: u16 = 0x0245;
pub const SUP_NAME_ST: u16 = 0x0246;
pub const SUP_NAME_BOOL: u16 = 0x0248;
pub const BEGIN_CELL_XFS: u16 = 0x0269;
pub const END_CELL_XFS: u16 = 0x026A;
pub const BEGIN_CELL_STYLE_XFS: u16 = 0x0272;
pub const END_CELL_STYLE_XFS: u16 = 0x0273;
pub const COMMENT_AUTHOR: u16 = 0x0278;
pub const BEGIN_COMMENT: u16 = 0x027B;
pub const COMMENT_TEXT: u16 = 0x027D;
pub const SUP_ADDIN: u16 = 0x029B;
pub const DVAL_LIST: u16 = 0x02A9;
pub const ABS_PATH15: u16 = 0x0817;

/// Streams the records of one part.
pub struct Records<R> {
    input: R,
    part: String,
    /// Records read so far, for the time checks.
    count: u64,
}

impl<R: Read> Records<R> {
    pub fn new(input: R, part: &str) -> Self {
        Records {
            input,
            part: part.to_string(),
            count: 0,
        }
    }

    /// The next record's type, with its body in `body` (cleared first); `None` at the end
    /// of the part. A part that ends inside a record header or body is an error.
    pub fn next(&mut self, body: &mut Vec<u8>, ctx: &Ctx<'_>) -> ScanResult<Option<u16>> {
        self.count += 1;
        if self.count.is_multiple_of(8192) {
            ctx.check_time()?;
        }
        if self.count > ctx.limits.max_biff_records {
            return Err(ScanError::new(format!(
                "{}: more records than {}",
                self.part,
                ctx.limits.the_limit("max_biff_records")
            )));
        }
        let Some(first) = self.byte()? else {
            return Ok(None);
        };
        let mut id = (first & 0x7F) as u16;
        if first & 0x80 != 0 {
            let second = self.required_byte("record type")?;
            if second & 0x80 != 0 {
                return Err(self.malformed("a record type longer than two bytes"));
            }
            id |= ((second & 0x7F) as u16) << 7;
        }
        let mut size = 0u32;
        for i in 0..4 {
            let b = self.required_byte("record size")?;
            size |= ((b & 0x7F) as u32) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
            if i == 3 {
                return Err(self.malformed("a record size longer than four bytes"));
            }
        }
        body.clear();
        // `take` reads only what is really there: a lying size cannot allocate more.
        let got = (&mut self.input)
            .take(size as u64)
            .read_to_end(body)
            .map_err(|e| ScanError::new(format!("{}: {e}", self.part)))?;
        if got != size as usize {
            return Err(ScanError::new(format!(
                "{}: truncated: a record of type 0x{id:04X} declares {size} bytes but only {got} follow",
                self.part
            )));
        }
        Ok(Some(id))
    }

    fn byte(&mut self) -> ScanResult<Option<u8>> {
        let mut b = [0u8; 1];
        loop {
            match self.input.read(&mut b) {
                Ok(0) => return Ok(None),
                Ok(_) => return Ok(Some(b[0])),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ScanError::new(format!("{}: {e}", self.part))),
            }
        }
    }

    fn required_byte(&mut self, what: &str) -> ScanResult<u8> {
        self.byte()?
            .ok_or_else(|| ScanError::new(format!("{}: truncated inside a {what}", self.part)))
    }

    fn malformed(&self, what: &str) -> ScanError {
        ScanError::new(format!(
            "{}: not a BIFF12 record stream ({what})",
            self.part
        ))
    }
}

/// Checked reads of a record's fields, front to back.
#[derive(Clone)]
pub struct Fields<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Fields<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Fields { data, pos: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    pub fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    pub fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn f64(&mut self) -> Option<f64> {
        self.take(8).map(|b| {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            f64::from_le_bytes(a)
        })
    }

    /// `XLWideString`: a 4-byte character count, then UTF-16LE.
    pub fn wide(&mut self) -> Option<String> {
        let cch = self.u32()? as usize;
        self.chars(cch)
    }

    /// `XLNullableWideString`: as [`Fields::wide`], with 0xFFFFFFFF for "no string".
    pub fn nullable_wide(&mut self) -> Option<String> {
        let cch = self.u32()?;
        if cch == u32::MAX {
            return Some(String::new());
        }
        self.chars(cch as usize)
    }

    /// `cch` UTF-16LE code units, checked against what is left before anything is decoded.
    pub fn chars(&mut self, cch: usize) -> Option<String> {
        let bytes = self.take(cch.checked_mul(2)?)?;
        Some(utf16(bytes))
    }

    /// `RichStr`: flags, the text, then formatting runs and phonetic text nobody reads.
    pub fn rich(&mut self) -> Option<String> {
        self.u8()?;
        self.wide()
    }

    /// `UncheckedRfX`: first row, last row, first column, last column.
    pub fn rfx(&mut self) -> Option<[u32; 4]> {
        Some([self.u32()?, self.u32()?, self.u32()?, self.u32()?])
    }
}

/// UTF-16LE to text; unpaired surrogates become U+FFFD.
pub fn utf16(bytes: &[u8]) -> String {
    char::decode_utf16(
        bytes
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]])),
    )
    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
    .collect()
}

/// Runs of at least four printable UTF-16LE characters in `bytes`: the strings of a record
/// whose layout is not decoded (a connection's properties, an undecodable pivot record), so
/// their text still reaches the detectors.
pub fn wide_runs(bytes: &[u8]) -> Vec<String> {
    let alnum = |s: &String| s.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    let mut best: Vec<String> = Vec::new();
    // A string may start at an odd offset: try both alignments, keep the more readable.
    for start in 0..2usize {
        let mut out = Vec::new();
        let mut run = String::new();
        let flush = |run: &mut String, out: &mut Vec<String>| {
            if run.trim().chars().count() >= 4 && alnum(run) >= 3 {
                out.push(std::mem::take(run));
            } else {
                run.clear();
            }
        };
        for pair in bytes.get(start..).unwrap_or_default().chunks_exact(2) {
            let unit = u16::from_le_bytes([pair[0], pair[1]]);
            match char::from_u32(unit as u32) {
                Some(c) if unit >= 0x20 && unit != 0x7F && !(0xD800..0xE000).contains(&unit) => {
                    run.push(c)
                }
                _ => flush(&mut run, &mut out),
            }
        }
        flush(&mut run, &mut out);
        if out.iter().map(alnum).sum::<usize>() > best.iter().map(alnum).sum::<usize>() {
            best = out;
        }
    }
    best
}

/// An `RkNumber`: a 30-bit integer or the high bits of a double, optionally divided by 100.
pub fn rk(value: u32) -> f64 {
    crate::formats::xls::records::rk_value(value)
}

/// A number as Excel writes it in text: integers without a decimal point.
pub fn number_text(v: f64) -> String {
    crate::formats::xls::records::number_text(v)
}

/// A `BErr` error code as Excel shows it.
pub fn error_text(code: u8) -> &'static str {
    match code {
        0x2B => "#GETTING_DATA",
        c => crate::formats::xls::records::error_text(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_never_read_past_the_record() {
        let mut f = Fields::new(&[3, 0, 0, 0, b'a', 0, b'b', 0]);
        assert_eq!(f.wide(), None, "three characters declared, two present");
        let mut f = Fields::new(&[2, 0, 0, 0, b'a', 0, b'b', 0]);
        assert_eq!(f.wide().as_deref(), Some("ab"));
        assert_eq!(f.u8(), None);
        let mut f = Fields::new(&[0xFF, 0xFF, 0xFF, 0x7F]);
        assert_eq!(
            f.wide(),
            None,
            "a huge count is refused before any allocation"
        );
    }

    #[test]
    fn record_headers_of_one_to_four_bytes() {
        let limits = crate::Limits::default();
        let engine = crate::detect::Engine::structural_only();
        let ctx = Ctx::new(&limits, &engine);
        // BrtRowHdr (type 0, 2 bytes), then type 0x0094 (two bytes) with a 130-byte size.
        let mut bytes = vec![0x00, 0x02, 0xAA, 0xBB, 0x94, 0x01, 0x82, 0x01];
        bytes.extend(std::iter::repeat_n(7u8, 130));
        let mut r = Records::new(&bytes[..], "p");
        let mut body = Vec::new();
        assert_eq!(r.next(&mut body, &ctx).unwrap(), Some(0));
        assert_eq!(body, vec![0xAA, 0xBB]);
        assert_eq!(r.next(&mut body, &ctx).unwrap(), Some(0x94));
        assert_eq!(body.len(), 130);
        assert_eq!(r.next(&mut body, &ctx).unwrap(), None);
        // A size that promises more than the part holds is an error, not a short record.
        let short = [0x01, 0x20, 1, 2, 3];
        let mut r = Records::new(&short[..], "p");
        assert!(r.next(&mut body, &ctx).is_err());
    }

    #[test]
    fn strings_inside_undecoded_records() {
        // A string at an odd offset after its length, as in a record whose layout is unknown.
        let mut b = vec![1u8, 2, 3, 20, 0, 0, 0];
        for c in "Data Source=POLSQL01".encode_utf16() {
            b.extend(c.to_le_bytes());
        }
        b.extend([0, 0, 9]);
        assert_eq!(wide_runs(&b), vec!["Data Source=POLSQL01".to_string()]);
    }
}
