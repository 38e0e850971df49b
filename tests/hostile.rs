//! Hostile and broken input (issue 14, point 4), beyond what `tests/safety.rs` covers: every
//! case gives a clear `unscannable` naming what is wrong, or a correct scan; never a crash and
//! never a silent pass. Zip containers with structural tricks are written by the small zip
//! writer below, since no real writer produces them (that is the point); password-protected
//! files come from real writers (tests/data/encrypted/make.py).

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::{Finding, Limits, Severity, Verdict};

fn unscannable(findings: &[Finding]) -> Vec<&Finding> {
    of_rule(findings, "unscannable")
}

/// The single unscannable finding, critical and hidden, whose message holds every `needle`.
fn blocked_because<'a>(findings: &'a [Finding], needles: &[&str]) -> &'a Finding {
    let f = only(findings, "unscannable");
    assert_eq!(f.severity, Severity::Critical);
    for n in needles {
        assert!(f.message.contains(n), "{n:?} not in: {}", f.message);
    }
    f
}

fn data(dir: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// ---------------------------------------------------------------------------
// A zip writer that can lie: stored or pre-deflated data, names of any bytes, local headers
// that differ from the central directory.
// ---------------------------------------------------------------------------

struct Entry {
    name: Vec<u8>,
    /// Data as stored (already deflated when `deflated`).
    data: Vec<u8>,
    deflated: bool,
    crc: u32,
    size: u64,
    /// Set the UTF-8 flag (general purpose bit 11).
    utf8: bool,
    /// What the local header says instead, when it disagrees with the central directory.
    local_name: Option<Vec<u8>>,
    local_size: Option<u32>,
}

impl Entry {
    fn stored(name: &str, data: &[u8]) -> Entry {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        Entry {
            name: name.as_bytes().to_vec(),
            data: data.to_vec(),
            deflated: false,
            crc: crc.sum(),
            size: data.len() as u64,
            utf8: true,
            local_name: None,
            local_size: None,
        }
    }
}

/// Every part of a real package, stored.
fn entries_of(package: &[u8]) -> Vec<Entry> {
    unzip(package)
        .iter()
        .map(|(n, d)| Entry::stored(n, d))
        .collect()
}

fn raw_zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let method: u16 = if e.deflated { 8 } else { 0 };
        let flags: u16 = if e.utf8 { 1 << 11 } else { 0 };
        let size = u32::try_from(e.size).expect("under 4 GiB");
        let local_name = e.local_name.as_ref().unwrap_or(&e.name);
        let header = |out: &mut Vec<u8>, name: &[u8], size: u32| {
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&flags.to_le_bytes());
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0, 0, 0x21, 0]); // 1980-01-01 00:00
            out.extend_from_slice(&e.crc.to_le_bytes());
            out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(b"PK\x03\x04");
        header(&mut out, local_name, e.local_size.unwrap_or(size));
        out.extend_from_slice(local_name);
        out.extend_from_slice(&e.data);

        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        header(&mut central, &e.name, size);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
    }
    let dir_start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&dir_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// `prefix`, then `chunk` `times` over, then `suffix`, deflated without ever holding the
/// inflated bytes: the chunk is compressed once after a full flush (which resets the
/// window, so every copy compresses to the same bytes) and the copies are concatenated.
fn deflated_repeat(prefix: &[u8], chunk: &[u8], times: usize, suffix: &[u8]) -> Entry {
    use flate2::{Compress, Compression, FlushCompress};
    fn run(c: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len() / 2 + 1024);
        let mut consumed = 0;
        loop {
            out.reserve(64 * 1024);
            let before_in = c.total_in();
            c.compress_vec(&input[consumed..], &mut out, flush)
                .expect("deflate");
            consumed += (c.total_in() - before_in) as usize;
            if consumed == input.len() && out.len() < out.capacity() {
                return out;
            }
        }
    }
    let mut c = Compress::new(Compression::best(), false);
    let mut data = run(&mut c, prefix, FlushCompress::Full);
    let one = run(&mut c, chunk, FlushCompress::Full);
    // A second copy must compress the same: the window was reset by the flush.
    assert_eq!(run(&mut c, chunk, FlushCompress::Full), one);
    for _ in 0..times {
        data.extend_from_slice(&one);
    }
    data.extend(run(&mut c, suffix, FlushCompress::Finish));

    let mut crc = flate2::Crc::new();
    crc.update(prefix);
    let mut chunk_crc = flate2::Crc::new();
    chunk_crc.update(chunk);
    for _ in 0..times {
        crc.combine(&chunk_crc);
    }
    let mut tail = flate2::Crc::new();
    tail.update(suffix);
    crc.combine(&tail);
    Entry {
        name: Vec::new(),
        data,
        deflated: true,
        crc: crc.sum(),
        size: (prefix.len() + chunk.len() * times + suffix.len()) as u64,
        utf8: true,
        local_name: None,
        local_size: None,
    }
}

