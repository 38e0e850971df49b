#!/usr/bin/env python3
"""Hostile-input check: writes mutated copies of the corpus workbooks (XML parts truncated,
bytes flipped, chunks repeated, DTDs, bad references and stray markup inserted) and scans
them in one batch. Every file must get a verdict; the process must exit 0 or 1. Each mutant
that passes is explained or listed: a pass is explained when its source passes unmutated and
the mutated part still parses as XML (the mutation was a legal edit, such as a changed value);
a pass whose mutated part no longer parses is a hole in the fail-closed rule and fails the run.

Usage: scripts/mutate.py [--count 1500] [--seed 7] [--bin target/release/foiguard]
                         [--sources 'corpus/*.xls*']
       scripts/mutate.py --sources 'tests/data/odf/*.[of]od?'   (OpenDocument, flat XML too)
       scripts/mutate.py --sources 'tests/data/docx/*.docx'     (Word; pptx likewise)
"""
import argparse, glob, io, json, os, random, subprocess, sys, tempfile, zipfile

NASTY = [b'<!DOCTYPE x [<!ENTITY a "b">]>', b'&#0;', b'&#xFFFFFFFF;', b'<![CDATA[', b'"', b"'",
         b'<', b'>', b'r="XFD1048576"', b'r="A0"', b's="99999999999"', b'<c r="ZZZZ1">',
         b'hidden="1"', b'\xff\xfe', b'<x:c>', b'</', b'&lt;']


OPS = ["truncated", "bytes flipped", "chunk repeated", "markup inserted", "huge reference",
       "tag ends removed"]


def parses(data):
    import xml.dom.minidom
    try:
        xml.dom.minidom.parseString(data)
        return True
    except Exception:
        return False


def mutate(b, rng, meta=None):
    b = bytearray(b)
    op = rng.randint(0, 5)
    if meta is not None:
        meta["op"] = OPS[op]
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
    ap.add_argument("--keep", help="write the mutants to this folder and keep them")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sources = sorted(glob.glob(args.sources))
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or tmp
        os.makedirs(out, exist_ok=True)
        written = 0
        mutants = {}
        for i in range(args.count):
            source = rng.choice(sources)
            ext = os.path.splitext(source)[1]
            data = open(source, "rb").read()
            try:
                z = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                # A single-file format (flat XML): mutate it whole.
                meta = {"source": source, "part": "(whole file)"}
                mutated = mutate(data, rng, meta)
                meta["parses"] = parses(mutated)
                meta["unchanged"] = mutated == data
                path = os.path.join(out, f"m{i:05d}{ext}")
                open(path, "wb").write(mutated)
                mutants[path] = meta
                written += 1
                continue
            names = z.namelist()
            xml = [n for n in names if n.endswith((".xml", ".rels"))] or names
            target = rng.choice(xml)
            buf = io.BytesIO()
            meta = {"source": source, "part": target}
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zo:
                for n in names:
                    b = z.read(n)
                    if n == target:
                        b = mutate(b, rng, meta)
                        meta["parses"] = parses(b)
                    zo.writestr(n, b)
            path = os.path.join(out, f"m{i:05d}{ext}")
            open(path, "wb").write(buf.getvalue())
            mutants[path] = meta
            written += 1
        p = subprocess.run([args.bin, "scan", "--format", "jsonl", out], capture_output=True, timeout=600)
        lines = p.stdout.decode().splitlines()
        reports = [json.loads(l) for l in lines]
        verdicts = [r["verdict"] for r in reports]
        print(f"mutants: {written}  reports: {len(lines)}  blocked: {verdicts.count('block')}  "
              f"passed: {verdicts.count('pass')}  exit: {p.returncode}")
        source_verdicts = {}
        for src in sorted({m["source"] for m in mutants.values()}):
            q = subprocess.run([args.bin, "scan", "--format", "jsonl", src], capture_output=True)
            source_verdicts[src] = json.loads(q.stdout.decode().splitlines()[0])["verdict"]
        explained, unexplained = {}, []
        for r in reports:
            if r["verdict"] != "pass":
                continue
            meta = mutants.get(os.path.abspath(r["path"])) or mutants.get(r["path"], {})
            key = None
            if meta.get("unchanged"):
                key = f"{meta['op']} changed nothing in this file"
            elif r.get("format") in ("text", "csv"):
                key = f"{meta['op']}: no longer a workbook but {r['format']}, read whole"
            elif source_verdicts.get(meta.get("source")) == "pass" and meta.get("parses"):
                key = f"{meta['op']} in a part that still parses (its source passes too)"
            if key:
                explained[key] = explained.get(key, 0) + 1
            else:
                unexplained.append((r["path"], meta))
        for why, n in sorted(explained.items()):
            print(f"  passed, explained: {n:4}  {why}")
        for path, meta in unexplained:
            print(f"  passed, NOT explained: {os.path.basename(path)} {meta}")
        ok = p.returncode in (0, 1) and len(lines) == written and not unexplained
        if not ok:
            print(p.stderr.decode()[-2000:])
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
