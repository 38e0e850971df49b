//! `scan --format html` as a person sees it: the real binary writes the report, the raw file
//! is checked for escaping and external assets, then headless Chromium renders it (DOM text,
//! a screenshot and a print to PDF).
//!
//! Without a browser the raw checks still run and the rendered check is skipped, saying so
//! on stderr, so `cargo test` passes on a machine with only Rust. CI sets
//! `FOIGUARD_REQUIRE_BROWSER=1`, which makes a missing browser a failure.

#[path = "fixtures/corpus.rs"]
mod fixtures;

use assert_cmd::Command;
use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A hung browser must not hang the suite.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

/// A file name that is markup if the report forgets to escape it (no `/`: it is a real file).
const HOSTILE: &str = "<img src=x onerror=alert(1)> & <b>bold.xlsx";

/// How to get the rendered check, for the messages that say it did not run.
const INSTALL: &str = "install chromium (apt-get install chromium) or set FOIGUARD_BROWSER to a \
     Chromium or Chrome binary, then run `cargo test --test html`";

/// The browser to render with: `FOIGUARD_BROWSER` if it names a file, else the first
/// Chromium on PATH.
fn find_browser() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("FOIGUARD_BROWSER") {
        let b = PathBuf::from(b);
        return b.is_file().then_some(b);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// True when a browser can render the page. Without one, the rendered check is skipped
/// and the test says so on stderr (written directly, so the harness shows it even for a
/// passing test), unless `FOIGUARD_REQUIRE_BROWSER` is set, as CI sets it: then the test
/// fails.
fn can_render(test: &str) -> bool {
    if find_browser().is_some() {
        return true;
    }
    let required =
        std::env::var("FOIGUARD_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
    if required {
        panic!("FOIGUARD_REQUIRE_BROWSER is set but no headless browser was found: {INSTALL}");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "note: {test}: no headless browser found, so the rendered check of the HTML report was \
         skipped (the raw-file checks ran); to run it, {INSTALL}"
    );
    false
}

fn browser() -> PathBuf {
    find_browser().unwrap_or_else(|| panic!("no headless browser: {INSTALL}"))
}

/// Runs headless Chromium on `page` with `args`, in its own process group so the whole
/// browser (it forks helpers) can be killed on timeout. Returns standard output.
fn chromium(page: &Path, args: &[String]) -> String {
    let work = tempfile::tempdir().expect("temp dir");
    let out_path = work.path().join("stdout");
    let err_path = work.path().join("stderr");
    let mut cmd = std::process::Command::new(browser());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--hide-scrollbars",
    ])
    .arg(format!(
        "--user-data-dir={}",
        work.path().join("profile").display()
    ))
    .args(args)
    .arg(file_url(page))
    .stdin(Stdio::null())
    // Files, not pipes: a DOM dump larger than a pipe buffer would block the browser.
    .stdout(std::fs::File::create(&out_path).expect("stdout file"))
    .stderr(std::fs::File::create(&err_path).expect("stderr file"))
    .process_group(0);
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap_or_else(|e| {
        panic!("cannot start the browser ({e}): install chromium: apt-get install chromium")
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for browser") {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            // SAFETY: plain syscall on the process group this test started.
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            let _ = child.wait();
            panic!(
                "browser did not finish in {BROWSER_TIMEOUT:?} ({args:?}); stderr:\n{}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "browser failed ({status}, {args:?}); stderr:\n{}",
        std::fs::read_to_string(&err_path).unwrap_or_default()
    );
    std::fs::read_to_string(&out_path).expect("browser output")
}

fn file_url(path: &Path) -> OsString {
    let abs = std::fs::canonicalize(path).expect("report path");
    let mut url = OsString::from("file://");
    url.push(abs);
    url
}

/// Runs `foiguard scan --format html -o <out> PATHS` in `dir`; returns the report text.
fn scan_html(dir: &Path, paths: &[&str], out: &Path, code: i32) -> String {
    let mut cmd = Command::cargo_bin("foiguard").expect("binary");
    cmd.current_dir(dir)
        .arg("scan")
        .args(paths)
        .args(["--format", "html", "-o"])
        .arg(out);
    let output = cmd.output().expect("run foiguard");
    assert_eq!(
        output.status.code(),
        Some(code),
        "stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(out).expect("report written")
}

/// The page's visible text: tags and the stylesheet dropped, entities decoded, spaces
/// collapsed.
fn dom_text(dom: &str) -> String {
    let mut rest = dom;
    let mut text = String::new();
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let tag = &rest[lt..tag_end];
        rest = &rest[tag_end..];
        if tag.starts_with("<style") {
            rest = rest.find("</style>").map_or("", |e| &rest[e..]);
        }
        text.push(' ');
    }
    text.push_str(rest);
    let decoded = html_escape::decode_html_entities(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every `href`/`src` points inside the page; nothing loads scripts, styles or fonts.
fn assert_self_contained(html: &str) {
    for attr in ["href=", "src="] {
        for (i, _) in html.match_indices(attr) {
            let value = &html[i + attr.len()..];
            // Inside escaped text (the hostile name) the quote is `&quot;` or absent.
            if !value.starts_with('"') && !value.starts_with('\'') {
                continue;
            }
            assert!(
                value[1..].starts_with('#'),
                "external reference in the report: {}",
                &html[i..(i + 80).min(html.len())]
            );
        }
    }
    // Escaped text cannot hold `<`, so these can only be markup.
    let lower = html.to_ascii_lowercase();
    for banned in ["<script", "<link", "<iframe", "<object", "<embed"] {
        assert!(!lower.contains(banned), "report must not use {banned:?}");
    }
    let style = lower
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .expect("inline stylesheet");
    for banned in ["url(", "@import", "@font-face"] {
        assert!(
            !style.contains(banned),
            "stylesheet must not load {banned:?}"
        );
    }
}

fn assert_png(path: &Path, width: u32, height: u32) {
    let png = std::fs::read(path).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        path.display()
    );
    assert!(
        png.len() > 10 * 1024,
        "screenshot is only {} bytes",
        png.len()
    );
    let dim = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes"));
    assert_eq!((dim(16), dim(20)), (width, height), "screenshot size");
}

fn assert_pdf(path: &Path) {
    let pdf = std::fs::read(path).expect("PDF written");
    assert!(pdf.starts_with(b"%PDF-"), "{} is not a PDF", path.display());
    assert!(pdf.len() > 10 * 1024, "PDF is only {} bytes", pdf.len());
}

#[test]
fn html_report_renders_verdicts_findings_and_escapes_names() {
    let inputs = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in [
        ("roster.xlsx", fixtures::hidden_sheet_roster()),
        ("clean.xlsx", fixtures::clean_crime_stats()),
        ("damaged.xlsx", fixtures::truncated_xlsx()),
        (HOSTILE, fixtures::legacy_note()),
    ] {
        std::fs::write(inputs.path().join(name), bytes).expect("write input");
    }
    let out = tempfile::tempdir().expect("temp dir");
    let report = out.path().join("report.html");
    let html = scan_html(inputs.path(), &["."], &report, 1);

    // Raw file: self-contained, and the hostile name is text, never markup.
    assert_self_contained(&html);
    assert!(
        !html.contains("<img") && !html.contains("<b>"),
        "hostile file name written as markup"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold.xlsx"));
    for clear in ["Patel", "SMITH", "03/02/1961", "Acacia"] {
        assert!(
            !html.contains(clear),
            "personal data {clear:?} in clear in a masked report"
        );
    }

    // Rendered: what the officer reads.
    if !can_render("html_report_renders_verdicts_findings_and_escapes_names") {
        return;
    }
    let dom = chromium(&report, &["--dump-dom".into()]);
    assert!(
        !dom.contains("<img") && !dom.contains("<b>") && !dom.contains("<script"),
        "hostile file name became markup in the rendered page"
    );
    let text = dom_text(&dom);
    for expected in [
        "Do not release: 3 of 4 files are blocked",
        "Findings at high or above block release.",
        "Blocked",
        "Can be released",
        "could not be checked",
        "Blocked because it could not be checked",
        "./clean.xlsx",
        &format!("./{HOSTILE}"),
        "Hidden from readers",
        "Sheet2!A1:E201",
        "'Crime by ward'!B4",
        "DS R**** (masked)",
        foiguard::rules::rule("hidden-sheet").summary,
        foiguard::rules::rule("hidden-sheet").advice,
        foiguard::rules::rule("unscannable").advice,
        "By severity",
        "By rule",
    ] {
        assert!(
            text.contains(expected),
            "rendered page lacks {expected:?}:\n{text}"
        );
    }

    let png = out.path().join("report.png");
    chromium(
        &report,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".into(),
        ],
    );
    assert_png(&png, 1280, 2000);

    let pdf = out.path().join("report.pdf");
    chromium(
        &report,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    assert_pdf(&pdf);
}

#[test]
fn html_report_says_safe_to_release_when_nothing_blocks() {
    let inputs = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        inputs.path().join("clean.xlsx"),
        fixtures::clean_crime_stats(),
    )
    .expect("write input");
    let out = tempfile::tempdir().expect("temp dir");
    let report = out.path().join("report.html");
    let html = scan_html(inputs.path(), &["clean.xlsx"], &report, 0);
    assert_self_contained(&html);
    assert!(html.contains("Safe to release: no file is blocked"));
    if !can_render("html_report_says_safe_to_release_when_nothing_blocks") {
        return;
    }
    let text = dom_text(&chromium(&report, &["--dump-dom".into()]));
    assert!(
        text.contains("Safe to release: no file is blocked"),
        "{text}"
    );
    assert!(!text.contains("Do not release"), "{text}");
    assert!(text.contains("Nothing was found in this file."), "{text}");
}

/// The bundled corpus as a reviewer would get it; the screenshot and PDF are kept under
/// `target/html-report/` for people to look at.
#[test]
fn html_report_of_the_bundled_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("html-report");
    std::fs::create_dir_all(&target).expect("mkdir target/html-report");
    let report = target.join("corpus-report.html");
    let html = scan_html(root, &["corpus/"], &report, 1);
    assert_self_contained(&html);
    assert!(html.contains("corpus/FOI-2024-0202-damaged-download.xlsx"));
    if !can_render("html_report_of_the_bundled_corpus") {
        return;
    }

    let text = dom_text(&chromium(&report, &["--dump-dom".into()]));
    assert!(text.contains("Do not release: "), "{text}");
    assert!(text.contains("corpus/FOI-2024-0202-damaged-download.xlsx"));
    assert!(text.contains("Sheet2!A1:E201"), "{text}");

    let png = target.join("corpus-report.png");
    chromium(
        &report,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".into(),
        ],
    );
    assert_png(&png, 1280, 2000);
    let pdf = target.join("corpus-report.pdf");
    chromium(
        &report,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    assert_pdf(&pdf);
    println!("corpus report screenshot: {}", png.display());
    println!("corpus report PDF: {}", pdf.display());
}
