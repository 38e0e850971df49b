//! OpenDocument: a part of a real ods or odt package (content, styles, meta, settings,
//! manifest) replaced by the fuzzed bytes; and flat XML documents taken as they are.
#![no_main]
use libfuzzer_sys::fuzz_target;

const TEMPLATES: &[&[u8]] = &[
    include_bytes!("../../corpus/FOI-2024-0341-burglary-by-ward-victims.ods"),
    include_bytes!("../../corpus/FOI-2024-0331-burglary-letter-draft.odt"),
    include_bytes!("../../tests/data/odf/letter-comments.odt"),
    include_bytes!("../../tests/data/odf/slides-comments.odp"),
];

fuzz_target!(|data: &[u8]| {
    if data.first().is_some_and(|b| *b >= 0xF0) {
        // Flat XML (fods, fodt, fodp): sniffed from the content.
        fuzzing::inspect(None, &data[1..]);
    } else {
        fuzzing::inspect_part_of(TEMPLATES, data);
    }
});
