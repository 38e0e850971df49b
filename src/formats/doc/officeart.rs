//! The drawing data of a document (`OfficeArtContent` at `fcDggInfo` in the table stream,
//! [MS-DOC] 2.9.172 and [MS-ODRAW]): its picture store lists each picture (BLIP) that is
//! kept in the `WordDocument` stream itself, at `foDelay`. Those byte ranges are pictures,
//! not text left behind.

use super::le::{u16_at, u32_at};

/// Most records walked.
const MAX_RECORDS: usize = 1 << 16;

/// Byte ranges of the WordDocument stream that hold pictures of the picture store.
pub fn delayed_blips(dgg: &[u8]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut seen = 0usize;
    walk(dgg, 0, dgg.len(), 0, &mut seen, &mut out);
    out
}

fn walk(
    d: &[u8],
    start: usize,
    end: usize,
    depth: u32,
    seen: &mut usize,
    out: &mut Vec<(u64, u64)>,
) {
    let mut pos = start;
    while pos + 8 <= end && *seen < MAX_RECORDS && depth < 8 {
        *seen += 1;
        let (Some(ver_inst), Some(kind), Some(len)) =
            (u16_at(d, pos), u16_at(d, pos + 2), u32_at(d, pos + 4))
        else {
            return;
        };
        let body = pos + 8;
        let next = body.saturating_add(len as usize).min(end);
        match kind {
            // OfficeArtFBSE: a picture; its data lies at foDelay when not embedded here.
            0xF007 => {
                if let (Some(size), Some(delay)) = (u32_at(d, body + 20), u32_at(d, body + 28))
                    && delay != u32::MAX
                    && size > 0
                {
                    out.push((delay as u64, delay as u64 + size as u64));
                }
            }
            _ if ver_inst & 0x000F == 0x000F => walk(d, body, next, depth + 1, seen, out),
            _ => {}
        }
        // The content holds one drawing group container first; what follows (the
        // drawings of the main text and headers) keeps no pictures.
        if next <= pos || depth == 0 {
            return;
        }
        pos = next;
    }
}
