#![allow(dead_code)]
//! In-memory spreadsheet fixtures for foiguard.
//!
//! Every `pub fn` below returns the bytes of one file, built in memory and
//! deterministically (fixed document dates, fixed zip timestamps, no random
//! numbers), so regenerating gives byte-identical output. All people, places,
//! phone numbers (07700 900xxx), e-mail addresses and servers are made up.
//!
//! Workbooks are written with `rust_xlsxwriter`; parts it cannot write (pivot
//! caches, external links, threaded comments, embeddings, revisions, ...) are
//! added afterwards by rewriting the zip with [`Pkg`].
//!
//! Only std, `rust_xlsxwriter`, `zip` and `cfb` are used, so this file can be
//! included with `#[path = ...] mod fixtures;` from tests, benches and the
//! `gen-corpus` example.

use std::io::{Cursor, Read, Write};

use rust_xlsxwriter::{
    Chart, ChartType, Color, DocProperties, ExcelDateTime, FilterCondition, Format, FormatPattern,
    Formula, Note, Workbook, Worksheet,
};

// ---------------------------------------------------------------------------
// Constants shared by the fixtures.
// ---------------------------------------------------------------------------

const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const REL_PIVOT_TABLE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotTable";
const REL_PIVOT_CACHE_DEF: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotCacheDefinition";
const REL_PIVOT_CACHE_REC: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotCacheRecords";
const REL_POWER_PIVOT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/powerPivotData";
const REL_EXTERNAL_LINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink";
const REL_EXTERNAL_LINK_PATH: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath";
const REL_CONNECTIONS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/connections";
const REL_THREADED_COMMENT: &str =
    "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment";
const REL_PERSON: &str = "http://schemas.microsoft.com/office/2017/10/relationships/person";
const REL_PACKAGE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package";
const REL_OLE_OBJECT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject";
const REL_VBA_PROJECT: &str = "http://schemas.microsoft.com/office/2006/relationships/vbaProject";
const REL_CUSTOM_XML: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml";
const REL_CUSTOM_XML_PROPS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps";
const REL_REVISION_HEADERS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/revisionHeaders";
const REL_REVISION_LOG: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/revisionLog";
const REL_USERNAMES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/usernames";

const CT_PIVOT_TABLE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml";
const CT_PIVOT_CACHE_DEF: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml";
const CT_PIVOT_CACHE_REC: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheRecords+xml";
const CT_MODEL_DATA: &str = "application/vnd.openxmlformats-officedocument.model+data";
const CT_EXTERNAL_LINK: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml";
const CT_CONNECTIONS: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml";
const CT_THREADED_COMMENTS: &str = "application/vnd.ms-excel.threadedcomments+xml";
const CT_PERSON: &str = "application/vnd.ms-excel.person+xml";
const CT_XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CT_OLE_OBJECT: &str = "application/vnd.openxmlformats-officedocument.oleObject";
const CT_VBA_PROJECT: &str = "application/vnd.ms-office.vbaProject";
const CT_WORKBOOK: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
const CT_WORKBOOK_XLSM: &str = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
const CT_CUSTOM_XML_PROPS: &str =
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml";
const CT_REVISION_HEADERS: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.revisionHeaders+xml";
const CT_REVISION_LOG: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.revisionLog+xml";
const CT_USERNAMES: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.userNames+xml";

const SURNAMES: [&str; 40] = [
    "SMITH", "JONES", "TAYLOR", "BROWN", "WILLIAMS", "WILSON", "JOHNSON", "DAVIES", "ROBINSON",
    "WRIGHT", "THOMPSON", "EVANS", "WALKER", "WHITE", "ROBERTS", "GREEN", "HALL", "WOOD",
    "JACKSON", "CLARKE", "PATEL", "KHAN", "MURPHY", "KELLY", "CAMPBELL", "STEWART", "MORRIS",
    "HUGHES", "EDWARDS", "TURNER", "COLLINS", "BELL", "COOPER", "WARD", "KING", "BAKER", "HARRIS",
    "MARTIN", "PARKER", "ALLEN",
];

const FORENAMES: [&str; 32] = [
    "John", "Mary", "Aisha", "Peter", "Grace", "David", "Sarah", "Michael", "Emma", "James",
    "Claire", "Robert", "Fiona", "Thomas", "Helen", "Daniel", "Laura", "Mark", "Nicola", "Paul",
    "Rachel", "Stephen", "Joanne", "Andrew", "Karen", "Imran", "Siobhan", "Ciaran", "Niamh",
    "Gareth", "Priya", "Liam",
];

const WARDS: [&str; 8] = [
    "Mile Cross",
    "Mancroft",
    "Thorpe Hamlet",
    "Catton Grove",
    "Lakenham",
    "Bowthorpe",
    "Eaton",
    "Wensum",
];

const STREETS: [&str; 8] = [
    "Acacia Avenue",
    "Fakenham Road",
    "Station Road",
    "Church Lane",
    "Mill Close",
    "Orchard Way",
    "Victoria Street",
    "Park Drive",
];

const DEPARTMENTS: [&str; 8] = [
    "Response",
    "Neighbourhood",
    "CID",
    "Custody",
    "Roads Policing",
    "Public Protection",
    "Contact Management",
    "Crime Operations",
];

const MONTHS: [&str; 12] = [
    "Apr-22", "May-22", "Jun-22", "Jul-22", "Aug-22", "Sep-22", "Oct-22", "Nov-22", "Dec-22",
    "Jan-23", "Feb-23", "Mar-23",
];

const OFFENCES: [&str; 5] = [
    "Burglary",
    "Robbery",
    "Violence against the person",
    "Vehicle crime",
    "Criminal damage",
];

/// A made-up person ("SMITH, John") picked deterministically from `i`.
fn person(i: usize) -> String {
    format!(
        "{}, {}",
        SURNAMES[(i * 7 + 3) % SURNAMES.len()],
        FORENAMES[(i * 5 + 1) % FORENAMES.len()]
    )
}

/// A made-up address in a fake postcode area (NR99).
fn address(i: usize) -> String {
    format!(
        "{} {}, Norwich NR99 {}{}",
        (i * 13) % 97 + 1,
        STREETS[(i * 3) % STREETS.len()],
        i % 9 + 1,
        ["AA", "BX", "DQ", "ZZ", "HT", "JW"][i % 6]
    )
}

/// Date of birth (year, month, day) picked deterministically from `i`.
fn dob(i: usize) -> (u16, u8, u8) {
    (
        1940 + ((i * 17) % 65) as u16,
        ((i * 5) % 12 + 1) as u8,
        ((i * 11) % 28 + 1) as u8,
    )
}

fn dob_text(i: usize) -> String {
    let (y, m, d) = dob(i);
    format!("{d:02}/{m:02}/{y}")
}

/// Phone numbers in the Ofcom drama range 07700 900000-900999.
fn phone(i: usize) -> String {
    format!("07700 900{:03}", (i * 37 + 101) % 1000)
}

/// Small deterministic pseudo-random byte source (64-bit LCG).
pub fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

// ---------------------------------------------------------------------------
// Workbook helpers.
// ---------------------------------------------------------------------------

/// Fixed creation date: regenerating gives byte-identical files.
fn fixed_date() -> ExcelDateTime {
    ExcelDateTime::from_ymd(2023, 4, 12).expect("valid date")
}

/// Properties with a fixed date and no author (rust_xlsxwriter then writes
/// empty `<dc:creator></dc:creator>` and `<cp:lastModifiedBy></cp:lastModifiedBy>`).
fn base_props() -> DocProperties {
    DocProperties::new().set_creation_datetime(&fixed_date())
}

fn new_workbook() -> Workbook {
    let mut wb = Workbook::new();
    wb.set_properties(&base_props());
    wb
}

fn save(wb: &mut Workbook) -> Vec<u8> {
    wb.save_to_buffer().expect("rust_xlsxwriter save_to_buffer")
}

fn bold() -> Format {
    Format::new().set_bold()
}

/// Writes a header row (bold) at `row`.
fn header(ws: &mut Worksheet, row: u32, cols: &[&str]) {
    let f = bold();
    for (c, h) in cols.iter().enumerate() {
        ws.write_with_format(row, c as u16, *h, &f).expect("write");
    }
}

/// "Offences by month" table (A1:G13) used by several fixtures.
fn crime_by_month_table(ws: &mut Worksheet) {
    let mut cols = vec!["Month"];
    cols.extend_from_slice(&OFFENCES);
    cols.push("Total");
    header(ws, 0, &cols);
    for (r, month) in MONTHS.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write(row, 0, *month).expect("write");
        let mut total = 0u32;
        for c in 0..OFFENCES.len() {
            let v = ((r * 31 + c * 17) % 90 + 10) as u32;
            total += v;
            ws.write(row, c as u16 + 1, v).expect("write");
        }
        ws.write(row, OFFENCES.len() as u16 + 1, total)
            .expect("write");
    }
    ws.set_column_width(0, 10).expect("width");
    ws.set_column_width(3, 26).expect("width");
}

/// "Crime by ward" table (A1:C9): Ward | Recorded crimes | Solved.
fn crime_by_ward_table(ws: &mut Worksheet) {
    header(ws, 0, &["Ward", "Recorded crimes", "Solved"]);
    for (r, ward) in WARDS.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write(row, 0, *ward).expect("write");
        ws.write(row, 1, ((r * 47) % 300 + 120) as u32)
            .expect("write");
        ws.write(row, 2, ((r * 13) % 60 + 15) as u32)
            .expect("write");
    }
    ws.set_column_width(0, 16).expect("width");
    ws.set_column_width(1, 16).expect("width");
}

// ---------------------------------------------------------------------------
// Zip package rewriting.
// ---------------------------------------------------------------------------

/// An OOXML package held in memory as an ordered list of parts, for adding
/// and patching parts that rust_xlsxwriter cannot write. Every part is
/// rewritten deflated with the zip crate's default (1980-01-01) timestamp.
pub struct Pkg {
    parts: Vec<(String, Vec<u8>)>,
}

impl Pkg {
    pub fn open(bytes: &[u8]) -> Pkg {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip archive");
        let mut parts = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).expect("zip entry");
            let name = file.name().expect("entry name").to_string();
            let mut data = Vec::new();
            file.read_to_end(&mut data).expect("read entry");
            parts.push((name, data));
        }
        Pkg { parts }
    }

    pub fn has(&self, name: &str) -> bool {
        self.parts.iter().any(|(n, _)| n == name)
    }

    pub fn text(&self, name: &str) -> String {
        let (_, data) = self
            .parts
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("part {name} not in package"));
        String::from_utf8(data.clone()).expect("utf-8 part")
    }

    /// Adds a part, or replaces it if it exists.
    pub fn set(&mut self, name: &str, data: impl Into<Vec<u8>>) {
        let data = data.into();
        match self.parts.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = data,
            None => self.parts.push((name.to_string(), data)),
        }
    }

    /// Rewrites an existing text part.
    pub fn edit(&mut self, name: &str, f: impl FnOnce(String) -> String) {
        let new = f(self.text(name));
        self.set(name, new);
    }

    /// Replaces `from` by `to` in a text part, panicking if `from` is absent
    /// (so a rust_xlsxwriter output change cannot silently drop a feature).
    pub fn replace(&mut self, name: &str, from: &str, to: &str) {
        self.edit(name, |s| {
            assert!(s.contains(from), "{name}: {from:?} not found");
            s.replacen(from, to, 1)
        });
    }

    pub fn add_override(&mut self, part: &str, content_type: &str) {
        let entry = format!("<Override PartName=\"/{part}\" ContentType=\"{content_type}\"/>");
        self.replace(
            "[Content_Types].xml",
            "</Types>",
            &format!("{entry}</Types>"),
        );
    }

    pub fn add_default(&mut self, extension: &str, content_type: &str) {
        let ct = self.text("[Content_Types].xml");
        if ct.contains(&format!("<Default Extension=\"{extension}\"")) {
            return;
        }
        let entry = format!("<Default Extension=\"{extension}\" ContentType=\"{content_type}\"/>");
        // Defaults conventionally come before the overrides.
        let at = ct
            .find("<Override")
            .unwrap_or_else(|| ct.find("</Types>").expect("Types"));
        let mut new = ct;
        new.insert_str(at, &entry);
        self.set("[Content_Types].xml", new);
    }

    /// Adds a relationship to `rels_part` (creating the part if needed) and
    /// returns its id (`rIdN`, one past the highest existing `rIdN`).
    pub fn add_rel(
        &mut self,
        rels_part: &str,
        rel_type: &str,
        target: &str,
        external: bool,
    ) -> String {
        if !self.has(rels_part) {
            self.set(
                rels_part,
                format!("{XML_DECL}<Relationships xmlns=\"{NS_PKG_RELS}\"></Relationships>"),
            );
        }
        let rels = self.text(rels_part);
        let next = rels
            .split("Id=\"rId")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        let id = format!("rId{next}");
        let mode = if external {
            " TargetMode=\"External\""
        } else {
            ""
        };
        let entry = format!(
            "<Relationship Id=\"{id}\" Type=\"{rel_type}\" Target=\"{}\"{mode}/>",
            esc(target)
        );
        self.replace(
            rels_part,
            "</Relationships>",
            &format!("{entry}</Relationships>"),
        );
        id
    }

    pub fn finish(self) -> Vec<u8> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in &self.parts {
            writer
                .start_file(name.as_str(), options)
                .expect("zip start_file");
            writer.write_all(data).expect("zip write");
        }
        writer.finish().expect("zip finish").into_inner()
    }
}

