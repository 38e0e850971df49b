//! A minimal BIFF12 writer for the xlsb features no xlsb writer that runs here can produce
//! (SheetJS, which made tests/data/xlsb, writes no defined names, pivot caches, external
//! links, fonts or fills, active filter columns, connections, OLE objects or VBA parts; no
//! other xlsb writer is available on this machine, and LibreOffice has no xlsb export).
//!
//! It writes the package Excel writes (content types, relationships, parts under `xl/`)
//! and, for each feature, the records Excel writes with their [MS-XLSB] layouts: record
//! types and field widths as the specification (and LibreOffice's and openxlsx2's BIFF12
//! readers) give them. Every file it makes is also read back by calamine in the tests, an
//! independent xlsb reader, so a layout mistake here shows up there.

#![allow(dead_code)]

use std::io::{Cursor, Write};

/// Record bytes: type and size as 7-bit groups, then the body.
#[derive(Default, Clone)]
pub struct Recs(pub Vec<u8>);

impl Recs {
    pub fn rec(&mut self, id: u16, body: &[u8]) -> &mut Self {
        if id < 0x80 {
            self.0.push(id as u8);
        } else {
            self.0.push((id & 0x7F) as u8 | 0x80);
            self.0.push((id >> 7) as u8);
        }
        let mut size = body.len() as u32;
        loop {
            let b = (size & 0x7F) as u8;
            size >>= 7;
            if size == 0 {
                self.0.push(b);
                break;
            }
            self.0.push(b | 0x80);
        }
        self.0.extend_from_slice(body);
        self
    }

    pub fn empty(&mut self, id: u16) -> &mut Self {
        self.rec(id, &[])
    }
}

/// Little-endian field builder.
#[derive(Default, Clone)]
pub struct B(pub Vec<u8>);

impl B {
    pub fn new() -> Self {
        B(Vec::new())
    }
    pub fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }
    pub fn u16(mut self, v: u16) -> Self {
        self.0.extend(v.to_le_bytes());
        self
    }
    pub fn u32(mut self, v: u32) -> Self {
        self.0.extend(v.to_le_bytes());
        self
    }
    pub fn f64(mut self, v: f64) -> Self {
        self.0.extend(v.to_le_bytes());
        self
    }
    /// `XLWideString`.
    pub fn wide(self, s: &str) -> Self {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut b = self.u32(units.len() as u32);
        for u in units {
            b.0.extend(u.to_le_bytes());
        }
        b
    }
    /// A null `XLNullableWideString`.
    pub fn null(self) -> Self {
        self.u32(u32::MAX)
    }
    pub fn bytes(mut self, b: &[u8]) -> Self {
        self.0.extend_from_slice(b);
        self
    }
    /// `UncheckedRfX`: first row, last row, first column, last column.
    pub fn rfx(self, r1: u32, r2: u32, c1: u32, c2: u32) -> Self {
        self.u32(r1).u32(r2).u32(c1).u32(c2)
    }
    /// `BrtColor`: an RGB colour.
    pub fn rgb(self, r: u8, g: u8, b: u8) -> Self {
        self.u8(0x05).u8(0).u16(0).u8(r).u8(g).u8(b).u8(0xFF)
    }
    /// `BrtColor`: automatic.
    pub fn auto(self) -> Self {
        self.u8(0x01).u8(0).u16(0).u32(0)
    }
    pub fn done(&self) -> &[u8] {
        &self.0
    }
}

/// A cell value for [`SheetBin`].
#[derive(Clone)]
pub enum V {
    /// `BrtCellIsst`: an index into the shared strings.
    Sst(u32),
    /// `BrtCellSt`: an inline string.
    Str(String),
    /// `BrtCellReal`.
    Num(f64),
}