/// A workbook whose first sheet is 1 GiB of XML: a start tag, 1 GiB of spaces, the end tag.
fn one_gib_sheet_bomb(lie: bool) -> Vec<u8> {
    let mut entries = entries_of(&fixtures::clean_crime_stats());
    let sheet = "xl/worksheets/sheet1.xml";
    let i = entries
        .iter()
        .position(|e| e.name == sheet.as_bytes())
        .expect("sheet1");
    let mut bomb = deflated_repeat(
        b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
        &vec![b' '; 1 << 20],
        1024,
        b"</sheetData></worksheet>",
    );
    bomb.name = sheet.as_bytes().to_vec();
    assert!(bomb.size > 1 << 30 && bomb.data.len() < 2 << 20);
    if lie {
        bomb.size = 2048;
    }
    entries[i] = bomb;
    raw_zip(&entries)
}

// ---------------------------------------------------------------------------
// Garbage.
// ---------------------------------------------------------------------------

/// Random bytes named as every office format: the name is never trusted, and the file blocks.
#[test]
fn random_bytes_with_any_office_extension_block() {
    let bytes = fixtures::pseudo_random_bytes(41, 20_000);
    for name in [
        "x.xlsx", "x.docx", "x.pptx", "x.xls", "x.doc", "x.ppt", "x.pdf", "x.ods",
    ] {
        let report = scan_as_file(&bytes, name, Severity::Critical);
        assert_eq!(report.verdict, Verdict::Block, "{name}");
        assert_eq!(report.format, "binary", "{name}: sniffed from content");
        let f = only(&report.findings, "unscannable");
        assert!(
            !f.message.contains("parser failed"),
            "{name}: {}",
            f.message
        );
    }
}

// ---------------------------------------------------------------------------
// Decompression bombs.
// ---------------------------------------------------------------------------

#[test]
fn a_one_gib_part_is_refused_before_it_inflates() {
    let bomb = one_gib_sheet_bomb(false);
    assert!(bomb.len() < 4 << 20, "{} bytes", bomb.len());
    // By the part-size cap, which names its key.
    let findings = scan(&bomb).1;
    let f = blocked_because(
        &findings,
        &[
            "over the limit of 512 MiB",
            "limits.max_part_bytes in foiguard.toml raises it",
        ],
    );
    assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet1.xml"));
    // With the size caps raised, by the compression ratio, still before inflating.
    let limits = Limits {
        max_part_bytes: 4 << 30,
        max_total_inflated: 8 << 30,
        ..Limits::default()
    };
    let findings = findings_with(&bomb, &limits);
    blocked_because(
        &findings,
        &[
            "ratio over the limit of 250",
            "limits.max_compression_ratio",
        ],
    );
}

#[test]
fn a_deflate_stream_lying_about_its_size_is_stopped_while_inflating() {
    // The headers say 2 KiB; the stream inflates to 1 GiB. Reading stops as soon as it
    // passes the declared size (the zip crate checks; the part and ratio caps stand behind
    // it), after 2 KiB, not 1 GiB.
    let bomb = one_gib_sheet_bomb(true);
    let findings = scan(&bomb).1;
    let f = blocked_because(&findings, &["larger than its declared uncompressed size"]);
    assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet1.xml"));
    // Other sheets are still read: the workbook's other findings are not lost.
    assert_eq!(
        scan_as_file(&bomb, "b.xlsx", Severity::Critical).verdict,
        Verdict::Block
    );
}