/// Convenience wrapper in the shape of the brief: add parts and patch text
/// parts of an existing package.
pub fn patch_zip(
    bytes: &[u8],
    add: &[(&str, Vec<u8>)],
    replace: &[(&str, &dyn Fn(String) -> String)],
) -> Vec<u8> {
    let mut pkg = Pkg::open(bytes);
    for (name, f) in replace {
        pkg.edit(name, f);
    }
    for (name, data) in add {
        pkg.set(name, data.clone());
    }
    pkg.finish()
}

/// Inserts `xml` into a worksheet just before `</worksheet>`.
fn append_to_sheet(pkg: &mut Pkg, sheet_part: &str, xml: &str) {
    pkg.replace(sheet_part, "</worksheet>", &format!("{xml}</worksheet>"));
}

// ---------------------------------------------------------------------------
// 1-2. Clean controls.
// ---------------------------------------------------------------------------

/// One visible sheet of offences by month; no author, nothing hidden.
pub fn clean_crime_stats() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by month").expect("name");
    crime_by_month_table(ws);
    save(&mut wb)
}

/// Officer numbers by rank (Rank | Headcount | FTE), visible only.
pub fn clean_rank_table() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Officers by rank").expect("name");
    header(ws, 0, &["Rank", "Headcount", "FTE"]);
    let rows: [(&str, u32, f64); 9] = [
        ("Chief Constable", 1, 1.0),
        ("Deputy Chief Constable", 1, 1.0),
        ("Assistant Chief Constable", 2, 2.0),
        ("Chief Superintendent", 5, 5.0),
        ("Superintendent", 11, 10.8),
        ("Chief Inspector", 24, 23.6),
        ("Inspector", 88, 86.2),
        ("Sergeant", 262, 255.4),
        ("Constable", 1204, 1163.4),
    ];
    let fte = Format::new().set_num_format("0.0");
    for (r, (rank, head, f)) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write(row, 0, *rank).expect("write");
        ws.write(row, 1, *head).expect("write");
        ws.write_with_format(row, 2, *f, &fte).expect("write");
    }
    ws.set_column_width(0, 26).expect("width");
    save(&mut wb)
}

// ---------------------------------------------------------------------------
// 3-5. Hidden and very hidden sheets.
// ---------------------------------------------------------------------------

const ROSTER_ROWS: usize = 200;

fn roster_rank(i: usize) -> &'static str {
    match i % 20 {
        0 => "Insp",
        1..=4 => "DS",
        5 => "Sgt",
        6 | 7 => "DC",
        8 | 9 => "Staff",
        _ => "PC",
    }
}

fn service_number(i: usize) -> u32 {
    380_000 + ((i * 7919) % 99_991) as u32
}

/// Visible summary + sheet "Sheet2" (state hidden) with 200 roster rows:
/// Surname | Forename | Rank | Service No | Department.
pub fn hidden_sheet_roster() -> Vec<u8> {
    let mut wb = new_workbook();
    {
        let ws = wb.add_worksheet();
        ws.set_name("Summary").expect("name");
        header(ws, 0, &["Department", "Officers and staff"]);
        for (r, dept) in DEPARTMENTS.iter().enumerate() {
            let count = (0..ROSTER_ROWS)
                .filter(|i| (i * 3) % DEPARTMENTS.len() == r)
                .count();
            ws.write(r as u32 + 1, 0, *dept).expect("write");
            ws.write(r as u32 + 1, 1, count as u32).expect("write");
        }
        ws.write_with_format(DEPARTMENTS.len() as u32 + 1, 0, "Total", &bold())
            .expect("write");
        ws.write(DEPARTMENTS.len() as u32 + 1, 1, ROSTER_ROWS as u32)
            .expect("write");
        ws.set_column_width(0, 22).expect("width");
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Sheet2").expect("name");
        header(
            ws,
            0,
            &["Surname", "Forename", "Rank", "Service No", "Department"],
        );
        for i in 0..ROSTER_ROWS {
            let row = i as u32 + 1;
            ws.write(row, 0, SURNAMES[(i * 7 + 3) % SURNAMES.len()])
                .expect("write");
            ws.write(row, 1, FORENAMES[(i * 5 + 1) % FORENAMES.len()])
                .expect("write");
            ws.write(row, 2, roster_rank(i)).expect("write");
            ws.write(row, 3, service_number(i)).expect("write");
            ws.write(row, 4, DEPARTMENTS[(i * 3) % DEPARTMENTS.len()])
                .expect("write");
        }
        ws.set_hidden(true);
    }
    save(&mut wb)
}

/// A visible crime table plus a hidden sheet "Sheet2" with no cells.
pub fn hidden_sheet_empty() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    let ws = wb.add_worksheet();
    ws.set_name("Sheet2").expect("name");
    ws.set_hidden(true);
    save(&mut wb)
}

fn victim_rows(ws: &mut Worksheet, first_row: u32, count: usize, seed: usize) {
    for k in 0..count {
        let i = seed + k;
        let row = first_row + k as u32;
        ws.write(row, 0, person(i)).expect("write");
        ws.write(row, 1, address(i)).expect("write");
        ws.write(row, 2, dob_text(i)).expect("write");
        ws.write(row, 3, OFFENCES[i % OFFENCES.len()])
            .expect("write");
        ws.write(row, 4, phone(i)).expect("write");
    }
}

/// Visible summary + sheet "Victims" with state veryHidden holding victim
/// rows: Name | Address | DOB | Offence | Phone.
pub fn very_hidden_sheet() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    let ws = wb.add_worksheet();
    ws.set_name("Victims").expect("name");
    header(
        ws,
        0,
        &["Name", "Address", "Date of birth", "Offence", "Phone"],
    );
    victim_rows(ws, 1, 12, 40);
    ws.set_very_hidden(true);
    save(&mut wb)
}

// ---------------------------------------------------------------------------
// 6-8. Hidden rows, hidden columns, filtered rows.
// ---------------------------------------------------------------------------

/// Burglary by ward; rows 5-9 (1-based) are hidden and hold victim details
/// (`<row r="5" hidden="1">` ... `<row r="9" hidden="1">`).
pub fn hidden_rows_with_data() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Burglary by ward").expect("name");
    ws.write_with_format(0, 0, "Burglary by ward, 2022/23", &bold())
        .expect("write");
    header(ws, 1, &["Ward", "Offences", "Solved"]);
    ws.write(2, 0, "Mile Cross").expect("write");
    ws.write(2, 1, 41).expect("write");
    ws.write(2, 2, 6).expect("write");
    ws.write(3, 0, "Mancroft").expect("write");
    ws.write(3, 1, 57).expect("write");
    ws.write(3, 2, 9).expect("write");
    // Rows 5-9 (0-based 4..=8): working rows the author "removed" by hiding.
    victim_rows(ws, 4, 5, 60);
    for row in 4..=8 {
        ws.set_row_hidden(row).expect("hide row");
    }
    ws.write(9, 0, "Thorpe Hamlet").expect("write");
    ws.write(9, 1, 38).expect("write");
    ws.write(9, 2, 4).expect("write");
    ws.write_with_format(10, 0, "Total", &bold())
        .expect("write");
    ws.write(10, 1, 136).expect("write");
    ws.write(10, 2, 19).expect("write");
    ws.set_column_width(0, 18).expect("width");
    save(&mut wb)
}

/// Same layout, but hidden rows 5-9 have no cells (`<row r="5" hidden="1"/>`).
pub fn hidden_rows_empty() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Burglary by ward").expect("name");
    ws.write_with_format(0, 0, "Burglary by ward, 2022/23", &bold())
        .expect("write");
    header(ws, 1, &["Ward", "Offences", "Solved"]);
    ws.write(2, 0, "Mile Cross").expect("write");
    ws.write(2, 1, 41).expect("write");
    ws.write(3, 0, "Mancroft").expect("write");
    ws.write(3, 1, 57).expect("write");
    for row in 4..=8 {
        ws.set_row_hidden(row).expect("hide row");
    }
    ws.write(9, 0, "Thorpe Hamlet").expect("write");
    ws.write(9, 1, 38).expect("write");
    save(&mut wb)
}

/// Case ref | Offence | Date of birth (column C hidden) | Ward.
/// Encoded as `<col min="3" max="3" width="0" hidden="1" customWidth="1"/>`;
/// the DOBs are real date serials with format dd/mm/yyyy.
pub fn hidden_columns_with_data() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Offences").expect("name");
    header(ws, 0, &["Case ref", "Offence", "Date of birth", "Ward"]);
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    for k in 0..10usize {
        let row = k as u32 + 1;
        let (y, m, d) = dob(k + 80);
        ws.write(row, 0, format!("36/{:05}/22", 10_417 + k * 389))
            .expect("write");
        ws.write(row, 1, OFFENCES[k % OFFENCES.len()])
            .expect("write");
        let date = ExcelDateTime::from_ymd(y, m, d).expect("date");
        ws.write_datetime_with_format(row, 2, &date, &date_fmt)
            .expect("write");
        ws.write(row, 3, WARDS[k % WARDS.len()]).expect("write");
    }
    ws.set_column_width(0, 14).expect("width");
    ws.set_column_width(1, 26).expect("width");
    ws.set_column_hidden(2).expect("hide column");
    save(&mut wb)
}

/// Crime by ward with column E hidden and empty.
pub fn hidden_columns_empty() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    ws.set_column_hidden(4).expect("hide column");
    save(&mut wb)
}

/// Autofilter A1:D25 with `<filterColumn colId="0"><filters><filter val="Mile Cross"/>`;
/// the rows of other wards carry `hidden="1"`.
pub fn filtered_rows() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Offences by ward").expect("name");
    header(ws, 0, &["Ward", "Month", "Offence", "Count"]);
    let n = 24usize;
    for k in 0..n {
        let row = k as u32 + 1;
        let ward = WARDS[(k * 3) % 4];
        ws.write(row, 0, ward).expect("write");
        ws.write(row, 1, MONTHS[k % MONTHS.len()]).expect("write");
        ws.write(row, 2, OFFENCES[k % OFFENCES.len()])
            .expect("write");
        ws.write(row, 3, ((k * 29) % 40 + 3) as u32).expect("write");
        if ward != "Mile Cross" {
            ws.set_row_hidden(row).expect("hide row");
        }
    }
    ws.autofilter(0, 0, n as u32, 3).expect("autofilter");
    ws.filter_column(0, &FilterCondition::new().add_list_filter("Mile Cross"))
        .expect("filter");
    ws.set_column_width(0, 16).expect("width");
    ws.set_column_width(2, 26).expect("width");
    save(&mut wb)
}

