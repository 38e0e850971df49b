//! Word and PowerPoint XML extractors: a part of a real docx or pptx (document, styles,
//! comments, footnotes, settings, slides, notes, comments...) replaced by the fuzzed bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

const TEMPLATES: &[&[u8]] = &[
    include_bytes!("../../corpus/FOI-2024-0350-response-letter-tracked-deletion.docx"),
    include_bytes!("../../corpus/FOI-2024-0360-briefing-deck.pptx"),
];

fuzz_target!(|data: &[u8]| fuzzing::inspect_part_of(TEMPLATES, data));
