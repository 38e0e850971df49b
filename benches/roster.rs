//! Roster matching throughput and load cost.
//!
//! `cargo bench --bench roster`. Generates ~25 MB of FOI-like text items (prose paragraphs,
//! some with PDF-style line breaks and typographic quotes, statistics tables rendered as text,
//! single cells) with a sprinkling of roster names, and rosters drawn from a few hundred
//! surnames × forenames, so names collide as real ones do. Reports, on one thread:
//! - `roster-find/1k`, `roster-find/100k`: MB/s of text through `Roster::find` (the surname
//!   automaton is small enough to be a DFA);
//! - `roster-find/100k-varied`: 100,000 entries over ~10,000 distinct surnames, as varied as a
//!   real force's roster (the automaton falls back to the contiguous NFA);
//! - `roster-load/*`: building a 100,000-entry roster from CSV bytes.
//!
//! Before the timings it prints for each roster the load time, its own memory estimate, the
//! process's peak RSS and the hits per pass (a sanity check on the generated text).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use foiguard::detect::hit::Hit;
use foiguard::detect::roster::Roster;
use std::hint::black_box;
use std::time::Instant;

/// Common British surnames (many are also ordinary words, as in real rosters) plus made-up ones.
const SURNAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
    "Bailey",
    "Carter",
    "Cook",
    "Singh",
    "Shaw",
    "Bell",
    "Collins",
    "Morgan",
    "Kelly",
    "Begum",
    "Miller",
    "Cox",
    "Hussain",
    "Marshall",
    "Simpson",
    "Price",
    "Anderson",
    "Adams",
    "Wilkinson",
    "Ali",
    "Ahmed",
    "Foster",
    "Ellis",
    "Murphy",
    "Chapman",
    "Mason",
    "Gray",
    "Richards",
    "Webb",
    "Griffiths",
    "Hunt",
    "Palmer",
    "Campbell",
    "Holmes",
    "Mills",
    "Rogers",
    "Barnes",
    "Knight",
    "Matthews",
    "Barker",
    "Powell",
    "Stevens",
    "Kaur",
    "Fisher",
    "Butler",
    "Dixon",
    "Russell",
    "Harvey",
    "Pearson",
    "Graham",
    "O'Brien",
    "Ó Súilleabháin",
    "MacDonald",
    "Van der Berg",
    "Nowak",
    "Kowalski",
    "Fox",
    "Stone",
    "Rose",
    "Field",
    "Lane",
    "Street",
    "Church",
    "Little",
    "Long",
    "Short",
    "Best",
    "Bird",
    "Nash",
];
const FORENAMES: &[&str] = &[
    "John",
    "David",
    "Michael",
    "Paul",
    "Andrew",
    "Mark",
    "James",
    "Richard",
    "Peter",
    "Steven",
    "Robert",
    "Christopher",
    "Ian",
    "Simon",
    "Daniel",
    "Thomas",
    "Matthew",
    "Stephen",
    "Gary",
    "Anthony",
    "Alan",
    "Neil",
    "Jonathan",
    "Lee",
    "Martin",
    "Kevin",
    "Jason",
    "Craig",
    "Adam",
    "Darren",
    "Will",
    "Sarah",
    "Emma",
    "Claire",
    "Lisa",
    "Helen",
    "Karen",
    "Rachel",
    "Nicola",
    "Louise",
    "Laura",
    "Joanne",
    "Julie",
    "Michelle",
    "Rebecca",
    "Amy",
    "Kate",
    "Jane",
    "Anne",
    "Susan",
    "Victoria",
    "Charlotte",
    "Hannah",
    "Sophie",
    "Lucy",
    "Zoë",
    "Seán",
    "Niamh",
    "Aoife",
    "Priya",
    "Mohammed",
    "Aisha",
    "Fatima",
    "Omar",
    "Raj",
    "Amir",
    "Wei",
    "Olu",
    "Grace",
    "Hope",
    "Faith",
    "Joy",
    "May",
    "June",
    "Dawn",
    "Rob",
    "Bill",
    "Pat",
    "Sue",
    "Ray",
    "Rose",
    "Jack",
];
/// Syllables for made-up names, so the lists reach a few hundred.
const ONSETS: &[&str] = &[
    "Har", "Pen", "Ald", "Brack", "Cor", "Dun", "Fel", "Gar", "Hol", "Kin", "Lang", "Mor", "Nor",
    "Ost", "Pry", "Rad", "Sel", "Thorn", "Wex", "Yar",
];
const CODAS: &[&str] = &[
    "wick", "derby", "ley", "ford", "ham", "ton", "well", "shaw", "combe", "ridge", "by", "stead",
    "worth", "more",
];
const FIRST_SYL: &[&str] = &[
    "Ael", "Bry", "Cal", "Dar", "Eli", "Fen", "Gwen", "Isa", "Jor", "Kai", "Lio", "Mae", "Nia",
];
const FIRST_END: &[&str] = &["an", "a", "on", "ie", "yn", "ric", "ella", "o"];