// ---------------------------------------------------------------------------
// 9-10. Pivot caches and the data model.
// ---------------------------------------------------------------------------

/// Source rows of the pivot: victim, offence, ward, age.
const PIVOT_ROWS: [(&str, &str, &str, u32); 5] = [
    ("SMITH, John", "Burglary", "Mile Cross", 34),
    ("JONES, Mary", "Assault", "Thorpe Hamlet", 82),
    ("TAYLOR, Aisha", "Burglary", "Mancroft", 19),
    ("BROWN, Peter", "Criminal damage", "Mile Cross", 45),
    ("WILSON, Grace", "Assault", "Mancroft", 27),
];

/// Distinct values of one text column, in order of first appearance.
fn distinct(values: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn pivot_cache_definition_xml() -> String {
    let names = distinct(PIVOT_ROWS.iter().map(|r| r.0));
    let offences = distinct(PIVOT_ROWS.iter().map(|r| r.1));
    let wards = distinct(PIVOT_ROWS.iter().map(|r| r.2));
    let min_age = PIVOT_ROWS.iter().map(|r| r.3).min().unwrap_or(0);
    let max_age = PIVOT_ROWS.iter().map(|r| r.3).max().unwrap_or(0);
    let items =
        |v: &[&str]| -> String { v.iter().map(|s| format!("<s v=\"{}\"/>", esc(s))).collect() };
    format!(
        "{XML_DECL}<pivotCacheDefinition xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_R}\" r:id=\"rId1\" \
         refreshedBy=\"BLOGGS, Jane\" refreshedDate=\"45027.4375\" createdVersion=\"6\" \
         refreshedVersion=\"6\" minRefreshableVersion=\"3\" recordCount=\"{n}\">\
         <cacheSource type=\"worksheet\"><worksheetSource ref=\"A1:D{last}\" sheet=\"Data\"/></cacheSource>\
         <cacheFields count=\"4\">\
         <cacheField name=\"Victim\" numFmtId=\"0\"><sharedItems count=\"{nn}\">{ni}</sharedItems></cacheField>\
         <cacheField name=\"Offence\" numFmtId=\"0\"><sharedItems count=\"{no}\">{oi}</sharedItems></cacheField>\
         <cacheField name=\"Ward\" numFmtId=\"0\"><sharedItems count=\"{nw}\">{wi}</sharedItems></cacheField>\
         <cacheField name=\"Age\" numFmtId=\"0\"><sharedItems containsSemiMixedTypes=\"0\" \
         containsString=\"0\" containsNumber=\"1\" containsInteger=\"1\" minValue=\"{min_age}\" \
         maxValue=\"{max_age}\"/></cacheField>\
         </cacheFields></pivotCacheDefinition>",
        n = PIVOT_ROWS.len(),
        last = PIVOT_ROWS.len() + 1,
        nn = names.len(),
        ni = items(&names),
        no = offences.len(),
        oi = items(&offences),
        nw = wards.len(),
        wi = items(&wards),
    )
}

fn pivot_cache_records_xml() -> String {
    let names = distinct(PIVOT_ROWS.iter().map(|r| r.0));
    let offences = distinct(PIVOT_ROWS.iter().map(|r| r.1));
    let wards = distinct(PIVOT_ROWS.iter().map(|r| r.2));
    let idx = |v: &[&str], s: &str| v.iter().position(|x| *x == s).expect("item");
    let records: String = PIVOT_ROWS
        .iter()
        .map(|(n, o, w, a)| {
            format!(
                "<r><x v=\"{}\"/><x v=\"{}\"/><x v=\"{}\"/><n v=\"{a}\"/></r>",
                idx(&names, n),
                idx(&offences, o),
                idx(&wards, w)
            )
        })
        .collect();
    format!(
        "{XML_DECL}<pivotCacheRecords xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_R}\" count=\"{}\">{records}</pivotCacheRecords>",
        PIVOT_ROWS.len()
    )
}

/// Pivot table at Summary!A3:B7: rows = Offence, data = Count of Victim.
fn pivot_table_xml() -> String {
    let offences = distinct(PIVOT_ROWS.iter().map(|r| r.1));
    let n_items = offences.len();
    let items: String = (0..n_items).map(|i| format!("<item x=\"{i}\"/>")).collect();
    let mut row_items = String::from("<i><x/></i>");
    for i in 1..n_items {
        row_items.push_str(&format!("<i><x v=\"{i}\"/></i>"));
    }
    row_items.push_str("<i t=\"grand\"><x/></i>");
    format!(
        "{XML_DECL}<pivotTableDefinition xmlns=\"{NS_MAIN}\" name=\"PivotTable1\" cacheId=\"1\" \
         applyNumberFormats=\"0\" applyBorderFormats=\"0\" applyFontFormats=\"0\" \
         applyPatternFormats=\"0\" applyAlignmentFormats=\"0\" applyWidthHeightFormats=\"1\" \
         dataCaption=\"Values\" updatedVersion=\"6\" minRefreshableVersion=\"3\" \
         useAutoFormatting=\"1\" itemPrintTitles=\"1\" createdVersion=\"6\" indent=\"0\" \
         outline=\"1\" outlineData=\"1\" multipleFieldFilters=\"0\">\
         <location ref=\"A3:B{last}\" firstHeaderRow=\"1\" firstDataRow=\"1\" firstDataCol=\"1\"/>\
         <pivotFields count=\"4\">\
         <pivotField dataField=\"1\" showAll=\"0\"/>\
         <pivotField axis=\"axisRow\" showAll=\"0\"><items count=\"{ic}\">{items}<item t=\"default\"/></items></pivotField>\
         <pivotField showAll=\"0\"/>\
         <pivotField showAll=\"0\"/>\
         </pivotFields>\
         <rowFields count=\"1\"><field x=\"1\"/></rowFields>\
         <rowItems count=\"{ri}\">{row_items}</rowItems>\
         <colItems count=\"1\"><i/></colItems>\
         <dataFields count=\"1\"><dataField name=\"Count of Victim\" fld=\"0\" subtotal=\"count\" baseField=\"0\" baseItem=\"0\"/></dataFields>\
         <pivotTableStyleInfo name=\"PivotStyleLight16\" showRowHeaders=\"1\" showColHeaders=\"1\" \
         showRowStripes=\"0\" showColStripes=\"0\" showLastColumn=\"1\"/>\
         </pivotTableDefinition>",
        last = 3 + n_items + 1,
        ic = n_items + 1,
        ri = n_items + 1,
    )
}

/// Writes the pivot's rendered values (what the user sees) at A3.
fn pivot_summary_values(ws: &mut Worksheet) {
    ws.write_with_format(0, 0, "Victim-based crime by offence type", &bold())
        .expect("write");
    header(ws, 2, &["Row Labels", "Count of Victim"]);
    let offences = distinct(PIVOT_ROWS.iter().map(|r| r.1));
    for (k, o) in offences.iter().enumerate() {
        let count = PIVOT_ROWS.iter().filter(|r| r.1 == *o).count() as u32;
        ws.write(3 + k as u32, 0, *o).expect("write");
        ws.write(3 + k as u32, 1, count).expect("write");
    }
    let total_row = 3 + offences.len() as u32;
    ws.write_with_format(total_row, 0, "Grand Total", &bold())
        .expect("write");
    ws.write_with_format(total_row, 1, PIVOT_ROWS.len() as u32, &bold())
        .expect("write");
    ws.set_column_width(0, 22).expect("width");
    ws.set_column_width(1, 16).expect("width");
}

/// Adds the pivot cache definition + records and wires them to the workbook
/// (`<pivotCaches><pivotCache cacheId="1" r:id=".."/>`).
fn add_pivot_cache(pkg: &mut Pkg) {
    let def = "xl/pivotCache/pivotCacheDefinition1.xml";
    let rec = "xl/pivotCache/pivotCacheRecords1.xml";
    pkg.set(def, pivot_cache_definition_xml());
    pkg.set(rec, pivot_cache_records_xml());
    pkg.add_override(def, CT_PIVOT_CACHE_DEF);
    pkg.add_override(rec, CT_PIVOT_CACHE_REC);
    let rec_id = pkg.add_rel(
        "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
        REL_PIVOT_CACHE_REC,
        "pivotCacheRecords1.xml",
        false,
    );
    assert_eq!(rec_id, "rId1");
    let wb_id = pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_PIVOT_CACHE_DEF,
        "pivotCache/pivotCacheDefinition1.xml",
        false,
    );
    pkg.replace(
        "xl/workbook.xml",
        "</workbook>",
        &format!(
            "<pivotCaches><pivotCache cacheId=\"1\" r:id=\"{wb_id}\"/></pivotCaches></workbook>"
        ),
    );
}

/// Sheet "Summary" with a pivot table (xl/pivotTables/pivotTable1.xml) over
/// sheet "Data" (A1:D6: Victim | Offence | Ward | Age, visible); the cache
/// (xl/pivotCache/pivotCacheDefinition1.xml + pivotCacheRecords1.xml) holds
/// the victims' names as sharedItems and one `<r>` per victim.
pub fn pivot_cache() -> Vec<u8> {
    let mut wb = new_workbook();
    {
        let ws = wb.add_worksheet();
        ws.set_name("Summary").expect("name");
        pivot_summary_values(ws);
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Data").expect("name");
        header(ws, 0, &["Victim", "Offence", "Ward", "Age"]);
        for (k, (n, o, w, a)) in PIVOT_ROWS.iter().enumerate() {
            let row = k as u32 + 1;
            ws.write(row, 0, *n).expect("write");
            ws.write(row, 1, *o).expect("write");
            ws.write(row, 2, *w).expect("write");
            ws.write(row, 3, *a).expect("write");
        }
    }
    let mut pkg = Pkg::open(&save(&mut wb));
    add_pivot_cache(&mut pkg);
    let table = "xl/pivotTables/pivotTable1.xml";
    pkg.set(table, pivot_table_xml());
    pkg.add_override(table, CT_PIVOT_TABLE);
    pkg.add_rel(
        "xl/pivotTables/_rels/pivotTable1.xml.rels",
        REL_PIVOT_CACHE_DEF,
        "../pivotCache/pivotCacheDefinition1.xml",
        false,
    );
    pkg.add_rel(
        "xl/worksheets/_rels/sheet1.xml.rels",
        REL_PIVOT_TABLE,
        "../pivotTables/pivotTable1.xml",
        false,
    );
    pkg.finish()
}

/// Only the pasted pivot values on "Summary"; the same pivot cache parts are
/// still wired to the workbook, but there is no pivot table part and the
/// source sheet "Data" is not in the workbook.
pub fn pivot_cache_orphaned() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Summary").expect("name");
    pivot_summary_values(ws);
    let mut pkg = Pkg::open(&save(&mut wb));
    add_pivot_cache(&mut pkg);
    pkg.finish()
}

/// `xl/model/item.data` (Power Pivot data model) with content type
/// `application/vnd.openxmlformats-officedocument.model+data` and a workbook
/// relationship of type `.../relationships/powerPivotData`.
pub fn data_model() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    let mut pkg = Pkg::open(&save(&mut wb));
    // Real item.data files start with this UTF-16LE banner, then XPress9 data.
    let mut data = utf16le("This backup was created using XPress9 compression.");
    data.extend(pseudo_random_bytes(0x00DA_7A00, 2048));
    pkg.set("xl/model/item.data", data);
    pkg.add_default("data", CT_MODEL_DATA);
    pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_POWER_PIVOT,
        "model/item.data",
        false,
    );
    pkg.finish()
}

