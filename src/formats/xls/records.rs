//! BIFF records: a type, a length and a body, one after another in a stream. Every length is
//! untrusted: a record that claims more bytes than remain ends the walk with an error, and
//! bodies are only ever borrowed from the stream, never allocated from a length field.
//! Strings (BIFF8 `XLUnicodeString` and the codepage strings of BIFF5) are decoded here too,
//! including the BIFF8 rule that a string split across `CONTINUE` records starts each
//! continuation with a fresh flags byte.

use crate::context::{ScanError, ScanResult};
use encoding_rs::Encoding;

pub use crate::util::le::{f64_at, u16_at, u32_at};

pub const CONTINUE: u16 = 0x003C;

/// One record: its type, body and where it starts in the stream.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub typ: u16,
    pub data: &'a [u8],
    pub offset: usize,
}

/// Walks the records of a stream from `pos`. A truncated or overlong record ends the walk;
/// `error` then says where.
pub struct Records<'a> {
    stream: &'a [u8],
    pos: usize,
    pub error: Option<String>,
}

impl<'a> Records<'a> {
    pub fn new(stream: &'a [u8], pos: usize) -> Self {
        Records {
            stream,
            pos,
            error: None,
        }
    }

    /// Type of the next record, without consuming it.
    pub fn peek_type(&self) -> Option<u16> {
        let h = self.stream.get(self.pos..self.pos.checked_add(4)?)?;
        Some(u16::from_le_bytes([h[0], h[1]]))
    }

    /// The body of the record after the last one returned, with every `CONTINUE` that follows
    /// it, as separate segments (split strings need the boundaries).
    pub fn continues(&mut self, first: &'a [u8], max: usize) -> Vec<&'a [u8]> {
        let mut segs = vec![first];
        while self.peek_type() == Some(CONTINUE) && segs.len() < max {
            match self.next() {
                Some(r) => segs.push(r.data),
                None => break,
            }
        }
        segs
    }

    pub fn position(&self) -> usize {
        self.pos
    }
}

/// Checks that `stream` holds at most `max` records before anything walks it: the sheets are
/// walked more than once, and a stream of millions of empty records would make each walk
/// long. Only the headers are read; a truncated tail is left for the walk to report.
pub fn within_record_limit(stream: &[u8], max: u64) -> Result<(), u64> {
    let mut pos = 0usize;
    let mut count = 0u64;
    while let Some(h) = stream.get(pos..pos.saturating_add(4)) {
        count += 1;
        if count > max {
            return Err(count);
        }
        pos += 4 + u16::from_le_bytes([h[2], h[3]]) as usize;
    }
    Ok(())
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        if self.error.is_some() || self.pos >= self.stream.len() {
            return None;
        }
        let offset = self.pos;
        let Some(h) = self.stream.get(offset..offset + 4) else {
            self.error = Some(format!("truncated record header at offset {offset}"));
            return None;
        };
        let typ = u16::from_le_bytes([h[0], h[1]]);
        let len = u16::from_le_bytes([h[2], h[3]]) as usize;
        let Some(data) = self.stream.get(offset + 4..offset + 4 + len) else {
            // Streams are padded to a sector; trailing zeros are not a record.
            if self.stream[offset..].iter().all(|b| *b == 0) {
                self.pos = self.stream.len();
                return None;
            }
            self.error = Some(format!(
                "record 0x{typ:04X} at offset {offset} claims {len} bytes but only {} remain",
                self.stream.len().saturating_sub(offset + 4)
            ));
            return None;
        };
        self.pos = offset + 4 + len;
        Some(Record { typ, data, offset })
    }
}

/// The BIFF version of a workbook stream, which decides how strings are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Biff {
    /// Excel 5.0 and 95: 8-bit strings in the workbook's codepage.
    Biff5,
    /// Excel 97 to 2003: UTF-16 or compressed Latin-1 strings.
    Biff8,
}

/// How text is decoded: BIFF version and, for BIFF5, the codepage.
#[derive(Debug, Clone, Copy)]
pub struct TextCodec {
    pub biff: Biff,
    pub encoding: &'static Encoding,
}

impl TextCodec {
    pub fn new(biff: Biff) -> Self {
        TextCodec {
            biff,
            encoding: encoding_rs::WINDOWS_1252,
        }
    }

    /// Sets the codepage from a CODEPAGE record. 1200 (UTF-16) is what BIFF8 declares.
    pub fn set_codepage(&mut self, cp: u16) {
        if let Some(enc) = codepage::to_encoding(cp) {
            self.encoding = enc;
        }
    }