#[test]
fn an_honest_highly_compressed_part_within_the_ratio_is_read() {
    // 4 MiB of a repeated row compresses far less than a bomb: read, not refused.
    let row = "<row><c t=\"inlineStr\"><is><t>Burglary 12</t></is></c></row>";
    let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
    pkg.edit("xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find("</sheetData>").expect("sheetData");
        let mut rows = String::new();
        while rows.len() < 4 << 20 {
            rows.push_str(row);
        }
        format!("{}{rows}{}", &xml[..at], &xml[at..])
    });
    let findings = scan(&pkg.finish()).1;
    assert!(unscannable(&findings).is_empty(), "{}", dump(&findings));
}

// ---------------------------------------------------------------------------
// XML entities.
// ---------------------------------------------------------------------------

const LAUGHS: &str = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n\
<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n\
<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n\
<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n\
<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n\
<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n\
<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n\
<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n\
<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n\
]>\n";

fn sheet_with_doctype(doctype: &str, text: &str) -> Vec<u8> {
    let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
    pkg.set(
        "xl/worksheets/sheet1.xml",
        format!(
            "{doctype}<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
             <sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>{text}</t></is></c></row>\
             </sheetData></worksheet>"
        ),
    );
    pkg.finish()
}

fn letter_with_doctype(doctype: &str, text: &str) -> Vec<u8> {
    let mut pkg = fixtures::Pkg::open(&data("docx", "clean-letter.docx"));
    pkg.set(
        "word/document.xml",
        format!(
            "{doctype}<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        ),
    );
    pkg.finish()
}

#[test]
fn billion_laughs_in_a_sheet_and_in_a_document_is_refused_unexpanded() {
    for (bytes, part) in [
        (
            sheet_with_doctype(LAUGHS, "&lol9;"),
            "xl/worksheets/sheet1.xml",
        ),
        (letter_with_doctype(LAUGHS, "&lol9;"), "word/document.xml"),
    ] {
        let (findings, items) = scan_items(&bytes);
        let f = unscannable(&findings)
            .into_iter()
            .find(|f| f.location.part.as_deref() == Some(part))
            .unwrap_or_else(|| panic!("{part} not refused:\n{}", dump(&findings)));
        assert!(f.message.contains("DTD"), "{}", f.message);
        assert!(
            items.iter().all(|i| !i.text.contains("lollol")),
            "an entity was expanded"
        );
    }
}

#[test]
fn an_external_entity_is_never_read_and_never_passes() {
    let doctype =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n";
    for (bytes, part) in [
        (
            sheet_with_doctype(doctype, "&xxe;"),
            "xl/worksheets/sheet1.xml",
        ),
        (letter_with_doctype(doctype, "&xxe;"), "word/document.xml"),
    ] {
        let (findings, items) = scan_items(&bytes);
        assert!(
            unscannable(&findings)
                .iter()
                .any(|f| f.location.part.as_deref() == Some(part) && f.message.contains("DTD")),
            "{}",
            dump(&findings)
        );
        assert!(
            items.iter().all(|i| !i.text.contains("root:")),
            "/etc/passwd was read"
        );
        assert_eq!(
            scan_as_file(&bytes, "x", Severity::Critical).verdict,
            Verdict::Block
        );
    }
}

// ---------------------------------------------------------------------------
// Deep embedding and deep XML.
// ---------------------------------------------------------------------------

#[test]
fn embeddings_nested_twelve_deep_stop_at_the_depth_limit() {
    let mut bytes = fixtures::hidden_sheet_roster();
    for _ in 0..12 {
        let mut pkg = fixtures::Pkg::open(&fixtures::embedded_workbook());
        pkg.set("xl/embeddings/Microsoft_Excel_Worksheet.xlsx", bytes);
        bytes = pkg.finish();
    }
    let findings = scan(&bytes).1;
    let f = blocked_because(
        &findings,
        &[
            "embedding deeper than 4 levels",
            "limits.max_embedding_depth",
        ],
    );
    assert_eq!(f.location.container.len(), 4);
    assert_eq!(of_rule(&findings, "embedded-object").len(), 5);
    // Raised in the config, the same file is read to the bottom.
    let limits = Limits {
        max_embedding_depth: 12,
        ..Limits::default()
    };
    let findings = findings_with(&bytes, &limits);
    assert!(unscannable(&findings).is_empty(), "{}", dump(&findings));
    assert_eq!(only(&findings, "hidden-sheet").location.container.len(), 12);
}

#[test]
fn xml_nested_past_the_depth_limit_is_unscannable_and_names_the_key() {
    // 300 nested elements inside a cell's rich text: deeper than the default of 256.
    let deep = format!("{}x{}", "<r>".repeat(300), "</r>".repeat(300));
    let bytes = sheet_with_doctype("", &deep);
    let findings = scan(&bytes).1;
    let f = blocked_because(&findings, &["limit of 256 levels", "limits.max_xml_depth"]);
    assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet1.xml"));
    // Within a raised limit, the part is read.
    let limits = Limits {
        max_xml_depth: 1000,
        ..Limits::default()
    };
    assert!(unscannable(&findings_with(&bytes, &limits)).is_empty());
}

// ---------------------------------------------------------------------------
// Encryption: files written and encrypted by real writers (tests/data/encrypted/make.py).
// ---------------------------------------------------------------------------

#[test]
fn office_encrypted_xlsx_and_docx_and_an_aes256_pdf_are_unscannable() {
    for name in ["protected.xlsx", "protected.docx", "protected.pdf"] {
        let bytes = data("encrypted", name);
        let report = scan_as_file(&bytes, name, Severity::Critical);
        assert_eq!(report.verdict, Verdict::Block, "{name}");
        let f = blocked_because(&report.findings, &["password"]);
        assert!(
            f.location.part.is_none() || name.ends_with(".pdf"),
            "{name}"
        );
    }
}

// ---------------------------------------------------------------------------
// Broken PDFs.
// ---------------------------------------------------------------------------

/// A one-page PDF saying `text`, from lopdf (which writes a classic xref table).
fn simple_pdf(text: &str) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 700.into()]),
            Operation::new("Tj", vec![Object::string_literal(text)]),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().expect("content"),
    ));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

