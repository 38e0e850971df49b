//! BIFF8/BIFF5 records: the fuzzed bytes are the `Workbook` stream of a well-formed OLE
//! compound file, so mutations reach the record reader rather than the container.
#![no_main]
use foiguard::formats::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = fuzzing::compound(&[("Workbook", data)]);
    fuzzing::inspect(Some(Format::Xls), &file);
});