/// A row: its index, whether it is hidden, and its cells (column, style, value).
pub type Row = (u32, bool, Vec<(u32, u32, V)>);
/// An AutoFilter range (rows, then columns) and, when set, a filter column's criterion.
pub type AutoFilter = ((u32, u32, u32, u32), Option<(u32, String)>);
/// A relationship: id, type, target, external.
pub type Rel = (String, String, String, bool);

/// A worksheet part, record by record in Excel's order.
pub struct SheetBin {
    pub rows: Vec<Row>,
    pub hidden_cols: Vec<(u32, u32)>,
    pub autofilter: Option<AutoFilter>,
    /// Relationship ids of a drawing and of OLE objects.
    pub drawing: Option<String>,
    pub ole_objects: Vec<(String, String)>,
}

impl SheetBin {
    pub fn new() -> Self {
        SheetBin {
            rows: Vec::new(),
            hidden_cols: Vec::new(),
            autofilter: None,
            drawing: None,
            ole_objects: Vec::new(),
        }
    }

    /// A table of strings (shared) and numbers from row 0, all with style 0.
    pub fn table(rows: &[&[V]]) -> Self {
        let mut s = SheetBin::new();
        for (r, cells) in rows.iter().enumerate() {
            s.rows.push((
                r as u32,
                false,
                cells
                    .iter()
                    .enumerate()
                    .map(|(c, v)| (c as u32, 0, v.clone()))
                    .collect(),
            ));
        }
        s
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut r = Recs::default();
        r.empty(0x0081); // BrtBeginSheet
        let last_row = self.rows.iter().map(|r| r.0).max().unwrap_or(0);
        let last_col = self
            .rows
            .iter()
            .flat_map(|r| r.2.iter().map(|c| c.0))
            .max()
            .unwrap_or(0);
        r.rec(0x0094, B::new().rfx(0, last_row, 0, last_col).done()); // BrtWsDim
        if !self.hidden_cols.is_empty() {
            r.empty(0x0186); // BrtBeginColInfos
            for &(a, b) in &self.hidden_cols {
                // BrtColInfo: first, last, width (1/256 char), style, flags (fHidden, fUserSet).
                r.rec(
                    0x003C,
                    B::new().u32(a).u32(b).u32(0).u32(0).u16(0x0003).done(),
                );
            }
            r.empty(0x0187);
        }
        r.empty(0x0091); // BrtBeginSheetData
        for (row, hidden, cells) in &self.rows {
            let first = cells.iter().map(|c| c.0).min().unwrap_or(0);
            let last = cells.iter().map(|c| c.0).max().unwrap_or(0);
            // BrtRowHdr: row, style, height (twips), flags (fDyZero), phonetic, one column span.
            r.rec(
                0x0000,
                B::new()
                    .u32(*row)
                    .u32(0)
                    .u16(300)
                    .u16(if *hidden { 0x1000 } else { 0 })
                    .u8(0)
                    .u32(1)
                    .u32(first)
                    .u32(last)
                    .done(),
            );
            for (col, style, v) in cells {
                let head = B::new().u32(*col).u32(*style);
                match v {
                    V::Sst(i) => r.rec(0x0007, head.u32(*i).done()),
                    V::Str(s) => r.rec(0x0006, head.wide(s).done()),
                    V::Num(n) => r.rec(0x0005, head.f64(*n).done()),
                };
            }
        }
        r.empty(0x0092); // BrtEndSheetData
        if let Some(((r1, r2, c1, c2), filter)) = &self.autofilter {
            r.rec(0x00A1, B::new().rfx(*r1, *r2, *c1, *c2).done()); // BrtBeginAFilter
            if let Some((col, value)) = filter {
                r.rec(0x00A3, B::new().u32(*col).u16(0).done()); // BrtBeginFilterColumn
                r.rec(0x00A5, B::new().u32(0).u32(0).done()); // BrtBeginFilters
                r.rec(0x00A7, B::new().wide(value).done()); // BrtFilter
                r.empty(0x00A6);
                r.empty(0x00A4);
            }
            r.empty(0x00A2);
        }
        if let Some(id) = &self.drawing {
            r.rec(0x0226, B::new().wide(id).done()); // BrtDrawing
        }
        if !self.ole_objects.is_empty() {
            r.empty(0x027E); // BrtBeginOleObjects
            for (i, (prog, id)) in self.ole_objects.iter().enumerate() {
                // BrtOleObject: aspect, update, shape id, flags, prog id, relationship id.
                r.rec(
                    0x027F,
                    B::new()
                        .u32(1)
                        .u32(0)
                        .u32(1025 + i as u32)
                        .u16(0)
                        .wide(prog)
                        .wide(id)
                        .done(),
                );
            }
            r.empty(0x0280);
        }
        r.empty(0x0082); // BrtEndSheet
        r.0
    }
}

