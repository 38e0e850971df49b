#!/usr/bin/env python3
"""Writes a realistic outgoing-FOI mix for end-to-end benchmarks, with real writers.

Usage: benches/gen_mix.py OUT_DIR [--scale N] [--small] [--seed S]

One folder per format under OUT_DIR, so a benchmark can time each format alone:
- xlsx/, xls/, ods/: responses with a visible summary and, in most, a hidden sheet of
  200 to 30,000 rows of individual records (names, dates of birth, addresses, officers);
- docx/: letters of a few pages with tables, some naming people;
- pdf/: multi-page letters and reports, some with black boxes drawn over text;
- csv/: extracts of 1,000 to 50,000 rows.
At --scale 1 that is about 280 files (the mix of the batch-speed issue). --small writes the
"many small files" variant instead: 5,000 x scale small files of every format.

Writers: XlsxWriter (xlsx), xlwt (xls, real BIFF8), odfpy (ods), python-docx (docx),
reportlab (pdf), the csv module. Install them with
    pip install xlsxwriter xlwt odfpy python-docx reportlab
Output is deterministic for a given seed. The output is not committed; this script is.
"""
import argparse
import csv
import os
import random
import sys
from multiprocessing import Pool

SURNAMES = ["SMITH", "JONES", "TAYLOR", "BROWN", "WILLIAMS", "WILSON", "JOHNSON", "DAVIES",
            "PATEL", "WRIGHT", "THOMPSON", "EVANS", "WALKER", "WHITE", "ROBERTS", "GREEN",
            "HALL", "WOOD", "HUGHES", "CLARKE", "KHAN", "AHMED", "MURPHY", "O'BRIEN"]
FORENAMES = ["John", "Mary", "Ahmed", "Priya", "David", "Sarah", "James", "Emma", "Mohammed",
             "Olivia", "Thomas", "Aisha", "George", "Grace", "Daniel", "Chloe", "Wei", "Zoe"]
WARDS = ["Mile Cross", "Mancroft", "Thorpe Hamlet", "Bowthorpe", "Catton Grove", "Eaton",
         "Lakenham", "Nelson", "Sewell", "Town Close", "University", "Wensum"]
OFFENCES = ["Burglary", "Theft", "Criminal damage", "Assault", "Robbery", "Fraud",
            "Vehicle crime", "Public order", "Drugs", "Harassment"]
STREETS = ["Acacia Avenue", "Church Lane", "High Street", "Mill Road", "Station Road",
           "Park View", "Victoria Street", "Orchard Close"]
RANKS = ["PC", "DC", "PS", "DS", "Insp", "DI"]
HEADER = ["Surname", "Forename", "Date of birth", "Address", "Postcode", "Offence", "Ward",
          "Officer", "Crime ref"]


def person(rng):
    return (rng.choice(SURNAMES), rng.choice(FORENAMES),
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1935, 2008)}",
            f"{rng.randint(1, 220)} {rng.choice(STREETS)}, Norwich",
            f"NR{rng.randint(1, 14)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            rng.choice(OFFENCES), rng.choice(WARDS),
            f"{rng.choice(RANKS)} {rng.randint(100, 9999)}",
            f"36/{rng.randint(10000, 99999)}/23")


def records(rng, n):
    return [person(rng) for _ in range(n)]


def summary_rows(rng):
    return [(w, rng.randint(5, 400), rng.randint(0, 60)) for w in WARDS]


def hidden_rows(rng):
    # Most responses carry a hidden sheet; its size spans the range the issue names.
    if rng.random() < 0.25:
        return 0
    return rng.choice([200, 500, 1000, 2000, 5000, 10000, 20000, 30000])


def write_xlsx(path, seed):
    import xlsxwriter
    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("Summary")
    ws.write_row(0, 0, ["Ward", "Offences", "Solved"])
    for i, row in enumerate(summary_rows(rng), 1):
        ws.write_row(i, 0, row)
    n = hidden_rows(rng)
    if n:
        data = wb.add_worksheet("Data")
        data.write_row(0, 0, HEADER)
        for i, row in enumerate(records(rng, n), 1):
            data.write_row(i, 0, row)
        data.hide()
    wb.close()


def write_xls(path, seed):
    import xlwt
    rng = random.Random(seed)
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Summary")
    for c, h in enumerate(["Ward", "Offences", "Solved"]):
        ws.write(0, c, h)
    for i, row in enumerate(summary_rows(rng), 1):
        for c, v in enumerate(row):
            ws.write(i, c, v)
    n = min(hidden_rows(rng), 30000)
    if n:
        data = wb.add_sheet("Data")
        for c, h in enumerate(HEADER):
            data.write(0, c, h)
        for i, row in enumerate(records(rng, n), 1):
            for c, v in enumerate(row):
                data.write(i, c, v)
        data.sheet_visibility = 1
    wb.save(path)


def write_ods(path, seed):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    rng = random.Random(seed)
    doc = OpenDocumentSpreadsheet()
    hidden = Style(name="HiddenTable", family="table")
    hidden.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(hidden)

    def table(name, header, rows, style=None):
        t = Table(name=name, stylename=style) if style else Table(name=name)
        for row in [header] + rows:
            tr = TableRow()
            for v in row:
                if isinstance(v, int):
                    tc = TableCell(valuetype="float", value=v)
                else:
                    tc = TableCell(valuetype="string")
                tc.addElement(P(text=str(v)))
                tr.addElement(tc)
            t.addElement(tr)
        doc.spreadsheet.addElement(t)

    table("Summary", ["Ward", "Offences", "Solved"], summary_rows(rng))
    n = hidden_rows(rng)
    if n:
        table("Data", HEADER, records(rng, n), hidden)
    doc.save(path)


