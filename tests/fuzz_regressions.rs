//! Inputs the fuzzers (fuzz/, `scripts/fuzz.sh`) found crashing, replayed the way their fuzz
//! target feeds them, on every `cargo test`. A panic anywhere counts as a failure, even one the
//! per-file isolation would have caught and turned into `unscannable`: the fuzzers treat it as
//! a bug, and so does this test.
//!
//! Inputs live in tests/data/fuzz/TARGET/; each target's replay mirrors fuzz/fuzz_targets/.

use foiguard::Limits;
use foiguard::context::Ctx;
use foiguard::detect::Engine;
use foiguard::formats::{self, Format};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        previous(info);
    }));
}

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no inputs in {}", dir.display());
    out
}

fn with_ctx(f: impl FnOnce(&mut Ctx<'_>)) -> Vec<foiguard::Finding> {
    let limits = Limits::default();
    let engine = Engine::new();
    let mut ctx = Ctx::new(&limits, &engine);
    f(&mut ctx);
    ctx.finish()
}

/// fuzz_targets/ole.rs: a selector byte (doc, ppt, VBA project) then a compound file.
#[test]
fn ole_inputs_never_panic() {
    count_panics();
    for (name, data) in inputs("ole") {
        let before = PANICS.load(Ordering::SeqCst);
        let Some((&selector, file)) = data.split_first() else {
            continue;
        };
        let findings = with_ctx(|ctx| match selector % 3 {
            0 => drop(formats::inspect(Format::Doc, file, ctx)),
            1 => drop(formats::inspect(Format::Ppt, file, ctx)),
            _ => formats::vba::inspect_bytes("xl/vbaProject.bin", file, ctx),
        });
        assert_eq!(PANICS.load(Ordering::SeqCst), before, "{name} panicked");
        // A VBA project whose code cannot be read leaves the file uninspected.
        if selector % 3 == 2 {
            assert!(
                findings.iter().any(|f| f.rule == "unscannable"),
                "{name}: {findings:?}"
            );
        }
    }
}
