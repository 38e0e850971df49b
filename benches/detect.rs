//! The whole personal-data detector set (identifiers, tables, and optionally a roster) over
//! about 100 MB of mixed FOI-like text, fed as items the way the extractors feed it: cells of
//! statistics tables, rows of records, and free-text paragraphs.
//!
//! `cargo bench --bench detect`. Throughput is MB/s of text on one core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use foiguard::detect::Engine;
use foiguard::detect::roster::Roster;
use foiguard::detect::tables::TableConfig;
use foiguard::model::{Item, ItemKind};
use std::hint::black_box;

const SURNAMES: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Patel", "Khan", "Murphy", "Kelly", "Campbell", "Stewart", "Morris",
    "Hughes", "Edwards", "Turner", "Collins", "Bell", "Cooper", "Ward", "King", "Baker", "Harris",
    "Martin", "Parker", "Allen", "Okafor", "Nowak", "Singh", "Ahmed", "Lewis",
];
const FORENAMES: &[&str] = &[
    "John", "Mary", "Aisha", "Peter", "Grace", "David", "Sarah", "Michael", "Emma", "James",
    "Claire", "Robert", "Fiona", "Thomas", "Helen", "Daniel", "Laura", "Mark", "Nicola", "Paul",
    "Rachel", "Stephen", "Joanne", "Andrew", "Karen", "Imran", "Siobhan", "Ciaran", "Niamh",
];

/// Deterministic pseudo-random numbers.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// Items as (text, row, col): a statistics table, a records table and prose, repeated.
fn corpus(target: usize) -> Vec<(String, u32, u32)> {
    let mut rng = Lcg(42);
    let mut out = Vec::new();
    let mut size = 0;
    let mut row = 0u32;
    let wards = [
        "Mile Cross",
        "Mancroft",
        "Thorpe Hamlet",
        "Lakenham",
        "Eaton",
        "Nelson",
    ];
    let offences = [
        "Burglary",
        "Criminal damage",
        "Theft from vehicle",
        "Assault",
        "Robbery",
    ];
    while size < target {
        // Statistics rows.
        for _ in 0..20 {
            let cells = [
                wards[rng.next() % wards.len()].to_string(),
                offences[rng.next() % offences.len()].to_string(),
                (rng.next() % 60).to_string(),
                format!("2023-{:02}", rng.next() % 12 + 1),
            ];
            for (c, t) in cells.into_iter().enumerate() {
                size += t.len();
                out.push((t, row, c as u32));
            }
            row += 1;
        }
        // Record rows with some personal data.
        for _ in 0..5 {
            let s = SURNAMES[rng.next() % SURNAMES.len()];
            let f = FORENAMES[rng.next() % FORENAMES.len()];
            let cells = [
                format!("{}, {f}", s.to_uppercase()),
                format!(
                    "{} Station Road, Norwich NR{} {}AB",
                    rng.next() % 90 + 1,
                    rng.next() % 30 + 1,
                    rng.next() % 9
                ),
                format!("07700 900{:03}", rng.next() % 1000),
                format!(
                    "{:02}/{:02}/19{:02}",
                    rng.next() % 28 + 1,
                    rng.next() % 12 + 1,
                    rng.next() % 90 + 10
                ),
            ];
            for (c, t) in cells.into_iter().enumerate() {
                size += t.len();
                out.push((t, row, c as u32));
            }
            row += 1;
        }
        // Prose.
        let para = format!(
            "Thank you for your request of {} March 2023. We hold {} records for the {} ward. \
             The case was reviewed by DS {} and passed to the Freedom of Information team at \
             foi@norfolk.police.uk; reference FOI-2023-{:04}. Product code SKU-{}-{} is not \
             personal data, and neither is version 10.0.{}.1.",
            rng.next() % 28 + 1,
            rng.next() % 5000,
            wards[rng.next() % wards.len()],
            SURNAMES[rng.next() % SURNAMES.len()],
            rng.next() % 10000,
            rng.next() % 9000 + 1000,
            rng.next() % 9000 + 1000,
            rng.next() % 20000,
        );
        size += para.len();
        out.push((para, row, 0));
        row += 1;
    }
    out
}

