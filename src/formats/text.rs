//! Plain text, CSV and TSV. The encoding is found from the bytes (a BOM, the NUL pattern of
//! UTF-16 and UTF-32 without one, valid UTF-8, else Windows-1252), the delimiter from the
//! first records (comma, tab, semicolon or pipe: the one that splits them into a steady
//! number of fields, quotes understood), and whether the first row is a header. Every
//! CSV field is a visible cell with its (row, column), so the table detectors judge a CSV
//! as they judge a sheet; every line of plain text is a visible item.
//!
//! The file is decoded as it is read (a UTF-8 file is read in place; others go through a
//! streaming decoder), so a large CSV is never held twice. Cells a spreadsheet would run
//! as formulas are reported once per file as `csv-injection`.

use crate::context::{Ctx, ScanError, ScanResult};
use crate::detect::ItemSink;
use crate::formats::Format;
use crate::model::{DocPlace, Extent, Item, ItemKind, Severity, cell_ref};
use crate::util::{ContentDigest, plural};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::io::{BufRead, BufReader, Read};

/// Bytes looked at to decide the encoding and the dialect.
const SNIFF_BYTES: usize = 64 * 1024;
/// Records looked at to decide the delimiter and the header.
const SNIFF_RECORDS: usize = 50;
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// How the bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
    Windows1252,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Utf32Le => "UTF-32LE",
            TextEncoding::Utf32Be => "UTF-32BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// The encoding of `bytes` and the length of its byte-order mark.
pub fn detect_encoding(bytes: &[u8]) -> (TextEncoding, usize) {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return (TextEncoding::Utf32Le, 4);
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return (TextEncoding::Utf32Be, 4);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (TextEncoding::Utf8, 3);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return (TextEncoding::Utf16Le, 2);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return (TextEncoding::Utf16Be, 2);
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if let Some(enc) = nul_pattern(head) {
        return (enc, 0);
    }
    match std::str::from_utf8(head) {
        Ok(_) => (TextEncoding::Utf8, 0),
        // A multi-byte character cut by the sniff window is still UTF-8.
        Err(e) if e.error_len().is_none() && head.len() == SNIFF_BYTES => (TextEncoding::Utf8, 0),
        Err(_) => (TextEncoding::Windows1252, 0),
    }
}

/// UTF-16 or UTF-32 without a BOM: text in Latin script leaves one (or three) zero bytes
/// beside each character, always on the same side. Random binary data does not.
fn nul_pattern(head: &[u8]) -> Option<TextEncoding> {
    let n = head.len() & !3;
    if n < 8 {
        return None;
    }
    let head = &head[..n];
    let quads = n / 4;
    let le32 = head
        .chunks_exact(4)
        .filter(|q| q[0] != 0 && q[1] == 0 && q[2] == 0 && q[3] == 0)
        .count();
    let be32 = head
        .chunks_exact(4)
        .filter(|q| q[0] == 0 && q[1] == 0 && q[2] == 0 && q[3] != 0)
        .count();
    if le32 * 10 >= quads * 9 {
        return Some(TextEncoding::Utf32Le);
    }
    if be32 * 10 >= quads * 9 {
        return Some(TextEncoding::Utf32Be);
    }
    let pairs = n / 2;
    let le = head
        .chunks_exact(2)
        .filter(|p| p[0] != 0 && p[1] == 0)
        .count();
    let be = head
        .chunks_exact(2)
        .filter(|p| p[0] == 0 && p[1] != 0)
        .count();
    if le * 10 >= pairs * 7 && be * 20 < pairs {
        Some(TextEncoding::Utf16Le)
    } else if be * 10 >= pairs * 7 && le * 20 < pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Decodes `bytes` (after the BOM) to UTF-8 as it is read.
pub struct DecodeReader<'a> {
    input: &'a [u8],
    kind: Decoding,
    out: Vec<u8>,
    out_pos: usize,
}

enum Decoding {
    /// Valid UTF-8, read in place.
    Plain,
    Rs(encoding_rs::Decoder),
    Utf32 {
        big_endian: bool,
    },
}

