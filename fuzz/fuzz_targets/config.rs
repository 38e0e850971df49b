//! Policy file loading (foiguard.toml): every mistake must be an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = foiguard::config::Config::parse(&text, "foiguard.toml");
});