def write_docx(path, seed):
    import docx
    rng = random.Random(seed)
    d = docx.Document()
    d.add_paragraph("Norfolk Constabulary, Freedom of Information Unit")
    d.add_paragraph(f"Our ref: FOI {rng.randint(100, 999)}/23")
    d.add_paragraph(f"Dear {rng.choice(FORENAMES)} {rng.choice(SURNAMES).title()},")
    for _ in range(rng.randint(6, 30)):
        d.add_paragraph(
            "Thank you for your request for information. " * rng.randint(2, 6)
            + f"The figures for {rng.choice(WARDS)} are given in the table below.")
    rows = rng.randint(5, 40)
    named = rng.random() < 0.3
    cols = ["Name", "Date of birth", "Offence"] if named else ["Ward", "Offences", "Solved"]
    t = d.add_table(rows=1, cols=3)
    for c, h in enumerate(cols):
        t.rows[0].cells[c].text = h
    for _ in range(rows):
        cells = t.add_row().cells
        if named:
            p = person(rng)
            values = (f"{p[1]} {p[0].title()}", p[2], p[5])
        else:
            values = (rng.choice(WARDS), str(rng.randint(5, 400)), str(rng.randint(0, 60)))
        for c, v in enumerate(values):
            cells[c].text = v
    d.add_paragraph("Yours sincerely,")
    d.add_paragraph("Information Compliance Officer")
    d.save(path)


def write_pdf(path, seed):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    rng = random.Random(seed)
    c = canvas.Canvas(path, pagesize=A4)
    c.setAuthor("FOI Unit")
    boxes = rng.random() < 0.3
    for page in range(rng.randint(3, 20)):
        y = 800
        for line in range(rng.randint(30, 45)):
            p = person(rng)
            text = (f"On {p[2]} officers attended {p[3]} ({p[4]}) following a report of "
                    f"{p[5].lower()} involving {p[1]} {p[0].title()}.")
            c.setFillColorRGB(0, 0, 0)
            c.drawString(50, y, text[:95])
            if boxes and line % 7 == 3:
                # A "redaction" drawn over the text, which stays under it.
                c.rect(48, y - 3, 300, 13, stroke=0, fill=1)
            y -= 17
        c.showPage()
    c.save()


def write_csv(path, seed):
    rng = random.Random(seed)
    n = rng.choice([1000, 2000, 5000, 10000, 20000, 50000])
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for row in records(rng, n):
            w.writerow(row)


WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods, "docx": write_docx,
           "pdf": write_pdf, "csv": write_csv}
# Files per format at --scale 1: about 280 in all.
MIX = {"xlsx": 60, "xls": 30, "ods": 15, "docx": 80, "pdf": 50, "csv": 45}


def small_xlsx(path, seed):
    import xlsxwriter
    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Summary")
    for i, row in enumerate(summary_rows(rng)):
        ws.write_row(i, 0, row)
    wb.close()


def small_docx(path, seed):
    import docx
    rng = random.Random(seed)
    d = docx.Document()
    for _ in range(rng.randint(3, 8)):
        d.add_paragraph("Thank you for your request for information.")
    d.save(path)


def small_pdf(path, seed):
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(path)
    c.drawString(50, 800, "Thank you for your request for information.")
    c.showPage()
    c.save()


def small_csv(path, seed):
    rng = random.Random(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Ward", "Offences", "Solved"])
        for row in summary_rows(rng):
            w.writerow(row)


SMALL = {"xlsx": small_xlsx, "docx": small_docx, "pdf": small_pdf, "csv": small_csv}


def job(args):
    fmt, path, seed, small = args
    (SMALL if small else WRITERS)[fmt](path, seed)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    jobs = []
    if args.small:
        per = int(5000 * args.scale / len(SMALL))
        for fmt in SMALL:
            os.makedirs(os.path.join(args.out, fmt), exist_ok=True)
            for i in range(per):
                jobs.append((fmt, os.path.join(args.out, fmt, f"reply-{i:05d}.{fmt}"),
                             args.seed * 1000003 + sum(map(ord, fmt)) * 7 + i, True))
    else:
        for fmt, count in MIX.items():
            os.makedirs(os.path.join(args.out, fmt), exist_ok=True)
            for i in range(max(1, int(round(count * args.scale)))):
                seed = args.seed * 7919 + sum(map(ord, fmt)) * 104729 + i
                jobs.append((fmt, os.path.join(args.out, fmt, f"FOI-{i:04d}.{fmt}"), seed,
                             False))
    # The largest files first, so the pool finishes together.
    with Pool(args.jobs) as pool:
        for n, _ in enumerate(pool.imap_unordered(job, jobs), 1):
            if n % 50 == 0:
                print(f"{n}/{len(jobs)}", file=sys.stderr)
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(args.out) for f in fs)
    print(f"wrote {len(jobs)} files, {total / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