// ---------------------------------------------------------------------------
// 11. Charts.
// ---------------------------------------------------------------------------

/// Column chart of recorded crimes by ward; rust_xlsxwriter writes the
/// series caches itself (`c:cat/c:strRef/c:strCache` = ward names,
/// `c:val/c:numRef/c:numCache` = counts), all mirroring visible cells.
pub fn chart_with_cache() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    let last = WARDS.len() as u32;
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("Recorded crimes by ward, 2022/23");
    chart
        .add_series()
        .set_name("Recorded crimes")
        .set_categories(("Crime by ward", 1, 0, last, 0))
        .set_values(("Crime by ward", 1, 1, last, 1));
    ws.insert_chart(1, 4, &chart).expect("chart");
    save(&mut wb)
}

/// Chart on visible sheet "Complaints" whose series point at hidden sheet
/// "ChartData" (officer names + complaint counts): the names are in the
/// chart's `c:strCache` and in the hidden sheet.
pub fn chart_cache_hidden_source() -> Vec<u8> {
    let mut wb = new_workbook();
    let n = 6u32;
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name("Complaints per officer, 2022");
    chart
        .add_series()
        .set_name("Complaints")
        .set_categories(("ChartData", 1, 0, n, 0))
        .set_values(("ChartData", 1, 1, n, 1));
    {
        let ws = wb.add_worksheet();
        ws.set_name("Complaints").expect("name");
        ws.write_with_format(0, 0, "Public complaints recorded, 2022", &bold())
            .expect("write");
        ws.write(1, 0, "Total complaints").expect("write");
        ws.write(1, 1, 37).expect("write");
        ws.insert_chart(3, 0, &chart).expect("chart");
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("ChartData").expect("name");
        header(ws, 0, &["Officer", "Complaints"]);
        let ranks = ["PC", "PC", "DS", "PC", "Insp", "PC"];
        for k in 0..n as usize {
            let row = k as u32 + 1;
            let name = format!(
                "{} {} {}",
                ranks[k],
                FORENAMES[(k * 3 + 2) % FORENAMES.len()],
                SURNAMES[(k * 11 + 5) % SURNAMES.len()]
            );
            ws.write(row, 0, name).expect("write");
            ws.write(row, 1, [9u32, 7, 6, 6, 5, 4][k]).expect("write");
        }
        ws.set_hidden(true);
    }
    save(&mut wb)
}

// ---------------------------------------------------------------------------
// 12. External links.
// ---------------------------------------------------------------------------

const TENANTS: [(&str, &str, &str); 5] = [
    (
        "BLOGGS, Joe",
        "Flat 3, 14 Acacia Avenue, NR99 1AA",
        "412.50",
    ),
    ("KHAN, Imran", "22 Church Lane, NR99 3DQ", "1180.00"),
    ("MURPHY, Siobhan", "7 Mill Close, NR99 2BX", "96.25"),
    (
        "WRIGHT, Gareth",
        "Flat 11, Orchard Way, NR99 4ZZ",
        "2045.75",
    ),
    ("EVANS, Priya", "5 Park Drive, NR99 5HT", "330.00"),
];

fn external_link_parts(pkg: &mut Pkg, sheet_data_set: Option<String>, target: &str) {
    let data = sheet_data_set.unwrap_or_default();
    let part = "xl/externalLinks/externalLink1.xml";
    pkg.set(
        part,
        format!(
            "{XML_DECL}<externalLink xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_R}\"><externalBook r:id=\"rId1\">\
             <sheetNames><sheetName val=\"Tenants\"/></sheetNames>{data}</externalBook></externalLink>"
        ),
    );
    pkg.add_override(part, CT_EXTERNAL_LINK);
    pkg.add_rel(
        "xl/externalLinks/_rels/externalLink1.xml.rels",
        REL_EXTERNAL_LINK_PATH,
        target,
        true,
    );
    let id = pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_EXTERNAL_LINK,
        "externalLinks/externalLink1.xml",
        false,
    );
    pkg.replace(
        "xl/workbook.xml",
        "</sheets>",
        &format!(
            "</sheets><externalReferences><externalReference r:id=\"{id}\"/></externalReferences>"
        ),
    );
}

fn linked_workbook(title: &str) -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Arrears").expect("name");
    ws.write_with_format(0, 0, title, &bold()).expect("write");
    ws.write(1, 0, "Tenancies in arrears").expect("write");
    ws.write_formula(
        1,
        1,
        Formula::new("=COUNTA([1]Tenants!$A$2:$A$6)").set_result("5"),
    )
    .expect("formula");
    ws.write(2, 0, "Total arrears (GBP)").expect("write");
    ws.write_formula(
        2,
        1,
        Formula::new("=SUM([1]Tenants!$C$2:$C$6)").set_result("4064.5"),
    )
    .expect("formula");
    ws.set_column_width(0, 24).expect("width");
    save(&mut wb)
}

/// `xl/externalLinks/externalLink1.xml` with `<sheetDataSet>` caching the
/// tenant list of the linked book; its rels target
/// `file:///\\fileserver01\housing\jbloggs\Tenants%202014.xlsx` (External).
pub fn external_link_cache() -> Vec<u8> {
    let mut rows = String::from(
        "<row r=\"1\"><cell r=\"A1\" t=\"str\"><v>Name</v></cell><cell r=\"B1\" t=\"str\"><v>Address</v></cell>\
         <cell r=\"C1\" t=\"str\"><v>Arrears</v></cell></row>",
    );
    for (k, (name, addr, arrears)) in TENANTS.iter().enumerate() {
        let r = k + 2;
        rows.push_str(&format!(
            "<row r=\"{r}\"><cell r=\"A{r}\" t=\"str\"><v>{}</v></cell><cell r=\"B{r}\" t=\"str\"><v>{}</v></cell>\
             <cell r=\"C{r}\"><v>{arrears}</v></cell></row>",
            esc(name),
            esc(addr)
        ));
    }
    let data_set =
        format!("<sheetDataSet><sheetData sheetId=\"0\">{rows}</sheetData></sheetDataSet>");
    let mut pkg = Pkg::open(&linked_workbook("Housing rent arrears, 2014"));
    external_link_parts(
        &mut pkg,
        Some(data_set),
        "file:///\\\\fileserver01\\housing\\jbloggs\\Tenants%202014.xlsx",
    );
    pkg.finish()
}

/// External link with a target but no `<sheetDataSet>` (no cached values).
pub fn external_link_no_cache() -> Vec<u8> {
    let mut pkg = Pkg::open(&linked_workbook("Housing rent arrears, 2014"));
    external_link_parts(
        &mut pkg,
        None,
        "file:///\\\\fileserver01\\housing\\returns\\Tenants%202014.xlsx",
    );
    pkg.finish()
}

// ---------------------------------------------------------------------------
// 13. Defined names.
// ---------------------------------------------------------------------------

/// `<definedName name="OldSuspects" hidden="1">{"Smith","Jones"}</definedName>`
/// and `<definedName name="VictimLookup" hidden="1">Sheet1!$A$2:$A$6</definedName>`.
pub fn defined_name_hidden_constant() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    header(ws, 0, &["Ward", "Offences"]);
    for (k, w) in WARDS.iter().take(5).enumerate() {
        ws.write(k as u32 + 1, 0, *w).expect("write");
        ws.write(k as u32 + 1, 1, (k * 9 + 12) as u32)
            .expect("write");
    }
    wb.define_name("OldSuspects", "={\"Smith\",\"Jones\"}")
        .expect("name");
    wb.define_name("VictimLookup", "=Sheet1!$A$2:$A$6")
        .expect("name");
    let mut pkg = Pkg::open(&save(&mut wb));
    pkg.replace(
        "xl/workbook.xml",
        "<definedName name=\"OldSuspects\">",
        "<definedName name=\"OldSuspects\" hidden=\"1\">",
    );
    pkg.replace(
        "xl/workbook.xml",
        "<definedName name=\"VictimLookup\">",
        "<definedName name=\"VictimLookup\" hidden=\"1\">",
    );
    pkg.finish()
}

/// Negative: `<definedName name="CrimeTable">Sheet1!$A$1:$B$5</definedName>`.
pub fn defined_name_plain() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    header(ws, 0, &["Ward", "Offences"]);
    for (k, w) in WARDS.iter().take(4).enumerate() {
        ws.write(k as u32 + 1, 0, *w).expect("write");
        ws.write(k as u32 + 1, 1, (k * 9 + 12) as u32)
            .expect("write");
    }
    wb.define_name("CrimeTable", "=Sheet1!$A$1:$B$5")
        .expect("name");
    save(&mut wb)
}

// ---------------------------------------------------------------------------
// 14. Data connections.
// ---------------------------------------------------------------------------

/// `xl/connections.xml`: OLE DB connection (type="5") whose `dbPr/@connection`
/// names server POLSQL01 with a user id and password, plus a SQL command.
pub fn data_connection() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Custody throughput").expect("name");
    header(ws, 0, &["Month", "Detained", "Released without charge"]);
    for (r, m) in MONTHS.iter().enumerate() {
        ws.write(r as u32 + 1, 0, *m).expect("write");
        ws.write(r as u32 + 1, 1, ((r * 37) % 200 + 400) as u32)
            .expect("write");
        ws.write(r as u32 + 1, 2, ((r * 23) % 90 + 60) as u32)
            .expect("write");
    }
    let mut pkg = Pkg::open(&save(&mut wb));
    let conn = "Provider=SQLOLEDB.1;Data Source=POLSQL01;Initial Catalog=Custody;\
                User ID=svc_report;Password=Winter2023;Persist Security Info=True";
    let command = "SELECT DetaineeSurname, DetaineeForename, DateOfBirth, ArrestOffence, \
                   CustodyOfficer FROM dbo.CustodyRecords WHERE ArrestDate >= '2022-04-01'";
    pkg.set(
        "xl/connections.xml",
        format!(
            "{XML_DECL}<connections xmlns=\"{NS_MAIN}\"><connection id=\"1\" \
             keepAlive=\"1\" name=\"POLSQL01 Custody\" type=\"5\" refreshedVersion=\"6\" \
             savePassword=\"1\" background=\"1\" saveData=\"1\"><dbPr connection=\"{}\" \
             command=\"{}\" commandType=\"2\"/></connection></connections>",
            esc(conn),
            esc(command)
        ),
    );
    pkg.add_override("xl/connections.xml", CT_CONNECTIONS);
    pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_CONNECTIONS,
        "connections.xml",
        false,
    );
    pkg.finish()
}

// ---------------------------------------------------------------------------
// 15. Disguised content.
// ---------------------------------------------------------------------------

/// Placeholder colours that are swapped for theme/indexed colours in styles.xml.
const PLACEHOLDER_FONT: u32 = 0x123456;
const PLACEHOLDER_FILL: u32 = 0x654321;

/// Crime by ward (A1:C9) plus names in E2:E6 written with `format`.
fn disguised_workbook(format: &Format) -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    for k in 0..5usize {
        let text = format!("{} ({})", person(k + 100), dob_text(k + 100));
        ws.write_with_format(k as u32 + 1, 4, text, format)
            .expect("write");
    }
    save(&mut wb)
}

/// Names in E2:E6: font `<color rgb="FFFFFFFF"/>` on solid fill `<fgColor rgb="FFFFFFFF"/>`.
pub fn disguised_white_on_white() -> Vec<u8> {
    disguised_workbook(
        &Format::new()
            .set_font_color(Color::RGB(0xFFFFFF))
            .set_pattern(FormatPattern::Solid)
            .set_background_color(Color::RGB(0xFFFFFF)),
    )
}

