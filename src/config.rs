//! `foiguard.toml`: the release policy a public body keeps beside its outgoing folder.
//! Per-rule severities and switches, thresholds, allowlists, rosters and path excludes.
//!
//! Precedence: a command-line flag beats the config file, which beats the built-in default.
//! `--config FILE` names the file; otherwise `./foiguard.toml` is read when present. Every
//! mistake is an error naming the line and the key, so a typo never weakens the gate quietly.

use crate::detect::allow::Allowlist;
use crate::limits::{self, Limits, Unit};
use crate::model::Severity;
use crate::rules;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file read from the working folder when `--config` is not given.
pub const DEFAULT_FILE: &str = "foiguard.toml";

/// The policy as foiguard uses it, after checking.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from; `None` for the built-in defaults.
    pub source: Option<PathBuf>,
    pub fail_on: Option<Severity>,
    /// Roster files, relative to the config file's folder.
    pub rosters: Vec<PathBuf>,
    pub small_count_threshold: Option<u32>,
    pub hidden_rows_min: Option<u32>,
    pub severity: HashMap<&'static str, Severity>,
    pub disabled: HashSet<&'static str>,
    pub allow: Allowlist,
    /// gitignore-style patterns of files and folders not to scan inside a scanned folder.
    pub exclude: Vec<String>,
    /// The safety limits (`[limits]`): the defaults, with what the file sets.
    pub limits: Limits,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    fail_on: Option<Spanned<Severity>>,
    #[serde(default)]
    rosters: Vec<String>,
    #[serde(default)]
    thresholds: RawThresholds,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RawRule>,
    #[serde(default)]
    allow: RawAllow,
    #[serde(default)]
    exclude: RawExclude,
    #[serde(default)]
    limits: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    small_count: Option<Spanned<u32>>,
    hidden_rows_min: Option<Spanned<u32>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    severity: Option<Severity>,
    enabled: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllow {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    mailboxes: Vec<String>,
    #[serde(default)]
    identifiers: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclude {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
}

impl Config {
    /// Reads `explicit`, or `./foiguard.toml` when present, or returns the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = PathBuf::from(DEFAULT_FILE);
                if !p.is_file() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read config '{}': {e}", path.display()))?;
        let mut config = Config::parse(&text, &path.display().to_string())?;
        let base = path.parent().unwrap_or(Path::new(""));
        for roster in &mut config.rosters {
            if roster.is_relative() {
                *roster = base.join(&*roster);
            }
        }
        config.source = Some(path);
        Ok(config)
    }

    /// Parses and checks config text; `name` is used in error messages.
    pub fn parse(text: &str, name: &str) -> Result<Config, String> {
        let err = |span: Option<std::ops::Range<usize>>, msg: &str| -> String {
            let at = span.map(|s| s.start).unwrap_or(0);
            let (line, key) = locate(text, at);
            match key {
                Some(key) => format!("{name}: line {line}, key '{key}': {msg}"),
                None => format!("{name}: line {line}: {msg}"),
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| err(e.span(), e.message()))?;
        let mut config = Config::default();
        if let Some(level) = raw.fail_on {
            if *level.get_ref() == Severity::Info {
                return Err(err(
                    Some(level.span()),
                    "info cannot block: use critical, high, medium or low",
                ));
            }
            config.fail_on = Some(level.into_inner());
        }
        config.rosters = raw.rosters.into_iter().map(PathBuf::from).collect();
        if let Some(n) = raw.thresholds.small_count {
            if *n.get_ref() < 2 {
                return Err(err(
                    Some(n.span()),
                    "small_count must be at least 2 (counts from 1 to N-1 are reported)",
                ));
            }
            config.small_count_threshold = Some(n.into_inner());
        }
        if let Some(n) = raw.thresholds.hidden_rows_min {
            if *n.get_ref() < 1 {
                return Err(err(Some(n.span()), "hidden_rows_min must be at least 1"));
            }
            config.hidden_rows_min = Some(n.into_inner());
        }
        for (id, setting) in raw.rules {
            let span = id.span();
            let Some(rule) = rules::RULES.iter().find(|r| r.id == id.get_ref()) else {
                return Err(err(
                    Some(span),
                    &format!(
                        "unknown rule '{}' (run `foiguard rules` for the list)",
                        id.get_ref()
                    ),
                ));
            };
            if rule.id == "unscannable"
                && (setting.enabled == Some(false) || setting.severity.is_some())
            {
                return Err(err(
                    Some(span),
                    "unscannable cannot be disabled or changed: a file that could not be \
                     inspected is never passed",
                ));
            }
            if let Some(sev) = setting.severity {
                config.severity.insert(rule.id, sev);
            }
            if setting.enabled == Some(false) {
                config.disabled.insert(rule.id);
            }
        }
        config.allow = Allowlist::new(
            &raw.allow.names,
            &raw.allow.mailboxes,
            &raw.allow.identifiers,
        )
        .map_err(|e| {
            let at = text.find("[allow]");
            err(at.map(|a| a..a), &e)
        })?;
        for pattern in raw.exclude.paths {
            let mut builder = ignore::gitignore::GitignoreBuilder::new("");
            let checked = builder
                .add_line(None, pattern.get_ref())
                .and_then(|b| b.build().map(|_| ()));
            if let Err(e) = checked {
                return Err(err(
                    Some(pattern.span()),
                    &format!("bad exclude pattern: {e}"),
                ));
            }
            config.exclude.push(pattern.into_inner());
        }
        for (key, value) in raw.limits {
            let Some(spec) = limits::KEYS.iter().find(|k| k.name == key.get_ref()) else {
                let known: Vec<&str> = limits::KEYS.iter().map(|k| k.name).collect();
                return Err(err(
                    Some(key.span()),
                    &format!(
                        "unknown limit '{}' (the limits are {})",
                        key.get_ref(),
                        known.join(", ")
                    ),
                ));
            };
            let span = value.span();
            let n =
                limit_value(spec.unit, value.get_ref()).map_err(|e| err(Some(span.clone()), &e))?;
            if n < spec.min || n > spec.max {
                return Err(err(
                    Some(span),
                    &format!(
                        "{} must be from {} to {}",
                        spec.name,
                        limits::human(spec.unit, spec.min),
                        limits::human(spec.unit, spec.max)
                    ),
                ));
            }
            config.limits.set(spec.name, n);
        }
        // The hidden-rows threshold travels with the limits to the inspectors.
        if let Some(n) = config.hidden_rows_min {
            config.limits.hidden_rows_min = n;
        }
        Ok(config)
    }
}

/// A `[limits]` value: a whole number in the limit's unit, or a string with a unit.
fn limit_value(unit: Unit, value: &toml::Value) -> Result<u64, String> {
    match value {
        toml::Value::Integer(n) => {
            u64::try_from(*n).map_err(|_| "a limit cannot be negative".to_string())
        }
        toml::Value::String(s) if unit != Unit::Count => limits::parse_text(unit, s),
        _ => Err(match unit {
            Unit::Bytes => "write a size as bytes (8388608) or with a unit (\"512 MiB\")",
            Unit::Seconds => "write a time as seconds (120) or with a unit (\"120s\", \"2m\")",
            Unit::Count => "write a whole number",
        }
        .to_string()),
    }
}

/// Line number (1-based) of a byte offset, and the dotted key being defined there: the
/// nearest `key =` at or above it, under the nearest `[table]` header.
fn locate(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let line = text[..offset].matches('\n').count() + 1;
    let lines: Vec<&str> = text.lines().collect();
    let mut key: Option<String> = None;
    for l in lines.iter().take(line).rev() {
        let t = l.trim();
        if t.starts_with('[') {
            let table = t
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim();
            return (
                line,
                Some(match key {
                    Some(k) => format!("{table}.{k}"),
                    None => table.to_string(),
                }),
            );
        }
        if key.is_none()
            && !t.starts_with('#')
            && let Some((k, _)) = t.split_once('=')
            && is_key(k.trim())
        {
            key = Some(k.trim().to_string());
        }
    }
    (line, key)
}

/// A bare or quoted TOML key, dotted or not (not a line inside an array of strings).
fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.\" ".contains(c))
}