    pub fn decode_bytes(&self, bytes: &[u8]) -> String {
        let (s, _, _) = self.encoding.decode(bytes);
        s.trim_end_matches('\0').to_string()
    }
}

/// Longest string decoded (characters); longer text is cut, never allocated from a length.
pub const MAX_CHARS: usize = 1 << 20;

/// A reader over one record body and its continuations. Plain fields run across segment
/// boundaries; the characters of a BIFF8 string start each new segment with a flags byte.
pub struct Cursor<'a> {
    segs: Vec<&'a [u8]>,
    seg: usize,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Cursor {
            segs: vec![data],
            seg: 0,
            pos: 0,
        }
    }

    pub fn with_segments(segs: Vec<&'a [u8]>) -> Self {
        Cursor {
            segs,
            seg: 0,
            pos: 0,
        }
    }

    /// Moves to the next segment when the current one is used up.
    fn settle(&mut self) {
        while self.seg < self.segs.len() && self.pos >= self.segs[self.seg].len() {
            self.seg += 1;
            self.pos = 0;
        }
    }

    pub fn at_end(&mut self) -> bool {
        self.settle();
        self.seg >= self.segs.len()
    }

    /// True when the next byte starts a new segment (a CONTINUE boundary).
    fn at_segment_start(&mut self) -> bool {
        self.settle();
        self.pos == 0 && self.seg > 0
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.settle();
        let b = *self.segs.get(self.seg)?.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    pub fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.u8()?, self.u8()?]))
    }

    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.u8()?,
            self.u8()?,
            self.u8()?,
            self.u8()?,
        ]))
    }

    pub fn f64(&mut self) -> Option<f64> {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.u8()?;
        }
        Some(f64::from_le_bytes(b))
    }

    /// Skips `n` bytes; false when fewer remain.
    pub fn skip(&mut self, mut n: usize) -> bool {
        while n > 0 {
            self.settle();
            let Some(seg) = self.segs.get(self.seg) else {
                return false;
            };
            let take = n.min(seg.len() - self.pos);
            self.pos += take;
            n -= take;
        }
        true
    }

    /// `cch` characters of a BIFF8 string, compressed (8-bit) or UTF-16 as `high` says; a
    /// continuation segment restates the flag in its first byte.
    pub fn chars(&mut self, cch: usize, mut high: bool, out: &mut String) -> Option<()> {
        let mut units: Vec<u16> = Vec::new();
        for i in 0..cch {
            if i > 0 && self.at_segment_start() {
                high = self.u8()? & 1 == 1;
            }
            let unit = if high { self.u16()? } else { self.u8()? as u16 };
            if units.len() < MAX_CHARS {
                units.push(unit);
            }
        }
        out.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
        Some(())
    }

    /// Bytes left in every segment.
    pub fn remaining(&self) -> usize {
        self.segs
            .iter()
            .enumerate()
            .skip(self.seg)
            .map(|(i, s)| {
                if i == self.seg {
                    s.len().saturating_sub(self.pos)
                } else {
                    s.len()
                }
            })
            .sum()
    }

    /// An `XLUnicodeStringNoCch`: a flags byte, then the characters.
    pub fn flagged_chars(&mut self, cch: usize, out: &mut String) -> Option<()> {
        let flags = self.u8()?;
        self.chars(cch, flags & 1 == 1, out)
    }

    /// A BIFF8 `XLUnicodeString` body after its character count: flags, optional run and
    /// extension counts, characters, then the runs and extension data, skipped.
    pub fn unicode_body(&mut self, cch: usize, out: &mut String) -> Option<()> {
        let flags = self.u8()?;
        let runs = if flags & 0x08 != 0 { self.u16()? } else { 0 };
        let ext = if flags & 0x04 != 0 { self.u32()? } else { 0 };
        self.chars(cch, flags & 1 == 1, out)?;
        // Formatting runs and phonetic data are not text a reader sees; a truncated tail is
        // tolerated (the characters are what matters).
        let _ = self.skip(runs as usize * 4) && self.skip(ext as usize);
        Some(())
    }

    /// An `XLUnicodeString` with a 16-bit count (BIFF8), or a 16-bit count and codepage
    /// bytes (BIFF5).
    pub fn string16(&mut self, codec: &TextCodec) -> Option<String> {
        let cch = self.u16()? as usize;
        self.string_body(cch, codec)
    }

    /// A `ShortXLUnicodeString` with an 8-bit count (BIFF8), or 8-bit count and bytes (BIFF5).
    pub fn string8(&mut self, codec: &TextCodec) -> Option<String> {
        let cch = self.u8()? as usize;
        self.string_body(cch, codec)
    }

    pub fn string_body(&mut self, cch: usize, codec: &TextCodec) -> Option<String> {
        let mut s = String::new();
        match codec.biff {
            Biff::Biff8 => self.unicode_body(cch, &mut s)?,
            Biff::Biff5 => {
                let mut bytes = Vec::with_capacity(cch.min(4096));
                for _ in 0..cch {
                    bytes.push(self.u8()?);
                }
                s = codec.decode_bytes(&bytes);
            }
        }
        Some(s)
    }
}

