//! Hostile and broken files: bounded memory, every safety limit, corrupt and encrypted input,
//! zip bombs, deep embedding, garbage. None may panic, none may pass silently, and a bad file
//! in a batch must not disturb the good ones.

mod common;
#[path = "fixtures/corpus.rs"]
mod fixtures;

use common::*;
use foiguard::formats::Format;
use foiguard::{Finding, Limits, Severity, Verdict};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn unscannable(findings: &[Finding]) -> Vec<&Finding> {
    of_rule(findings, "unscannable")
}

/// The single unscannable finding, which must be critical.
fn one_unscannable(findings: &[Finding]) -> &Finding {
    let f = only(findings, "unscannable");
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.hidden);
    f
}

/// `depth` workbooks, each embedding the next; the innermost is the hidden-sheet roster.
fn nested_workbooks(depth: usize) -> Vec<u8> {
    let mut bytes = fixtures::hidden_sheet_roster();
    for _ in 0..depth {
        let mut pkg = fixtures::Pkg::open(&fixtures::embedded_workbook());
        pkg.set("xl/embeddings/Microsoft_Excel_Worksheet.xlsx", bytes);
        bytes = pkg.finish();
    }
    bytes
}

/// Sets the declared uncompressed size of `name` in its local header and central directory.
fn lie_about_size(zip: &mut [u8], name: &str, size: u32) {
    let n = name.as_bytes();
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        if &zip[i..i + 4] == b"PK\x03\x04" && zip[i + 30..].starts_with(n) {
            zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
        if &zip[i..i + 4] == b"PK\x01\x02" && zip[i + 46..].starts_with(n) {
            zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local header and central directory entry");
}

fn foiguard() -> Command {
    Command::new(env!("CARGO_BIN_EXE_foiguard"))
}

fn json_report(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(out)))
}

fn file_entry<'a>(report: &'a serde_json::Value, path: &Path) -> &'a serde_json::Value {
    let want = path.display().to_string();
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == want.as_str())
        .unwrap_or_else(|| panic!("{want} not in report:\n{report:#}"))
}

// ---------------------------------------------------------------------------
// Memory and time.
// ---------------------------------------------------------------------------

#[test]
fn extreme_extent_scans_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large-extent.xlsx");
    std::fs::write(&path, fixtures::extreme_extent()).expect("write");
    let out_path = dir.path().join("report.json");
    let out = std::fs::File::create(&out_path).expect("report file");
    #[expect(
        clippy::zombie_processes,
        reason = "reaped below by libc::wait4, which also returns its resource usage"
    )]
    let child = foiguard()
        .args(["scan", "--format", "json", "-j", "1"])
        .arg(&path)
        .stdout(Stdio::from(out))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn foiguard");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; status and usage point at live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    assert!(libc::WIFEXITED(status), "foiguard did not exit normally");
    assert_eq!(libc::WEXITSTATUS(status), 1, "the far cell blocks release");
    let peak_kib = usage.ru_maxrss;
    assert!(
        peak_kib < 200 * 1024,
        "peak RSS {} MiB for a file spanning A1:XFD1048576",
        peak_kib / 1024
    );
    let report = json_report(&std::fs::read(&out_path).expect("report"));
    let file = file_entry(&report, &path);
    assert_eq!(file["verdict"], "block");
    let findings = file["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "residual-data" && f["location"]["range"] == "XFD1048576"),
        "{file:#}"
    );
}

#[test]
fn zero_time_limit_is_unscannable_and_says_so() {
    let limits = Limits {
        max_time: Duration::ZERO,
        ..Limits::default()
    };
    let findings = findings_with(&fixtures::hidden_sheet_roster(), &limits);
    let hits = unscannable(&findings);
    assert!(!hits.is_empty(), "{}", dump(&findings));
    assert!(
        hits.iter()
            .any(|f| f.message.contains("longer than the limit of 0s")
                && f.message
                    .contains("limits.max_time in foiguard.toml raises it")),
        "{}",
        dump(&findings)
    );
    assert!(hits.iter().all(|f| f.severity == Severity::Critical));
}

// ---------------------------------------------------------------------------
// Files that cannot be read.
// ---------------------------------------------------------------------------