/// The commented file `foiguard init` writes. It parses to the defaults.
pub fn default_file() -> String {
    let mut out = String::from(DEFAULT_TEMPLATE);
    out.push_str(LIMITS_HEADER);
    let defaults = Limits::default();
    for key in limits::KEYS {
        let value = limits::toml_value(key.unit, defaults.get(key.name).unwrap_or(0));
        out.push_str(&format!(
            "# {:<42} # {}\n",
            format!("{} = {value}", key.name),
            key.about
        ));
    }
    out.push_str("\n# Every rule, with its default severity:\n");
    for r in rules::RULES {
        out.push_str(&format!("#   {:<26} {}\n", r.id, r.severity.as_str()));
    }
    out
}

const DEFAULT_TEMPLATE: &str = r#"# foiguard.toml: the release policy for this folder.
# foiguard reads ./foiguard.toml when present, or the file given with --config FILE.
# A flag on the command line (--fail-on, --small-count-threshold, --roster) beats this file.
# Run `foiguard rules` for every rule, what it catches and how to fix it.

# Lowest severity that blocks release: critical, high, medium or low.
fail_on = "high"

# Names and identifiers that must never be released (CSV with a header row, or one entry
# per line). Paths are relative to this file. --roster adds to this list.
rosters = []

[thresholds]
# Counts from 1 to small_count-1 in statistics tables are reported as small counts.
small_count = 5
# Hidden rows block only when at least this many of them hold data; fewer are reported low.
hidden_rows_min = 1

