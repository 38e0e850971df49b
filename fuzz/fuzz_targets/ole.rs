//! OLE compound files: Word 97-2003 documents, PowerPoint 97-2003 presentations and VBA
//! projects. The first byte chooses the reader; the rest is the whole compound file, so
//! mutations reach the directory, the FAT and the streams' records alike.
#![no_main]
use foiguard::context::Ctx;
use foiguard::formats::{self, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => fuzzing::inspect(Some(Format::Doc), file),
        1 => fuzzing::inspect(Some(Format::Ppt), file),
        _ => fuzzing::with_ctx(|ctx: &mut Ctx<'_>| {
            formats::vba::inspect_bytes("xl/vbaProject.bin", file, ctx)
        }),
    }
});
