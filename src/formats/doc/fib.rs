//! The File Information Block ([MS-DOC] 2.5.1) at the start of the `WordDocument` stream:
//! which Word wrote the file, whether it is encrypted, which table stream it uses, how many
//! characters each story holds, and where every other structure sits in the table stream.
//! Every size is read from the FIB itself (`csw`, `cslw`, `cbRgFcLcb`), never assumed, and
//! checked against the stream.

use super::le::{u16_at, u32_at};
use crate::context::{ScanError, ScanResult};

/// Indices into `FibRgFcLcb97` (pairs of offset and length in the table stream).
pub mod fc {
    pub const STSHF: usize = 1;
    pub const PLCF_AND_REF: usize = 4;
    pub const PLCF_AND_TXT: usize = 5;
    pub const PLCF_HDD: usize = 11;
    pub const PLCF_BTE_CHPX: usize = 12;
    pub const PLCF_BTE_PAPX: usize = 13;
    pub const STTBF_ASSOC: usize = 32;
    pub const CLX: usize = 33;
    pub const GRP_XST_ATN_OWNERS: usize = 36;
    pub const DGG_INFO: usize = 50;
    pub const STTBF_RMARK: usize = 51;
    pub const STTB_SAVED_BY: usize = 71;
}

/// The stories of a document, in the order their text follows each other in the CP space.
pub const STORY_COUNTS: usize = 8;

#[derive(Debug, Clone)]
pub struct Fib {
    /// `fComplex`: the file was fast-saved at least once.
    pub complex: bool,
    /// How many times in a row it was fast-saved (`cQuickSaves`).
    pub quick_saves: u8,
    /// `fWhichTblStm`: the table stream is `1Table` (true) or `0Table`.
    pub table1: bool,
    /// Character counts of the stories: main text, footnotes, headers, (macros), comments,
    /// endnotes, text boxes, header text boxes.
    pub ccp: [u32; STORY_COUNTS],
    fclcb: Vec<(u32, u32)>,
}

impl Fib {
    pub fn table_stream(&self) -> &'static str {
        if self.table1 { "1Table" } else { "0Table" }
    }

    /// `(offset, length)` of structure `index` in the table stream; `None` when the FIB
    /// does not reach that far or the structure is absent (length 0).
    pub fn get(&self, index: usize) -> Option<(u32, u32)> {
        self.fclcb.get(index).copied().filter(|(_, lcb)| *lcb > 0)
    }

    /// The bytes of structure `index` in the table stream, or an error naming it when its
    /// offset and length point outside the stream.
    pub fn slice<'t>(&self, table: &'t [u8], index: usize, what: &str) -> ScanResult<&'t [u8]> {
        let Some((fc, lcb)) = self.get(index) else {
            return Ok(&[]);
        };
        let end = (fc as usize).checked_add(lcb as usize);
        end.and_then(|end| table.get(fc as usize..end))
            .ok_or_else(|| {
                ScanError::new(format!(
                    "the {what} lies outside the table stream (offset {fc}, {lcb} bytes, stream of {} bytes)",
                    table.len()
                ))
            })
    }

    /// Total characters of every story, with the final paragraph mark Word adds after the
    /// main text when any other story exists.
    pub fn total_cp(&self) -> u64 {
        let sum: u64 = self.ccp.iter().map(|&c| c as u64).sum();
        if sum > self.ccp[0] as u64 {
            sum + 1
        } else {
            sum
        }
    }
}

/// Word's name for a file format version, for the reason an old file is refused.
fn version_name(nfib: u16) -> &'static str {
    match nfib {
        0..=0x0064 => "Word for Windows 2.0 or older",
        0x0065..=0x0069 => "Word 6.0/95",
        _ => "a pre-release of Word 97",
    }
}

pub fn parse(word: &[u8]) -> ScanResult<Fib> {
    let ident = u16_at(word, 0)
        .ok_or_else(|| ScanError::new("the WordDocument stream is too short to hold a FIB"))?;
    let nfib = u16_at(word, 2).unwrap_or(0);
    let flags = u16_at(word, 10).unwrap_or(0);
    if matches!(ident, 0xA59B | 0xA59C | 0xA5DB) {
        return Err(ScanError::new(
            "Word for Windows 1.x/2.0 or Word for Macintosh document: foiguard reads Word 97 to 2003 documents only",
        ));
    }
    // Word 6.0 and 95 sign their FIB 0xA5DC (and some converters 0xA699); the version
    // number says which.
    if nfib < 0x00C0 && ident != 0 {
        return Err(ScanError::new(format!(
            "{} document (file format version {nfib}): foiguard reads Word 97 to 2003 documents only",
            version_name(nfib)
        )));
    }
    if ident != 0xA5EC {
        return Err(ScanError::new(format!(
            "the WordDocument stream does not start with a Word FIB (signature {ident:#06x})"
        )));
    }
    // An encrypted Word 97 file is refused for its password, whatever else its FIB says.
    if flags & 0x0100 != 0 {
        return Err(ScanError::new(if flags & 0x8000 != 0 {
            "password-protected: the document is obfuscated with a password (XOR), so its text cannot be checked"
        } else {
            "password-protected: the document is encrypted (RC4), so its text cannot be checked"
        }));
    }
    let short = || ScanError::new("the FIB is cut short: the WordDocument stream ends inside it");
    // FibRgW97, then FibRgLw97, then FibRgFcLcb, then FibRgCswNew: each preceded by its count.
    let csw = u16_at(word, 32).ok_or_else(short)? as usize;
    let at_lw = 34 + csw * 2;
    let cslw = u16_at(word, at_lw).ok_or_else(short)? as usize;
    let lw = at_lw + 2;
    if cslw < 11 {
        return Err(ScanError::new(format!(
            "the FIB has {cslw} long counts where Word 97 writes 22: it is not a Word 97 FIB"
        )));
    }
    let mut ccp = [0u32; STORY_COUNTS];
    for (i, c) in ccp.iter_mut().enumerate() {
        // ccpText is the 4th long (after cbMac and two reserved ones).
        *c = u32_at(word, lw + (3 + i) * 4).ok_or_else(short)?;
    }
    let at_fc = lw + cslw * 4;
    let cb = u16_at(word, at_fc).ok_or_else(short)? as usize;
    let blob = at_fc + 2;
    let mut fclcb = Vec::with_capacity(cb);
    for i in 0..cb {
        let (Some(fc), Some(lcb)) = (u32_at(word, blob + i * 8), u32_at(word, blob + i * 8 + 4))
        else {
            return Err(short());
        };
        fclcb.push((fc, lcb));
    }
    Ok(Fib {
        complex: flags & 0x0004 != 0,
        quick_saves: ((flags >> 4) & 0x0F) as u8,
        table1: flags & 0x0200 != 0,
        ccp,
        fclcb,
    })
}