[allow]
# People who may be named in releases (a chief constable, named press officers). Their
# names are not reported, and they are left out of rosters.
names = []
# Role mailboxes that may be published, as full addresses or local parts ("press.office").
mailboxes = []
# Identifiers known to be safe: a switchboard number, headquarters' postcode.
identifiers = []

[exclude]
# Files and folders inside a scanned folder that are not part of the release
# (gitignore-style patterns). Files named on the command line are always scanned.
paths = []

# Per-rule settings: change a severity, or switch a rule off.
# Personal data in hidden content stays at least high whatever severity is set here.
#
# [rules."pii.postcode"]
# severity = "low"
#
# [rules."document-metadata"]
# enabled = false
"#;

const LIMITS_HEADER: &str = r#"
[limits]
# Safety limits. A file over one is unscannable (it blocks), and the reason names the limit.
# Raise one only for a file you trust. Sizes are bytes or a string with a unit
# ("512 MiB", "2 GiB"); times are seconds or a string ("120s", "2m"). The defaults:
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_parses_to_the_defaults() {
        let c = Config::parse(&default_file(), "foiguard.toml").expect("parses");
        assert_eq!(c.fail_on, Some(Severity::High));
        assert_eq!(c.small_count_threshold, Some(5));
        assert_eq!(c.hidden_rows_min, Some(1));
        assert!(c.severity.is_empty() && c.disabled.is_empty());
        assert!(c.allow.is_empty() && c.exclude.is_empty() && c.rosters.is_empty());
        assert_eq!(c.limits, Limits::default());
        // Every limit is written, and uncommented the file still means the defaults.
        let uncommented: String = default_file()
            .lines()
            .map(|l| match l.strip_prefix("# max_") {
                Some(rest) => format!("max_{rest}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        for key in limits::KEYS {
            assert!(
                uncommented.contains(&format!("\n{} = ", key.name)),
                "{} is not written",
                key.name
            );
        }
        let c = Config::parse(&uncommented, "foiguard.toml").expect("uncommented parses");
        assert_eq!(c.limits, Limits::default());
    }

    #[test]
    fn limits_are_read_in_their_units() {
        let c = Config::parse(
            "[limits]\nmax_time = \"2m\"\nmax_part_bytes = \"64 MiB\"\nmax_file_bytes = 1048576\n\
             max_xml_depth = 64\nmax_compression_ratio = 500\nmax_biff_records = 1_000\n",
            "t.toml",
        )
        .expect("parses");
        assert_eq!(c.limits.max_time, std::time::Duration::from_secs(120));
        assert_eq!(c.limits.max_part_bytes, 64 << 20);
        assert_eq!(c.limits.max_file_bytes, 1 << 20);
        assert_eq!(c.limits.max_xml_depth, 64);
        assert_eq!(c.limits.max_compression_ratio, 500);
        assert_eq!(c.limits.max_biff_records, 1000);
        assert_eq!(c.limits.max_entries, Limits::default().max_entries);
    }

    #[test]
    fn bad_limits_name_the_line_and_the_key() {
        let e = error("fail_on = \"high\"\n[limits]\nmax_tme = 5\n");
        assert!(
            e.contains("line 3") && e.contains("unknown limit 'max_tme'"),
            "{e}"
        );
        let e = error("[limits]\nmax_part_bytes = \"12 GB\"\n");
        assert!(
            e.contains("line 2") && e.contains("limits.max_part_bytes") && e.contains("GiB"),
            "{e}"
        );
        let e = error("[limits]\nmax_embedding_depth = 0\n");
        assert!(
            e.contains("line 2")
                && e.contains("limits.max_embedding_depth")
                && e.contains("from 1 to 64"),
            "{e}"
        );
        let e = error("[limits]\nmax_time = -1\n");
        assert!(e.contains("line 2") && e.contains("negative"), "{e}");
        let e = error("[limits]\nmax_entries = \"lots\"\n");
        assert!(e.contains("line 2") && e.contains("whole number"), "{e}");
        let e = error("[limits]\nmax_time = \"0s\"\n");
        assert!(e.contains("from 1s"), "{e}");
    }

    #[test]
    fn rules_thresholds_and_allowlists_are_read() {
        let c = Config::parse(
            r#"
fail_on = "medium"
[thresholds]
small_count = 10
[rules."pii.postcode"]
severity = "low"
[rules.document-metadata]
enabled = false
[allow]
names = ["Simon Byrne"]
[exclude]
paths = ["drafts/", "*.tmp"]
"#,
            "t.toml",
        )
        .expect("parses");
        assert_eq!(c.fail_on, Some(Severity::Medium));
        assert_eq!(c.small_count_threshold, Some(10));
        assert_eq!(c.severity.get("pii.postcode"), Some(&Severity::Low));
        assert!(c.disabled.contains("document-metadata"));
        assert!(!c.allow.is_empty());
        assert_eq!(c.exclude, ["drafts/", "*.tmp"]);
    }

    fn error(text: &str) -> String {
        Config::parse(text, "foiguard.toml").expect_err("must be refused")
    }

    #[test]
    fn errors_name_the_line_and_the_key() {
        let e = error("fail_on = \"high\"\n\n[thresholds]\nsmal_count = 3\n");
        assert!(e.contains("line 4") && e.contains("smal_count"), "{e}");
        let e = error("[thresholds]\nsmall_count = \"five\"\n");
        assert!(
            e.contains("line 2") && e.contains("key 'thresholds.small_count'"),
            "{e}"
        );
        let e = error("[thresholds]\nsmall_count = 1\n");
        assert!(e.contains("line 2") && e.contains("at least 2"), "{e}");
        let e = error("# policy\n[rules.\"pii.postcod\"]\nseverity = \"low\"\n");
        assert!(
            e.contains("line 2") && e.contains("unknown rule 'pii.postcod'"),
            "{e}"
        );
        let e = error("[rules.\"pii.postcode\"]\nseverity = \"urgent\"\n");
        assert!(
            e.contains("line 2") && e.contains("rules.\"pii.postcode\".severity"),
            "{e}"
        );
        assert!(e.contains("unknown severity 'urgent'"), "{e}");
        let e = error("fail_on = \"info\"\n");
        assert!(e.contains("line 1") && e.contains("key 'fail_on'"), "{e}");
        let e = error("[rules.unscannable]\nenabled = false\n");
        assert!(e.contains("line 1") && e.contains("never passed"), "{e}");
        let e = error("[exclude]\npaths = [\"ok\", \"a{b\"]\n");
        assert!(e.contains("line 2") && e.contains("exclude pattern"), "{e}");
        let e = error("[allow]\nnames = [\"--\"]\n");
        assert!(e.contains("line 1") && e.contains("no letters"), "{e}");
        let e = error("fail_on = \"high\"\nfail_on = \"low\"\n");
        assert!(e.contains("line 2"), "{e}");
        let e = error("[colour]\nred = 1\n");
        assert!(e.contains("line 1") && e.contains("colour"), "{e}");
    }
}
