//! CSV, TSV and text: encodings, delimiters, headers, csv-injection.
#![no_main]
use foiguard::formats::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((selector, rest)) = fuzzing::select(data) {
        let format = if selector % 2 == 0 { Format::Csv } else { Format::Text };
        fuzzing::inspect(Some(format), rest);
    }
});
