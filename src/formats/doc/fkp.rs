//! Formatted disk pages ([MS-DOC] 2.9.44, 2.9.175): the 512-byte pages of the
//! `WordDocument` stream that give every run of text its direct character properties
//! (`ChpxFkp`) and every paragraph its style and paragraph properties (`PapxFkp`). The
//! table stream's `PlcBteChpx` and `PlcBtePapx` list the pages and the byte ranges (FCs)
//! each covers. Runs are kept by FC and looked up per piece of text.

use super::le::{u8_at, u16_at, u32_at};
use crate::context::{ScanError, ScanResult};

const PAGE: usize = 512;
/// Most pages read from one bin table.
const MAX_PAGES: usize = 1 << 18;

/// One run of bytes of the WordDocument stream with the properties given to it: the
/// index of its `grpprl` in [`Runs::grpprls`], and for paragraphs the style.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub fc_start: u32,
    pub fc_end: u32,
    pub props: u32,
    pub istd: u16,
}

#[derive(Debug, Default)]
pub struct Runs {
    /// Sorted by `fc_start`.
    pub runs: Vec<Run>,
    pub grpprls: Vec<Vec<u8>>,
    /// The pages read, as byte offsets in the stream (so their bytes are not mistaken for
    /// text left behind).
    pub pages: Vec<u32>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Chpx,
    Papx,
}

impl Runs {
    /// The run that covers byte `fc`, if any.
    pub fn at(&self, fc: u64) -> Option<&Run> {
        let i = self.runs.partition_point(|r| (r.fc_start as u64) <= fc);
        let r = self.runs.get(i.checked_sub(1)?)?;
        (fc < r.fc_end as u64).then_some(r)
    }
}

/// Reads the pages a `PlcBte` lists. A page that cannot be read is an error: its runs
/// would leave text without the properties that say whether it is hidden or deleted.
pub fn read(word: &[u8], plc: &[u8], kind: Kind, what: &str) -> ScanResult<Runs> {
    let mut out = Runs::default();
    if plc.is_empty() {
        return Ok(out);
    }
    if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(8) {
        return Err(ScanError::new(format!(
            "the list of {what} pages has a length ({} bytes) no number of pages fits",
            plc.len()
        )));
    }
    let n = (plc.len() - 4) / 8;
    if n > MAX_PAGES {
        return Err(ScanError::new(format!(
            "the document lists {n} {what} pages, over the limit of {MAX_PAGES}"
        )));
    }
    let mut seen = std::collections::HashMap::<Vec<u8>, u32>::new();
    for i in 0..n {
        let pn = u32_at(plc, (n + 1) * 4 + i * 4).unwrap_or(0) & 0x003F_FFFF;
        let offset = pn as usize * PAGE;
        let page = word.get(offset..offset + PAGE).ok_or_else(|| {
            ScanError::new(format!(
                "{what} page {} lies outside the WordDocument stream (page number {pn})",
                i + 1
            ))
        })?;
        out.pages.push(offset as u32);
        read_page(page, kind, &mut out, &mut seen).map_err(|e| {
            ScanError::new(format!("{what} page {} (page number {pn}): {}", i + 1, e.0))
        })?;
    }
    out.runs.sort_by_key(|r| (r.fc_start, r.fc_end));
    Ok(out)
}

fn read_page(
    page: &[u8],
    kind: Kind,
    out: &mut Runs,
    seen: &mut std::collections::HashMap<Vec<u8>, u32>,
) -> ScanResult<()> {
    let crun = u8_at(page, PAGE - 1).unwrap_or(0) as usize;
    let max = match kind {
        Kind::Chpx => 0x65,
        Kind::Papx => 0x1D,
    };
    if crun > max {
        return Err(ScanError::new(format!(
            "it claims {crun} runs, more than a page can hold"
        )));
    }
    let fcs = |i: usize| u32_at(page, i * 4).unwrap_or(0);
    let after = (crun + 1) * 4;
    for i in 0..crun {
        let (start, end) = (fcs(i), fcs(i + 1));
        if end < start {
            return Err(ScanError::new("its runs go backwards"));
        }
        let (grpprl, istd): (&[u8], u16) = match kind {
            Kind::Chpx => {
                let b = u8_at(page, after + i).unwrap_or(0) as usize * 2;
                if b == 0 {
                    (&[], 0)
                } else {
                    let cb = u8_at(page, b).unwrap_or(0) as usize;
                    (
                        page.get(b + 1..b + 1 + cb)
                            .ok_or_else(|| ScanError::new("a run's properties run off the page"))?,
                        0,
                    )
                }
            }
            Kind::Papx => {
                let b = u8_at(page, after + i * 13).unwrap_or(0) as usize * 2;
                if b == 0 {
                    (&[], 0)
                } else {
                    let cb = u8_at(page, b).unwrap_or(0) as usize;
                    let (start, size) = if cb == 0 {
                        (b + 2, u8_at(page, b + 1).unwrap_or(0) as usize * 2)
                    } else {
                        (b + 1, cb * 2 - 1)
                    };
                    let body = page.get(start..start + size).ok_or_else(|| {
                        ScanError::new("a paragraph's properties run off the page")
                    })?;
                    (body.get(2..).unwrap_or(&[]), u16_at(body, 0).unwrap_or(0))
                }
            }
        };
        let props = match seen.get(grpprl) {
            Some(&i) => i,
            None => {
                let i = out.grpprls.len() as u32;
                seen.insert(grpprl.to_vec(), i);
                out.grpprls.push(grpprl.to_vec());
                i
            }
        };
        out.runs.push(Run {
            fc_start: start,
            fc_end: end,
            props,
            istd,
        });
    }
    Ok(())
}
