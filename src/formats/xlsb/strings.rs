//! The shared string table (`sharedStrings.bin`): one `BrtSSTItem` per string, in the same
//! [`SharedStrings`] as xlsx, so strings no cell uses are reported the same way.

use super::records::{self as rec, Fields, Records};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
pub use crate::formats::xlsx::strings::SharedStrings;

pub fn parse(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<SharedStrings> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(SharedStrings::default());
    };
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut out = SharedStrings::default();
    while let Some(id) = records.next(&mut body, ctx)? {
        if id != rec::SST_ITEM {
            continue;
        }
        if out.strings.len() >= ctx.limits.max_shared_strings {
            return Err(ScanError::new(format!(
                "{part}: more shared strings than {}",
                ctx.limits.the_limit("max_shared_strings")
            )));
        }
        let text = Fields::new(&body).rich().ok_or_else(|| {
            ScanError::new(format!(
                "{part}: shared string #{} is cut short",
                out.strings.len()
            ))
        })?;
        out.strings.push(text);
    }
    out.used = vec![false; out.strings.len()];
    Ok(out)
}
