//! The shared string table. Kept in memory (it is a list, not a grid, and capped), with a
//! flag per string so strings no cell uses can be reported as residual data.

use crate::container::zip::Package;
use crate::context::{Ctx, ScanError, ScanResult};
use crate::xml::{XmlReader, local, local_end, push_text};
use quick_xml::events::Event;

#[derive(Default)]
pub struct SharedStrings {
    pub strings: Vec<String>,
    pub used: Vec<bool>,
}

impl SharedStrings {
    pub fn get(&mut self, idx: usize) -> Option<&str> {
        let s = self.strings.get(idx)?;
        self.used[idx] = true;
        Some(s)
    }
}

pub fn parse(pkg: &mut Package<'_>, part: &str, ctx: &mut Ctx<'_>) -> ScanResult<SharedStrings> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(SharedStrings::default());
    };
    let mut xml = XmlReader::new(reader, part);
    let mut out = SharedStrings::default();
    let mut current = String::new();
    let mut in_si = false;
    let mut in_t = false;
    // Phonetic runs (<rPh>) repeat the reading of the text; skip them.
    let mut in_phonetic = false;
    loop {
        let ev = xml.next_event()?;
        match &ev {
            Event::Start(e) => match local(e) {
                "si" => {
                    in_si = true;
                    current.clear();
                }
                "t" => in_t = in_si,
                "rPh" => in_phonetic = true,
                _ => {}
            },
            Event::Empty(e) if local(e) == "si" => {
                out.strings.push(String::new());
            }
            Event::End(e) => match local_end(e.name().0) {
                "si" => {
                    in_si = false;
                    if out.strings.len() >= ctx.limits.max_shared_strings {
                        return Err(ScanError::new(format!(
                            "{part}: more shared strings than {}",
                            ctx.limits.the_limit("max_shared_strings")
                        )));
                    }
                    out.strings.push(std::mem::take(&mut current));
                }
                "t" => in_t = false,
                "rPh" => in_phonetic = false,
                _ => {}
            },
            Event::Eof => break,
            other => {
                if in_t && !in_phonetic {
                    push_text(other, &mut current);
                }
            }
        }
    }
    out.used = vec![false; out.strings.len()];
    Ok(out)
}
