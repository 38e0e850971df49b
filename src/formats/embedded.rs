//! Embedded objects (`*/embeddings/*`): workbooks, documents and OLE packages carried inside
//! a file. Each is reported, then scanned like a file of its own with the container chain
//! recorded, so a hidden sheet inside an embedded workbook is found too.

use crate::container::ole::{Compound, parse_ole10_native};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::formats::{self, Format};
use crate::model::{DocPlace, Location, Severity};
use crate::util::thousands;

pub fn inspect(pkg: &mut Package<'_>, parts: &[String], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    for part in parts {
        let Some(bytes) = ctx.guard(part, |ctx| pkg.read(part, ctx))?.flatten() else {
            continue;
        };
        let name = part.rsplit('/').next().unwrap_or(part).to_string();
        inspect_object(&name, part, &bytes, ctx)?;
    }
    Ok(())
}

/// Reports one embedded object and scans what it carries.
pub fn inspect_object(name: &str, part: &str, bytes: &[u8], ctx: &mut Ctx<'_>) -> ScanResult<()> {
    inspect_object_at(name, part, bytes, &DocPlace::NONE, ctx)
}

/// [`inspect_object`] for an object placed in a document: the finding names the slide or
/// paragraph it sits on.
pub fn inspect_object_at(
    name: &str,
    part: &str,
    bytes: &[u8],
    place: &DocPlace,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let format = formats::sniff(bytes);
    let mut digest = crate::util::ContentDigest::default();
    digest.update(bytes);
    let key = format!("{name}:{}", digest.hex());
    let key = key.as_str();
    let size = format!("{} KiB", thousands((bytes.len() as u64).div_ceil(1024)));
    match format {
        Format::Ole => {
            let native = Compound::open(bytes).ok().and_then(|mut cf| {
                let stream = cf
                    .streams()
                    .iter()
                    .find(|s| {
                        s.eq_ignore_ascii_case("\u{1}Ole10Native")
                            || s.eq_ignore_ascii_case("Package")
                            || s.eq_ignore_ascii_case("CONTENTS")
                    })
                    .cloned()?;
                let raw = cf.read(&stream, ctx.limits.max_part_bytes).ok()?;
                if stream.eq_ignore_ascii_case("Package") {
                    Some((name.to_string(), raw))
                } else if stream.eq_ignore_ascii_case("CONTENTS") {
                    // Acrobat keeps the whole PDF in CONTENTS; other servers keep their own
                    // data there, which stays an object foiguard cannot open.
                    (formats::sniff(&raw) == Format::Pdf).then(|| (format!("{name}.pdf"), raw))
                } else {
                    parse_ole10_native(&raw).map(|f| (f.label, f.data))
                }
            });
            match native {
                Some((label, data)) => {
                    let inner = formats::sniff(&data);
                    report(
                        ctx,
                        part,
                        place,
                        format!(
                            "embedded OLE package '{label}' ({}, {size}); its content is scanned too",
                            inner.name()
                        ),
                        key,
                    );
                    ctx.charge_inflated(data.len() as u64)?;
                    scan_nested(ctx, name, &label, inner, &data)
                }
                None => {
                    report(
                        ctx,
                        part,
                        place,
                        format!("embedded OLE object '{name}' ({size})"),
                        key,
                    );
                    let loc = ctx.loc(part).with_doc(place);
                    ctx.unscannable(loc, "embedded OLE object of a kind foiguard cannot open");
                    Ok(())
                }
            }
        }
        other => {
            report(
                ctx,
                part,
                place,
                format!(
                    "embedded {} '{name}' ({size}); its content is scanned too",
                    describe(other)
                ),
                key,
            );
            scan_nested(ctx, name, name, other, bytes)
        }
    }
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Xls | Format::Ods | Format::Fods => {
            "workbook"
        }
        Format::Docx | Format::Docm | Format::Doc | Format::Odt | Format::Fodt => "document",
        Format::Pptx | Format::Pptm | Format::Ppt | Format::Odp | Format::Fodp => "presentation",
        Format::Pdf => "PDF",
        _ => "file",
    }
}

fn report(ctx: &mut Ctx<'_>, part: &str, place: &DocPlace, message: String, key: &str) {
    ctx.report(
        "embedded-object",
        Severity::Medium,
        true,
        ctx.loc(part).with_doc(place),
        message,
        key,
    );
}

/// Scans embedded bytes one level deeper; failures stay inside that container.
fn scan_nested(
    ctx: &mut Ctx<'_>,
    part_name: &str,
    label: &str,
    format: Format,
    bytes: &[u8],
) -> ScanResult<()> {
    let chain_name = if label == part_name {
        label.to_string()
    } else {
        format!("{part_name}:{label}")
    };
    ctx.nested(&chain_name, |ctx| {
        if let Err(e) = formats::inspect(format, bytes, ctx) {
            let loc = Location {
                container: ctx.container.clone(),
                ..Default::default()
            };
            ctx.unscannable(loc, &e.0);
            ctx.check_time()?;
        }
        Ok(())
    })?;
    Ok(())
}
