//! Each XML extractor of the Office formats: a part of a real sample package (worksheet,
//! shared strings, styles, workbook, pivot cache, chart, drawing, comments, external link,
//! connections, revisions, properties, custom XML, relationships, content types) replaced by
//! the fuzzed bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

const TEMPLATES: &[&[u8]] = &[
    include_bytes!("../../corpus/FOI-2024-0153-pivot-of-victims.xlsx"),
    include_bytes!("../../corpus/FOI-2023-0131-crime-by-ward-notes.xlsx"),
    include_bytes!("../../corpus/FOI-2023-0132-crime-by-ward-comments.xlsx"),
    include_bytes!("../../corpus/FOI-2023-0702-complaints-per-officer-chart.xlsx"),
    include_bytes!("../../corpus/FOI-2014-0088-housing-arrears-linked.xlsx"),
    include_bytes!("../../corpus/FOI-2023-0611-custody-throughput.xlsx"),
    include_bytes!("../../corpus/FOI-2021-0777-complaints-shared-workbook.xlsx"),
    include_bytes!("../../corpus/FOI-2023-0389-crime-by-month-reviewer-box.xlsx"),
    include_bytes!("../../corpus/FOI-2023-0160-crime-by-ward-sharepoint.xlsx"),
    include_bytes!("../../corpus/FOI-2023-0150-crime-by-ward-properties.xlsx"),
];

fuzz_target!(|data: &[u8]| fuzzing::inspect_part_of(TEMPLATES, data));
