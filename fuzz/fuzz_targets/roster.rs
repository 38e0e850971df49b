//! Roster loading: CSV with a header or one entry per line, in any encoding.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(roster) = foiguard::detect::roster::Roster::from_sources(&[("roster.csv", data)]) {
        let mut hits = Vec::new();
        roster.find("SMITH, John and J. Smith met DS Patel 1234", &mut hits);
    }
});