/// Names in E2:E6: font `<color theme="0"/>` (lt1 = window/FFFFFF in the
/// default theme) on solid fill `<fgColor rgb="FFFFFFFF"/>`.
pub fn disguised_theme_colour() -> Vec<u8> {
    let bytes = disguised_workbook(
        &Format::new()
            .set_font_color(Color::RGB(PLACEHOLDER_FONT))
            .set_pattern(FormatPattern::Solid)
            .set_background_color(Color::RGB(0xFFFFFF)),
    );
    let mut pkg = Pkg::open(&bytes);
    pkg.replace(
        "xl/styles.xml",
        "<color rgb=\"FF123456\"/>",
        "<color theme=\"0\"/>",
    );
    pkg.finish()
}

/// Names in E2:E6: font `<color indexed="9"/>` on solid fill `<fgColor indexed="9"/>`
/// (index 9 = FFFFFF in the default palette).
pub fn disguised_indexed_colour() -> Vec<u8> {
    let bytes = disguised_workbook(
        &Format::new()
            .set_font_color(Color::RGB(PLACEHOLDER_FONT))
            .set_pattern(FormatPattern::Solid)
            .set_background_color(Color::RGB(PLACEHOLDER_FILL)),
    );
    let mut pkg = Pkg::open(&bytes);
    pkg.replace(
        "xl/styles.xml",
        "<color rgb=\"FF123456\"/>",
        "<color indexed=\"9\"/>",
    );
    pkg.replace(
        "xl/styles.xml",
        "<fgColor rgb=\"FF654321\"/>",
        "<fgColor indexed=\"9\"/>",
    );
    pkg.finish()
}

/// Names in E2:E6 with custom number format `;;;` (`<numFmt numFmtId="164" formatCode=";;;"/>`).
pub fn disguised_number_format() -> Vec<u8> {
    disguised_workbook(&Format::new().set_num_format(";;;"))
}

/// Names in E2:E6 in a 1-point font (`<sz val="1"/>`).
pub fn disguised_tiny_font() -> Vec<u8> {
    disguised_workbook(&Format::new().set_font_size(1))
}

/// Negative: header row in white bold font on dark blue (1F3864) solid fill.
pub fn white_font_on_dark_fill() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    let head = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_pattern(FormatPattern::Solid)
        .set_background_color(Color::RGB(0x1F3864));
    for (c, h) in ["Ward", "Recorded crimes", "Solved"].iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &head).expect("write");
    }
    for (r, ward) in WARDS.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write(row, 0, *ward).expect("write");
        ws.write(row, 1, ((r * 47) % 300 + 120) as u32)
            .expect("write");
        ws.write(row, 2, ((r * 13) % 60 + 15) as u32)
            .expect("write");
    }
    ws.set_column_width(0, 16).expect("width");
    ws.set_column_width(1, 16).expect("width");
    save(&mut wb)
}

/// Negative: ordinary formatting (bold header, black text, `#,##0`, italics).
pub fn normal_formatting() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Staff numbers").expect("name");
    header(ws, 0, &["Department", "Officers", "Staff", "Total"]);
    let num = Format::new().set_num_format("#,##0");
    for (r, dept) in DEPARTMENTS.iter().enumerate() {
        let row = r as u32 + 1;
        let a = ((r * 97) % 900 + 40) as u32;
        let b = ((r * 53) % 400 + 10) as u32;
        ws.write(row, 0, *dept).expect("write");
        ws.write_with_format(row, 1, a, &num).expect("write");
        ws.write_with_format(row, 2, b, &num).expect("write");
        ws.write_with_format(row, 3, a + b, &num).expect("write");
    }
    let note_row = DEPARTMENTS.len() as u32 + 2;
    ws.write_with_format(
        note_row,
        0,
        "Figures as at 31 March 2023.",
        &Format::new().set_italic(),
    )
    .expect("write");
    ws.set_column_width(0, 22).expect("width");
    save(&mut wb)
}

// ---------------------------------------------------------------------------
// 16. Residual shared strings.
// ---------------------------------------------------------------------------

/// Adds `delta` to the integer attribute ` {attr}="N"` of the first match.
fn bump_attr(xml: &str, attr: &str, delta: usize) -> String {
    let key = format!(" {attr}=\"");
    let start = xml.find(&key).unwrap_or_else(|| panic!("{attr} not found")) + key.len();
    let len = xml[start..].find('"').expect("closing quote");
    let n: usize = xml[start..start + len].parse().expect("integer attribute");
    format!("{}{}{}", &xml[..start], n + delta, &xml[start + len..])
}

/// clean_crime_stats plus 5 extra `<si><t>..</t></si>` in xl/sharedStrings.xml
/// (people's names and addresses) that no cell refers to; count and
/// uniqueCount are raised to match.
pub fn residual_shared_strings() -> Vec<u8> {
    let mut pkg = Pkg::open(&clean_crime_stats());
    let extra: Vec<String> = (0..5usize)
        .map(|k| format!("{} - {}", person(k + 120), address(k + 120)))
        .collect();
    pkg.edit("xl/sharedStrings.xml", |s| {
        let items: String = extra
            .iter()
            .map(|t| format!("<si><t>{}</t></si>", esc(t)))
            .collect();
        let s = bump_attr(&s, "count", extra.len());
        let s = bump_attr(&s, "uniqueCount", extra.len());
        assert!(s.contains("</sst>"));
        s.replacen("</sst>", &format!("{items}</sst>"), 1)
    });
    pkg.finish()
}

// ---------------------------------------------------------------------------
// 17. Comments.
// ---------------------------------------------------------------------------

/// A legacy note (xl/comments1.xml, `<author>DS Raj Patel</author>`, plus
/// xl/drawings/vmlDrawing1.vml) on B4 naming a victim.
pub fn legacy_note() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    let note = Note::new(
        "Includes the SMITH, John burglary (DOB 03/02/1961, 12 Acacia Avenue) - \
         reclassified 14/03. Do not disclose.",
    )
    .set_author("DS Raj Patel");
    ws.insert_note(3, 1, &note).expect("note");
    save(&mut wb)
}

const TC_PERSON_ID: &str = "{6A1C2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}";
const TC_COMMENT_ID: &str = "{0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0}";

/// Threaded comment on B4: xl/threadedComments/threadedComment1.xml (sheet
/// rels type .../2017/10/relationships/threadedComment) and
/// xl/persons/person.xml (`displayName="Jane Bloggs"`, `userId` an e-mail;
/// workbook rels type .../2017/10/relationships/person). As Excel does, a
/// legacy fallback note (author `tc={id}`) is also written.
pub fn threaded_comment() -> Vec<u8> {
    let text = "@Raj Patel can you confirm the Mile Cross figure excludes the \
                WILSON, Grace case (07700 900461)?";
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    let fallback = Note::new(format!(
        "[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; \
         however, any edits to it will get removed if the file is opened in a newer version of \
         Excel. Learn more: https://go.microsoft.com/fwlink/?linkid=870924\n\nComment:\n    {text}"
    ))
    .set_author(format!("tc={TC_COMMENT_ID}"))
    .add_author_prefix(false);
    ws.insert_note(3, 1, &fallback).expect("note");
    let mut pkg = Pkg::open(&save(&mut wb));
    let tc = "xl/threadedComments/threadedComment1.xml";
    pkg.set(
        tc,
        format!(
            "{XML_DECL}<ThreadedComments xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\" \
             xmlns:x=\"{NS_MAIN}\"><threadedComment ref=\"B4\" dT=\"2023-03-14T10:21:07.55\" \
             personId=\"{TC_PERSON_ID}\" id=\"{TC_COMMENT_ID}\"><text>{}</text></threadedComment></ThreadedComments>",
            esc(text)
        ),
    );
    pkg.add_override(tc, CT_THREADED_COMMENTS);
    pkg.add_rel(
        "xl/worksheets/_rels/sheet1.xml.rels",
        REL_THREADED_COMMENT,
        "../threadedComments/threadedComment1.xml",
        false,
    );
    let persons = "xl/persons/person.xml";
    pkg.set(
        persons,
        format!(
            "{XML_DECL}<personList xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\" \
             xmlns:x=\"{NS_MAIN}\"><person displayName=\"Jane Bloggs\" id=\"{TC_PERSON_ID}\" \
             userId=\"jane.bloggs@norfolk.police.example\" providerId=\"AD\"/></personList>"
        ),
    );
    pkg.add_override(persons, CT_PERSON);
    pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_PERSON,
        "persons/person.xml",
        false,
    );
    pkg.finish()
}

// ---------------------------------------------------------------------------
// 18. Embedded objects.
// ---------------------------------------------------------------------------

fn embedding_host(title: &str) -> Pkg {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Summary").expect("name");
    ws.write_with_format(0, 0, title, &bold()).expect("write");
    header(ws, 2, &["Department", "Headcount"]);
    for (r, d) in DEPARTMENTS.iter().take(4).enumerate() {
        ws.write(r as u32 + 3, 0, *d).expect("write");
        ws.write(r as u32 + 3, 1, (r * 41 + 25) as u32)
            .expect("write");
    }
    ws.set_column_width(0, 20).expect("width");
    Pkg::open(&save(&mut wb))
}

/// Outer xlsx with `xl/embeddings/Microsoft_Excel_Worksheet.xlsx` (= the bytes
/// of hidden_sheet_roster), sheet1 rels type .../relationships/package,
/// `<Default Extension="xlsx">`, and `<oleObjects><oleObject progId="Excel.Sheet.12" ..>`.
pub fn embedded_workbook() -> Vec<u8> {
    let mut pkg = embedding_host("Staff by department (source workbook embedded below)");
    let part = "xl/embeddings/Microsoft_Excel_Worksheet.xlsx";
    pkg.set(part, hidden_sheet_roster());
    pkg.add_default("xlsx", CT_XLSX);
    let id = pkg.add_rel(
        "xl/worksheets/_rels/sheet1.xml.rels",
        REL_PACKAGE,
        "../embeddings/Microsoft_Excel_Worksheet.xlsx",
        false,
    );
    append_to_sheet(
        &mut pkg,
        "xl/worksheets/sheet1.xml",
        &format!(
            "<oleObjects><oleObject progId=\"Excel.Sheet.12\" shapeId=\"1025\" r:id=\"{id}\"/></oleObjects>"
        ),
    );
    pkg.finish()
}

/// Builds an in-memory compound file from (path, data) streams. Storages
/// get a fixed timestamp so the output is deterministic.
fn build_cfb(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_681_257_600); // 2023-04-12
    let mut comp =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
            .expect("cfb create");
    for (path, data) in streams {
        let path = std::path::Path::new(path);
        let parent = path.parent().unwrap_or(std::path::Path::new("/"));
        if parent != std::path::Path::new("/") && !comp.exists(parent) {
            comp.create_storage_all(parent).expect("cfb storage");
            comp.set_created_time(parent, fixed).expect("cfb time");
            comp.set_modified_time(parent, fixed).expect("cfb time");
        }
        let mut stream = comp.create_stream(path).expect("cfb stream");
        stream.write_all(data).expect("cfb write");
    }
    comp.flush().expect("cfb flush");
    comp.into_inner().into_inner()
}

/// `\x01Ole10Native` payload. Layout used (all integers little-endian):
///
/// ```text
/// u32  total size of everything after this field
/// u16  flags = 0x0002
/// ANSI label + NUL                 ("victims-list.csv")
/// ANSI original file path + NUL    ("C:\Users\jbloggs\Desktop\victims-list.csv")
/// u32  unknown/reserved = 0x00030000
/// u32  length of temp path incl. NUL
/// ANSI temp path + NUL             ("C:\Users\jbloggs\AppData\Local\Temp\victims-list.csv")
/// u32  data size
/// data (the embedded file)
/// ```
fn ole10_native(label: &str, path: &str, temp_path: &str, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&2u16.to_le_bytes());
    body.extend_from_slice(label.as_bytes());
    body.push(0);
    body.extend_from_slice(path.as_bytes());
    body.push(0);
    body.extend_from_slice(&0x0003_0000u32.to_le_bytes());
    body.extend_from_slice(&(temp_path.len() as u32 + 1).to_le_bytes());
    body.extend_from_slice(temp_path.as_bytes());
    body.push(0);
    body.extend_from_slice(&(data.len() as u32).to_le_bytes());
    body.extend_from_slice(data);
    let mut out = (body.len() as u32).to_le_bytes().to_vec();
    out.extend(body);
    out
}

