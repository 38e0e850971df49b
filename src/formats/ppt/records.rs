//! PowerPoint binary records ([MS-PPT] 2.3.1): an 8-byte header (version and instance,
//! type, length) and a body; containers (version 0xF) hold child records. Every header is
//! checked against the bytes around it, and walks are capped in depth and count.

pub use crate::util::le::{u16_at, u32_at};

/// Deepest nesting walked, and most records visited by one walk.
const MAX_DEPTH: u32 = 32;
pub const MAX_RECORDS: usize = 1 << 20;

pub mod kind {
    pub const DOCUMENT: u16 = 0x03E8;
    pub const SLIDE: u16 = 0x03EE;
    pub const DOCUMENT_ATOM: u16 = 0x03E9;
    pub const NOTES: u16 = 0x03F0;
    pub const NOTES_ATOM: u16 = 0x03F1;
    pub const SLIDE_PERSIST_ATOM: u16 = 0x03F3;
    pub const MAIN_MASTER: u16 = 0x03F8;
    pub const SS_SLIDE_INFO_ATOM: u16 = 0x03F9;
    pub const VBA_INFO: u16 = 0x03FF;
    pub const VBA_INFO_ATOM: u16 = 0x0400;
    pub const EX_OBJ_LIST: u16 = 0x0409;
    pub const DOC_INFO_LIST: u16 = 0x07D0;
    pub const TEXT_CHARS_ATOM: u16 = 0x0FA0;
    pub const TEXT_BYTES_ATOM: u16 = 0x0FA8;
    pub const CSTRING: u16 = 0x0FBA;
    pub const EX_OBJ_REF_ATOM: u16 = 0x0BC1;
    pub const OUTLINE_TEXT_REF_ATOM: u16 = 0x0F9E;
    pub const SPGR_CONTAINER: u16 = 0xF003;
    pub const SP_CONTAINER: u16 = 0xF004;
    pub const CHILD_ANCHOR: u16 = 0xF00F;
    pub const FOPT: u16 = 0xF00B;
    pub const TERTIARY_FOPT: u16 = 0xF122;
    pub const CLIENT_ANCHOR: u16 = 0xF010;
    pub const EX_OLE_OBJ_ATOM: u16 = 0x0FC3;
    pub const EX_EMBED: u16 = 0x0FCC;
    pub const HEADERS_FOOTERS: u16 = 0x0FD9;
    pub const SLIDE_LIST_WITH_TEXT: u16 = 0x0FF0;
    pub const USER_EDIT_ATOM: u16 = 0x0FF5;
    pub const CURRENT_USER_ATOM: u16 = 0x0FF6;
    pub const EX_OLE_OBJ_STG: u16 = 0x1011;
    pub const PERSIST_DIRECTORY_ATOM: u16 = 0x1772;
    pub const BINARY_TAG_DATA_BLOB: u16 = 0x138B;
    pub const SLIDE_NUMBER_MC: u16 = 0x0FD8;
    pub const DATE_TIME_MC: u16 = 0x0FF7;
    pub const GENERIC_DATE_MC: u16 = 0x0FF8;
    pub const HEADER_MC: u16 = 0x0FF9;
    pub const FOOTER_MC: u16 = 0x0FFA;
    pub const RTF_DATE_TIME_MC: u16 = 0x1015;
    pub const COMMENT10: u16 = 0x2EE0;
    pub const HANDOUT: u16 = 0x0FC9;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    pub ver: u8,
    pub inst: u16,
    pub kind: u16,
    /// Offset of the header.
    pub at: usize,
    /// Offset and length of the body.
    pub body: usize,
    pub len: usize,
}

impl Rec {
    pub fn end(&self) -> usize {
        self.body + self.len
    }

    /// True for a container, and for the binary tag blob that holds PowerPoint 2002's
    /// extensions (comments among them) as records although its header says atom.
    pub fn is_container(&self) -> bool {
        self.ver == 0x0F || self.kind == kind::BINARY_TAG_DATA_BLOB
    }

    pub fn data<'a>(&self, d: &'a [u8]) -> &'a [u8] {
        d.get(self.body..self.end()).unwrap_or(&[])
    }
}

/// The record whose header is at `at`, if its body fits in `d[..limit]`.
pub fn at(d: &[u8], at: usize, limit: usize) -> Option<Rec> {
    let h = d.get(at..at.checked_add(8)?)?;
    let vi = u16::from_le_bytes([h[0], h[1]]);
    let kind = u16::from_le_bytes([h[2], h[3]]);
    let len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
    let body = at + 8;
    if body.checked_add(len)? > limit.min(d.len()) {
        return None;
    }
    Some(Rec {
        ver: (vi & 0x000F) as u8,
        inst: vi >> 4,
        kind,
        at,
        body,
        len,
    })
}

/// The direct children of a container, in order; stops at the first that does not fit.
pub fn children(d: &[u8], parent: &Rec) -> Vec<Rec> {
    let mut out = Vec::new();
    if !parent.is_container() {
        return out;
    }
    let mut pos = parent.body;
    while pos + 8 <= parent.end() && out.len() < MAX_RECORDS {
        let Some(r) = at(d, pos, parent.end()) else {
            break;
        };
        pos = r.end();
        out.push(r);
    }
    out
}

/// Visits `root` and every record below it, depth first in order. `f` returns false to
/// skip a record's children.
pub fn walk(d: &[u8], root: &Rec, f: &mut dyn FnMut(&Rec, u32) -> bool) {
    let mut seen = 0usize;
    visit(d, root, 0, &mut seen, f);
}

fn visit(d: &[u8], r: &Rec, depth: u32, seen: &mut usize, f: &mut dyn FnMut(&Rec, u32) -> bool) {
    *seen += 1;
    if *seen > MAX_RECORDS || !f(r, depth) || depth >= MAX_DEPTH {
        return;
    }
    for c in children(d, r) {
        visit(d, &c, depth + 1, seen, f);
        if *seen > MAX_RECORDS {
            return;
        }
    }
}

/// The text of a text atom: UTF-16 (`TextCharsAtom`, `CString`) or one byte a character
/// (`TextBytesAtom`: the low bytes of UTF-16 characters).
pub fn text(d: &[u8], r: &Rec) -> Option<String> {
    let b = r.data(d);
    match r.kind {
        kind::TEXT_CHARS_ATOM | kind::CSTRING => {
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        kind::TEXT_BYTES_ATOM => Some(b.iter().map(|&c| c as char).collect()),
        _ => None,
    }
}
