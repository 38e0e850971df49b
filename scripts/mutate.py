#!/usr/bin/env python3
"""Hostile-input check: writes mutated copies of the corpus workbooks (XML parts truncated,
bytes flipped, chunks repeated, DTDs, bad references and stray markup inserted) and scans
them in one batch. Every file must get a verdict; the process must exit 0 or 1.

Usage: scripts/mutate.py [--count 1500] [--seed 7] [--bin target/release/foiguard]
                         [--sources 'corpus/*.xls*']
       scripts/mutate.py --sources 'tests/data/odf/*.[of]od?'   (OpenDocument, flat XML too)
       scripts/mutate.py --sources 'tests/data/docx/*.docx'     (Word; pptx likewise)
"""
import argparse, glob, io, json, os, random, subprocess, sys, tempfile, zipfile

NASTY = [b'<!DOCTYPE x [<!ENTITY a "b">]>', b'&#0;', b'&#xFFFFFFFF;', b'<![CDATA[', b'"', b"'",
         b'<', b'>', b'r="XFD1048576"', b'r="A0"', b's="99999999999"', b'<c r="ZZZZ1">',
         b'hidden="1"', b'\xff\xfe', b'<x:c>', b'</', b'&lt;']


def mutate(b, rng):
    b = bytearray(b)
    op = rng.randint(0, 5)
    if op == 0 and len(b) > 10:
        b = b[:rng.randint(0, len(b) - 1)]
    elif op == 1:
        for _ in range(rng.randint(1, 20)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
    elif op == 2 and len(b) > 20:
        a = rng.randrange(len(b) - 10)
        c = rng.randrange(a, len(b))
        b = b[:c] + b[a:c] * rng.randint(1, 50) + b[c:]
    elif op == 3:
        for _ in range(rng.randint(1, 10)):
            p = rng.randrange(len(b) + 1)
            b = b[:p] + rng.choice(NASTY) + b[p:]
    elif op == 4:
        b = bytes(b).replace(b'r="', b'r="' + str(rng.choice([2**32, 2**64, 999999999])).encode(), 1)
    else:
        b = bytes(b).replace(b'>', b'', rng.randint(1, 5))
    return bytes(b)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "foiguard"))
    ap.add_argument("--sources", default=os.path.join(here, "..", "corpus", "*.xls*"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sources = sorted(glob.glob(args.sources))
    with tempfile.TemporaryDirectory() as out:
        written = 0
        for i in range(args.count):
            source = rng.choice(sources)
            ext = os.path.splitext(source)[1]
            data = open(source, "rb").read()
            try:
                z = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                # A single-file format (flat XML): mutate it whole.
                open(os.path.join(out, f"m{i:05d}{ext}"), "wb").write(mutate(data, rng))
                written += 1
                continue
            names = z.namelist()
            xml = [n for n in names if n.endswith((".xml", ".rels"))] or names
            target = rng.choice(xml)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zo:
                for n in names:
                    b = z.read(n)
                    zo.writestr(n, mutate(b, rng) if n == target else b)
            open(os.path.join(out, f"m{i:05d}{ext}"), "wb").write(buf.getvalue())
            written += 1
        p = subprocess.run([args.bin, "scan", "--format", "jsonl", out], capture_output=True, timeout=600)
        lines = p.stdout.decode().splitlines()
        verdicts = [json.loads(l)["verdict"] for l in lines]
        print(f"mutants: {written}  reports: {len(lines)}  blocked: {verdicts.count('block')}  "
              f"passed: {verdicts.count('pass')}  exit: {p.returncode}")
        ok = p.returncode in (0, 1) and len(lines) == written
        if not ok:
            print(p.stderr.decode()[-2000:])
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