/// Ordinary words of FOI responses (a few of them surnames or forenames too, as in English:
/// green, hall, wood, long, best, will, mark …).
const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "for",
    "on",
    "was",
    "were",
    "be",
    "by",
    "with",
    "as",
    "at",
    "this",
    "which",
    "from",
    "it",
    "are",
    "or",
    "not",
    "has",
    "have",
    "had",
    "we",
    "our",
    "can",
    "may",
    "will",
    "would",
    "should",
    "could",
    "been",
    "any",
    "all",
    "no",
    "there",
    "their",
    "these",
    "those",
    "such",
    "request",
    "information",
    "held",
    "force",
    "police",
    "incidents",
    "recorded",
    "confirm",
    "section",
    "act",
    "exemption",
    "applies",
    "data",
    "officers",
    "staff",
    "attended",
    "reported",
    "year",
    "april",
    "march",
    "total",
    "number",
    "per",
    "district",
    "north",
    "south",
    "central",
    "east",
    "west",
    "please",
    "note",
    "figures",
    "provisional",
    "change",
    "victim",
    "suspect",
    "arrested",
    "charged",
    "further",
    "action",
    "custody",
    "review",
    "disclosure",
    "public",
    "interest",
    "test",
    "harm",
    "identify",
    "individual",
    "small",
    "response",
    "under",
    "within",
    "between",
    "following",
    "details",
    "provided",
    "system",
    "searches",
    "records",
    "relevant",
    "period",
    "requested",
    "applicant",
    "costs",
    "limit",
    "exceed",
    "hours",
    "estimate",
    "locate",
    "retrieve",
    "extract",
    "compliance",
    "duty",
    "advise",
    "whether",
    "neither",
    "confirm",
    "deny",
    "personal",
    "third",
    "party",
    "fair",
    "lawful",
    "processing",
    "principle",
    "article",
    "statistics",
    "crime",
    "offences",
    "category",
    "burglary",
    "theft",
    "vehicle",
    "assault",
    "criminal",
    "damage",
    "robbery",
    "fraud",
    "drugs",
    "possession",
    "weapons",
    "public",
    "order",
    "harassment",
    "stalking",
    "domestic",
    "abuse",
    "sexual",
    "offence",
    "outcome",
    "charge",
    "summons",
    "caution",
    "community",
    "resolution",
    "penalty",
    "notice",
    "investigation",
    "complete",
    "ongoing",
    "closed",
    "complaint",
    "misconduct",
    "hearing",
    "panel",
    "outcome",
    "conduct",
    "standards",
    "professional",
    "learning",
    "appeal",
    "department",
    "unit",
    "team",
    "division",
    "headquarters",
    "station",
    "custody",
    "suite",
    "control",
    "room",
    "contact",
    "centre",
    "month",
    "quarter",
    "financial",
    "calendar",
    "between",
    "dates",
    "inclusive",
    "approximately",
    "rounded",
    "nearest",
    "percentage",
    "table",
    "below",
    "above",
    "attached",
    "annex",
    "appendix",
    "spreadsheet",
    "document",
    "report",
    "summary",
    "overview",
    "green",
    "hall",
    "wood",
    "long",
    "best",
    "will",
    "mark",
    "field",
    "lane",
    "church",
    "stone",
    "king",
    "rose",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Below `n`, favouring small values (the common names at the front of a list).
    fn skewed(&mut self, n: usize) -> usize {
        let m = self.below(n) + 1;
        self.below(m)
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

fn name_lists() -> (Vec<String>, Vec<String>) {
    let mut surnames: Vec<String> = SURNAMES.iter().map(|s| s.to_string()).collect();
    for o in ONSETS {
        for c in CODAS {
            surnames.push(format!("{o}{c}"));
        }
    }
    let mut forenames: Vec<String> = FORENAMES.iter().map(|s| s.to_string()).collect();
    for f in FIRST_SYL {
        for e in FIRST_END {
            forenames.push(format!("{f}{e}"));
        }
    }
    (surnames, forenames)
}

struct Person {
    surname: String,
    forename: String,
    middle: Option<String>,
    collar: u32,
    pay: u32,
}

/// About 11,000 made-up surnames, for a roster as varied as a real force's.
const MIDS: &[&str] = &[
    "a", "e", "i", "o", "u", "ar", "er", "in", "on", "un", "am", "el", "is", "ot", "ub", "and",
    "end", "ing", "ock", "ull", "ers", "ith", "oll", "ash", "ick", "ey", "ow", "ay", "ue", "ie",
    "ant", "ent", "int", "ont", "unt", "arr", "err", "irr", "orr", "urr",
];

fn people(n: usize, seed: u64, varied: bool) -> Vec<Person> {
    let (mut surnames, forenames) = name_lists();
    if varied {
        for o in ONSETS {
            for m in MIDS {
                for c in CODAS {
                    surnames.push(format!("{o}{m}{c}"));
                }
            }
        }
    }
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| Person {
            surname: surnames[rng.skewed(surnames.len())].clone(),
            forename: forenames[rng.skewed(forenames.len())].clone(),
            middle: (rng.below(10) < 3).then(|| forenames[rng.below(forenames.len())].clone()),
            collar: 1000 + (i as u32 * 7919) % 9000,
            pay: 1_000_000 + i as u32 * 37,
        })
        .collect()
}

