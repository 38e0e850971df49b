//! CSV, TSV and plain text: encodings (UTF-8 with and without a BOM, UTF-16 LE/BE with and
//! without one, Windows-1252), delimiters, header rows, the table rules on a CSV as on a
//! sheet, and `csv-injection`. The files are written in the tests, as a spreadsheet or a
//! database export would write them.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::detect::Engine;
use foiguard::formats::Format;
use foiguard::model::ItemKind;
use foiguard::{Limits, Severity};

const VICTIMS: &str = "Name,DOB,Offence,Ward\r\n\
Zoë Brontë,03/02/1961,Burglary,Mile Cross\r\n\
Mary Jones,11/07/1975,Robbery,Eaton\r\n\
Aisha Patel,21/03/1988,Burglary,Nelson\r\n\
Peter Brown,09/12/1950,Assault,Sewell\r\n\
Sarah Taylor,30/05/1969,Burglary,Eaton\r\n\
David Khan,14/08/1979,Robbery,Crome\r\n\
Emma Wilson,02/01/1991,Burglary,Mancroft\r\n\
Raj Evans,27/06/1983,Assault,Nelson\r\n\
Olivia Clarke,05/10/1958,Burglary,Eaton\r\n\
Tom Hughes,19/04/1972,Robbery,Sewell\r\n\
Lucy Walker,08/09/1966,Burglary,Town Close\r\n\
Imran Wright,12/11/1985,Assault,Crome\r\n";

const COUNTS: &str = "Ward,Burglary,Robbery,Assault\r\n\
Mile Cross,41,23,57\r\n\
Thorpe Hamlet,38,19,44\r\n\
Eaton,27,12,31\r\n\
Lakenham,33,17,40\r\n\
Bowthorpe,29,14,36\r\n\
Catton Grove,45,21,52\r\n";

/// Scans with every detector on, keeping the items.
fn full(bytes: &[u8]) -> (Format, Vec<foiguard::Finding>, Vec<foiguard::OwnedItem>) {
    let engine = Engine::new();
    foiguard::scan_bytes(bytes, &Limits::default(), &engine, true)
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian {
            &[0xFE, 0xFF]
        } else {
            &[0xFF, 0xFE]
        });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// The name with accents, decoded, at A2, whatever the file's encoding.
fn assert_reads_victims(bytes: &[u8], what: &str) {
    let (format, findings, items) = full(bytes);
    assert_eq!(format, Format::Csv, "{what}");
    let name = item(&items, ItemKind::Cell, "Zoë Brontë");
    assert_eq!(name.location.cell.as_deref(), Some("A2"), "{what}");
    let heading = item(&items, ItemKind::Cell, "Name");
    assert_eq!(heading.detail.as_deref(), Some("column heading"), "{what}");
    assert!(
        of_rule(&findings, "personal-data-column")
            .iter()
            .any(|f| f.location.range.as_deref() == Some("A2:A13")),
        "{what}:\n{}",
        dump(&findings)
    );
}

#[test]
fn encodings_with_and_without_a_bom() {
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(VICTIMS.as_bytes());
    for (what, bytes) in [
        ("UTF-8", VICTIMS.as_bytes().to_vec()),
        ("UTF-8 with BOM", bom8),
        ("UTF-16LE with BOM", utf16(VICTIMS, false, true)),
        ("UTF-16BE with BOM", utf16(VICTIMS, true, true)),
        ("UTF-16LE without BOM", utf16(VICTIMS, false, false)),
        ("UTF-16BE without BOM", utf16(VICTIMS, true, false)),
        ("Windows-1252", windows_1252(VICTIMS)),
    ] {
        assert_reads_victims(&bytes, what);
    }
}

#[test]
fn utf16_without_a_bom_is_text_not_binary() {
    let bytes = utf16(
        "Notes of the meeting\r\nPresent: DS Patel\r\n",
        false,
        false,
    );
    let (format, _, items) = full(&bytes);
    assert_eq!(format, Format::Text);
    item(&items, ItemKind::Text, "Present: DS Patel");
    // Random bytes are still binary.
    let mut noise = 0x2545_F491_4F6C_DD1Du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            noise ^= noise << 13;
            noise ^= noise >> 7;
            noise ^= noise << 17;
            noise as u8
        })
        .collect();
    assert_eq!(foiguard::formats::sniff(&random), Format::Binary);
}