/// `\x01CompObj` stream for an OLE Package object.
fn comp_obj_package() -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xFFFE_0001u32.to_le_bytes()); // reserved1 / byte order
    out.extend_from_slice(&0x0000_0A03u32.to_le_bytes()); // version
    out.extend_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    // CLSID_Package {0003000C-0000-0000-C000-000000000046}
    out.extend_from_slice(&[
        0x0C, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x46,
    ]);
    for s in ["OLE Package", "Package", "Package"] {
        out.extend_from_slice(&(s.len() as u32 + 1).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }
    out.extend_from_slice(&0x71B2_39F4u32.to_le_bytes()); // unicode marker
    out.extend_from_slice(&[0; 12]); // three empty unicode strings
    out
}

/// The CSV carried inside embedded_ole_package.
pub fn victims_csv() -> Vec<u8> {
    let mut csv = String::from("Name,Date of birth,Address,Phone\r\n");
    for k in 0..6 {
        csv.push_str(&format!(
            "\"{}\",{},\"{}\",{}\r\n",
            person(k + 140),
            dob_text(k + 140),
            address(k + 140),
            phone(k + 140)
        ));
    }
    csv.into_bytes()
}

/// `xl/embeddings/oleObject1.bin`: a compound file with streams
/// `\x01Ole10Native` (wrapping victims-list.csv, layout in [`ole10_native`])
/// and `\x01CompObj`; sheet1 rels type .../relationships/oleObject,
/// `<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>`,
/// `<oleObjects><oleObject progId="Package" ..>`.
pub fn embedded_ole_package() -> Vec<u8> {
    let native = ole10_native(
        "victims-list.csv",
        "C:\\Users\\jbloggs\\Desktop\\victims-list.csv",
        "C:\\Users\\jbloggs\\AppData\\Local\\Temp\\victims-list.csv",
        &victims_csv(),
    );
    let ole = build_cfb(&[
        ("/\u{1}Ole10Native", native),
        ("/\u{1}CompObj", comp_obj_package()),
    ]);
    let mut pkg = embedding_host("Victim support referrals by department");
    pkg.set("xl/embeddings/oleObject1.bin", ole);
    pkg.add_default("bin", CT_OLE_OBJECT);
    let id = pkg.add_rel(
        "xl/worksheets/_rels/sheet1.xml.rels",
        REL_OLE_OBJECT,
        "../embeddings/oleObject1.bin",
        false,
    );
    append_to_sheet(
        &mut pkg,
        "xl/worksheets/sheet1.xml",
        &format!(
            "<oleObjects><oleObject progId=\"Package\" shapeId=\"1025\" r:id=\"{id}\"/></oleObjects>"
        ),
    );
    pkg.finish()
}

// ---------------------------------------------------------------------------
// 19. Macros.
// ---------------------------------------------------------------------------

/// Source of the VBA module in macro_workbook.
pub const VBA_MODULE_SOURCE: &str = "Attribute VB_Name = \"Module1\"\r\nSub Notify()\r\n  MsgBox \"Contact DS Patel\"\r\nEnd Sub\r\n";

/// MS-OVBA "compressed container": signature 0x01, then chunks. Full 4096-byte
/// blocks are stored as raw chunks (flag 0); the last block as a compressed
/// chunk made only of literal tokens (a 0x00 flag byte before every 8 bytes).
pub fn ovba_compress(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x01u8];
    for block in data.chunks(4096) {
        if block.len() == 4096 {
            out.extend_from_slice(&0x3FFFu16.to_le_bytes());
            out.extend_from_slice(block);
        } else {
            let mut tokens = Vec::with_capacity(block.len() + block.len() / 8 + 1);
            for group in block.chunks(8) {
                tokens.push(0x00);
                tokens.extend_from_slice(group);
            }
            assert!(tokens.len() <= 4096, "literal-only chunk too large");
            let header = 0xB000u16 | (tokens.len() as u16 - 1);
            out.extend_from_slice(&header.to_le_bytes());
            out.extend(tokens);
        }
    }
    out
}

fn dir_record(out: &mut Vec<u8>, id: u16, data: &[u8]) {
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
}

/// Decompressed `VBA/dir` stream (MS-OVBA 2.3.4.2) for one standard module.
fn vba_dir_stream(module: &str, module_offset: u32) -> Vec<u8> {
    let mut d = Vec::new();
    dir_record(&mut d, 0x0001, &1u32.to_le_bytes()); // PROJECTSYSKIND: win32
    dir_record(&mut d, 0x004A, &2u32.to_le_bytes()); // PROJECTCOMPATVERSION
    dir_record(&mut d, 0x0002, &0x0409u32.to_le_bytes()); // PROJECTLCID
    dir_record(&mut d, 0x0014, &0x0409u32.to_le_bytes()); // PROJECTLCIDINVOKE
    dir_record(&mut d, 0x0003, &1252u16.to_le_bytes()); // PROJECTCODEPAGE
    dir_record(&mut d, 0x0004, b"VBAProject"); // PROJECTNAME
    dir_record(&mut d, 0x0005, b""); // PROJECTDOCSTRING
    dir_record(&mut d, 0x0040, b""); // ... unicode
    dir_record(&mut d, 0x0006, b""); // PROJECTHELPFILEPATH
    dir_record(&mut d, 0x003D, b""); // ... second path
    dir_record(&mut d, 0x0007, &0u32.to_le_bytes()); // PROJECTHELPCONTEXT
    dir_record(&mut d, 0x0008, &0u32.to_le_bytes()); // PROJECTLIBFLAGS
    // PROJECTVERSION: id, reserved (=4), major u32, minor u16.
    d.extend_from_slice(&0x0009u16.to_le_bytes());
    d.extend_from_slice(&4u32.to_le_bytes());
    d.extend_from_slice(&1_459_960_000u32.to_le_bytes());
    d.extend_from_slice(&6u16.to_le_bytes());
    dir_record(&mut d, 0x000C, b""); // PROJECTCONSTANTS
    dir_record(&mut d, 0x003C, b""); // ... unicode
    // One REFERENCE: stdole (REFERENCENAME + REFERENCEREGISTERED).
    dir_record(&mut d, 0x0016, b"stdole");
    dir_record(&mut d, 0x003E, &utf16le("stdole"));
    let libid: &[u8] =
        b"*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation";
    let mut reg = Vec::new();
    reg.extend_from_slice(&(libid.len() as u32).to_le_bytes());
    reg.extend_from_slice(libid);
    reg.extend_from_slice(&0u32.to_le_bytes());
    reg.extend_from_slice(&0u16.to_le_bytes());
    dir_record(&mut d, 0x000D, &reg);
    // PROJECTMODULES + PROJECTCOOKIE.
    dir_record(&mut d, 0x000F, &1u16.to_le_bytes());
    dir_record(&mut d, 0x0013, &0xFFFFu16.to_le_bytes());
    // MODULE record.
    dir_record(&mut d, 0x0019, module.as_bytes()); // MODULENAME
    dir_record(&mut d, 0x0047, &utf16le(module)); // MODULENAMEUNICODE
    dir_record(&mut d, 0x001A, module.as_bytes()); // MODULESTREAMNAME
    dir_record(&mut d, 0x0032, &utf16le(module)); // ... unicode
    dir_record(&mut d, 0x001C, b""); // MODULEDOCSTRING
    dir_record(&mut d, 0x0048, b""); // ... unicode
    dir_record(&mut d, 0x0031, &module_offset.to_le_bytes()); // MODULEOFFSET
    dir_record(&mut d, 0x001E, &0u32.to_le_bytes()); // MODULEHELPCONTEXT
    dir_record(&mut d, 0x002C, &0xFFFFu16.to_le_bytes()); // MODULECOOKIE
    d.extend_from_slice(&0x0021u16.to_le_bytes()); // MODULETYPE: procedural
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&0x002Bu16.to_le_bytes()); // module terminator
    d.extend_from_slice(&0u32.to_le_bytes());
    d.extend_from_slice(&0x0010u16.to_le_bytes()); // dir terminator
    d.extend_from_slice(&0u32.to_le_bytes());
    d
}

/// A minimal but genuine `vbaProject.bin` (MS-OVBA): storage `VBA` with
/// streams `dir` (compressed), `_VBA_PROJECT` and `Module1` (32 bytes of
/// stand-in performance cache, then the compressed source at MODULEOFFSET 32),
/// plus root streams `PROJECT` and `PROJECTwm`.
pub fn vba_project_bin() -> Vec<u8> {
    let module = "Module1";
    let cache_len = 32u32;
    let mut module_stream = vec![0u8; cache_len as usize];
    module_stream.extend(ovba_compress(VBA_MODULE_SOURCE.as_bytes()));
    let dir = ovba_compress(&vba_dir_stream(module, cache_len));
    // _VBA_PROJECT: reserved 0x61CC, version 0xFFFF (no p-code), reserved 0x00, 0x0000.
    let vba_project = vec![0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x00, 0x00];
    let project = "ID=\"{5C3A1E2F-7B4D-4E8A-9C6B-1D2E3F4A5B6C}\"\r\nModule=Module1\r\n\
                   Name=\"VBAProject\"\r\nHelpContextID=\"0\"\r\nVersionCompatible32=\"393222000\"\r\n\
                   \r\n[Host Extender Info]\r\n&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000\r\n\
                   \r\n[Workspace]\r\nModule1=26, 26, 1062, 609, \r\n";
    let mut project_wm = b"Module1\0".to_vec();
    project_wm.extend(utf16le("Module1\0"));
    project_wm.extend_from_slice(&[0, 0]);
    build_cfb(&[
        ("/VBA/dir", dir),
        ("/VBA/_VBA_PROJECT", vba_project),
        ("/VBA/Module1", module_stream),
        ("/PROJECT", project.as_bytes().to_vec()),
        ("/PROJECTwm", project_wm),
    ])
}

/// .xlsm: `xl/vbaProject.bin` (see [`vba_project_bin`]), workbook content
/// type `application/vnd.ms-excel.sheet.macroEnabled.main+xml`,
/// `<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>`,
/// workbook rels type .../2006/relationships/vbaProject, codeName attributes.
pub fn macro_workbook() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by month").expect("name");
    crime_by_month_table(ws);
    let mut pkg = Pkg::open(&save(&mut wb));
    // rust_xlsxwriter's add_vba_project() only reads from a file path, so the
    // same changes it makes are applied here in memory.
    pkg.set("xl/vbaProject.bin", vba_project_bin());
    pkg.replace("[Content_Types].xml", CT_WORKBOOK, CT_WORKBOOK_XLSM);
    pkg.add_default("bin", CT_VBA_PROJECT);
    pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_VBA_PROJECT,
        "vbaProject.bin",
        false,
    );
    pkg.replace(
        "xl/workbook.xml",
        "<workbookPr ",
        "<workbookPr codeName=\"ThisWorkbook\" ",
    );
    pkg.replace(
        "xl/worksheets/sheet1.xml",
        "<dimension ",
        "<sheetPr codeName=\"Sheet1\"/><dimension ",
    );
    pkg.finish()
}

// ---------------------------------------------------------------------------
// 20-22. Metadata, custom XML, shared-workbook revisions.
// ---------------------------------------------------------------------------