impl<'a> DecodeReader<'a> {
    pub fn new(bytes: &'a [u8], encoding: TextEncoding, bom: usize) -> Self {
        let input = bytes.get(bom..).unwrap_or_default();
        let rs = |e: &'static Encoding| Decoding::Rs(e.new_decoder_without_bom_handling());
        let kind = match encoding {
            TextEncoding::Utf8 if std::str::from_utf8(input).is_ok() => Decoding::Plain,
            TextEncoding::Utf8 => rs(UTF_8),
            TextEncoding::Utf16Le => rs(UTF_16LE),
            TextEncoding::Utf16Be => rs(UTF_16BE),
            TextEncoding::Windows1252 => rs(WINDOWS_1252),
            TextEncoding::Utf32Le => Decoding::Utf32 { big_endian: false },
            TextEncoding::Utf32Be => Decoding::Utf32 { big_endian: true },
        };
        DecodeReader {
            input,
            kind,
            out: Vec::new(),
            out_pos: 0,
        }
    }

    fn refill(&mut self) {
        const CHUNK: usize = 16 * 1024;
        self.out.clear();
        self.out_pos = 0;
        match &mut self.kind {
            Decoding::Plain => {}
            Decoding::Rs(decoder) => {
                let take = self.input.len().min(CHUNK);
                let last = take == self.input.len();
                let mut buf = String::with_capacity(
                    decoder
                        .max_utf8_buffer_length(take)
                        .unwrap_or(CHUNK * 3)
                        .max(16),
                );
                let (_, read, _) = decoder.decode_to_string(&self.input[..take], &mut buf, last);
                self.input = &self.input[read..];
                self.out = buf.into_bytes();
            }
            Decoding::Utf32 { big_endian } => {
                let take = self.input.len().min(CHUNK) & !3;
                let take = if take == 0 { self.input.len() } else { take };
                let mut s = String::new();
                for q in self.input[..take].chunks(4) {
                    let mut b = [0u8; 4];
                    b[..q.len()].copy_from_slice(q);
                    let v = if *big_endian {
                        u32::from_be_bytes(b)
                    } else {
                        u32::from_le_bytes(b)
                    };
                    s.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
                }
                self.input = &self.input[take..];
                self.out = s.into_bytes();
            }
        }
    }
}

impl Read for DecodeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Decoding::Plain = self.kind {
            let n = buf.len().min(self.input.len());
            buf[..n].copy_from_slice(&self.input[..n]);
            self.input = &self.input[n..];
            return Ok(n);
        }
        while self.out_pos >= self.out.len() {
            if self.input.is_empty() {
                return Ok(0);
            }
            self.refill();
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// The decoded start of the file, for sniffing.
fn decoded_head(bytes: &[u8], encoding: TextEncoding, bom: usize) -> String {
    let end = (bom + SNIFF_BYTES).min(bytes.len());
    let mut s = String::new();
    let _ = DecodeReader::new(&bytes[..end], encoding, bom).read_to_string(&mut s);
    s
}

/// Text if the bytes decode to text with few control characters; CSV if the first records
/// split on one delimiter into a steady number (more than one) of fields.
pub fn sniff(bytes: &[u8]) -> Format {
    let (encoding, bom) = detect_encoding(bytes);
    let head_bytes = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let wide = matches!(
        encoding,
        TextEncoding::Utf16Le
            | TextEncoding::Utf16Be
            | TextEncoding::Utf32Le
            | TextEncoding::Utf32Be
    );
    if !wide && head_bytes.contains(&0) {
        return Format::Binary;
    }
    let text = decoded_head(bytes, encoding, bom);
    let bad = text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || c == '\0' || (c.is_control() && !c.is_whitespace()))
        .count();
    if bad * 20 > text.chars().count().max(1) {
        return Format::Binary;
    }
    if detect_delimiter(&text).is_some() {
        Format::Csv
    } else {
        Format::Text
    }
}

/// The delimiter that splits the first records into the steadiest number (more than one)
/// of fields. The last record may be cut by the sniff window and is left out.
pub fn detect_delimiter(text: &str) -> Option<u8> {
    let mut best: Option<(u8, usize, usize)> = None;
    for &d in &DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(text.as_bytes());
        let mut widths: Vec<usize> = reader
            .records()
            .take(SNIFF_RECORDS + 1)
            .map_while(Result::ok)
            .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
            .map(|r| r.len())
            .collect();
        if widths.len() > SNIFF_RECORDS || (text.len() >= SNIFF_BYTES && widths.len() > 2) {
            widths.pop();
        }
        if widths.len() < 2 {
            continue;
        }
        let first = widths[0];
        if first < 2 {
            continue;
        }
        let same = widths.iter().filter(|w| **w == first).count();
        if same * 10 < widths.len() * 8 {
            continue;
        }
        if best.is_none_or(|(_, s, w)| (same, first) > (s, w)) {
            best = Some((d, same, first));
        }
    }
    best.map(|(d, _, _)| d)
}

