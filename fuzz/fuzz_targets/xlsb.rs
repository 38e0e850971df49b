//! xlsb: BIFF12 records. A binary part of a real xlsb package (workbook, sheets, shared
//! strings, styles, comments...) replaced by the fuzzed bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

const TEMPLATES: &[&[u8]] = &[
    include_bytes!("../../corpus/FOI-2024-0370-ward-summary-hidden-sheets.xlsb"),
    include_bytes!("../../corpus/FOI-2024-0371-crime-by-ward.xlsb"),
];

fuzz_target!(|data: &[u8]| fuzzing::inspect_part_of(TEMPLATES, data));