fn roster_csv(people: &[Person]) -> Vec<u8> {
    let mut out = String::from("Surname,Forename,Middle name,Collar No,Pay Number\n");
    for p in people {
        out.push_str(&format!(
            "\"{}\",{},{},{},{}\n",
            p.surname,
            p.forename,
            p.middle.as_deref().unwrap_or(""),
            p.collar,
            p.pay
        ));
    }
    out.into_bytes()
}

/// A roster name written the way documents write them.
fn written(p: &Person, rng: &mut Rng) -> String {
    let i = p.forename.chars().next().unwrap_or('X');
    match rng.below(6) {
        0 => format!("{}, {}", p.surname.to_uppercase(), p.forename),
        1 => format!("{} {}", p.forename, p.surname),
        2 => format!("{i}. {}", p.surname),
        3 => format!("PC {} {}", p.collar, p.surname),
        4 => format!("{} {i}", p.surname.to_uppercase()),
        _ => format!("pay no {}", p.pay),
    }
}

fn sentence(rng: &mut Rng, out: &mut String) {
    let n = 6 + rng.below(14);
    for w in 0..n {
        if w > 0 {
            out.push(' ');
        }
        // One word in twenty a number or date; one in fifty a surname or forename used as
        // an ordinary word (on top of the surname-like words in WORDS).
        match rng.below(100) {
            0..=3 => out.push_str(&rng.below(5000).to_string()),
            4 => out.push_str(&format!(
                "{:02}/{:02}/20{:02}",
                1 + rng.below(28),
                1 + rng.below(12),
                rng.below(25)
            )),
            5 => out.push_str(rng.pick(SURNAMES)),
            6 => out.push_str(rng.pick(FORENAMES)),
            _ => out.push_str(rng.pick(WORDS)),
        }
    }
    out.push_str(". ");
}

