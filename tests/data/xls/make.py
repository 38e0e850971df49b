#!/usr/bin/env python3
"""Makes the xls fixtures of tests/xls.rs, once, with real BIFF8 writers.

    pip install xlwt openpyxl
    apt-get install -y libreoffice-calc-nogui   # soffice, and python3-uno for the UNO steps
    python3 tests/data/xls/make.py             # writes next to this script

Features xlwt can express (hidden and very hidden sheets, hidden rows and columns, fonts,
fills, number formats, leftover shared strings) are written by xlwt directly. Notes,
defined names, AutoFilter, properties, pivot caches, external links, macros and embedded
objects are written by LibreOffice: an xlsx (or flat ODS) source made here is converted to
xls by `soffice --headless --convert-to xls` with a throw-away profile whose user is the
made-up 'Jane Bloggs'. All people and numbers are made up (phones 07700 900xxx).
"""
import os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIRST = ["John", "Mary", "Aisha", "Peter", "Sarah", "David", "Emma", "Raj", "Olivia", "Tom",
         "Lucy", "Imran", "Grace", "Ben", "Chloe"]
LAST = ["Smith", "Jones", "Patel", "Brown", "Taylor", "Khan", "Wilson", "Evans", "Clarke",
        "Hughes", "Walker", "Wright", "Green", "Hall", "Wood"]
WARDS = ["Mile Cross", "Thorpe Hamlet", "Eaton", "Lakenham", "Bowthorpe", "Catton Grove",
         "Crome", "Mancroft", "Nelson", "Sewell", "Town Close", "University"]


def person(i):
    return FIRST[i % len(FIRST)] + " " + LAST[(i * 7) % len(LAST)]


def dob(i):
    return "%02d/%02d/%d" % (1 + (i * 5) % 28, 1 + (i * 3) % 12, 1950 + (i * 11) % 50)


def phone(i):
    return "07700 900%03d" % (100 + i * 13 % 900)


def out(name):
    return os.path.join(HERE, name)


# ---------------------------------------------------------------------------------------
# xlwt: BIFF8 written directly.
# ---------------------------------------------------------------------------------------

def xlwt_book():
    import xlwt
    wb = xlwt.Workbook()
    wb.owner = ""  # WRITEACCESS stays blank unless a fixture sets a user
    return wb


def counts_sheet(wb, name="Crime by ward"):
    import xlwt
    ws = wb.add_sheet(name)
    head = xlwt.easyxf("font: bold on, colour white; pattern: pattern solid, fore_colour dark_blue")
    for c, h in enumerate(["Ward", "Burglary", "Robbery", "Assault"]):
        ws.write(0, c, h, head)
    for r, w in enumerate(WARDS, start=1):
        ws.write(r, 0, w)
        for c in range(1, 4):
            ws.write(r, c, 20 + (r * 7 + c * 13) % 70)
    return ws


def people_rows(ws, first_row, count, start=0):
    ws.write(first_row, 0, "Name")
    ws.write(first_row, 1, "Date of birth")
    ws.write(first_row, 2, "Phone")
    ws.write(first_row, 3, "Ward")
    for i in range(count):
        r = first_row + 1 + i
        ws.write(r, 0, person(start + i))
        ws.write(r, 1, dob(start + i))
        ws.write(r, 2, phone(start + i))
        ws.write(r, 3, WARDS[(start + i) % len(WARDS)])


def make_clean():
    """Counts by ward, a white-on-dark-blue header: nothing hidden, nothing personal."""
    wb = xlwt_book()
    counts_sheet(wb)
    wb.save(out("clean.xls"))


def make_hidden_sheets():
    wb = xlwt_book()
    counts_sheet(wb, "Summary")
    staff = wb.add_sheet("Staff list")
    people_rows(staff, 0, 12)
    staff.visibility = 1
    victims = wb.add_sheet("Victims")
    people_rows(victims, 0, 8, start=20)
    victims.visibility = 2
    empty = wb.add_sheet("Spare")
    empty.visibility = 1
    wb.save(out("hidden_sheets.xls"))


