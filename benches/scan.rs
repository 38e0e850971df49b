//! Scan throughput against the floor it cannot beat: inflating every part of the file.
//!
//! `cargo bench --bench scan`. Reports MB/s of compressed input for:
//! - `inflate-only`: read every zip entry to the end (the cost of just opening the file);
//! - `scan`: the full xlsx inspection (every part parsed, every text extracted);
//! - `corpus-mix`: every file of the sample corpus, scanned in turn.

#[path = "../tests/fixtures/corpus.rs"]
mod fixtures;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use foiguard::detect::Engine;
use foiguard::{Limits, scan_bytes};
use std::hint::black_box;
use std::io::{Cursor, Read};

fn inflate_all(bytes: &[u8]) -> u64 {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut total = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("entry");
        loop {
            let n = f.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            total += n as u64;
        }
    }
    total
}

fn bench_large(c: &mut Criterion) {
    let limits = Limits::default();
    let engine = Engine::new();
    let records = fixtures::large_crime_records(50_000, 10);
    let mut group = c.benchmark_group("records-50k");
    group.throughput(Throughput::Bytes(records.len() as u64));
    group.sample_size(20);
    group.bench_function("inflate-only", |b| {
        b.iter(|| inflate_all(black_box(&records)))
    });
    group.bench_function("scan", |b| {
        b.iter(|| {
            scan_bytes(black_box(&records), &limits, &engine, false)
                .1
                .len()
        })
    });
    group.finish();

    let corpus: Vec<Vec<u8>> = fixtures::corpus().into_iter().map(|(_, b)| b).collect();
    let total: u64 = corpus.iter().map(|b| b.len() as u64).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(total));
    group.bench_function("corpus-mix", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|f| scan_bytes(black_box(f), &limits, &engine, false).1.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_large);
criterion_main!(benches);