#[test]
fn truncated_workbook_is_unscannable_with_a_reason() {
    let report = scan_as_file(&fixtures::truncated_xlsx(), "damaged.xlsx", Severity::High);
    assert_eq!(report.verdict, Verdict::Block);
    assert_eq!(report.format, "zip-bad");
    let f = one_unscannable(&report.findings);
    assert!(f.location.container.is_empty());
    assert!(f.message.contains("corrupt or truncated"), "{}", f.message);
    assert_eq!(report.error.as_deref(), Some(f.message.as_str()));
}

#[test]
fn empty_file_is_unscannable_with_a_reason() {
    let report = scan_as_file(&fixtures::empty_file(), "empty.xlsx", Severity::Critical);
    assert_eq!(report.verdict, Verdict::Block);
    assert_eq!(report.format, "empty");
    assert_eq!(report.bytes, 0);
    let f = one_unscannable(&report.findings);
    assert!(f.message.contains("empty"), "{}", f.message);
    assert!(report.error.is_some());
}

#[test]
fn encrypted_package_is_unscannable_as_password_protected() {
    let report = scan_as_file(
        &fixtures::encrypted_ooxml(),
        "protected.xlsx",
        Severity::Critical,
    );
    assert_eq!(report.verdict, Verdict::Block, "unscannable always blocks");
    assert_eq!(report.format, "ooxml-encrypted");
    let f = one_unscannable(&report.findings);
    assert!(f.message.contains("password-protected"), "{}", f.message);
}

#[test]
fn garbage_bytes_do_not_panic_and_block() {
    let garbage = fixtures::pseudo_random_bytes(7, 4096);
    let mut zip_like = b"PK\x03\x04".to_vec();
    zip_like.extend(fixtures::pseudo_random_bytes(8, 4096));
    let mut ole_like = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole_like.extend(fixtures::pseudo_random_bytes(9, 4096));
    for (name, bytes, format) in [
        ("random", garbage, Format::Binary),
        ("zip header + random", zip_like, Format::BadZip),
        ("OLE header + random", ole_like, Format::Ole),
    ] {
        let (got, findings, _) = scan_with(&bytes, &Limits::default(), true);
        assert_eq!(got, format, "{name}");
        let f = one_unscannable(&findings);
        assert!(f.location.container.is_empty(), "{name}");
        assert!(
            !f.message.contains("parser failed"),
            "{name}: {}",
            f.message
        );
        let report = scan_as_file(&bytes, "garbage.xlsx", Severity::Critical);
        assert_eq!(report.verdict, Verdict::Block, "{name}");
    }
}

#[test]
fn workbook_part_with_garbage_xml_is_unscannable() {
    let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
    pkg.set("xl/workbook.xml", fixtures::pseudo_random_bytes(11, 2048));
    let bytes = pkg.finish();
    let (format, findings, _) = scan_with(&bytes, &Limits::default(), false);
    assert_eq!(format, Format::Xlsx);
    let hits = unscannable(&findings);
    assert!(
        hits.iter().any(|f| f.message.contains("xl/workbook.xml")),
        "{}",
        dump(&findings)
    );
    assert_eq!(
        scan_as_file(&bytes, "x.xlsx", Severity::Critical).verdict,
        Verdict::Block
    );
}

#[test]
fn worksheet_with_garbage_xml_is_unscannable_at_that_part() {
    let mut pkg = fixtures::Pkg::open(&fixtures::hidden_sheet_roster());
    pkg.set(
        "xl/worksheets/sheet1.xml",
        fixtures::pseudo_random_bytes(12, 2048),
    );
    let findings = scan(&pkg.finish()).1;
    let f = one_unscannable(&findings);
    assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet1.xml"));
    assert!(
        f.message.contains("not well-formed XML") && f.message.contains("line 1"),
        "{}",
        f.message
    );
    // The rest of the workbook is still inspected.
    let h = only(&findings, "hidden-sheet");
    assert_eq!(h.location.range.as_deref(), Some("A1:E201"));
}

#[test]
fn workbook_part_that_is_not_a_workbook_is_unscannable() {
    // Numbers only, so no other rule (unused shared strings) happens to block it.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, 380_001).expect("write");
    ws.write(1, 0, 380_002).expect("write");
    let base = wb.save_to_buffer().expect("save");
    for junk in [
        &b"this is not a workbook"[..],
        b"",
        b"<html><body>404</body></html>",
    ] {
        let mut pkg = fixtures::Pkg::open(&base);
        pkg.set("xl/workbook.xml", junk.to_vec());
        let bytes = pkg.finish();
        let report = scan_as_file(&bytes, "x.xlsx", Severity::High);
        assert_eq!(
            report.verdict,
            Verdict::Block,
            "workbook.xml = {:?}:\n{}",
            String::from_utf8_lossy(junk),
            dump(&report.findings)
        );
        assert!(!unscannable(&report.findings).is_empty());
    }
}