/// docProps/core.xml `<dc:creator>Jane Bloggs</dc:creator>`,
/// `<cp:lastModifiedBy>PATEL, Raj (DS 4821)</cp:lastModifiedBy>`; docProps/app.xml
/// `<Company>Norfolk Constabulary</Company>`, `<Manager>DCI Ray Holt</Manager>`;
/// docProps/custom.xml property "Reviewed by" = "Sgt Amy Santiago".
pub fn document_metadata() -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &base_props()
            .set_title("FOI 2023/0150 response - crime by ward")
            .set_author("Jane Bloggs")
            .set_company("Norfolk Constabulary")
            .set_manager("DCI Ray Holt")
            .set_custom_property("Reviewed by", "Sgt Amy Santiago"),
    );
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    let mut pkg = Pkg::open(&save(&mut wb));
    pkg.replace(
        "docProps/core.xml",
        "<cp:lastModifiedBy>Jane Bloggs</cp:lastModifiedBy>",
        "<cp:lastModifiedBy>PATEL, Raj (DS 4821)</cp:lastModifiedBy>",
    );
    pkg.finish()
}

/// `customXml/item1.xml` (SharePoint-style document metadata naming the case
/// officer and requester), `customXml/itemProps1.xml`,
/// `customXml/_rels/item1.xml.rels` (type .../customXmlProps) and a workbook
/// relationship of type .../relationships/customXml to ../customXml/item1.xml.
pub fn custom_xml_part() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by ward").expect("name");
    crime_by_ward_table(ws);
    let mut pkg = Pkg::open(&save(&mut wb));
    pkg.set(
        "customXml/item1.xml",
        format!(
            "{XML_DECL}<p:properties xmlns:p=\"http://schemas.microsoft.com/office/2006/metadata/properties\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><documentManagement>\
             <Case_x0020_Officer>DC Tom Barnes (collar 4417)</Case_x0020_Officer>\
             <Requester_x0020_Name>Mr Alan Partridge</Requester_x0020_Name>\
             <Requester_x0020_Email>alan.partridge@example.com</Requester_x0020_Email>\
             <FOI_x0020_Reference>FOI/2023/0160</FOI_x0020_Reference>\
             </documentManagement></p:properties>"
        ),
    );
    pkg.set(
        "customXml/itemProps1.xml",
        format!(
            "{XML_DECL}<ds:datastoreItem ds:itemID=\"{{8B2F1C4D-3A5E-4F60-9B71-C82D93E4A5F6}}\" \
             xmlns:ds=\"http://schemas.openxmlformats.org/officeDocument/2006/customXml\"><ds:schemaRefs>\
             <ds:schemaRef ds:uri=\"http://schemas.microsoft.com/office/2006/metadata/properties\"/>\
             </ds:schemaRefs></ds:datastoreItem>"
        ),
    );
    pkg.add_override("customXml/itemProps1.xml", CT_CUSTOM_XML_PROPS);
    pkg.add_rel(
        "customXml/_rels/item1.xml.rels",
        REL_CUSTOM_XML_PROPS,
        "itemProps1.xml",
        false,
    );
    pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_CUSTOM_XML,
        "../customXml/item1.xml",
        false,
    );
    pkg.finish()
}

/// Shared-workbook history: `xl/revisions/revisionHeaders.xml` (workbook
/// rels type .../revisionHeaders; `userName="Jane Bloggs"`),
/// `xl/revisions/revisionLog1.xml` (revisionHeaders rels type .../revisionLog)
/// with `<rcc>` whose `<oc t="inlineStr">` old value is "John Smith" and new
/// value "Redacted", and `xl/usernames.xml` (type .../usernames).
pub fn shared_workbook_revisions() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    header(ws, 0, &["Complainant", "Ward", "Category"]);
    ws.write(1, 0, "Redacted").expect("write");
    ws.write(1, 1, "Mancroft").expect("write");
    ws.write(1, 2, "Incivility").expect("write");
    ws.write(2, 0, "Redacted").expect("write");
    ws.write(2, 1, "Eaton").expect("write");
    ws.write(2, 2, "Use of force").expect("write");
    let mut pkg = Pkg::open(&save(&mut wb));
    let g_header = "{2D4C6E8A-1B3D-4F5A-8C7E-9A0B1C2D3E4F}";
    let headers = "xl/revisions/revisionHeaders.xml";
    let log = "xl/revisions/revisionLog1.xml";
    pkg.set(
        headers,
        format!(
            "{XML_DECL}<headers xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_R}\" guid=\"{g_header}\" \
             lastGuid=\"{g_header}\" shared=\"1\" diskRevisions=\"1\" revisionId=\"2\" version=\"2\">\
             <header guid=\"{g_header}\" dateTime=\"2021-11-02T09:30:12\" maxSheetId=\"2\" \
             userName=\"Jane Bloggs\" r:id=\"rId1\" minRId=\"1\" maxRId=\"2\">\
             <sheetIdMap count=\"1\"><sheetId val=\"1\"/></sheetIdMap></header></headers>"
        ),
    );
    pkg.set(
        log,
        format!(
            "{XML_DECL}<revisions xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_R}\">\
             <rcc rId=\"1\" sId=\"1\"><oc r=\"A2\" t=\"inlineStr\"><is><t>John Smith</t></is></oc>\
             <nc r=\"A2\" t=\"inlineStr\"><is><t>Redacted</t></is></nc></rcc>\
             <rcc rId=\"2\" sId=\"1\"><oc r=\"A3\" t=\"inlineStr\"><is><t>Mary Jones, 07700 900318</t></is></oc>\
             <nc r=\"A3\" t=\"inlineStr\"><is><t>Redacted</t></is></nc></rcc></revisions>"
        ),
    );
    pkg.set(
        "xl/usernames.xml",
        format!(
            "{XML_DECL}<users xmlns=\"{NS_MAIN}\" xmlns:r=\"{NS_R}\" count=\"1\">\
             <userInfo guid=\"{g_header}\" name=\"Jane Bloggs\" id=\"482913\" \
             dateTime=\"2021-11-02T09:28:40\"/></users>"
        ),
    );
    pkg.add_override(headers, CT_REVISION_HEADERS);
    pkg.add_override(log, CT_REVISION_LOG);
    pkg.add_override("xl/usernames.xml", CT_USERNAMES);
    pkg.add_rel(
        "xl/revisions/_rels/revisionHeaders.xml.rels",
        REL_REVISION_LOG,
        "revisionLog1.xml",
        false,
    );
    pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_REVISION_HEADERS,
        "revisions/revisionHeaders.xml",
        false,
    );
    pkg.add_rel(
        "xl/_rels/workbook.xml.rels",
        REL_USERNAMES,
        "usernames.xml",
        false,
    );
    pkg.finish()
}

// ---------------------------------------------------------------------------
// 23-24. Extreme extent, encrypted, damaged and empty files.
// ---------------------------------------------------------------------------

/// Cells at A1 and XFD1048576 only (`<dimension ref="A1:XFD1048576"/>`); the
/// far cell holds a name. A dense grid over this extent is ~17 billion cells.
pub fn extreme_extent() -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "Crime statistics 2023").expect("write");
    ws.write(1_048_575, 16_383, "SMITH, John 07700 900123")
        .expect("write");
    save(&mut wb)
}

/// OLE compound file as written by Office for a password-protected OOXML
/// file: stream `EncryptionInfo` (version 4.4, flags 0x40 = agile, then the
/// XML descriptor) and `EncryptedPackage` (u64 size + pseudo-random bytes).
pub fn encrypted_ooxml() -> Vec<u8> {
    let b64 = |seed: u64, n: usize| base64(&pseudo_random_bytes(seed, n));
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
         <encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\" \
         xmlns:p=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\" \
         xmlns:c=\"http://schemas.microsoft.com/office/2006/keyEncryptor/certificate\">\
         <keyData saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm=\"AES\" \
         cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"{}\"/>\
         <dataIntegrity encryptedHmacKey=\"{}\" encryptedHmacValue=\"{}\"/>\
         <keyEncryptors><keyEncryptor uri=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\">\
         <p:encryptedKey spinCount=\"100000\" saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" \
         cipherAlgorithm=\"AES\" cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"{}\" \
         encryptedVerifierHashInput=\"{}\" encryptedVerifierHashValue=\"{}\" encryptedKeyValue=\"{}\"/>\
         </keyEncryptor></keyEncryptors></encryption>",
        b64(1, 16),
        b64(2, 64),
        b64(3, 64),
        b64(4, 16),
        b64(5, 16),
        b64(6, 64),
        b64(7, 32),
    );
    let mut info = vec![0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00];
    info.extend_from_slice(xml.as_bytes());
    let plain_size: u64 = 7_843;
    let mut package = plain_size.to_le_bytes().to_vec();
    package.extend(pseudo_random_bytes(0xE4C7_9A3B, 8_192));
    build_cfb(&[("/EncryptionInfo", info), ("/EncryptedPackage", package)])
}

/// The first 60% of hidden_sheet_roster() (no central directory).
pub fn truncated_xlsx() -> Vec<u8> {
    let mut bytes = hidden_sheet_roster();
    bytes.truncate(bytes.len() * 6 / 10);
    bytes
}

/// Zero bytes.
pub fn empty_file() -> Vec<u8> {
    Vec::new()
}

// ---------------------------------------------------------------------------
// Index of fixtures and the FOI-like corpus.
// ---------------------------------------------------------------------------

/// A fixture constructor.
pub type Builder = fn() -> Vec<u8>;

/// Every fixture by function name, for tests that iterate over all of them.
pub fn all_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let list: [(&'static str, Builder); 40] = [
        ("clean_crime_stats", clean_crime_stats),
        ("clean_rank_table", clean_rank_table),
        ("hidden_sheet_roster", hidden_sheet_roster),
        ("hidden_sheet_empty", hidden_sheet_empty),
        ("very_hidden_sheet", very_hidden_sheet),
        ("hidden_rows_with_data", hidden_rows_with_data),
        ("hidden_rows_empty", hidden_rows_empty),
        ("hidden_columns_with_data", hidden_columns_with_data),
        ("hidden_columns_empty", hidden_columns_empty),
        ("filtered_rows", filtered_rows),
        ("pivot_cache", pivot_cache),
        ("pivot_cache_orphaned", pivot_cache_orphaned),
        ("data_model", data_model),
        ("chart_with_cache", chart_with_cache),
        ("chart_cache_hidden_source", chart_cache_hidden_source),
        ("external_link_cache", external_link_cache),
        ("external_link_no_cache", external_link_no_cache),
        ("defined_name_hidden_constant", defined_name_hidden_constant),
        ("defined_name_plain", defined_name_plain),
        ("data_connection", data_connection),
        ("disguised_white_on_white", disguised_white_on_white),
        ("disguised_theme_colour", disguised_theme_colour),
        ("disguised_indexed_colour", disguised_indexed_colour),
        ("disguised_number_format", disguised_number_format),
        ("disguised_tiny_font", disguised_tiny_font),
        ("white_font_on_dark_fill", white_font_on_dark_fill),
        ("normal_formatting", normal_formatting),
        ("residual_shared_strings", residual_shared_strings),
        ("legacy_note", legacy_note),
        ("threaded_comment", threaded_comment),
        ("embedded_workbook", embedded_workbook),
        ("embedded_ole_package", embedded_ole_package),
        ("macro_workbook", macro_workbook),
        ("document_metadata", document_metadata),
        ("custom_xml_part", custom_xml_part),
        ("shared_workbook_revisions", shared_workbook_revisions),
        ("extreme_extent", extreme_extent),
        ("encrypted_ooxml", encrypted_ooxml),
        ("truncated_xlsx", truncated_xlsx),
        ("empty_file", empty_file),
    ];
    list.iter().map(|(n, f)| (*n, f())).collect()
}

/// One file of the sample corpus.
pub struct CorpusEntry {
    pub file: &'static str,
    pub build: Builder,
    /// Fixture function that builds it.
    pub fixture: &'static str,
    pub contains: &'static str,
    /// Expected verdict: "block", "pass", "warn" (flag but not block), or
    /// "error" (unreadable file).
    pub verdict: &'static str,
}

