//! The piece table (the `Clx`, [MS-DOC] 2.9.38): the document's text as a list of pieces,
//! each a run of character positions (CPs) stored either compressed (one byte a character,
//! Windows-1252 with Word's own mapping of 0x80–0x9F) or as UTF-16, at a file offset (FC) in
//! the `WordDocument` stream. Fast-saved documents append their edits as new pieces, so the
//! table is the only way to read their text in order. A piece may also carry a property
//! modifier (`Prm`) that formats all of its text: a fast save records formatting that way.
//!
//! A piece whose encoding foiguard does not know, or that points outside the stream, makes
//! the document unscannable: reading around it would pass text nobody read.

use super::le::{u8_at, u16_at, u32_at};
use crate::context::{ScanError, ScanResult};

/// Most pieces read from one document.
const MAX_PIECES: usize = 1 << 20;
/// Most property groups (`Prc`) before the piece table.
const MAX_PRCS: usize = 1 << 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub cp_start: u32,
    pub cp_end: u32,
    /// Byte offset of the piece's first character in the WordDocument stream.
    pub fc: u32,
    /// One byte a character (true) or two.
    pub compressed: bool,
    pub prm: u16,
}

impl Piece {
    pub fn width(&self) -> u32 {
        if self.compressed { 1 } else { 2 }
    }

    /// The FC of character `cp` (which must lie in the piece).
    pub fn fc_of(&self, cp: u32) -> u64 {
        self.fc as u64 + (cp - self.cp_start) as u64 * self.width() as u64
    }
}

#[derive(Debug, Default)]
pub struct Clx {
    pub pieces: Vec<Piece>,
    /// The property groups (`Prc`) a complex `Prm` refers to by index.
    pub prcs: Vec<Vec<u8>>,
}

pub fn parse(clx: &[u8]) -> ScanResult<Clx> {
    let mut out = Clx::default();
    let mut pos = 0usize;
    loop {
        let Some(kind) = u8_at(clx, pos) else {
            return Err(ScanError::new(
                "the piece table (Clx) ends before its list of pieces",
            ));
        };
        match kind {
            0x01 => {
                let cb = u16_at(clx, pos + 1)
                    .ok_or_else(|| ScanError::new("the piece table is cut short"))?
                    as i16;
                if cb < 0 {
                    return Err(ScanError::new(
                        "the piece table holds a property group of negative size",
                    ));
                }
                let start = pos + 3;
                let grpprl = clx
                    .get(start..start + cb as usize)
                    .ok_or_else(|| ScanError::new("the piece table is cut short"))?;
                if out.prcs.len() >= MAX_PRCS {
                    return Err(ScanError::new(format!(
                        "the piece table has more than {MAX_PRCS} property groups"
                    )));
                }
                out.prcs.push(grpprl.to_vec());
                pos = start + cb as usize;
            }
            0x02 => {
                let lcb = u32_at(clx, pos + 1)
                    .ok_or_else(|| ScanError::new("the piece table is cut short"))?
                    as usize;
                let plc = clx
                    .get(pos + 5..(pos + 5).saturating_add(lcb))
                    .ok_or_else(|| {
                        ScanError::new("the piece table's list of pieces runs past its end")
                    })?;
                out.pieces = pieces(plc)?;
                return Ok(out);
            }
            other => {
                return Err(ScanError::new(format!(
                    "the piece table holds a structure of unknown kind ({other:#04x})"
                )));
            }
        }
    }
}

/// The `PlcPcd`: n+1 CPs, then n piece descriptors of 8 bytes.
fn pieces(plc: &[u8]) -> ScanResult<Vec<Piece>> {
    if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(12) {
        return Err(ScanError::new(format!(
            "the list of pieces has a length ({} bytes) no number of pieces fits",
            plc.len()
        )));
    }
    let n = (plc.len() - 4) / 12;
    if n > MAX_PIECES {
        return Err(ScanError::new(format!(
            "the document has {n} text pieces, over the limit of {MAX_PIECES}"
        )));
    }
    let cp = |i: usize| u32_at(plc, i * 4).unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    let pcds = (n + 1) * 4;
    for i in 0..n {
        let (start, end) = (cp(i), cp(i + 1));
        if end < start {
            return Err(ScanError::new(format!(
                "text piece {} runs backwards (CP {start} to {end})",
                i + 1
            )));
        }
        let at = pcds + i * 8;
        let raw = u32_at(plc, at + 2).unwrap_or(0);
        if raw & 0x8000_0000 != 0 {
            return Err(ScanError::new(format!(
                "text piece {} uses an encoding foiguard does not know (reserved bit of its file offset set)",
                i + 1
            )));
        }
        let compressed = raw & 0x4000_0000 != 0;
        let value = raw & 0x3FFF_FFFF;
        out.push(Piece {
            cp_start: start,
            cp_end: end,
            fc: if compressed { value / 2 } else { value },
            compressed,
            prm: u16_at(plc, at + 6).unwrap_or(0),
        });
    }
    Ok(out)
}

/// Word's mapping of compressed bytes 0x80–0x9F ([MS-DOC] 2.4.1); other bytes are Latin-1.
const HIGH: [u16; 32] = [
    0x0080, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x008E, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x009E, 0x0178,
];

fn compressed_unit(b: u8) -> u16 {
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as u16,
    }
}

/// The document's text as UTF-16 code units, one per CP from 0 to `total`, read through the
/// pieces. Characters past the pieces' end are not invented: the caller checks coverage.
pub fn text(word: &[u8], pieces: &[Piece], total: u32) -> ScanResult<Vec<u16>> {
    let mut out: Vec<u16> = Vec::with_capacity(total as usize);
    for (i, p) in pieces.iter().enumerate() {
        if p.cp_start as usize != out.len() {
            if (p.cp_start as usize) < out.len() {
                return Err(ScanError::new(format!(
                    "text piece {} overlaps the piece before it",
                    i + 1
                )));
            }
            return Err(ScanError::new(format!(
                "the pieces leave characters {} to {} without text",
                out.len(),
                p.cp_start
            )));
        }
        if p.cp_start >= total {
            break;
        }
        let end = p.cp_end.min(total);
        let n = (end - p.cp_start) as usize;
        let bytes = word
            .get(p.fc as usize..(p.fc as usize).saturating_add(n * p.width() as usize))
            .filter(|b| b.len() == n * p.width() as usize)
            .ok_or_else(|| {
                ScanError::new(format!(
                    "text piece {} lies outside the WordDocument stream (offset {}, {} characters)",
                    i + 1,
                    p.fc,
                    n
                ))
            })?;
        if p.compressed {
            out.extend(bytes.iter().map(|&b| compressed_unit(b)));
        } else {
            out.extend(
                bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]])),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_bytes_follow_words_table() {
        assert_eq!(compressed_unit(b'A'), 0x41);
        assert_eq!(compressed_unit(0x93), 0x201C);
        assert_eq!(compressed_unit(0x80), 0x0080);
        assert_eq!(compressed_unit(0xE9), 0x00E9);
    }
}