const LETTER: &str = "Please call Sergeant Okafor on 07700 900461 about the case.";

fn pdf_items(bytes: &[u8]) -> (Vec<Finding>, Vec<foiguard::OwnedItem>) {
    let engine = foiguard::detect::Engine::structural_only();
    let (_, findings, items) = foiguard::scan_bytes(bytes, &Limits::default(), &engine, true);
    (findings, items)
}

#[test]
fn a_pdf_with_a_broken_xref_is_rebuilt_and_read() {
    let good = simple_pdf(LETTER);
    let xref = good
        .windows(5)
        .rposition(|w| w == b"xref\n")
        .expect("xref table");
    // Every offset in the table points nowhere: lopdf rebuilds the table by scanning for
    // objects, and the page is read as written.
    let mut broken = good.clone();
    for b in &mut broken[xref + 5..] {
        if b.is_ascii_digit() {
            *b = b'9';
        }
        if *b == b't' {
            break; // "trailer"
        }
    }
    assert_ne!(broken, good);
    let (findings, items) = pdf_items(&broken);
    assert!(unscannable(&findings).is_empty(), "{}", dump(&findings));
    assert!(
        items.iter().any(|i| i.text.contains("07700 900461")),
        "the page text is read after the repair"
    );
    // With the table cut off altogether, the same holds.
    let (findings, items) = pdf_items(&good[..xref]);
    let read = items.iter().any(|i| i.text.contains("07700 900461"));
    assert!(
        read || !unscannable(&findings).is_empty(),
        "neither read nor refused:\n{}",
        dump(&findings)
    );
}

