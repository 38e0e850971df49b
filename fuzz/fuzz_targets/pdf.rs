//! PDF structure (xref, object graph, revisions, annotations, attachments) and the page
//! text and geometry path.
#![no_main]
use foiguard::formats::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| fuzzing::inspect(Some(Format::Pdf), data));