/// True when the first row reads as column headings over the rows below: text labels (not
/// numbers or dates), distinct, none empty, and under at least one of them values of
/// another kind (numbers or dates), or labels that never come back in their column.
pub fn looks_like_header(rows: &[csv::StringRecord]) -> bool {
    let Some((first, data)) = rows.split_first() else {
        return false;
    };
    let labels: Vec<&str> = first.iter().map(str::trim).collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || is_numeric(l) || l.len() > 60)
    {
        return false;
    }
    let mut seen = std::collections::HashSet::new();
    if !labels.iter().all(|l| seen.insert(l.to_lowercase())) {
        return false;
    }
    if data.is_empty() {
        return true;
    }
    let typed_column = (0..labels.len()).any(|c| {
        let values: Vec<&str> = data
            .iter()
            .filter_map(|r| r.get(c))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        !values.is_empty() && values.iter().filter(|v| is_numeric(v)).count() * 2 >= values.len()
    });
    let labels_unique = (0..labels.len()).all(|c| {
        data.iter()
            .filter_map(|r| r.get(c))
            .all(|v| !v.trim().eq_ignore_ascii_case(labels[c]))
    });
    typed_column || labels_unique
}

/// A number or a date as a spreadsheet would read it (`12`, `-3.5`, `1,234`, `45%`,
/// `£12.50`, `03/02/1961`, `2024-01-31`).
fn is_numeric(s: &str) -> bool {
    let t = s
        .trim()
        .trim_start_matches(['£', '$', '€'])
        .trim_end_matches('%')
        .replace(',', "");
    if t.parse::<f64>().is_ok() {
        return true;
    }
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 4
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.'))
        && t.chars().any(|c| matches!(c, '/' | '-' | '.'))
}

/// Why a cell would run as a formula when the CSV is opened in a spreadsheet, if it would.
/// `=` and `@` start a formula whatever follows (a lone sign, or a rule of signs such as
/// `----`, is shown as text). `+` and `-` start one only when what follows is more than a
/// number: `-12.5`, `+44 7700 900123` or `-(3)` only hold digits, spaces and the signs
/// numbers, phone numbers and dates are written with, and cannot call anything, while
/// `-2+3+cmd|' /C calc'!A0` or `+SUM(A1:A9)` can.
pub fn injection(cell: &str) -> bool {
    let Some(first) = cell.chars().next() else {
        return false;
    };
    if !matches!(first, '=' | '+' | '-' | '@') {
        return false;
    }
    if cell.chars().all(|c| matches!(c, '=' | '+' | '-' | '@')) {
        return false;
    }
    match first {
        '=' | '@' => true,
        _ => !cell[1..].chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || matches!(
                    c,
                    '.' | ',' | '(' | ')' | '/' | '-' | '+' | '%' | ':' | '£' | '$' | '€'
                )
        }),
    }
}

pub fn inspect(bytes: &[u8], format: Format, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let (encoding, bom) = detect_encoding(bytes);
    if format == Format::Csv {
        let head = decoded_head(bytes, encoding, bom);
        let delimiter = detect_delimiter(&head).unwrap_or(b',');
        let header = {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(head.as_bytes());
            let rows: Vec<csv::StringRecord> = r
                .records()
                .take(SNIFF_RECORDS)
                .map_while(Result::ok)
                .collect();
            looks_like_header(&rows)
        };
        drop(head);
        return inspect_csv(
            DecodeReader::new(bytes, encoding, bom),
            delimiter,
            header,
            ctx,
        );
    }
    let mut reader = BufReader::new(DecodeReader::new(bytes, encoding, bom));
    let mut line = String::new();
    let mut n = 0u64;
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Err(ScanError::new(format!("cannot decode the text: {e}"))),
        }
        if n.is_multiple_of(4096) {
            ctx.check_time()?;
        }
        n += 1;
        ctx.item(&Item {
            text: line.trim_end_matches(['\n', '\r']),
            kind: ItemKind::Text,
            hidden: false,
            part: "",
            sheet: None,
            cell: None,
            detail: None,
            doc: DocPlace::NONE,
        });
    }
    Ok(())
}

