#!/usr/bin/env python3
"""Runs foiguard over the real-world files in ../shared/realworld and reports crashes, hangs,
files still unscannable (with the reasons) and recall per feature against the independent
inspector's manifest.

Usage: scripts/realworld.py [--bin target/release/foiguard] [--root ../shared/realworld]
                            [--formats xlsx,xlsm,pdf,...] [--show-misses FEATURE]
(xls and its neighbours: --formats xls,biff-raw,csv,text; OpenDocument: --formats ods,odt,odp;
 Excel binary workbooks: --formats xlsb;
 Word and PowerPoint: --formats docx,docm,dotx,pptx,pptm; Word and PowerPoint 97-2003:
 --formats doc,ppt; --formats all for every format)
Each file runs in its own process with a timeout, so a crash or hang is seen per file;
--max-memory 2048 runs each under a 2 GiB address-space limit (ulimit -v).
Exit status is 1 when any file crashed or hung.
"""
import argparse, json, os, subprocess, sys, time
from collections import defaultdict

# manifest feature -> rules that count as finding it
FEATURES = {
    "hidden_sheet": {"hidden-sheet"},
    "very_hidden_sheet": {"very-hidden-sheet"},
    "hidden_rows": {"hidden-rows", "filtered-rows"},
    "hidden_rows_default": {"hidden-rows"},
    "hidden_cols": {"hidden-columns"},
    "autofilter": {"filtered-rows", "hidden-rows"},
    "pivot_cache_definitions": {"pivot-cache"},
    "pivot_cache_records": {"pivot-cache"},
    "chart_cache": {"chart-cache"},
    "comments": {"comment"},
    "threaded_comments": {"comment"},
    "persons": {"comment"},
    "external_links": {"external-link"},
    "external_link_cache": {"external-link"},
    "hidden_defined_names": {"defined-name"},
    "connections": {"data-connection"},
    "white_font_cells": {"disguised-content"},
    "font_equals_fill_cells": {"disguised-content"},
    "revisions": {"tracked-change"},
    "embedded_objects": {"embedded-object"},
    "vba": {"macro"},
    "custom_xml": {"custom-xml"},
    "hidden_shapes": {"hidden-text"},
    "encrypted": {"unscannable"},
    "core_creator": {"document-metadata"},
    "core_last_modified_by": {"document-metadata"},
    "app_company": {"document-metadata"},
    "app_manager": {"document-metadata"},
    "abs_path": {"document-metadata"},
    "parse_error": {"unscannable"},
    # xls (BIFF8/BIFF5) and its neighbours.
    "write_access_user": {"document-metadata"},
    "custom_props": {"document-metadata"},
    "white_font": {"disguised-content"},
    "custom_numfmt_hidden": {"disguised-content"},
    "pivot_cache_streams": {"pivot-cache"},
    "filter_mode": {"filtered-rows"},
    "merged_hidden_values": {"residual-data"},
    # PDF
    "incremental_updates": {"pdf-incremental-update"},
    "annotations": {"comment"},
    "markup_annotations": {"comment"},
    "annotation_authors": {"comment"},
    "embedded_files": {"embedded-object"},
    "file_attachment_annots": {"embedded-object"},
    "javascript": {"macro"},
    "password_required": {"unscannable"},
    "meta_author": {"document-metadata"},
    "meta_creator": {"document-metadata"},
    "xmp_creator": {"document-metadata"},
    # White text: PDFs report it as hidden text, documents as disguised content.
    "white_text": {"hidden-text", "disguised-content"},
    "invisible_text": {"hidden-text"},
    # The manifest counts black rectangles whether or not text is under them; the realworld
    # files that have them are x-ray's "good" cases (text drawn on the box, whitespace under
    # it), so a miss there is right: see scripts/xray_compare.py.
    "black_rects": {"fake-redaction"},
    "optional_content": {"hidden-text"},
    # OpenDocument (ods, odt, odp); custom_props and merged_hidden_values as above.
    "tracked_changes": {"tracked-change"},
    "printed_by": {"document-metadata"},
    # xlsb: cell formats whose font is white (the manifest counts the styles, used or not).
    "white_font_style": {"disguised-content"},
    # Word and PowerPoint (tracked_changes as above).
    "tracked_deletions": {"tracked-change"},
    "tracked_insertions": {"tracked-change"},
    "tracked_moves": {"tracked-change"},
    "tracked_format_changes": {"tracked-change"},
    "deleted_text_runs": {"tracked-change"},
    "comment_refs": {"comment"},
    "comment_authors_part": {"comment"},
    "hidden_text": {"hidden-text"},
    "hidden_text_style": {"hidden-text"},
    "tiny_text": {"disguised-content"},
    "black_shading": {"fake-redaction"},
    "speaker_notes": {"speaker-notes"},
    "ole_objects": {"embedded-object"},
    "embedded_object_refs": {"embedded-object"},
    "alt_chunk": {"embedded-object"},
    "vba_data": {"macro"},
    "attached_template": {"document-metadata"},
    "attached_template_external": {"document-metadata"},
    "doc_vars": {"document-metadata"},
    # Word 97-2003 (doc); tracked_changes, comments, vba, white_text, embedded_objects,
    # custom_props and the core properties as above. A fast-saved file is read through its
    # piece table; its stale text is residual-data (Word 95 ones are refused: unscannable).
    "revision_authors": {"tracked-change"},
    "black_highlight": {"fake-redaction"},
    "word95_or_older": {"unscannable"},
    "template_path": {"document-metadata"},
    "fast_saved": {"residual-data", "unscannable"},
    "quick_saves": {"residual-data", "unscannable"},
}


