mod common;
#[path = "../corpus/fixtures.rs"]
mod fixtures;

#[test]
#[ignore]
fn explore_dump() {
    let mut out = String::new();
    for (name, bytes) in fixtures::all_fixtures() {
        let (format, findings, items) =
            common::scan_with(&bytes, &foiguard::Limits::default(), true);
        out.push_str(&format!(
            "=== {name} ({format:?})\n{}\n--- items\n{}\n",
            common::dump(&findings),
            common::dump_items(&items)
        ));
        for f in &findings {
            out.push_str(&format!("   LOC {:?} EV {:?}\n", f.location, f.evidence));
        }
    }
    std::fs::write("/tmp/explore.txt", out).unwrap();
}