/// FOI-like items, about `target` bytes in all.
fn items(target: usize, roster: &[Person], seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    let mut items = Vec::new();
    let mut total = 0;
    while total < target {
        let mut s = String::new();
        match rng.below(10) {
            // Prose paragraph; some with PDF line breaks or curly quotes (both force a fold).
            0..=4 => {
                let pdf = rng.below(3) == 0;
                for _ in 0..(3 + rng.below(10)) {
                    sentence(&mut rng, &mut s);
                    if rng.below(25) == 0 {
                        let p = &roster[rng.below(roster.len())];
                        s.push_str(&format!("Statement by {}. ", written(p, &mut rng)));
                    }
                    if rng.below(30) == 0 {
                        s.push_str("the force’s “review” ");
                    }
                    if pdf {
                        s.push('\n');
                    }
                }
            }
            // A statistics table rendered as text.
            5..=6 => {
                s.push_str("Month\tDistrict\tIncidents\tArrests\tRate\n");
                for _ in 0..(5 + rng.below(30)) {
                    s.push_str(&format!(
                        "{} 20{}\t{}\t{}\t{}\t{}.{}%\n",
                        rng.pick(&["April", "May", "June", "July"]),
                        18 + rng.below(7),
                        rng.pick(&["North", "South", "Central", "East"]),
                        rng.below(20000),
                        rng.below(900),
                        rng.below(100),
                        rng.below(10)
                    ));
                }
            }
            // Single cells.
            _ => {
                for _ in 0..20 {
                    let cell = match rng.below(6) {
                        0 => rng.below(10000).to_string(),
                        1 => rng.pick(SURNAMES).to_string(),
                        2 => rng.pick(WORDS).to_string(),
                        3 => format!("{}.{:02}", rng.below(5000), rng.below(100)),
                        4 => format!("Q{} 20{}", 1 + rng.below(4), 18 + rng.below(7)),
                        _ => rng.pick(FORENAMES).to_string(),
                    };
                    total += cell.len();
                    items.push(cell);
                }
                continue;
            }
        }
        total += s.len();
        items.push(s);
    }
    items
}

fn scan(roster: &Roster, items: &[String], hits: &mut Vec<Hit>) -> usize {
    let mut n = 0;
    for item in items {
        hits.clear();
        roster.find(black_box(item), hits);
        n += hits.len();
    }
    n
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn bench_roster(c: &mut Criterion) {
    let big = people(100_000, 7, false);
    let varied = people(100_000, 7, true);
    let small = &big[..1_000];
    let text = items(24 << 20, small, 11);
    let bytes: usize = text.iter().map(String::len).sum();
    eprintln!("text: {:.1} MB in {} items", bytes as f64 / 1e6, text.len());

    let mut hits = Vec::new();
    let mut rosters = Vec::new();
    for (label, people) in [
        ("1k", small),
        ("100k", &big[..]),
        ("100k-varied", &varied[..]),
    ] {
        let csv = roster_csv(people);
        let rss_before = peak_rss_mb();
        let t = Instant::now();
        let roster = Roster::from_sources(&[("officers.csv", &csv)]).expect("roster");
        eprintln!(
            "{label}: {} entries, {} distinct surnames, CSV {:.1} MB, load {:.0} ms, roster memory ~{:.1} MB, \
             peak RSS {:.0} MB (before {:.0} MB), {} hits per pass",
            roster.len(),
            people
                .iter()
                .map(|p| p.surname.as_str())
                .collect::<std::collections::HashSet<_>>()
                .len(),
            csv.len() as f64 / 1e6,
            t.elapsed().as_secs_f64() * 1e3,
            roster.memory_usage() as f64 / 1e6,
            peak_rss_mb(),
            rss_before,
            scan(&roster, &text, &mut hits),
        );
        rosters.push((label, roster));
    }

    let mut group = c.benchmark_group("roster-find");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for (label, roster) in &rosters {
        group.bench_function(*label, |b| b.iter(|| scan(roster, &text, &mut hits)));
    }
    group.finish();
    let mut group = c.benchmark_group("roster-load");
    group.sample_size(10);
    for (label, people) in [("100k", &big), ("100k-varied", &varied)] {
        let csv = roster_csv(people);
        group.bench_function(label, |b| {
            b.iter(|| {
                Roster::from_sources(&[("officers.csv", black_box(&csv))])
                    .expect("roster")
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_roster);
criterion_main!(benches);
