//! Data connections and query tables: server names, databases, queries, and sometimes a
//! stored password.

use crate::container::zip::Package;
use crate::context::{Ctx, ScanResult};
use crate::detect::ItemSink;
use crate::model::{DocPlace, Item, ItemKind, Severity};
use crate::util::plural;
use crate::xml::{XmlReader, attr, attr_flag, for_each_element, local};

#[derive(Default)]
struct Connection {
    name: String,
    servers: Vec<String>,
    password: bool,
}

pub fn inspect(
    pkg: &mut Package<'_>,
    connection_parts: &[String],
    query_tables: &[String],
    ctx: &mut Ctx<'_>,
) -> ScanResult<()> {
    for part in connection_parts {
        ctx.guard(part, |ctx| inspect_part(pkg, part, query_tables.len(), ctx))?;
    }
    if connection_parts.is_empty() && !query_tables.is_empty() {
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
    let mut xml = XmlReader::new(reader, part);
    let mut conns: Vec<Connection> = Vec::new();
    let mut texts: Vec<(String, &'static str)> = Vec::new();
    for_each_element(&mut xml, |e, _| {
        match local(e) {
            "connection" => conns.push(Connection {
                name: attr(e, "name").unwrap_or_default().into_owned(),
                password: attr_flag(e, "savePassword"),
                ..Default::default()
            }),
            "dbPr" | "olapPr" | "webPr" | "textPr" => {
                for (key, label) in [
                    ("connection", "connection string"),
                    ("command", "query"),
                    ("url", "web address"),
                    ("sourceFile", "source file"),
                ] {
                    if let Some(v) = attr(e, key) {
                        if let Some(c) = conns.last_mut() {
                            if key == "connection" {
                                c.servers.extend(servers_in(&v));
                                c.password |= has_password(&v);
                            } else if key != "command" {
                                c.servers.push(v.to_string());
                            }
                        }
                        texts.push((v.into_owned(), label));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    for (text, label) in &texts {
        ctx.item(&Item {
            text,
            kind: ItemKind::Connection,
            hidden: true,
            part,
            sheet: None,
            cell: None,
            detail: Some(label),
            doc: DocPlace::NONE,
        });
    }
    if conns.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = conns.iter().map(|c| c.name.as_str()).take(5).collect();
    let servers: Vec<&str> = {
        let mut s: Vec<&str> = conns
            .iter()
            .flat_map(|c| c.servers.iter().map(String::as_str))
            .collect();
        s.sort();
        s.dedup();
        s
    };
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

/// Values of `Data Source=`, `Server=`, `DSN=`, `Location=` and `DBQ=` in a connection string.
pub(crate) fn servers_in(conn: &str) -> Vec<String> {
    conn.split(';')
        .filter_map(|kv| kv.split_once('='))
        .filter(|(k, v)| {
            let k = k.trim().to_ascii_lowercase();
            matches!(
                k.as_str(),
                "data source" | "server" | "dsn" | "location" | "dbq" | "address" | "host"
            ) && !v.trim().is_empty()
        })
        .map(|(_, v)| v.trim().to_string())
        .collect()
}

pub(crate) fn has_password(conn: &str) -> bool {
    conn.split(';')
        .filter_map(|kv| kv.split_once('='))
        .any(|(k, v)| {
            let k = k.trim().to_ascii_lowercase();
            (k == "password" || k == "pwd") && !v.trim().is_empty()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_connection_strings() {
        let c = "Provider=SQLOLEDB;Data Source=POLSQL01;Initial Catalog=Custody;User ID=svc;Password=Winter2023";
        assert_eq!(servers_in(c), vec!["POLSQL01"]);
        assert!(has_password(c));
        assert!(!has_password("DSN=Stats;Trusted_Connection=yes;Password="));
    }
}