// ---------------------------------------------------------------------------
// Safety limits.
// ---------------------------------------------------------------------------

#[test]
fn part_over_the_part_limit_is_unscannable() {
    let limits = Limits {
        max_part_bytes: 8 << 10,
        ..Limits::default()
    };
    let findings = findings_with(&fixtures::hidden_sheet_roster(), &limits);
    let f = one_unscannable(&findings);
    assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet2.xml"));
    assert!(
        f.message
            .contains("over the limit of 8 KiB (limits.max_part_bytes in foiguard.toml"),
        "{}",
        f.message
    );
}

#[test]
fn unreadable_hidden_sheet_is_not_called_empty() {
    let limits = Limits {
        max_part_bytes: 8 << 10,
        ..Limits::default()
    };
    let findings = findings_with(&fixtures::hidden_sheet_roster(), &limits);
    for f in of_rule(&findings, "hidden-sheet") {
        assert!(
            !f.message.contains("empty") && f.severity >= Severity::High,
            "a sheet nobody could read is not known to be empty:\n{}",
            dump(&findings)
        );
    }
}

#[test]
fn total_over_the_inflate_budget_is_unscannable() {
    let limits = Limits {
        max_total_inflated: 16 << 10,
        ..Limits::default()
    };
    let findings = findings_with(&fixtures::hidden_sheet_roster(), &limits);
    let hits = unscannable(&findings);
    assert!(!hits.is_empty(), "{}", dump(&findings));
    assert!(
        hits.iter()
            .all(|f| f.message.contains("limits.max_total_inflated")
                && f.severity == Severity::Critical),
        "{}",
        dump(&findings)
    );
}

#[test]
fn inflate_budget_covers_embedded_files() {
    // Enough budget for the outer workbook (embedding included), not for what it embeds.
    let bytes = fixtures::embedded_workbook();
    let outer: u64 = unzip(&bytes).iter().map(|(_, d)| d.len() as u64).sum();
    let limits = Limits {
        max_total_inflated: outer + 2048,
        ..Limits::default()
    };
    let findings = findings_with(&bytes, &limits);
    let hits = unscannable(&findings);
    assert!(!hits.is_empty(), "{}", dump(&findings));
    assert!(
        hits.iter()
            .all(|f| f.location.container == ["Microsoft_Excel_Worksheet.xlsx"]),
        "only the embedded workbook runs out of budget:\n{}",
        dump(&findings)
    );
    only(&findings, "embedded-object");
}

#[test]
fn too_many_zip_entries_is_unscannable() {
    let limits = Limits {
        max_entries: 5,
        ..Limits::default()
    };
    let findings = findings_with(&fixtures::hidden_sheet_roster(), &limits);
    let f = one_unscannable(&findings);
    assert!(f.location.container.is_empty());
    assert_eq!(f.location.part, None);
    assert!(f.message.contains("entries"), "{}", f.message);
    assert!(
        f.message.contains("limit of 5 (limits.max_entries"),
        "{}",
        f.message
    );
}

#[test]
fn embedding_deeper_than_the_limit_stops_with_unscannable() {
    let bytes = nested_workbooks(6);
    let findings = scan(&bytes).1;
    let f = one_unscannable(&findings);
    assert_eq!(
        f.location.container.len(),
        4,
        "stops at the default depth of 4:\n{}",
        dump(&findings)
    );
    assert!(
        f.message.contains(
            "embedding deeper than 4 levels (limits.max_embedding_depth in foiguard.toml"
        ),
        "{}",
        f.message
    );
    assert_eq!(of_rule(&findings, "embedded-object").len(), 5);
    // The roster at the bottom is never reached, so nothing claims to have seen it.
    none_of(&findings, "hidden-sheet");
}

#[test]
fn shrunk_depth_limit_applies() {
    let bytes = nested_workbooks(2);
    let limits = Limits {
        max_embedding_depth: 1,
        ..Limits::default()
    };
    let findings = findings_with(&bytes, &limits);
    let f = one_unscannable(&findings);
    assert_eq!(f.location.container, ["Microsoft_Excel_Worksheet.xlsx"]);
    assert!(f.message.contains("deeper than 1"), "{}", f.message);
    // Within the limit, the same file is read to the bottom.
    let findings = scan(&bytes).1;
    assert!(unscannable(&findings).is_empty(), "{}", dump(&findings));
    let h = only(&findings, "hidden-sheet");
    assert_eq!(h.location.container.len(), 2);
}