/// A `BrtName` body.
pub fn name(name: &str, hidden: bool, itab: Option<u32>, rgce: &[u8], rgcb: &[u8]) -> Vec<u8> {
    B::new()
        .u32(if hidden { 1 } else { 0 })
        .u8(0)
        .u32(itab.unwrap_or(u32::MAX))
        .wide(name)
        .u32(rgce.len() as u32)
        .bytes(rgce)
        .u32(rgcb.len() as u32)
        .bytes(rgcb)
        .null()
        .0
}

/// `PtgStr`.
pub fn ptg_str(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut b = B::new().u8(0x17).u16(units.len() as u16);
    for u in units {
        b = b.u16(u);
    }
    b.0
}

/// `PtgArea3d` (absolute) to `ixti`.
pub fn ptg_area3d(ixti: u16, r1: u32, r2: u32, c1: u16, c2: u16) -> Vec<u8> {
    B::new()
        .u8(0x3B)
        .u16(ixti)
        .u32(r1)
        .u32(r2)
        .u16(c1)
        .u16(c2)
        .0
}

/// `PtgArray` with its `PtgExtraArray` of strings (one row).
pub fn ptg_array(items: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let rgce = B::new().u8(0x60).bytes(&[0; 14]).0;
    let mut extra = B::new().u32(1).u32(items.len() as u32);
    for s in items {
        let units: Vec<u16> = s.encode_utf16().collect();
        extra = extra.u8(0x01).u16(units.len() as u16);
        for u in units {
            extra = extra.u16(u);
        }
    }
    (rgce, extra.0)
}

/// A package part: name, content type, bytes, and relationships (id, type, target,
/// external).
pub struct Part {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub rels: Vec<(String, String, String, bool)>,
}

pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

impl Part {
    pub fn new(name: &str, content_type: &str, bytes: Vec<u8>) -> Self {
        Part {
            name: name.into(),
            content_type: content_type.into(),
            bytes,
            rels: Vec::new(),
        }
    }
    pub fn rel(mut self, id: &str, kind: &str, target: &str) -> Self {
        self.rels
            .push((id.into(), kind.into(), target.into(), false));
        self
    }
    pub fn external(mut self, id: &str, kind: &str, target: &str) -> Self {
        self.rels
            .push((id.into(), kind.into(), target.into(), true));
        self
    }
}

/// A workbook: sheets (name, state 0/1/2, part), records of the workbook part after the
/// sheet list (externals, names, pivot cache ids), shared strings, a style sheet, and any
/// other parts with the workbook relationships that reach them.
pub struct Book {
    pub sheets: Vec<(String, u32, SheetBin, Vec<Rel>)>,
    pub after_sheets: Recs,
    pub strings: Vec<String>,
    pub styles: Option<Vec<u8>>,
    pub parts: Vec<Part>,
    pub wb_rels: Vec<(String, String, String)>,
}

impl Book {
    pub fn new() -> Self {
        Book {
            sheets: Vec::new(),
            after_sheets: Recs::default(),
            strings: Vec::new(),
            styles: None,
            parts: Vec::new(),
            wb_rels: Vec::new(),
        }
    }