#[test]
fn a_pdf_with_a_cyclic_page_tree_does_not_hang_and_reads_its_page_once() {
    // The page tree's Kids hold the tree itself: a reader that follows it naively never ends.
    let good = simple_pdf(LETTER);
    let mut doc = lopdf::Document::load_mem(&good).expect("load");
    let pages = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(lopdf::Object::as_reference)
        .expect("pages");
    let tree = doc.get_dictionary_mut(pages).expect("pages dict");
    let mut kids = tree
        .get(b"Kids")
        .and_then(lopdf::Object::as_array)
        .expect("kids")
        .clone();
    kids.push(pages.into());
    tree.set("Kids", kids);
    tree.set("Count", 2);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    let (findings, items) = pdf_items(&bytes);
    // The cycle holds no content: the one real page is read, once, and the file is judged
    // on it (the letter's phone number would block it with the detectors on).
    let hits = items
        .iter()
        .filter(|i| i.text.contains("07700 900461"))
        .count();
    assert_eq!(hits, 1, "{}", dump_items(&items));
    assert!(unscannable(&findings).is_empty(), "{}", dump(&findings));
}

// ---------------------------------------------------------------------------
// Zip names and headers.
// ---------------------------------------------------------------------------

#[test]
fn entries_named_with_dot_dot_are_scanned_and_named_safely() {
    let mut entries = entries_of(&fixtures::clean_crime_stats());
    let secret = "Witness: SMITH, John 07700 900461";
    entries.push(Entry::stored("../../evil/notes.txt", secret.as_bytes()));
    let bytes = raw_zip(&entries);
    let engine = foiguard::detect::Engine::structural_only();
    let (_, findings, items) = foiguard::scan_bytes(&bytes, &Limits::default(), &engine, true);
    // The part is looked at (its text reaches the detectors), and only named, never used
    // as a path.
    assert!(
        items.iter().any(|i| i.text.contains("07700 900461")),
        "{}\n{}",
        dump(&findings),
        dump_items(&items)
    );
    let report = scan_as_file(&bytes, "x.xlsx", Severity::High);
    assert_eq!(report.verdict, Verdict::Block);
    let residue = only(&report.findings, "residual-data");
    assert!(
        residue.message.contains("../../evil/notes.txt"),
        "{}",
        residue.message
    );
}

#[test]
fn control_characters_in_entry_names_are_escaped_in_reports() {
    let mut entries = entries_of(&fixtures::clean_crime_stats());
    let name = "notes\u{1b}[31mRED\nFAKE LINE.txt";
    entries.push(Entry::stored(name, b"Witness: SMITH, John 07700 900461"));
    let report = scan_as_file(&raw_zip(&entries), "x.xlsx", Severity::High);
    let residue = only(&report.findings, "residual-data");
    let part = residue.location.part.as_deref().expect("part");
    assert!(
        !part.chars().any(char::is_control) && !residue.message.chars().any(char::is_control),
        "{part:?} {:?}",
        residue.message
    );
    assert!(part.contains("\\u{1b}[31mRED\\nFAKE"), "{part}");
}

#[test]
fn entries_with_non_utf8_names_are_scanned_and_named_safely() {
    let secret = "Witness: SMITH, John 07700 900461";
    for utf8_flag in [false, true] {
        let mut entries = entries_of(&fixtures::clean_crime_stats());
        let mut e = Entry::stored("", secret.as_bytes());
        e.name = b"notes-\xff\xfe\x80.txt".to_vec();
        e.utf8 = utf8_flag;
        entries.push(e);
        let bytes = raw_zip(&entries);
        let engine = foiguard::detect::Engine::structural_only();
        let (_, findings, items) = foiguard::scan_bytes(&bytes, &Limits::default(), &engine, true);
        assert!(
            items.iter().any(|i| i.text.contains("07700 900461")),
            "flag {utf8_flag}: {}\n{}",
            dump(&findings),
            dump_items(&items)
        );
        let report = scan_as_file(&bytes, "x.xlsx", Severity::High);
        assert_eq!(report.verdict, Verdict::Block);
        // Whatever names the part, the report is valid UTF-8 JSON.
        serde_json::to_string(&report.findings).expect("serialises");
    }
}