/// A roster as varied as a real force's: about 10,000 distinct surnames (syllable pairs plus
/// common surnames), so most of the 100,000 entries share a surname with someone.
fn roster(entries: usize) -> Roster {
    const HEADS: &[&str] = &[
        "Ash", "Bar", "Bel", "Bro", "Cal", "Car", "Cor", "Dal", "Den", "Dun", "Ed", "Fal", "Far",
        "Gar", "Gil", "Gor", "Hal", "Har", "Hol", "Ing", "Kel", "Ken", "Lam", "Lan", "Lin", "Mac",
        "Mar", "Mel", "Mor", "Nor", "Old", "Pal", "Pem", "Ren", "Ros", "Sal", "San", "Shel", "Sut",
        "Tal", "Ten", "Thorn", "Tur", "Ul", "Ver", "Wal", "War", "Wel", "Wes", "Wil", "Win", "Yar",
        "Ab", "Ald", "Bran", "Brad", "Chal", "Clay", "Crom", "Dray", "Elm", "Fen", "Gath", "Hart",
        "Kirk", "Lock", "Mid", "Ness", "Oak", "Pen", "Rad", "Shaw", "Stan", "Swin", "Trem", "Up",
        "Wake", "Whit", "Wood", "York", "Brom", "Cran", "Dew", "Ev", "Fox", "Grim", "Hey", "Ives",
        "Jen", "Kim", "Lid", "Mon", "Nash", "Orm", "Pick", "Quin", "Rip", "Sel", "Tod", "Ux",
    ];
    const TAILS: &[&str] = &[
        "ley", "ton", "by", "ford", "well", "wood", "field", "ham", "ridge", "worth", "combe",
        "den", "dale", "lock", "more", "stead", "wick", "land", "man", "son", "er", "ett", "ing",
        "ock", "ell", "an", "ard", "ick", "ins", "ows", "ery", "ridge", "bury", "cott", "holm",
        "hurst", "ington", "leigh", "low", "mer", "ney", "ridge", "shaw", "thorpe", "vale", "way",
        "wyn", "ard", "ay", "en", "ers", "es", "ham", "ie", "in", "is", "ly", "ney", "on", "ott",
        "oy", "rey", "ries", "sey", "stone", "ter", "ville", "ward", "win", "yard", "age", "ale",
        "ance", "ant", "ate", "bank", "beck", "berg", "bourne", "brook", "by", "court", "croft",
        "dell", "don", "dyke", "fell", "gate", "grove", "hall", "hay", "hill", "hope", "house",
    ];
    let mut csv = String::from("Surname,Forename,Service No\n");
    let mut rng = Lcg(7);
    for i in 0..entries {
        let surname = if i % 5 == 0 {
            SURNAMES[rng.next() % SURNAMES.len()].to_string()
        } else {
            format!(
                "{}{}",
                HEADS[rng.next() % HEADS.len()],
                TAILS[rng.next() % TAILS.len()]
            )
        };
        let forename = FORENAMES[rng.next() % FORENAMES.len()];
        csv.push_str(&format!("{surname},{forename},{}\n", 100_000 + i));
    }
    Roster::from_sources(&[("roster.csv", csv.as_bytes())]).expect("roster")
}

fn run(engine: &Engine, items: &[(String, u32, u32)]) -> usize {
    let mut file = engine.start_file();
    for (text, row, col) in items {
        let kind = if *col == 0 && text.len() > 60 {
            ItemKind::Text
        } else {
            ItemKind::Cell
        };
        file.item(
            &Item {
                text,
                kind,
                hidden: false,
                part: "xl/worksheets/sheet1.xml",
                sheet: Some("Data"),
                cell: (kind == ItemKind::Cell).then_some((*row, *col)),
                detail: None,
                doc: foiguard::model::DocPlace::NONE,
            },
            &[],
        );
    }
    let mut out = Vec::new();
    file.finish(&mut out);
    out.len()
}

fn bench(c: &mut Criterion) {
    let items = corpus(100 << 20);
    let bytes: usize = items.iter().map(|(t, _, _)| t.len()).sum();
    let mut group = c.benchmark_group("detectors-100MB");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let plain = Engine::new();
    group.bench_function("no-roster", |b| b.iter(|| run(black_box(&plain), &items)));
    let with_roster = Engine::with_config(Some(roster(100_000)), TableConfig::default());
    group.bench_function("roster-100k", |b| {
        b.iter(|| run(black_box(&with_roster), &items))
    });
    // A force's typical foiguard.toml: named senior officers and press staff, role
    // mailboxes and switchboard numbers. Every name, email and phone hit is checked.
    let names: Vec<String> = (0..200).map(|i| format!("Allowed{i} Person{i}")).collect();
    let mailboxes: Vec<String> = (0..50).map(|i| format!("role{i}")).collect();
    let identifiers: Vec<String> = (0..50).map(|i| format!("0300 123 {:04}", i)).collect();
    let allow = foiguard::detect::allow::Allowlist::new(&names, &mailboxes, &identifiers)
        .expect("allowlist");
    let with_allowlist = Engine::new().with_allowlist(allow);
    group.bench_function("no-roster-allowlist-300", |b| {
        b.iter(|| run(black_box(&with_allowlist), &items))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