macro_rules! entry {
    ($file:expr, $f:ident, $contains:expr, $verdict:expr) => {
        CorpusEntry {
            file: $file,
            build: $f,
            fixture: stringify!($f),
            contains: $contains,
            verdict: $verdict,
        }
    };
}

/// The FOI-like sample set written to `corpus/` by the gen-corpus example.
pub fn corpus_index() -> Vec<CorpusEntry> {
    vec![
        entry!(
            "FOI-2023-0412-officers-by-rank.xlsx",
            clean_rank_table,
            "Officer headcount and FTE by rank; nothing hidden",
            "pass"
        ),
        entry!(
            "FOI-2023-0388-crime-by-month.xlsx",
            clean_crime_stats,
            "Offences by month; nothing hidden, no author",
            "pass"
        ),
        entry!(
            "FOI-2023-0415-staff-numbers-formatted.xlsx",
            normal_formatting,
            "Staff numbers with ordinary bold/italic/#,##0 formatting",
            "pass"
        ),
        entry!(
            "FOI-2023-0421-crime-by-ward-styled-header.xlsx",
            white_font_on_dark_fill,
            "White header text on dark blue fill (legitimate styling)",
            "pass"
        ),
        entry!(
            "FOI-2023-0433-crime-table-named-range.xlsx",
            defined_name_plain,
            "Visible defined name CrimeTable = Sheet1!$A$1:$B$5",
            "pass"
        ),
        entry!(
            "FOI-2023-0590-incidents-by-ward-chart.xlsx",
            chart_with_cache,
            "Chart whose caches mirror visible ward counts",
            "pass"
        ),
        entry!(
            "FOI-2023-0389-crime-by-month-reviewer-box.xlsx",
            hidden_textbox,
            "Hidden text box naming the reviewing officer over the crime table",
            "block"
        ),
        entry!(
            "FOI-2023-0977-staff-numbers-hidden-sheet.xlsx",
            hidden_sheet_roster,
            "Hidden sheet 'Sheet2' with 200 officers: surname, forename, rank, service no, department",
            "block"
        ),
        entry!(
            "FOI-2023-0978-crime-by-ward-empty-hidden-sheet.xlsx",
            hidden_sheet_empty,
            "Hidden sheet with no cells",
            "pass"
        ),
        entry!(
            "FOI-2022-0145-victim-support-referrals.xlsx",
            very_hidden_sheet,
            "veryHidden sheet 'Victims': names, addresses, DOBs, phones",
            "block"
        ),
        entry!(
            "FOI-2022-0203-burglary-by-ward.xlsx",
            hidden_rows_with_data,
            "Rows 5-9 hidden, holding victim names/addresses/DOBs",
            "block"
        ),
        entry!(
            "FOI-2022-0204-burglary-by-ward-v2.xlsx",
            hidden_rows_empty,
            "Rows 5-9 hidden but empty",
            "pass"
        ),
        entry!(
            "FOI-2022-0219-offences-by-case.xlsx",
            hidden_columns_with_data,
            "Column C hidden, holding dates of birth",
            "block"
        ),
        entry!(
            "FOI-2022-0220-crime-by-ward-hidden-column.xlsx",
            hidden_columns_empty,
            "Column E hidden but empty",
            "pass"
        ),
        entry!(
            "FOI-2023-0301-mile-cross-offences-filtered.xlsx",
            filtered_rows,
            "Active autofilter (Ward = Mile Cross) hiding 18 data rows",
            "block"
        ),
        entry!(
            "FOI-2024-0153-pivot-of-victims.xlsx",
            pivot_cache,
            "Pivot table + pivot cache whose records hold victim names, offences, wards, ages",
            "block"
        ),
        entry!(
            "FOI-2024-0160-offence-summary-values.xlsx",
            pivot_cache_orphaned,
            "Pivot cache with victim records but no pivot table and no source sheet",
            "block"
        ),
        entry!(
            "FOI-2024-0171-power-pivot-model.xlsx",
            data_model,
            "Power Pivot data model xl/model/item.data",
            "block"
        ),
        entry!(
            "FOI-2023-0702-complaints-per-officer-chart.xlsx",
            chart_cache_hidden_source,
            "Chart fed from hidden sheet 'ChartData'; officer names in c:strCache",
            "block"
        ),
        entry!(
            "FOI-2014-0088-housing-arrears-linked.xlsx",
            external_link_cache,
            "External link with cached tenant names/addresses; path names user jbloggs",
            "block"
        ),
        entry!(
            "FOI-2014-0089-housing-arrears-link-only.xlsx",
            external_link_no_cache,
            "External link to a file server, no cached values",
            "warn"
        ),
        entry!(
            "FOI-2023-0512-ward-lists-named.xlsx",
            defined_name_hidden_constant,
            "Hidden defined names: constant {\"Smith\",\"Jones\"} and a range",
            "block"
        ),
        entry!(
            "FOI-2023-0611-custody-throughput.xlsx",
            data_connection,
            "connections.xml with server POLSQL01, user id and password, SQL naming detainee fields",
            "block"
        ),
        entry!(
            "FOI-2022-0350-crime-by-ward-white-text.xlsx",
            disguised_white_on_white,
            "Names in white font on white fill (RGB)",
            "block"
        ),
        entry!(
            "FOI-2022-0351-crime-by-ward-theme-text.xlsx",
            disguised_theme_colour,
            "Names in theme colour 0 (white) on white fill",
            "block"
        ),
        entry!(
            "FOI-2022-0352-crime-by-ward-indexed-text.xlsx",
            disguised_indexed_colour,
            "Names in indexed colour 9 on indexed fill 9 (white on white)",
            "block"
        ),
        entry!(
            "FOI-2022-0353-crime-by-ward-blank-format.xlsx",
            disguised_number_format,
            "Names hidden by number format ;;;",
            "block"
        ),
        entry!(
            "FOI-2022-0354-crime-by-ward-small-print.xlsx",
            disguised_tiny_font,
            "Names in 1-point font",
            "block"
        ),
        entry!(
            "FOI-2023-0120-crime-by-month-reissued.xlsx",
            residual_shared_strings,
            "Shared strings holding names/addresses no cell uses",
            "block"
        ),
        entry!(
            "FOI-2023-0131-crime-by-ward-notes.xlsx",
            legacy_note,
            "Legacy note by 'DS Raj Patel' naming a victim",
            "block"
        ),
        entry!(
            "FOI-2023-0132-crime-by-ward-comments.xlsx",
            threaded_comment,
            "Threaded comment by Jane Bloggs (person list with e-mail) naming a victim",
            "block"
        ),
        entry!(
            "FOI-2023-0900-staff-by-department-embedded.xlsx",
            embedded_workbook,
            "Embedded xlsx (the hidden-sheet roster) in xl/embeddings",
            "block"
        ),
        entry!(
            "FOI-2023-0901-referrals-embedded-file.xlsx",
            embedded_ole_package,
            "OLE Package oleObject1.bin wrapping victims-list.csv",
            "block"
        ),
        entry!(
            "FOI-2022-0311-macro-enabled.xlsm",
            macro_workbook,
            "VBA project with Module1 naming DS Patel",
            "block"
        ),
        entry!(
            "FOI-2023-0150-crime-by-ward-properties.xlsx",
            document_metadata,
            "Author, last modified by, company, manager, custom property naming staff",
            "block"
        ),
        entry!(
            "FOI-2023-0160-crime-by-ward-sharepoint.xlsx",
            custom_xml_part,
            "customXml item naming case officer and requester",
            "block"
        ),
        entry!(
            "FOI-2021-0777-complaints-shared-workbook.xlsx",
            shared_workbook_revisions,
            "Shared-workbook revision log with old values 'John Smith', user names",
            "block"
        ),
        entry!(
            "FOI-2023-0999-crime-stats-large-extent.xlsx",
            extreme_extent,
            "Cells at A1 and XFD1048576 (a name far from the data); must not exhaust memory",
            "block"
        ),
        entry!(
            "FOI-2024-0201-password-protected.xlsx",
            encrypted_ooxml,
            "Encrypted OOXML (CFB with EncryptionInfo/EncryptedPackage): cannot be inspected",
            "block"
        ),
        entry!(
            "FOI-2024-0202-damaged-download.xlsx",
            truncated_xlsx,
            "First 60% of a workbook (truncated zip)",
            "error"
        ),
        entry!(
            "FOI-2024-0203-empty-attachment.xlsx",
            empty_file,
            "Zero-byte file",
            "error"
        ),
    ]
}

/// The sample corpus as (file name, bytes).
pub fn corpus() -> Vec<(&'static str, Vec<u8>)> {
    corpus_index()
        .into_iter()
        .map(|e| (e.file, (e.build)()))
        .collect()
}

// ---------------------------------------------------------------------------
// Shapes.
// ---------------------------------------------------------------------------

/// Crime table with a text box naming the reviewing officer; `hidden` sets the shape's
/// `cNvPr hidden="1"` so the box is invisible while its text stays in the drawing part.
pub fn textbox_note(hidden: bool) -> Vec<u8> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Crime by month").expect("name");
    crime_by_month_table(ws);
    let shape = rust_xlsxwriter::Shape::textbox().set_text("Checked by DS Raj PATEL 4821");
    ws.insert_shape(3, 5, &shape).expect("shape");
    let bytes = save(&mut wb);
    if !hidden {
        return bytes;
    }
    let mut pkg = Pkg::open(&bytes);
    pkg.edit("xl/drawings/drawing1.xml", |xml| {
        xml.replacen("<xdr:cNvPr ", "<xdr:cNvPr hidden=\"1\" ", 1)
    });
    pkg.finish()
}

/// [`textbox_note`] with the shape hidden.
pub fn hidden_textbox() -> Vec<u8> {
    textbox_note(true)
}

// ---------------------------------------------------------------------------
// Large workbooks for benchmarks and the end-to-end corpus.
// ---------------------------------------------------------------------------

/// A crime-records workbook of `rows` rows × 8 columns (text and numbers, shared strings),
/// with every `hide_every`-th row hidden (0: none). Used to measure scan throughput.
pub fn large_crime_records(rows: u32, hide_every: u32) -> Vec<u8> {
    const WARDS: [&str; 8] = [
        "Mile Cross",
        "Mancroft",
        "Thorpe Hamlet",
        "Lakenham",
        "Bowthorpe",
        "Catton Grove",
        "Eaton",
        "Nelson",
    ];
    const OFFENCES: [&str; 6] = [
        "Burglary",
        "Criminal damage",
        "Theft from vehicle",
        "Assault",
        "Shoplifting",
        "Robbery",
    ];
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Records").expect("name");
    header(
        ws,
        0,
        &[
            "Ref", "Month", "Ward", "Offence", "Outcome", "Count", "Value", "Notes",
        ],
    );
    for r in 1..=rows {
        let i = r as usize;
        ws.write(r, 0, format!("NC/{:06}/23", r)).expect("write");
        ws.write(r, 1, format!("2023-{:02}", i % 12 + 1))
            .expect("write");
        ws.write(r, 2, WARDS[i % WARDS.len()]).expect("write");
        ws.write(r, 3, OFFENCES[i % OFFENCES.len()]).expect("write");
        ws.write(
            r,
            4,
            if i % 3 == 0 {
                "Charged"
            } else {
                "No further action"
            },
        )
        .expect("write");
        ws.write(r, 5, (i % 17) as u32).expect("write");
        ws.write(r, 6, (i * 37 % 5000) as f64 + 0.5).expect("write");
        ws.write(
            r,
            7,
            format!("Report {} reviewed by the crime desk", i % 977),
        )
        .expect("write");
        if hide_every > 0 && r % hide_every == 0 {
            ws.set_row_hidden(r).expect("hide");
        }
    }
    save(&mut wb)
}