#[test]
fn a_duplicate_entry_is_unscannable_and_named() {
    // The second copy of the sheet holds the personal data; the zip crate would keep one.
    let mut entries = entries_of(&fixtures::clean_crime_stats());
    let sheet =
        fixtures::Pkg::open(&fixtures::hidden_sheet_roster()).text("xl/worksheets/sheet2.xml");
    entries.push(Entry::stored("xl/worksheets/sheet1.xml", sheet.as_bytes()));
    let findings = scan(&raw_zip(&entries)).1;
    blocked_because(&findings, &["'xl/worksheets/sheet1.xml' twice"]);

    // The same part under a name that differs only in case is the same OPC part.
    let mut entries = entries_of(&fixtures::clean_crime_stats());
    entries.push(Entry::stored("xl/worksheets/Sheet1.xml", sheet.as_bytes()));
    let findings = scan(&raw_zip(&entries)).1;
    blocked_because(&findings, &["'xl/worksheets/Sheet1.xml' twice", "case"]);
}

#[test]
fn local_and_central_headers_that_disagree_are_unscannable() {
    let base = entries_of(&fixtures::clean_crime_stats());
    assert!(
        unscannable(&scan(&raw_zip(&base)).1).is_empty(),
        "the writer is sound"
    );
    let sheet = base
        .iter()
        .position(|e| e.name == b"xl/worksheets/sheet1.xml")
        .expect("sheet1");
    // Another name in the local header.
    let mut entries = entries_of(&fixtures::clean_crime_stats());
    entries[sheet].local_name = Some(b"xl/worksheets/sheet9.xml".to_vec());
    let findings = scan(&raw_zip(&entries)).1;
    blocked_because(&findings, &["local and central headers disagree"]);
    // Another size in the local header.
    let mut entries = entries_of(&fixtures::clean_crime_stats());
    entries[sheet].local_size = Some(7);
    let findings = scan(&raw_zip(&entries)).1;
    blocked_because(&findings, &["local and central headers disagree"]);
}

// ---------------------------------------------------------------------------
// A sheet that claims a million rows.
// ---------------------------------------------------------------------------