#[test]
fn each_delimiter_splits_the_fields() {
    for delimiter in [",", "\t", ";", "|"] {
        let text = VICTIMS.replace(',', delimiter);
        let (format, _, items) = full(text.as_bytes());
        assert_eq!(format, Format::Csv, "{delimiter:?}");
        let ward = items
            .iter()
            .find(|i| i.text == "Mile Cross")
            .unwrap_or_else(|| panic!("{delimiter:?}:\n{}", dump_items(&items)));
        assert_eq!(ward.location.cell.as_deref(), Some("D2"), "{delimiter:?}");
    }
    // A semicolon file whose numbers use decimal commas, quoted.
    let de = "Bezirk;Anteil\r\nMitte;\"12,5\"\r\nNord;\"7,25\"\r\n";
    let (_, _, items) = full(de.as_bytes());
    assert_eq!(
        item(&items, ItemKind::Cell, "12,5")
            .location
            .cell
            .as_deref(),
        Some("B2")
    );
}

#[test]
fn a_victims_extract_gives_table_findings_and_counts_by_ward_do_not() {
    let (_, findings, _) = full(VICTIMS.as_bytes());
    for rule in ["personal-data-column", "row-level-data"] {
        assert!(
            !of_rule(&findings, rule).is_empty(),
            "no {rule}:\n{}",
            dump(&findings)
        );
    }
    assert!(
        of_rule(&findings, "personal-data-column")
            .iter()
            .all(|f| f.severity >= Severity::High)
    );
    let (_, counts, items) = full(COUNTS.as_bytes());
    assert!(
        counts.iter().all(|f| f.severity < Severity::High),
        "{}",
        dump(&counts)
    );
    assert_eq!(
        item(&items, ItemKind::Cell, "Ward").detail.as_deref(),
        Some("column heading")
    );
}

#[test]
fn a_file_without_a_header_has_no_heading_cells() {
    let body: String = VICTIMS
        .lines()
        .skip(1)
        .map(|l| format!("{l}\r\n"))
        .collect();
    let (format, _, items) = full(body.as_bytes());
    assert_eq!(format, Format::Csv);
    assert!(
        items
            .iter()
            .all(|i| i.detail.as_deref() != Some("column heading")),
        "{}",
        dump_items(&items)
    );
    assert_eq!(
        item(&items, ItemKind::Cell, "Zoë Brontë")
            .location
            .cell
            .as_deref(),
        Some("A1")
    );
}

#[test]
fn cells_that_would_run_as_formulas_are_csv_injection() {
    let csv = "Ward,Note,Change\r\n\
Eaton,\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\",-12.5\r\n\
Nelson,@SUM(A1:A3),+44 7700 900123\r\n\
Crome,-2+3+cmd|' /C calc'!A0,-\r\n";
    let (_, findings) = scan(csv.as_bytes());
    let f = only(&findings, "csv-injection");
    assert_eq!(f.severity, Severity::Low);
    assert!(!f.hidden);
    assert_eq!(f.location.range.as_deref(), Some("B2:B4"));
    assert!(f.message.starts_with("3 cells start with"), "{}", f.message);
    assert!(f.message.contains("(B2, B3, B4)"), "{}", f.message);
}

#[test]
fn numbers_phone_numbers_and_dashes_are_not_csv_injection() {
    let csv = "Ward,Change,Contact,Trend\r\n\
Eaton,-12.5,+44 7700 900123,-\r\n\
Nelson,+3,+44 (0)7700 900456,----\r\n\
Crome,-0.5%,07700 900789,+\r\n";
    let (_, findings) = scan(csv.as_bytes());
    none_of(&findings, "csv-injection");
    none_of(&scan(COUNTS.as_bytes()).1, "csv-injection");
}

#[test]
fn a_large_csv_streams() {
    let mut csv = String::from("Ward,Count\r\n");
    for i in 0..200_000 {
        csv.push_str(&format!("Ward {i},{}\r\n", 10 + i % 50));
    }
    let bytes = utf16(&csv, false, true);
    let (format, findings) = scan(&bytes);
    assert_eq!(format, Format::Csv);
    none_of(&findings, "unscannable");
}

/// The xls and CSV samples of corpus/ block or pass as CORPUS.md says, with every detector
/// on (the binary, as a disclosure officer runs it).
#[test]
fn xls_and_csv_corpus_samples_have_their_expected_verdicts() {
    let files = TempFiles::new();
    let mut checked = 0;
    for e in fixtures::corpus_index() {
        if !(e.file.ends_with(".xls") || e.file.ends_with(".csv")) {
            continue;
        }
        files.add(e.file, &(e.build)());
        let out = files.cmd().args(["scan", e.file]).output().expect("run");
        let want = match e.verdict {
            "block" => 1,
            "pass" => 0,
            other => panic!("{}: unexpected verdict {other}", e.file),
        };
        assert_eq!(
            out.status.code(),
            Some(want),
            "{}:\n{}",
            e.file,
            String::from_utf8_lossy(&out.stdout)
        );
        checked += 1;
    }
    assert_eq!(checked, 4);
}