/// Streams the records; each field is a visible cell.
fn inspect_csv(input: impl Read, delimiter: u8, header: bool, ctx: &mut Ctx<'_>) -> ScanResult<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let mut record = csv::StringRecord::new();
    let mut row = 0u32;
    let mut injected = Injections::default();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(ScanError::new(format!("malformed CSV: {e}"))),
        }
        if row.is_multiple_of(4096) {
            ctx.check_time()?;
        }
        for (col, field) in record.iter().enumerate() {
            if injection(field) {
                injected.add(row, col as u32, field);
            }
            ctx.item(&Item {
                text: field.trim(),
                kind: ItemKind::Cell,
                hidden: false,
                part: "",
                sheet: None,
                cell: Some((row, col as u32)),
                detail: (header && row == 0).then_some("column heading"),
                doc: DocPlace::NONE,
            });
        }
        row = row.saturating_add(1);
    }
    injected.report(ctx);
    Ok(())
}

/// The cells that would run as formulas, summed into one finding.
#[derive(Default)]
struct Injections {
    count: u64,
    extent: Extent,
    first: Vec<String>,
    example: Option<String>,
    digest: ContentDigest,
}

impl Injections {
    fn add(&mut self, row: u32, col: u32, text: &str) {
        self.count += 1;
        self.extent.add(row, col);
        self.digest.update_cell(row, col, text);
        if self.first.len() < 3 {
            self.first.push(cell_ref(row, col));
        }
        if self.example.is_none() {
            self.example = Some(text.chars().take(80).collect());
        }
    }

    fn report(self, ctx: &mut Ctx<'_>) {
        if self.count == 0 {
            return;
        }
        let more = if self.count > self.first.len() as u64 {
            ", …"
        } else {
            ""
        };
        let mut loc = ctx.loc_file();
        loc.range = self.extent.range();
        ctx.report(
            "csv-injection",
            Severity::Low,
            false,
            loc,
            format!(
                "{} with =, +, - or @ and would run as a formula when the file is opened in a spreadsheet ({}{more})",
                plural(self.count, "cell starts", "cells start"),
                self.first.join(", ")
            ),
            &self.digest.hex(),
        );
        if let (Some(f), Some(e)) = (ctx.findings.last_mut(), self.example) {
            f.evidence = Some(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_from_boms_and_nul_patterns() {
        let utf16le: Vec<u8> = "Name,DOB\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let utf16be: Vec<u8> = "Name,DOB\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(detect_encoding(&utf16le), (TextEncoding::Utf16Le, 0));
        assert_eq!(detect_encoding(&utf16be), (TextEncoding::Utf16Be, 0));
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFa,b"), (TextEncoding::Utf8, 3));
        assert_eq!(
            detect_encoding(b"Zo\xEB,Bront\xEB"),
            (TextEncoding::Windows1252, 0)
        );
        assert_eq!(detect_encoding("Zoë".as_bytes()), (TextEncoding::Utf8, 0));
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n4,5,6\n"), Some(b','));
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), Some(b'\t'));
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3\n"), Some(b';'));
        assert_eq!(detect_delimiter("a|b\n1|2\n"), Some(b'|'));
        assert_eq!(detect_delimiter("\"x, y\";z\n\"p, q\";r\n"), Some(b';'));
        assert_eq!(detect_delimiter("just some prose\nover two lines\n"), None);
    }

    #[test]
    fn injection_rules() {
        for yes in [
            "=1+1",
            "@SUM(A1)",
            "+SUM(A1:A3)",
            "-2+3+cmd|' /C calc'!A0",
            "=HYPERLINK(\"x\")",
            "-5 days",
        ] {
            assert!(injection(yes), "{yes}");
        }
        for no in [
            "-12.5",
            "+44 7700 900123",
            "+44 (0)7700 900123",
            "-",
            "----",
            "12",
            "John",
            " =x",
            "-(3)",
            "+5%",
        ] {
            assert!(!injection(no), "{no}");
        }
    }

    #[test]
    fn headers() {
        let rows = |s: &str| -> Vec<csv::StringRecord> {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(s.as_bytes())
                .records()
                .map(|r| r.expect("record"))
                .collect()
        };
        assert!(looks_like_header(&rows("Ward,Count\nEaton,12\nNelson,3\n")));
        assert!(looks_like_header(&rows(
            "Name,Ward\nJohn Smith,Eaton\nMary Jones,Nelson\n"
        )));
        assert!(!looks_like_header(&rows("Eaton,12\nNelson,3\n")));
        assert!(!looks_like_header(&rows("2019,2020\n12,13\n")));
        assert!(!looks_like_header(&rows(
            "Eaton,Burglary\nEaton,Burglary\n"
        )));
    }
}