#[test]
fn a_sheet_claiming_a_million_rows_with_two_cells_scans_correctly() {
    let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
    pkg.set(
        "xl/worksheets/sheet1.xml",
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <dimension ref=\"A1:XFD1048576\"/><sheetData>\
         <row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Ward</t></is></c></row>\
         <row r=\"2\"><c r=\"B2\"><v>12</v></c></row>\
         </sheetData></worksheet>",
    );
    let bytes = pkg.finish();
    let (findings, items) = scan_items(&bytes);
    assert!(unscannable(&findings).is_empty(), "{}", dump(&findings));
    cell(&items, "Crime by month", "A1");
    cell(&items, "Crime by month", "B2");
    // The claimed extent allocates nothing: the scan runs in a child limited to 512 MiB of
    // address space (a grid of the claimed 17 billion cells would need far more).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("claims.xlsx");
    std::fs::write(&path, &bytes).expect("write");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_foiguard"));
    cmd.args(["scan", "--format", "json", "-j", "1"]).arg(&path);
    // SAFETY: the closure runs in the forked child before exec and only calls setrlimit,
    // which is async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            let limit = libc::rlimit {
                rlim_cur: 512 << 20,
                rlim_max: 512 << 20,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let out = cmd.output().expect("run");
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    // The same findings as in process: the shared strings the replaced sheet no longer
    // uses are residual data, and nothing is unscannable.
    let rules: Vec<&str> = report["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, rule_ids(&findings), "{report:#}");
    assert_eq!(rules, ["residual-data"]);
}

// ---------------------------------------------------------------------------
// Every limit names its key.
// ---------------------------------------------------------------------------

/// Each limit, lowered far enough for an ordinary file to go over it, makes the file
/// unscannable with a reason naming the key that raises it; at its default the file is read.
#[test]
fn every_limit_lowered_names_its_key_and_the_default_reads_the_file() {
    let two_pages = {
        let mut doc = lopdf::Document::load_mem(&simple_pdf(LETTER)).expect("load");
        let pages = doc
            .catalog()
            .and_then(|c| c.get(b"Pages"))
            .and_then(lopdf::Object::as_reference)
            .expect("pages");
        let kids = doc
            .get_dictionary(pages)
            .and_then(|d| d.get(b"Kids"))
            .and_then(lopdf::Object::as_array)
            .expect("kids")
            .clone();
        let first = kids[0].as_reference().expect("page");
        let copy = doc.get_object(first).expect("page").clone();
        let second = doc.add_object(copy);
        let tree = doc.get_dictionary_mut(pages).expect("pages");
        tree.set("Kids", vec![first.into(), second.into()]);
        tree.set("Count", 2);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    };
    let xls = data("xls", "clean.xls");
    let xlsb = data("xlsb", "clean.xlsb");
    let xlsx = fixtures::hidden_sheet_roster();
    let cases: Vec<(&str, &[u8], Limits)> = vec![
        (
            "max_biff_records",
            &xls,
            Limits {
                max_biff_records: 10,
                ..Limits::default()
            },
        ),
        (
            "max_biff_records",
            &xlsb,
            Limits {
                max_biff_records: 10,
                ..Limits::default()
            },
        ),
        (
            "max_shared_strings",
            &xlsx,
            Limits {
                max_shared_strings: 1,
                ..Limits::default()
            },
        ),
        (
            "max_xml_depth",
            &xlsx,
            Limits {
                max_xml_depth: 2,
                ..Limits::default()
            },
        ),
        (
            "max_entries",
            &xlsx,
            Limits {
                max_entries: 3,
                ..Limits::default()
            },
        ),
        (
            "max_part_bytes",
            &xlsx,
            Limits {
                max_part_bytes: 1024,
                ..Limits::default()
            },
        ),
        (
            "max_total_inflated",
            &xlsx,
            Limits {
                max_total_inflated: 4096,
                ..Limits::default()
            },
        ),
        (
            "max_time",
            &xlsx,
            Limits {
                max_time: std::time::Duration::ZERO,
                ..Limits::default()
            },
        ),
        (
            "max_pdf_pages",
            &two_pages,
            Limits {
                max_pdf_pages: 1,
                ..Limits::default()
            },
        ),
        (
            "max_pdf_objects",
            &two_pages,
            Limits {
                max_pdf_objects: 3,
                ..Limits::default()
            },
        ),
    ];
    for (key, bytes, limits) in cases {
        let findings = findings_with(bytes, &limits);
        let hits = unscannable(&findings);
        assert!(
            hits.iter().any(|f| f
                .message
                .contains(&format!("(limits.{key} in foiguard.toml raises it)"))),
            "{key}:\n{}",
            dump(&findings)
        );
        assert!(
            unscannable(&findings_with(bytes, &Limits::default())).is_empty(),
            "{key}: the default reads the file"
        );
    }
}

/// Damage the tolerant tokenizers used to read past (found by scripts/mutate.py): a sheet
/// whose bytes are not UTF-8, and tags whose attributes are not `name="value"` pairs, in the
/// sheet (read by the fast tag scanner) and in the workbook's relationships and styles (read
/// by the quick-xml reader). Each is refused at its part; the same sheet undamaged, with
/// accented text, is read.
#[test]
fn parts_with_stray_bytes_or_damaged_tags_are_refused_at_that_part() {
    const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let sheet = |ns: &[u8], cell: &str| -> Vec<u8> {
        let mut xml = b"<worksheet xmlns=\"".to_vec();
        xml.extend_from_slice(ns);
        xml.extend_from_slice(
            format!("\"><sheetData><row r=\"1\">{cell}</row></sheetData></worksheet>").as_bytes(),
        );
        xml
    };
    let good_cell = "<c r=\"A1\" t=\"inlineStr\"><is><t>Zoë Ñúñez</t></is></c>";
    let mut damaged_ns = NS.as_bytes().to_vec();
    damaged_ns.splice(30..30, [0xFF, 0xFE]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "xl/worksheets/sheet1.xml",
            sheet(&damaged_ns, good_cell),
            "not UTF-8",
        ),
        (
            "xl/worksheets/sheet1.xml",
            sheet(
                NS.as_bytes(),
                "<c r=\"A1\" t=\"inlineStr\"><is><t x=</t></is></c>",
            ),
            "not name=\"value\" pairs",
        ),
        (
            "xl/worksheets/sheet1.xml",
            sheet(NS.as_bytes(), "<c r=\"A1\" s=\"</1\"><v>1</v></c>"),
            "holds a '<'",
        ),
        // Found by scripts/mutate.py: a character XML does not allow, and a misspelt
        // declaration, each once read past.
        (
            "xl/worksheets/sheet1.xml",
            sheet(NS.as_bytes(), "<c r=\"A1\"><v>1&#0;</v></c>"),
            "character reference",
        ),
        (
            "xl/worksheets/sheet1.xml",
            [
                b"<?xml versson=\"1.0\"?>".as_slice(),
                &sheet(NS.as_bytes(), good_cell),
            ]
            .concat(),
            "malformed XML declaration",
        ),
    ];
    for (part, xml, why) in cases {
        let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
        pkg.set(part, xml);
        let (_, findings) = scan(&pkg.finish());
        let f = blocked_because(&findings, &[why, "line 1"]);
        assert_eq!(f.location.part.as_deref(), Some(part), "{}", f.message);
    }

    let rels = "xl/_rels/workbook.xml.rels";
    let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
    pkg.replace(rels, " xmlns=", " xml<![CDATA[ns=");
    // The damaged relationships also cost the workbook its sheets, so the part's own
    // finding is looked for among several.
    let refused_at = |findings: &[Finding], part: &str, why: &str| {
        assert!(
            unscannable(findings)
                .iter()
                .any(|f| f.location.part.as_deref() == Some(part) && f.message.contains(why)),
            "{}",
            dump(findings)
        );
    };
    let (_, findings) = scan(&pkg.finish());
    refused_at(&findings, rels, "not name=\"value\" pairs");

    // Parts read by quick-xml: stray bytes in an attribute value, and in text.
    let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
    let mut damaged = pkg.text(rels).into_bytes();
    let at = memchr::memmem::find(&damaged, b"Target=\"").expect("a target") + 8;
    damaged.splice(at..at, [0xFF, 0xFE]);
    pkg.set(rels, damaged);
    let (_, findings) = scan(&pkg.finish());
    refused_at(&findings, rels, "not UTF-8) at line 2");
    // The same two in a part quick-xml reads.
    for (from, to, why) in [
        ("</dc:creator>", "&#0;</dc:creator>", "character reference"),
        (
            "<?xml version=",
            "<?xml versson=",
            "malformed XML declaration",
        ),
    ] {
        let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
        pkg.replace("docProps/core.xml", from, to);
        let (_, findings) = scan(&pkg.finish());
        let f = blocked_because(&findings, &[why, "line "]);
        assert_eq!(f.location.part.as_deref(), Some("docProps/core.xml"));
    }
    let core = "docProps/core.xml";
    let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
    let mut damaged = pkg.text(core).into_bytes();
    let at = memchr::memmem::find(&damaged, b"</dc:creator>").expect("a creator");
    damaged.splice(at..at, [b'X', 0xC3]);
    pkg.set(core, damaged);
    let (_, findings) = scan(&pkg.finish());
    let f = blocked_because(&findings, &["not UTF-8", "line "]);
    assert_eq!(f.location.part.as_deref(), Some(core), "{}", f.message);

    let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
    pkg.set("xl/worksheets/sheet1.xml", sheet(NS.as_bytes(), good_cell));
    let (_, findings) = scan(&pkg.finish());
    assert!(unscannable(&findings).is_empty(), "{}", dump(&findings));
}
