//! The report writers over a large run: 2,000 file reports from scanning the sample corpus
//! (about 5,000 findings). Measures what `--format json|sarif|html` adds after the scan.

#[path = "../tests/fixtures/corpus.rs"]
mod fixtures;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use foiguard::detect::Engine;
use foiguard::policy::Policy;
use foiguard::report::{self, Run, Summary};
use foiguard::{FileReport, Limits, ScanOptions, Severity};
use std::hint::black_box;

fn reports(count: usize) -> Vec<FileReport> {
    let dir = tempfile::tempdir().expect("temp dir");
    let limits = Limits::default();
    let engine = Engine::new();
    let policy = Policy::new(Severity::High);
    let opts = ScanOptions::new(&limits, &engine, &policy);
    let scanned: Vec<FileReport> = fixtures::corpus()
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            let mut r = foiguard::scan_file(&path, name, &opts);
            report::mask_report(&mut r);
            r
        })
        .collect();
    scanned.iter().cycle().take(count).cloned().collect()
}

fn bench(c: &mut Criterion) {
    let reports = reports(2_000);
    let summary = Summary::of(&reports, 0);
    let run = Run {
        summary: &summary,
        reports: &reports,
        fail_on: Severity::High,
        evidence_shown: false,
    };
    let mut group = c.benchmark_group("report-2000-files");
    group.throughput(Throughput::Elements(summary.findings));
    group.sample_size(10);
    group.bench_function("json", |b| {
        b.iter(|| report::write_json(&mut std::io::sink(), black_box(&summary), &reports))
    });
    group.bench_function("sarif", |b| {
        b.iter(|| report::sarif::write(&mut std::io::sink(), black_box(&run)))
    });
    group.bench_function("html", |b| {
        b.iter(|| report::html::write(&mut std::io::sink(), black_box(&run)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
