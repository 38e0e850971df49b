//! The XML readers alone, on a generated worksheet and shared-strings part held in memory:
//! the cost of tokenising with the well-formedness checks, apart from inflating and from
//! the detectors.
//!
//! `cargo bench --bench xml`. Reports MB/s of XML for:
//! - `sheet-fast`: the worksheet tag scanner, reading cells the way the xlsx reader does;
//! - `strings-quick-xml`: the quick-xml reader over a shared-strings part;
//! - `ods-content-quick-xml`: the quick-xml reader over an OpenDocument spreadsheet's
//!   content, where every name is prefixed and the root declares dozens of namespaces.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use foiguard::xml::XmlReader;
use foiguard::xml::fast::{TagScanner, Token};
use quick_xml::events::Event;
use std::hint::black_box;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// A sheet as Excel writes one: rows with spans and a prefixed attribute, cells with a
/// reference, a style and sometimes a type.
fn sheet(rows: usize) -> Vec<u8> {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<worksheet xmlns=\"{MAIN}\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:x14ac=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac\"><sheetData>"
    );
    for r in 1..=rows {
        xml.push_str(&format!(
            "<row r=\"{r}\" spans=\"1:6\" x14ac:dyDescent=\"0.25\">"
        ));
        for (i, col) in ["A", "B", "C", "D", "E", "F"].iter().enumerate() {
            if i % 3 == 0 {
                xml.push_str(&format!(
                    "<c r=\"{col}{r}\" s=\"1\" t=\"s\"><v>{}</v></c>",
                    r * 7 + i
                ));
            } else {
                xml.push_str(&format!("<c r=\"{col}{r}\" s=\"2\"><v>{}.5</v></c>", r + i));
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml.into_bytes()
}

fn strings(count: usize) -> Vec<u8> {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<sst xmlns=\"{MAIN}\" count=\"{count}\">"
    );
    for i in 0..count {
        xml.push_str(&format!("<si><t>Station {i} &amp; district</t></si>"));
    }
    xml.push_str("</sst>");
    xml.into_bytes()
}

/// The namespaces LibreOffice declares on an OpenDocument content root (a selection).
const ODF_PREFIXES: [&str; 24] = [
    "office",
    "style",
    "text",
    "table",
    "draw",
    "fo",
    "xlink",
    "dc",
    "meta",
    "number",
    "presentation",
    "svg",
    "chart",
    "dr3d",
    "math",
    "form",
    "script",
    "ooo",
    "ooow",
    "oooc",
    "dom",
    "xforms",
    "calcext",
    "loext",
];

fn ods_content(rows: usize) -> Vec<u8> {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content");
    for prefix in ODF_PREFIXES {
        xml.push_str(&format!(" xmlns:{prefix}=\"urn:example:{prefix}\""));
    }
    xml.push_str(" office:version=\"1.3\"><office:body><office:spreadsheet><table:table table:name=\"Sheet1\">");
    for r in 0..rows {
        xml.push_str("<table:table-row table:style-name=\"ro1\">");
        for c in 0..4 {
            xml.push_str(&format!(
                "<table:table-cell office:value-type=\"string\" calcext:value-type=\"string\"><text:p>Station {r} {c}</text:p></table:table-cell>"
            ));
        }
        xml.push_str("</table:table-row>");
    }
    xml.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    xml.into_bytes()
}

fn read_sheet(xml: &[u8]) -> usize {
    let mut scanner = TagScanner::new(xml, "xl/worksheets/sheet1.xml");
    let mut seen = 0;
    loop {
        if let Some(v) = scanner.take_simple(b"v").expect("well-formed") {
            seen += v.len();
            continue;
        }
        match scanner.next_token().expect("well-formed") {
            Token::Start {
                name: "c", attrs, ..
            } => {
                let [r, s, t] = attrs.get(["r", "s", "t"]);
                seen += r.map_or(0, |v| v.len()) + s.is_some() as usize + t.is_some() as usize;
            }
            Token::Eof => return seen,
            _ => {}
        }
    }
}

fn read_strings(xml: &[u8]) -> usize {
    read_text(xml, "xl/sharedStrings.xml")
}

/// All the text of a part, through the quick-xml reader.
fn read_text(xml: &[u8], part: &str) -> usize {
    let mut reader = XmlReader::new(xml, part);
    let mut text = String::new();
    loop {
        let event = reader.next_event().expect("well-formed");
        if matches!(event, Event::Eof) {
            return text.len();
        }
        foiguard::xml::push_text(&event, &mut text);
    }
}

fn bench_xml(c: &mut Criterion) {
    let sheet = sheet(40_000);
    let mut group = c.benchmark_group("xml");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(sheet.len() as u64));
    group.bench_function("sheet-fast", |b| b.iter(|| black_box(read_sheet(&sheet))));
    let strings = strings(100_000);
    group.throughput(Throughput::Bytes(strings.len() as u64));
    group.bench_function("strings-quick-xml", |b| {
        b.iter(|| black_box(read_strings(&strings)))
    });
    let content = ods_content(20_000);
    group.throughput(Throughput::Bytes(content.len() as u64));
    group.bench_function("ods-content-quick-xml", |b| {
        b.iter(|| black_box(read_text(&content, "content.xml")))
    });
    group.finish();
}

criterion_group!(benches, bench_xml);
criterion_main!(benches);
