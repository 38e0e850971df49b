//! Data connections (`connections.bin`): one `BrtBeginExtConnection` per connection (its
//! name, description, source file, and whether it keeps a password), followed by records
//! of its kind (database, OLAP, web, text) whose strings are connection strings, queries
//! and addresses. Those strings are read as they stand in the records, so servers and
//! stored passwords are found as in xlsx, and reported the same way.

use super::records::{self as rec, Fields, Records};
use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::formats::xlsx::connections::{has_password, servers_in};
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;

#[derive(Default)]
struct Connection {
    name: String,
    servers: Vec<String>,
    password: bool,
}

pub fn inspect(
    pkg: &mut Package<'_>,
    parts: &[String],
    query_tables: &[String],
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    for part in parts {
        ctx.guard(part, |ctx| inspect_part(pkg, part, query_tables.len(), ctx))?;
    }
    if parts.is_empty() && !query_tables.is_empty() {
        ctx.report(
            "data-connection",
            Severity::Medium,
            true,
            ctx.loc(&query_tables[0]),
            format!(
                "{} without a connection part",
                plural(query_tables.len() as u64, "query table", "query tables")
            ),
            &query_tables.len().to_string(),
        );
    }
    Ok(())
}

fn inspect_part(
    pkg: &mut Package<'_>,
    part: &str,
    query_tables: usize,
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    let Some(reader) = pkg.reader(part, ctx)? else {
        return Ok(());
    };
    let mut records = Records::new(reader, part);
    let mut body = Vec::new();
    let mut conns: Vec<Connection> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    while let Some(id) = records.next(&mut body, ctx)? {
        if id == rec::BEGIN_EXT_CONNECTION {
            let mut f = Fields::new(&body);
            let mut c = Connection::default();
            let _ = (|| {
                f.u16()?;
                c.password = f.u8()? == 1;
                f.skip(5)?;
                let strings = f.u16()?;
                f.skip(13)?;
                for bit in [0x01u16, 0x02, 0x04, 0x08, 0x10] {
                    if strings & bit != 0 {
                        let s = f.wide()?;
                        if bit == 0x08 {
                            c.name = s.clone();
                        } else if bit == 0x01 && !s.is_empty() {
                            c.servers.push(s.clone());
                        }
                        texts.push(s);
                    }
                }
                Some(())
            })();
            conns.push(c);
        } else {
            for s in rec::wide_runs(&body) {
                if let Some(c) = conns.last_mut() {
                    c.servers.extend(servers_in(&s));
                    c.password |= has_password(&s);
                }
                texts.push(s);
            }
        }
    }
    for text in texts.iter().filter(|t| !t.trim().is_empty()) {
        ctx.item(&Item {
            text,
            kind: ItemKind::Connection,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some("connection property"),
            doc: DocPlace::NONE,
        });
    }
    if conns.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = conns.iter().map(|c| c.name.as_str()).take(5).collect();
    let mut servers: Vec<&str> = conns
        .iter()
        .flat_map(|c| c.servers.iter().map(String::as_str))
        .collect();
    servers.sort();
    servers.dedup();
    let passwords = conns.iter().filter(|c| c.password).count();
    let mut message = format!(
        "{} ({})",
        plural(conns.len() as u64, "data connection", "data connections"),
        names.join(", ")
    );
    if !servers.is_empty() {
        message.push_str(&format!(
            " to {}",
            plural(servers.len() as u64, "source", "sources")
        ));
    }
    if query_tables > 0 {
        message.push_str(&format!(
            ", used by {}",
            plural(query_tables as u64, "query table", "query tables")
        ));
    }
    if passwords > 0 {
        message.push_str(&format!(
            "; {} a stored password",
            plural(passwords as u64, "connection keeps", "connections keep")
        ));
    }
    let severity = if passwords > 0 {
        Severity::High
    } else {
        Severity::Medium
    };
    ctx.report(
        "data-connection",
        severity,
        true,
        ctx.loc(part),
        message,
        &format!("{}|{}", names.join(","), servers.join(",")),
    );
    if let Some(f) = ctx.findings.last_mut()
        && !servers.is_empty()
    {
        f.evidence = Some(servers.join("; "));
    }
    Ok(())
}