/// A workbook whose sheet part is 50 MiB of zeros, deflated (built once: slow in debug).
fn zip_bomb() -> &'static [u8] {
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| {
        let mut pkg = fixtures::Pkg::open(&fixtures::clean_crime_stats());
        pkg.set("xl/worksheets/sheet1.xml", vec![0u8; 50 << 20]);
        pkg.finish()
    })
}

#[test]
fn zip_bomb_part_is_refused_before_it_inflates() {
    let bomb = zip_bomb();
    assert!(
        bomb.len() < 1 << 20,
        "50 MiB of zeros deflates to {}",
        bomb.len()
    );
    let limits = Limits {
        max_part_bytes: 1 << 20,
        ..Limits::default()
    };
    let findings = findings_with(bomb, &limits);
    let f = one_unscannable(&findings);
    assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet1.xml"));
    assert!(
        f.message.contains("over the limit of 1 MiB"),
        "{}",
        f.message
    );
}

#[test]
fn zip_bomb_with_a_lying_size_header_is_stopped_while_inflating() {
    let mut bomb = zip_bomb().to_vec();
    lie_about_size(&mut bomb, "xl/worksheets/sheet1.xml", 1000);
    for part_limit in [1 << 20, Limits::default().max_part_bytes] {
        let limits = Limits {
            max_part_bytes: part_limit,
            ..Limits::default()
        };
        let findings = findings_with(&bomb, &limits);
        let f = one_unscannable(&findings);
        assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet1.xml"));
    }
}

// ---------------------------------------------------------------------------
// Robustness.
// ---------------------------------------------------------------------------

#[test]
fn no_fixture_makes_a_parser_panic() {
    for (name, bytes) in fixtures::all_fixtures() {
        let (_, findings, _) = scan_with(&bytes, &Limits::default(), true);
        assert!(
            findings
                .iter()
                .all(|f| !f.message.contains("parser failed")),
            "{name}:\n{}",
            dump(&findings)
        );
    }
}

#[test]
fn mutated_parts_never_panic() {
    // Deterministic mutations of the XML inside valid packages: truncation, byte noise,
    // cut-outs and hostile insertions. Every scan must finish without a parser panic.
    let inserts: [&[u8]; 7] = [
        b"<row r=\"4294967295\">",
        b"<c r=\"XFD99999999\" t=\"s\"><v>99999999</v></c>",
        b"&#xFFFFFF;",
        b"<x v=\"-1\"/>",
        b"<pt idx=\"4294967295\">",
        b"]]>",
        b"<![CDATA[",
    ];
    let noise: &[u8] = b"<>\"'&=/ 09aZ;#x\x00\xff";
    let mut rng = fixtures::pseudo_random_bytes(2024, 1 << 16)
        .into_iter()
        .cycle();
    let mut next = move || {
        let b = [rng.next(), rng.next(), rng.next()];
        usize::from(b[0].unwrap_or(0)) << 16
            | usize::from(b[1].unwrap_or(0)) << 8
            | usize::from(b[2].unwrap_or(0))
    };
    let mut mutants = 0;
    for bytes in [
        fixtures::pivot_cache(),
        fixtures::threaded_comment(),
        fixtures::chart_cache_hidden_source(),
        fixtures::external_link_cache(),
        fixtures::shared_workbook_revisions(),
    ] {
        let parts = unzip(&bytes);
        for _ in 0..40 {
            let (name, original) = &parts[next() % parts.len()];
            if original.is_empty() {
                continue;
            }
            let mut data = original.clone();
            match next() % 4 {
                0 => data.truncate(next() % data.len()),
                1 => {
                    for _ in 0..1 + next() % 8 {
                        let i = next() % data.len();
                        data[i] = noise[next() % noise.len()];
                    }
                }
                2 => {
                    let (a, b) = (next() % data.len(), next() % data.len());
                    data.drain(a.min(b)..a.max(b));
                }
                _ => {
                    let at = next() % data.len();
                    let ins = inserts[next() % inserts.len()];
                    data.splice(at..at, ins.iter().copied());
                }
            }
            let mut pkg = fixtures::Pkg::open(&bytes);
            pkg.set(name, data);
            let findings = scan_with(&pkg.finish(), &Limits::default(), true).1;
            mutants += 1;
            assert!(
                findings
                    .iter()
                    .all(|f| !f.message.contains("parser failed")),
                "mutating {name}:\n{}",
                dump(&findings)
            );
        }
    }
    assert!(mutants >= 150, "{mutants} mutants");
}