    pub fn sheet(mut self, name: &str, state: u32, bin: SheetBin) -> Self {
        self.sheets.push((name.into(), state, bin, Vec::new()));
        self
    }

    /// A shared string's index, adding it.
    pub fn sst(&mut self, s: &str) -> V {
        if let Some(i) = self.strings.iter().position(|x| x == s) {
            return V::Sst(i as u32);
        }
        self.strings.push(s.into());
        V::Sst(self.strings.len() as u32 - 1)
    }

    pub fn build(self) -> Vec<u8> {
        let mut wb = Recs::default();
        wb.empty(0x0083); // BrtBeginBook
        // BrtFileVersion: the application that wrote the file.
        wb.rec(
            0x0080,
            B::new()
                .bytes(&[0; 16])
                .wide("xl")
                .wide("7")
                .wide("7")
                .wide("27328")
                .done(),
        );
        wb.rec(0x0099, B::new().u32(0).u32(166925).wide("").done()); // BrtWbProp
        wb.empty(0x008F); // BrtBeginBundleShs
        for (i, (name, state, _, _)) in self.sheets.iter().enumerate() {
            wb.rec(
                0x009C,
                B::new()
                    .u32(*state)
                    .u32(i as u32 + 1)
                    .wide(&format!("rId{}", i + 1))
                    .wide(name)
                    .done(),
            );
        }
        wb.empty(0x0090);
        wb.0.extend_from_slice(&self.after_sheets.0);
        wb.empty(0x0084); // BrtEndBook

        let mut parts: Vec<Part> = Vec::new();
        let mut wb_part = Part::new(
            "xl/workbook.bin",
            "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
            wb.0,
        );
        for (i, (_, _, bin, rels)) in self.sheets.iter().enumerate() {
            let name = format!("xl/worksheets/sheet{}.bin", i + 1);
            wb_part = wb_part.rel(
                &format!("rId{}", i + 1),
                &format!("{R}/worksheet"),
                &format!("worksheets/sheet{}.bin", i + 1),
            );
            let mut p = Part::new(&name, "application/vnd.ms-excel.worksheet", bin.bytes());
            p.rels = rels.clone();
            parts.push(p);
        }
        let n = self.sheets.len();
        if !self.strings.is_empty() {
            let mut sst = Recs::default();
            sst.rec(
                0x009F,
                B::new()
                    .u32(self.strings.len() as u32)
                    .u32(self.strings.len() as u32)
                    .done(),
            );
            for s in &self.strings {
                sst.rec(0x0013, B::new().u8(0).wide(s).done()); // BrtSSTItem
            }
            sst.empty(0x00A0);
            wb_part = wb_part.rel(
                &format!("rId{}", n + 1),
                &format!("{R}/sharedStrings"),
                "sharedStrings.bin",
            );
            parts.push(Part::new(
                "xl/sharedStrings.bin",
                "application/vnd.ms-excel.sharedStrings",
                sst.0,
            ));
        }
        if let Some(styles) = &self.styles {
            wb_part = wb_part.rel(
                &format!("rId{}", n + 2),
                &format!("{R}/styles"),
                "styles.bin",
            );
            parts.push(Part::new(
                "xl/styles.bin",
                "application/vnd.ms-excel.styles",
                styles.clone(),
            ));
        }
        for (id, kind, target) in &self.wb_rels {
            wb_part = wb_part.rel(id, kind, target);
        }
        parts.insert(0, wb_part);
        parts.extend(self.parts);
        package(&parts)
    }
}

