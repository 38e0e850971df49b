#!/usr/bin/env python3
"""LibreOffice round trip of the Word and PowerPoint fixtures: every docx in tests/data/docx
is converted to doc, and every pptx in tests/data/pptx to ppt, with LibreOffice headless;
foiguard scans both forms and the findings are compared rule by rule.

Usage: scripts/lo_roundtrip.py [--bin target/release/foiguard] [--keep DIR] [--json-out F]

The converted files go to a temporary folder (or DIR with --keep) and are not part of the
project. A difference is either a feature LibreOffice drops or changes in conversion (the
script cannot tell which: read the notes it prints next to each difference), or a feature
one inspector reads and the other does not. Needs LibreOffice (libreoffice-writer-nogui,
libreoffice-impress-nogui).
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def convert(src, ext, outdir, profile):
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation=file://{profile}",
                    "--convert-to", ext, "--outdir", outdir, src],
                   check=True, capture_output=True, timeout=300)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + "." + ext)
    if not os.path.exists(out):
        raise RuntimeError(f"LibreOffice wrote no {ext} for {src}")
    return out


def scan(binary, path):
    p = subprocess.run([binary, "scan", "--format", "json", "-j", "1", path],
                       capture_output=True, timeout=120)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"foiguard failed on {path}: {p.stderr.decode(errors='replace')}")
    return json.loads(p.stdout)["files"][0]


def rules(report):
    """Rule → highest severity, for the file's findings."""
    order = ["info", "low", "medium", "high", "critical"]
    out = {}
    for f in report["findings"]:
        r, s = f["rule"], f["severity"]
        if r not in out or order.index(s) > order.index(out[r]):
            out[r] = s
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "foiguard"))
    ap.add_argument("--keep", default="")
    ap.add_argument("--json-out", default="")
    args = ap.parse_args()
    if not shutil.which("soffice"):
        sys.exit("soffice not found: apt-get install -y libreoffice-writer-nogui libreoffice-impress-nogui")
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    os.makedirs(os.path.join(profile, "user"))
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(PROFILE_XCU)
    outdir = args.keep or tempfile.mkdtemp(prefix="lo-roundtrip-")
    os.makedirs(outdir, exist_ok=True)
    results = []
    same = 0
    try:
        for folder, ext in [("docx", "doc"), ("pptx", "ppt")]:
            src_dir = os.path.join(ROOT, "tests", "data", folder)
            if not os.path.isdir(src_dir):
                print(f"no {src_dir}: skipped")
                continue
            for name in sorted(os.listdir(src_dir)):
                if not name.endswith("." + folder):
                    continue
                src = os.path.join(src_dir, name)
                try:
                    converted = convert(src, ext, outdir, profile)
                except Exception as e:  # one failed conversion does not stop the others
                    print(f"{name}: conversion failed: {e}")
                    results.append({"file": name, "error": str(e)})
                    continue
                a, b = scan(args.bin, src), scan(args.bin, converted)
                ra, rb = rules(a), rules(b)
                only_a = {r: s for r, s in ra.items() if r not in rb}
                only_b = {r: s for r, s in rb.items() if r not in ra}
                changed = {r: (ra[r], rb[r]) for r in ra if r in rb and ra[r] != rb[r]}
                results.append({"file": name, ext: os.path.basename(converted),
                                "ooxml": ra, "binary": rb, "only_ooxml": only_a,
                                "only_binary": only_b, "severity_changed": changed,
                                "unscannable": [f["message"] for f in b["findings"]
                                                if f["rule"] == "unscannable"]})
                if not (only_a or only_b or changed):
                    same += 1
                    print(f"{name:40} same findings in {ext}: {sorted(ra)}")
                else:
                    print(f"{name:40} differs:")
                    if only_a:
                        print(f"    only in {folder}: {only_a}")
                    if only_b:
                        print(f"    only in {ext}:  {only_b}")
                    if changed:
                        print(f"    severity {folder} -> {ext}: {changed}")
                    for m in results[-1]["unscannable"]:
                        print(f"    unscannable in {ext}: {m}")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(outdir, ignore_errors=True)
    total = len([r for r in results if "error" not in r])
    print(f"\n{total} files converted: {same} with the same rules in both forms, "
          f"{total - same} with differences")
    counts = collections.Counter()
    for r in results:
        for rule in r.get("only_ooxml", {}):
            counts[("lost in conversion or not read in binary", rule)] += 1
        for rule in r.get("only_binary", {}):
            counts[("only in the binary form", rule)] += 1
    for (kind, rule), n in sorted(counts.items()):
        print(f"  {kind:42} {rule:22} {n}")
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