#[test]
fn a_bad_file_in_a_batch_does_not_disturb_the_good_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("a-good.xlsx");
    let bad = dir.path().join("b-bad.xlsx");
    let broken = dir.path().join("c-broken.xlsx");
    std::fs::write(&good, fixtures::clean_crime_stats()).expect("write");
    std::fs::write(&bad, fixtures::pseudo_random_bytes(5, 10_000)).expect("write");
    std::fs::write(&broken, fixtures::truncated_xlsx()).expect("write");
    // A good file with findings of its own, which must come out the same in the batch.
    let flagged = dir.path().join("d-flagged.xlsx");
    std::fs::write(&flagged, fixtures::hidden_sheet_roster()).expect("write");

    let solo = foiguard()
        .args(["scan", "--format", "json"])
        .arg(&good)
        .output()
        .expect("run");
    assert_eq!(solo.status.code(), Some(0));
    let solo = json_report(&solo.stdout);
    let solo_flagged = foiguard()
        .args(["scan", "--format", "json"])
        .arg(&flagged)
        .output()
        .expect("run");
    let solo_flagged = json_report(&solo_flagged.stdout);
    let solo_flagged = file_entry(&solo_flagged, &flagged);
    assert!(
        !solo_flagged["findings"]
            .as_array()
            .expect("findings")
            .is_empty()
    );

    // One worker and two: the order files finish in changes, their results must not.
    for jobs in ["1", "2"] {
        let batch = foiguard()
            .args(["scan", "--format", "json", "-j", jobs])
            .arg(dir.path())
            .output()
            .expect("run");
        assert_eq!(batch.status.code(), Some(1), "-j{jobs}: three files block");
        let batch = json_report(&batch.stdout);
        assert_eq!(batch["summary"]["files"], 4);
        assert_eq!(batch["summary"]["blocked"], 3);
        assert_eq!(batch["summary"]["passed"], 1);
        let f = file_entry(&batch, &flagged);
        assert_eq!(f["findings"], solo_flagged["findings"], "-j{jobs}");
        assert_eq!(f["verdict"], solo_flagged["verdict"], "-j{jobs}");

        let g = file_entry(&batch, &good);
        assert_eq!(g["verdict"], "pass");
        assert_eq!(g["findings"], serde_json::json!([]));
        assert!(g.get("error").is_none(), "{g:#}");
        let s = file_entry(&solo, &good);
        assert_eq!(g["sha256"], s["sha256"]);
        assert_eq!(g["findings"], s["findings"]);
        assert_eq!(g["format"], "xlsx");

        for path in [&bad, &broken] {
            let b = file_entry(&batch, path);
            assert_eq!(b["verdict"], "block", "-j{jobs}: {b:#}");
            assert!(b["error"].is_string(), "{b:#}");
            let findings = b["findings"].as_array().expect("findings");
            assert!(
                findings
                    .iter()
                    .any(|f| f["rule"] == "unscannable" && f["severity"] == "critical"),
                "{b:#}"
            );
        }
    }
}

/// A worksheet cut short between two tags parses token by token, but it is not the whole
/// sheet: the file must block as unscannable rather than pass on what was read.
#[test]
fn sheet_part_cut_between_tags_is_unscannable() {
    let bytes = fixtures::clean_crime_stats();
    let mut pkg = fixtures::Pkg::open(&bytes);
    pkg.edit("xl/worksheets/sheet1.xml", |xml| {
        let cut = xml.find("</sheetData>").expect("sheetData");
        xml[..cut].to_string()
    });
    let findings = findings_with(&pkg.finish(), &foiguard::Limits::default());
    let f = findings
        .iter()
        .find(|f| f.rule == "unscannable")
        .unwrap_or_else(|| panic!("no unscannable finding:\n{}", dump(&findings)));
    assert_eq!(f.location.part.as_deref(), Some("xl/worksheets/sheet1.xml"));
    assert!(
        f.message.contains("ends before its elements close"),
        "{}",
        f.message
    );
}
