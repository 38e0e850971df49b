#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for a given time each, seeded from corpus/ and
# the test fixtures, and lists what it found.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]      default: 600 seconds, every target
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). libFuzzer needs nightly compiler flags; on a
# stable toolchain RUSTC_BOOTSTRAP=1 allows them, which this script sets. Crashes land in
# fuzz/artifacts/TARGET/; each one fixed is kept as a regression input under
# tests/data/fuzz/TARGET/ (tests/fuzz_regressions.rs replays them on every `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1

seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo fuzz list)
fi

# Seeds: the sample corpus and the committed fixtures, by what each target reads.
seed() {
  local target=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  case $target in
    package) cp -n corpus/* tests/data/*/* "$dir"/ 2>/dev/null || true ;;
    pdf) cp -n corpus/*.pdf "$dir"/ 2>/dev/null || true ;;
    text) for f in corpus/*.csv; do printf '\0' | cat - "$f" > "$dir/$(basename "$f")"; done ;;
    roster) printf 'surname,forename\nSMITH,John\nPATEL,Raj\n' > "$dir/roster.csv" ;;
    config) foiguard_init="$dir/foiguard.toml"; [ -f "$foiguard_init" ] || cargo run -q -- init "$foiguard_init" >/dev/null 2>&1 || true ;;
    ole) # selector byte (0 doc, 1 ppt, 2 VBA project) then the compound file
      for f in tests/data/doc/*.doc corpus/*.doc; do [ -f "$f" ] && { printf '\0'; cat "$f"; } > "$dir/$(basename "$f")"; done
      for f in tests/data/ppt/*.ppt corpus/*.ppt; do [ -f "$f" ] && { printf '\1'; cat "$f"; } > "$dir/$(basename "$f")"; done
      python3 - "$dir" <<'EOF'
import sys, zipfile, glob, os
out = sys.argv[1]
for path in glob.glob("tests/data/*/*.xlsm") + glob.glob("corpus/*.xlsm") + glob.glob("tests/data/*/*.docm"):
    try:
        z = zipfile.ZipFile(path)
        data = z.read(next(n for n in z.namelist() if n.lower().endswith("vbaproject.bin")))
    except Exception:
        continue
    with open(os.path.join(out, os.path.basename(path) + ".vba"), "wb") as f:
        f.write(b"\x02" + data)
EOF
      ;;
    biff)
      python3 - "$dir" <<'EOF'
import sys, olefile, glob, os
out = sys.argv[1]
for path in glob.glob("tests/data/xls/*.xls") + glob.glob("corpus/*.xls"):
    try:
        with olefile.OleFileIO(path) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            data = ole.openstream(name).read()
        with open(os.path.join(out, os.path.basename(path) + ".biff"), "wb") as f:
            f.write(data)
    except Exception as e:
        print("skip", path, e, file=sys.stderr)
EOF
      ;;
    *) # Part-replacing targets: each seed is a selector byte then the part's bytes.
      python3 - "$target" "$dir" <<'EOF'
import sys, zipfile, glob, os, re
target, out = sys.argv[1], sys.argv[2]
src = open(f"fuzz/fuzz_targets/{target}.rs").read()
templates = re.findall(r'include_bytes!\("\.\./\.\./([^"]+)"\)', src)
for t, path in enumerate(templates):
    try:
        names = [n for n in zipfile.ZipFile(path).namelist() if not n.endswith("/")]
    except Exception:
        continue
    for p, name in enumerate(names):
        selector = (p * len(templates) + t) % 256
        if target == "odf" and selector >= 0xF0:
            continue
        data = zipfile.ZipFile(path).read(name)
        with open(os.path.join(out, f"{t}-{p}"), "wb") as f:
            f.write(bytes([selector]) + data)
EOF
      ;;
  esac
}

pip show olefile >/dev/null 2>&1 || pip install -q olefile
(cd fuzz && cargo fuzz build -O)
for t in "${targets[@]}"; do
  seed "$t"
  echo "== $t: ${seconds}s"
  # -fork=1 -ignore_crashes=1: a crash is saved and the run goes on, so every target gets its
  # full time and every crash it can find.
  (cd fuzz && cargo fuzz run -O "$t" -- -fork=1 -ignore_crashes=1 -max_total_time="$seconds" \
      -timeout=30 -rss_limit_mb=4096 \
      -print_final_stats=1 2>&1 | grep -E "oom/timeout/crash|INFO: exiting|ERROR|SUMMARY|panicked" | tail -n 4 || true)
  ls fuzz/artifacts/"$t"/ 2>/dev/null | sed "s|^|   artifact: |" || true
done
