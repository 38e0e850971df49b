//! PowerPoint 97–2003 presentations (ppt).

use crate::context::{Ctx, ScanError, ScanResult};

pub fn inspect(_bytes: &[u8], _ctx: &mut Ctx<'_>) -> ScanResult<()> {
    Err(ScanError::new("foiguard cannot inspect ppt files yet"))
}