def parse_features(field):
    out = set()
    for tok in field.split(","):
        tok = tok.strip()
        if not tok:
            continue
        name = tok.split("=")[0]
        if name.startswith("parse_error"):
            name = "parse_error"
        out.add(name)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "foiguard"))
    ap.add_argument("--root", default=os.path.join(here, "..", "..", "shared", "realworld"))
    ap.add_argument("--formats", default="xlsx,xlsm,pdf")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--show-misses", default="")
    ap.add_argument("--json-out", default="")
    ap.add_argument("--max-memory", type=int, default=0, metavar="MIB",
                    help="address-space limit per foiguard process (ulimit -v), in MiB")
    args = ap.parse_args()
    limit = None
    if args.max_memory:
        import resource
        cap = args.max_memory * 1024 * 1024

        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    wanted = set(args.formats.split(","))

    rows = []
    with open(os.path.join(args.root, "manifest.tsv")) as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                parts += [""] * (4 - len(parts))
            path, fmt, _size, feats = parts[:4]
            ext = path.rsplit(".", 1)[-1].lower()
            if "all" in wanted or fmt in wanted or ext in wanted:
                rows.append((path, fmt, parse_features(feats)))

    crashes, hangs, results = [], [], {}
    started = time.time()
    slowest = (0.0, "")
    for path, fmt, feats in rows:
        full = os.path.join(args.root, path)
        t0 = time.time()
        try:
            p = subprocess.run([args.bin, "scan", "--format", "json", "-j", "1", full],
                               capture_output=True, timeout=args.timeout, preexec_fn=limit)
        except subprocess.TimeoutExpired:
            hangs.append(path)
            continue
        dt = time.time() - t0
        slowest = max(slowest, (dt, path))
        if p.returncode not in (0, 1):
            crashes.append((path, p.returncode, p.stderr.decode(errors="replace")[-300:]))
            continue
        doc = json.loads(p.stdout)
        results[path] = doc["files"][0]

    total = time.time() - started
    print(f"files: {len(rows)}  scanned: {len(results)}  crashes: {len(crashes)}  hangs: {len(hangs)}  "
          f"time: {total:.1f}s  slowest: {slowest[0]*1000:.0f} ms ({slowest[1]})")
    for c in crashes:
        print("CRASH", c)
    for h in hangs:
        print("HANG", h)
    verdicts = defaultdict(int)
    for r in results.values():
        verdicts[r["verdict"]] += 1
    unscannable = sum(1 for r in results.values() if any(f["rule"] == "unscannable" for f in r["findings"]))
    print(f"verdicts: {dict(verdicts)}  with unscannable: {unscannable}")
    for path, r in sorted(results.items()):
        reasons = [f["message"] for f in r["findings"] if f["rule"] == "unscannable"]
        if reasons:
            print(f"  unscannable: {path}")
            for m in sorted(set(reasons)):
                print(f"      {m}")

    print(f"\n{'feature':26} {'files':>5} {'found':>5} {'recall':>7}")
    summary = {}
    for feat, rules in sorted(FEATURES.items()):
        have = [p for p, _, fs in rows if feat in fs and p in results]
        if not have:
            continue
        found = [p for p in have if rules & {f["rule"] for f in results[p]["findings"]}]
        summary[feat] = (len(have), len(found))
        print(f"{feat:26} {len(have):5} {len(found):5} {len(found)/len(have):7.0%}")
        if feat == args.show_misses:
            for p in have:
                if p not in found:
                    print("   miss:", p)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"results": results, "summary": summary}, f, indent=1)
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