/// Reads a string field of a single record and says what failed if it cannot.
pub fn string16_at(data: &[u8], at: usize, codec: &TextCodec, what: &str) -> ScanResult<String> {
    let mut c = Cursor::new(data.get(at..).unwrap_or_default());
    c.string16(codec)
        .ok_or_else(|| ScanError::new(format!("{what}: string runs past the end of its record")))
}

/// An `RK` number: a 30-bit integer or the high bits of a double, optionally divided by 100.
pub fn rk_value(rk: u32) -> f64 {
    let div100 = rk & 1 != 0;
    let v = if rk & 2 != 0 {
        ((rk as i32) >> 2) as f64
    } else {
        f64::from_bits(((rk & 0xFFFF_FFFC) as u64) << 32)
    };
    if div100 { v / 100.0 } else { v }
}

/// A number as a reader would type it: integers without a decimal point.
pub fn number_text(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// BIFF error codes as Excel shows them.
pub fn error_text(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        0x2A => "#N/A",
        _ => "#ERR",
    }
}

/// Decodes a `VirtualPath` (SUPBOOK, DCONREF, BIFF5 EXTERNSHEET): control characters stand
/// for drive letters, UNC prefixes, folder separators and parent folders.
pub fn virtual_path(raw: &str) -> String {
    let mut chars = raw.chars().peekable();
    let mut out = String::new();
    if chars.peek() != Some(&'\u{1}') {
        return raw.chars().filter(|c| !c.is_control()).collect();
    }
    chars.next();
    while let Some(c) = chars.next() {
        match c {
            '\u{1}' => match chars.next() {
                Some('@') => out.push_str("\\\\"),
                Some(d) => {
                    out.push(d);
                    out.push(':');
                }
                None => {}
            },
            '\u{2}' => out.push('\\'),
            '\u{3}' => out.push('\\'),
            '\u{4}' => out.push_str("..\\"),
            '\u{5}' => {
                // A URL follows, preceded by its length.
                chars.next();
            }
            '\u{6}' | '\u{7}' | '\u{8}' => out.push_str("<office folder>\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_stop_at_overlong_lengths() {
        let mut s = vec![0x09, 0x08, 2, 0, 0xAA, 0xBB];
        s.extend_from_slice(&[0x0A, 0x00, 10, 0, 1, 2]);
        let mut r = Records::new(&s, 0);
        let first = r.next().expect("first");
        assert_eq!((first.typ, first.data), (0x0809, &[0xAA, 0xBB][..]));
        assert!(r.next().is_none());
        assert!(r.error.as_deref().is_some_and(|e| e.contains("0x000A")));
    }

    #[test]
    fn split_strings_restate_their_flags() {
        // "ab" compressed in the first segment, then "cd" as UTF-16 after a flags byte.
        let a = [4u8, 0, 0, b'a', b'b'];
        let b = [1u8, b'c', 0, b'd', 0];
        let mut c = Cursor::with_segments(vec![&a, &b]);
        let codec = TextCodec::new(Biff::Biff8);
        assert_eq!(c.string16(&codec).as_deref(), Some("abcd"));
        let mut short = Cursor::new(&[9, 0, 0, b'x']);
        assert_eq!(short.string16(&codec), None);
    }

    #[test]
    fn rk_numbers() {
        assert_eq!(rk_value((12 << 2) | 2), 12.0);
        assert_eq!(rk_value((1234 << 2) | 3), 12.34);
        let bits = (1.5f64.to_bits() >> 32) as u32;
        assert_eq!(rk_value(bits), 1.5);
        assert_eq!(number_text(42.0), "42");
        assert_eq!(number_text(2.5), "2.5");
    }

    #[test]
    fn virtual_paths() {
        assert_eq!(
            virtual_path("\u{1}\u{1}C\u{3}HR\u{3}staff.xls"),
            "C:\\HR\\staff.xls"
        );
        assert_eq!(
            virtual_path("\u{1}\u{1}@srv\u{3}share\u{3}a.xls"),
            "\\\\srv\\share\\a.xls"
        );
        assert_eq!(virtual_path("\u{1}\u{2}tmp\u{3}x.xls"), "\\tmp\\x.xls");
    }
}