/// A style sheet: number formats, fonts (size in points, RGB or automatic colour), fills
/// (solid RGB or none), and cell formats (format, font, fill).
pub fn styles(
    formats: &[(u16, &str)],
    fonts: &[(f64, Option<[u8; 3]>)],
    fills: &[Option<[u8; 3]>],
    xfs: &[(u16, u16, u16)],
) -> Vec<u8> {
    let mut r = Recs::default();
    r.empty(0x0116); // BrtBeginStyleSheet
    r.rec(0x0267, B::new().u32(formats.len() as u32).done());
    for (id, code) in formats {
        r.rec(0x002C, B::new().u16(*id).wide(code).done()); // BrtFmt
    }
    r.empty(0x0268);
    r.rec(0x0263, B::new().u32(fonts.len() as u32).done());
    for (size, colour) in fonts {
        // BrtFont: height (twips), flags, weight, escapement, underline, family, charset,
        // unused, colour, scheme, name.
        let b = B::new()
            .u16((size * 20.0) as u16)
            .u16(0)
            .u16(400)
            .u16(0)
            .u8(0)
            .u8(2)
            .u8(0)
            .u8(0);
        let b = match colour {
            Some([r, g, bl]) => b.rgb(*r, *g, *bl),
            None => b.auto(),
        };
        r.rec(0x002B, b.u8(2).wide("Calibri").done());
    }
    r.empty(0x0264);
    r.rec(0x025B, B::new().u32(fills.len() as u32).done());
    for fill in fills {
        // BrtFill: pattern, foreground, background, gradient type, five gradient numbers,
        // stop count.
        let b = match fill {
            Some([r, g, bl]) => B::new().u32(1).rgb(*r, *g, *bl),
            None => B::new().u32(0).auto(),
        };
        let b = b.auto().u32(0).bytes(&[0; 40]).u32(0);
        r.rec(0x002D, b.done());
    }
    r.empty(0x025C);
    r.rec(0x0272, B::new().u32(1).done()); // BrtBeginCellStyleXFs
    r.rec(0x002F, xf(0xFFFF, 0, 0, 0).done());
    r.empty(0x0273);
    r.rec(0x0269, B::new().u32(xfs.len() as u32).done()); // BrtBeginCellXFs
    for (fmt, font, fill) in xfs {
        r.rec(0x002F, xf(0, *fmt, *font, *fill).done());
    }
    r.empty(0x026A);
    r.empty(0x0117);
    r.0
}

/// `BrtXF`: parent, number format, font, fill, border, rotation, indent, flags.
fn xf(parent: u16, fmt: u16, font: u16, fill: u16) -> B {
    B::new()
        .u16(parent)
        .u16(fmt)
        .u16(font)
        .u16(fill)
        .u16(0)
        .u8(0)
        .u8(0)
        .u32(0x0010_0000)
}

/// Zips the parts with `[Content_Types].xml` and every relationship part.
pub fn package(parts: &[Part]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut ct = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    );
    for p in parts {
        ct.push_str(&format!(
            "<Override PartName=\"/{}\" ContentType=\"{}\"/>",
            p.name, p.content_type
        ));
    }
    ct.push_str("</Types>");
    let mut file = |name: &str, data: &[u8]| {
        w.start_file(name, options).expect("zip");
        w.write_all(data).expect("zip");
    };
    file("[Content_Types].xml", ct.as_bytes());
    file(
        "_rels/.rels",
        rels(&[(
            "rId1".into(),
            format!("{R}/officeDocument"),
            "xl/workbook.bin".into(),
            false,
        )])
        .as_bytes(),
    );
    for p in parts {
        file(&p.name, &p.bytes);
        if !p.rels.is_empty() {
            let (dir, leaf) = p.name.rsplit_once('/').unwrap_or(("", &p.name));
            file(
                &format!("{dir}/_rels/{leaf}.rels"),
                rels(&p.rels).as_bytes(),
            );
        }
    }
    w.finish().expect("zip").into_inner()
}

fn rels(rels: &[(String, String, String, bool)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (id, kind, target, external) in rels {
        out.push_str(&format!(
            "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{}\"{}/>",
            target.replace('&', "&amp;"),
            if *external {
                " TargetMode=\"External\""
            } else {
                ""
            }
        ));
    }
    out.push_str("</Relationships>");
    out
}