def make_hidden_rows_cols():
    """Rows 15-19 hidden holding people; column F hidden holding dates of birth."""
    import xlwt
    wb = xlwt_book()
    ws = counts_sheet(wb, "Burglary")
    people_rows(ws, 14, 4)
    for r in range(14, 19):
        ws.row(r).hidden = True
    ws.write(0, 5, "DOB")
    for r in range(1, 6):
        ws.write(r, 5, dob(r))
    ws.col(5).hidden = True
    wb.save(out("hidden_rows_cols.xls"))


def make_hidden_empty():
    """Hidden rows and a hidden column with nothing in them."""
    wb = xlwt_book()
    ws = counts_sheet(wb, "Burglary")
    for r in range(20, 25):
        ws.row(r).hidden = True
    ws.col(7).hidden = True
    wb.save(out("hidden_empty.xls"))


def make_disguised():
    """Names in white on white, red on red, ;;; and a 1-point font, beside ward counts."""
    import xlwt
    wb = xlwt_book()
    ws = counts_sheet(wb, "Wards")
    white = xlwt.easyxf("font: colour white")
    red_on_red = xlwt.easyxf("font: colour red; pattern: pattern solid, fore_colour red")
    blank = xlwt.easyxf(num_format_str=";;;")
    tiny = xlwt.easyxf("font: height 20")
    for i, style in enumerate([white, white, red_on_red, blank, tiny]):
        ws.write(2 + i, 6, person(40 + i), style)
    ws.write(8, 6, 123456, blank)
    wb.save(out("disguised.xls"))


def make_unused_strings():
    """Names left in the shared string table by a sheet that was dropped before saving:
    xlwt keeps every string it was given, so the SST still lists them."""
    wb = xlwt_book()
    ws = wb.add_sheet("Wards")
    rows = [("Ward", "Count")] + [(w, 10 + i) for i, w in enumerate(WARDS[:5])]
    for r, (a, b) in enumerate(rows):
        ws.write(r, 0, a)
        ws.write(r, 1, b)
    scratch = wb.add_sheet("Scratch")
    for i in range(3):
        scratch.write(i, 0, person(60 + i) + " - " + phone(60 + i))
    wb._Workbook__worksheets.remove(scratch)
    wb.save(out("unused_strings.xls"))


def make_write_access():
    import xlwt
    wb = xlwt.Workbook()
    wb.owner = "jbloggs"
    counts_sheet(wb)
    wb.save(out("write_access.xls"))




# ---------------------------------------------------------------------------------------
# LibreOffice: an xlsx or flat ODS source made here, converted to BIFF8.
# ---------------------------------------------------------------------------------------

PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.UserProfile/Data"><prop oor:name="givenname" oor:op="fuse"><value>Jane</value></prop></item>
<item oor:path="/org.openoffice.UserProfile/Data"><prop oor:name="sn" oor:op="fuse"><value>Bloggs</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA"><prop oor:name="Load" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA"><prop oor:name="Save" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def lo_profile():
    d = tempfile.mkdtemp(prefix="lo-profile-")
    os.makedirs(os.path.join(d, "user"))
    with open(os.path.join(d, "user", "registrymodifications.xcu"), "w") as f:
        f.write(PROFILE_XCU)
    return d


def convert(src, name, filt="xls:MS Excel 97"):
    """Converts `src` with LibreOffice and moves the result to tests/data/xls/NAME."""
    profile = lo_profile()
    outdir = tempfile.mkdtemp(prefix="lo-out-")
    subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless",
                    "--convert-to", filt, "--outdir", outdir, src], check=True,
                   stdout=subprocess.DEVNULL)
    made = [f for f in os.listdir(outdir)]
    assert len(made) == 1, made
    shutil.move(os.path.join(outdir, made[0]), out(name))
    shutil.rmtree(profile, ignore_errors=True)
    shutil.rmtree(outdir, ignore_errors=True)


def xlsx_source(build):
    """Builds an openpyxl workbook with `build(wb)` and returns the path of its xlsx."""
    import openpyxl
    wb = openpyxl.Workbook()
    build(wb)
    d = tempfile.mkdtemp(prefix="src-")
    path = os.path.join(d, "source.xlsx")
    wb.save(path)
    return path


def write_counts(ws):
    ws.append(["Ward", "Burglary", "Robbery", "Assault"])
    for r, w in enumerate(WARDS, start=1):
        ws.append([w] + [20 + (r * 7 + c * 13) % 70 for c in range(1, 4)])


