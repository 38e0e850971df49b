#!/usr/bin/env python3
"""Writes the PowerPoint 97-2003 (.ppt) fixtures of tests/ppt.rs: python-pptx makes a source
presentation, and LibreOffice converts it to .ppt with its own binary writer
(`soffice --headless --convert-to ppt`). Only the .ppt files are kept.

    pip install python-pptx
    apt-get install -y libreoffice-impress-nogui
    python3 tests/data/ppt/make.py                # every fixture
    python3 tests/data/ppt/make.py slides-notes   # only the files named (without .ppt)
    /usr/bin/python3 tests/data/doc/make_lo.py    # then LibreOffice's UNO API: embedded
                                                  # workbook, password

What python-pptx has no API for (hidden slides, comments) is written into its XML with
lxml, as PowerPoint writes it. Everything is made up: people, addresses, identifiers (NR99
is not a real postcode area, phones are 07700 900xxx).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.util import Inches, Pt

HERE = os.path.dirname(os.path.abspath(__file__))
ONLY = set(sys.argv[1:])
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"


def wanted(name):
    return not ONLY or name in ONLY


def deck():
    # One-inch slides: LibreOffice stores a bitmap preview of the first slide in the
    # properties, and its size follows the slide's (a 10-inch slide makes a 600 KiB file).
    prs = Presentation()
    prs.slide_width = Inches(1)
    prs.slide_height = Inches(1)
    cp = prs.core_properties
    cp.author = ""
    cp.last_modified_by = ""
    cp.title = ""
    cp.comments = ""
    return prs


def place(shape, x, y, w, h):
    shape.left, shape.top, shape.width, shape.height = Inches(x), Inches(y), Inches(w), Inches(h)


def add_slide(prs, title, lines, notes=None):
    s = prs.slides.add_slide(prs.slide_layouts[1])
    place(s.shapes.title, 0.05, 0.05, 0.9, 0.2)
    s.shapes.title.text = title
    place(s.placeholders[1], 0.05, 0.3, 0.9, 0.65)
    body = s.placeholders[1].text_frame
    body.text = lines[0]
    for line in lines[1:]:
        body.add_paragraph().text = line
    if notes:
        s.notes_slide.notes_text_frame.text = notes
    return s


def clean(prs):
    add_slide(prs, "Burglary in Norwich", ["Reports fell by 19% in 2023.",
                                           "Most reports came from the city centre."])
    s = prs.slides.add_slide(prs.slide_layouts[5])
    place(s.shapes.title, 0.05, 0.05, 0.9, 0.2)
    s.shapes.title.text = "Burglaries by year"
    rows = [("Offence", "2022", "2023"), ("Burglary", "120", "97"), ("Theft", "340", "310")]
    t = s.shapes.add_table(3, 3, Inches(0.05), Inches(0.3), Inches(0.9), Inches(0.6)).table
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    return prs


def notes(prs):
    add_slide(prs, "Burglary in Norwich", ["Reports fell by 19% in 2023."],
              notes="Victim Jane SMITH, 14 Acacia Avenue, Norwich NR99 1AA, asked not to be named.")
    add_slide(prs, "Next steps", ["Patrols continue in the city centre."])
    return prs


def hidden(prs):
    add_slide(prs, "Burglary in Norwich", ["Reports fell by 19% in 2023."])
    s = add_slide(prs, "Offenders (internal)", ["David JONES, 5 Oak Lane, Norwich NR99 2AA",
                                                "Emma BROWN, 07700 900654"])
    s._element.set("show", "0")
    add_slide(prs, "Next steps", ["Patrols continue in the city centre."])
    return prs


def comments(prs):
    add_slide(prs, "Burglary in Norwich", ["Reports fell by 19% in 2023."])
    slide = prs.slides[0]
    pres_part = prs.part
    authors_xml = (f'<p:cmAuthorLst xmlns:p="{P_NS}"><p:cmAuthor id="0" name="Peter BLOGGS" '
                   'initials="PB" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>').encode()
    authors = Part(PackURI("/ppt/commentAuthors.xml"),
                   "application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml",
                   pres_part.package, authors_xml)
    pres_part.relate_to(authors, RT.COMMENT_AUTHORS)
    cm_xml = (f'<p:cmLst xmlns:p="{P_NS}"><p:cm authorId="0" dt="2024-03-01T10:00:00.000" idx="1">'
              '<p:pos x="10" y="10"/><p:text>Check with DS Raj PATEL before release: '
              'victim Jane SMITH asked for updates.</p:text></p:cm></p:cmLst>').encode()
    cm = Part(PackURI("/ppt/comments/comment1.xml"),
              "application/vnd.openxmlformats-officedocument.presentationml.comments+xml",
              pres_part.package, cm_xml)
    slide.part.relate_to(cm, RT.COMMENTS)
    return prs


def victim(prs):
    # Visible personal data on a slide (tests/ppt.rs also replaces it the way a later
    # PowerPoint fast save would, leaving this text in the file).
    add_slide(prs, "Burglary in Norwich", ["Call back Jane SMITH on 07700 900123."])
    add_slide(prs, "Next steps", ["Patrols continue in the city centre."])
    return prs


def hidden_shape(prs):
    s = add_slide(prs, "Burglary in Norwich", ["Reports fell by 19% in 2023."])
    box = s.shapes.add_textbox(Inches(0.1), Inches(0.6), Inches(0.8), Inches(0.3))
    box.text_frame.text = "Informant: Ben KING, 07700 900246"
    box._element.nvSpPr.cNvPr.set("hidden", "1")
    return prs


def off_slide(prs):
    s = add_slide(prs, "Burglary in Norwich", ["Reports fell by 19% in 2023."])
    # Below the one-inch slide: the editor shows it, a slide show never does.
    box = s.shapes.add_textbox(Inches(0.1), Inches(1.5), Inches(0.8), Inches(0.3))
    box.text_frame.text = "Call Carol HALL on 07700 900135"
    return prs


def victims_table(prs):
    s = prs.slides.add_slide(prs.slide_layouts[5])
    place(s.shapes.title, 0.05, 0.05, 0.9, 0.1)
    s.shapes.title.text = "Victims"
    forenames = ["Jane", "Mark", "Anne", "Ben", "Carol", "David", "Emma", "Faisal", "Grace",
                 "Harry", "Iris", "Jack"]
    surnames = ["SMITH", "TAYLOR", "WHITE", "KING", "HALL", "JONES", "BROWN", "PATEL", "KHAN",
                "MURPHY", "WRIGHT", "EVANS"]
    rows = [("Name", "Date of birth", "Postcode")] + [
        (f"{forenames[i]} {surnames[i]}",
         f"{(i * 7) % 27 + 1:02d}/{i % 12 + 1:02d}/{1950 + i * 3}", f"NR99 {i % 9 + 1}AA")
        for i in range(12)]
    t = s.shapes.add_table(len(rows), 3, Inches(0.05), Inches(0.2), Inches(0.9),
                           Inches(0.75)).table
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    return prs


def metadata(prs):
    clean(prs)
    cp = prs.core_properties
    cp.author = "Peter BLOGGS"
    cp.last_modified_by = "DS Raj PATEL"
    cp.title = "Burglary briefing"
    return prs


FIXTURES = {
    "slides-clean": clean,
    "slides-notes": notes,
    "slides-hidden": hidden,
    "slides-comments": comments,
    "slides-metadata": metadata,
    "slides-victim": victim,
    "slides-hidden-shape": hidden_shape,
    "slides-offslide": off_slide,
    "slides-victims-table": victims_table,
}


PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def lo_profile():
    """A fresh LibreOffice profile that saves no preview image (a thumbnail would make each
    file hundreds of KiB)."""
    d = tempfile.mkdtemp(prefix="lo-profile-")
    os.makedirs(os.path.join(d, "user"))
    with open(os.path.join(d, "user", "registrymodifications.xcu"), "w") as f:
        f.write(PROFILE_XCU)
    return d


APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>')


def save_pptx(prs, path):
    """Saves with an empty docProps/app.xml: python-pptx's template carries properties
    that LibreOffice would keep as custom properties of every fixture."""
    prs.save(path)
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, APP_XML if info.filename == "docProps/app.xml" else data)


def convert(src, dst, profile):
    out = tempfile.mkdtemp(prefix="lo-out-")
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "ppt", "--outdir", out, src],
                   check=True, capture_output=True, timeout=300)
    made = os.path.join(out, os.path.splitext(os.path.basename(src))[0] + ".ppt")
    shutil.move(made, os.path.join(HERE, dst))
    shutil.rmtree(out, ignore_errors=True)
    print("wrote", dst)


def main():
    profile = lo_profile()
    work = tempfile.mkdtemp(prefix="ppt-src-")
    try:
        for name, build in FIXTURES.items():
            if not wanted(name):
                continue
            src = os.path.join(work, name + ".pptx")
            save_pptx(build(deck()), src)
            convert(src, name + ".ppt", profile)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