def make_notes():
    """A note by 'DS Raj Patel' naming a victim and giving a phone number."""
    from openpyxl.comments import Comment
    def build(wb):
        ws = wb.active
        ws.title = "Crime by ward"
        write_counts(ws)
        ws["B3"].comment = Comment("Victim Mary Jones rang on " + phone(3) + " about this one", "DS Raj Patel")
    convert(xlsx_source(build), "notes.xls")


def make_names():
    """A hidden name holding a list of surnames, a visible name holding a constant, and a
    plain range name."""
    from openpyxl.workbook.defined_name import DefinedName
    def build(wb):
        ws = wb.active
        ws.title = "Data"
        write_counts(ws)
        wb.defined_names["WardTable"] = DefinedName("WardTable", attr_text="Data!$A$1:$D$13")
        wb.defined_names["Suspects"] = DefinedName("Suspects", attr_text='{"Smith","Jones","Patel"}', hidden=True)
        wb.defined_names["Officer"] = DefinedName("Officer", attr_text='"PC 4521 Walker"')
    convert(xlsx_source(build), "names.xls")


def make_names_plain():
    from openpyxl.workbook.defined_name import DefinedName
    def build(wb):
        ws = wb.active
        ws.title = "Data"
        write_counts(ws)
        wb.defined_names["WardTable"] = DefinedName("WardTable", attr_text="Data!$A$1:$D$13")
    convert(xlsx_source(build), "names_plain.xls")


def make_autofilter():
    """An AutoFilter on Ward = Mile Cross hides the other rows of people."""
    def build(wb):
        ws = wb.active
        ws.title = "Incidents"
        ws.append(["Name", "Date of birth", "Ward", "Offence"])
        for i in range(14):
            ward = WARDS[0] if i % 3 == 0 else WARDS[1 + i % 5]
            ws.append([person(i), dob(i), ward, "Burglary"])
            if ward != WARDS[0]:
                ws.row_dimensions[i + 2].hidden = True
        ws.auto_filter.ref = "A1:D15"
        ws.auto_filter.add_filter_column(2, [WARDS[0]])
    convert(xlsx_source(build), "autofilter.xls")


def make_autofilter_off():
    """AutoFilter buttons but no active filter and nothing hidden."""
    def build(wb):
        ws = wb.active
        ws.title = "Wards"
        write_counts(ws)
        ws.auto_filter.ref = "A1:D13"
    convert(xlsx_source(build), "autofilter_off.xls")


def make_properties():
    """Author, last modified by, company, manager and a custom property naming staff; the
    WRITEACCESS user is LibreOffice's profile user."""
    from openpyxl.packaging.custom import StringProperty
    def build(wb):
        ws = wb.active
        ws.title = "Wards"
        write_counts(ws)
        wb.properties.creator = "Sarah Taylor"
        wb.properties.lastModifiedBy = "Tom Wright"
        wb.properties.title = "Crime by ward"
        wb.custom_doc_props.append(StringProperty(name="Case officer", value="DC Imran Khan"))
    convert(xlsx_source(build), "properties.xls")


def make_pivot():
    """A pivot table over victims' records: LibreOffice writes its cache to _SX_DB_CUR.
    The source is the corpus sample made by `cargo run --example gen-corpus`."""
    convert(os.path.join(HERE, "..", "..", "..", "corpus", "FOI-2024-0153-pivot-of-victims.xlsx"), "pivot.xls")


def make_vba():
    """A VBA module naming DS Patel: LibreOffice keeps the project as _VBA_PROJECT_CUR."""
    convert(os.path.join(HERE, "..", "..", "..", "corpus", "FOI-2022-0311-macro-enabled.xlsm"), "vba.xls")


def make_uno():
    """embedded.xls, encrypted.xls, external_link.xls, merged_hidden.xls (make_uno.py)."""
    profile = lo_profile()
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_uno.py"), HERE, profile], check=True)
    shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    steps = [f for n, f in sorted(globals().items()) if n.startswith("make_")]
    only = sys.argv[1:]
    for f in steps:
        if only and f.__name__[5:] not in only:
            continue
        f()
        print("made", f.__name__[5:])
