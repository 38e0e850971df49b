#!/usr/bin/env python3
"""Writes the Word 97-2003 (.doc) fixtures of tests/doc.rs: python-docx (and odfpy for the
stories python-docx cannot write) make a source document, and LibreOffice converts it to .doc
with its own binary writer (`soffice --headless --convert-to doc`). Only the .doc files are
kept.

    pip install python-docx odfpy
    apt-get install -y libreoffice-writer-nogui
    python3 tests/data/doc/make.py                 # every fixture
    python3 tests/data/doc/make.py letter-comments # only the files named (without .doc)
    /usr/bin/python3 tests/data/doc/make_lo.py     # then LibreOffice's UNO API: embedded
                                                   # workbook, password, macros

Features python-docx has no API for (tracked changes, hidden text, highlight, shading,
colours) are written through its lxml element API (`OxmlElement`), as Word writes them.
Everything is made up: people, addresses, identifiers (NR99 is not a real postcode area,
NI numbers use the AB prefix of the detector tests, phones are 07700 900xxx).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
ONLY = set(sys.argv[1:])

VICTIM = ("The victim, Jane SMITH of 14 Acacia Avenue, Norwich NR99 1AA "
          "(NI AB 12 34 56 C), reported the burglary on 3 May.")


def wanted(name):
    return not ONLY or name in ONLY


def letter(extra=None, stats=True, header=True):
    """An FOI response letter: heading, paragraphs, a statistics table, a page header and
    footer. `extra(doc)` adds paragraphs before the closing lines."""
    d = docx.Document()
    cp = d.core_properties
    cp.author = ""
    cp.last_modified_by = ""
    cp.comments = ""
    cp.title = ""
    if header:
        sec = d.sections[0]
        sec.header.paragraphs[0].text = "Norfolk Constabulary - Information Rights"
        sec.footer.paragraphs[0].text = "Official - for release"
    d.add_heading("Freedom of Information request FOI-2024-0311", level=1)
    d.add_paragraph("Dear Requester,")
    d.add_paragraph("Thank you for your request about burglaries in Norwich. We hold the "
                    "information, and the figures are below.")
    if stats:
        t = d.add_table(rows=0, cols=3)
        for row in [("Offence", "2022", "2023"), ("Burglary", "120", "97"),
                    ("Theft", "340", "310")]:
            cells = t.add_row().cells
            for c, v in zip(cells, row):
                c.text = v
    if extra:
        extra(d)
    d.add_paragraph("Yours sincerely,")
    d.add_paragraph("Information Rights Team, foi@norfolk.police.uk")
    return d


def run_with(p, text, **props):
    """A run with character properties set through the XML (w:rPr children)."""
    r = p.add_run(text)
    rpr = r._r.get_or_add_rPr()
    for name, attrs in props.items():
        el = OxmlElement("w:" + name)
        for k, v in attrs.items():
            el.set(qn("w:" + k), v)
        rpr.append(el)
    return r


def revision(tag, author, rid):
    el = OxmlElement("w:" + tag)
    el.set(qn("w:id"), str(rid))
    el.set(qn("w:author"), author)
    el.set(qn("w:date"), "2024-03-01T10:00:00Z")
    return el


def deleted_run(text):
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def inserted_run(text):
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def tracked_deletion(d):
    p = d.add_paragraph("We have removed personal details from this letter. ")
    dl = revision("del", "Peter BLOGGS", 1)
    dl.append(deleted_run(VICTIM))
    p._p.append(dl)
    p2 = d.add_paragraph("The burglary was reported in ")
    ins = revision("ins", "Peter BLOGGS", 2)
    ins.append(inserted_run("May 2023"))
    p2._p.append(ins)
    p2.add_run(".")


def tracked_insertion(d):
    p = d.add_paragraph("The burglary was reported in ")
    ins = revision("ins", "Peter BLOGGS", 1)
    ins.append(inserted_run("May 2023"))
    p._p.append(ins)
    p.add_run(".")


def hidden_text(d):
    p = d.add_paragraph("Enquiries were completed. ")
    run_with(p, "Witness: Mark TAYLOR, 07700 900123.", vanish={})


def hidden_style(d):
    st = d.styles.add_style("Case note", WD_STYLE_TYPE.CHARACTER)
    st.font.hidden = True
    p = d.add_paragraph("Enquiries were completed. ")
    p.add_run("Informant: Anne WHITE, 07700 900456.", style="Case note")


def comments(d):
    p = d.add_paragraph("The case was closed on 12 June.")
    d.add_comment(p.runs, text="Check with DS Raj PATEL: victim Jane SMITH asked for updates.",
                  author="Peter BLOGGS", initials="PB")


def disguised(d):
    p = d.add_paragraph("Figures exclude cancelled reports. ")
    run_with(p, "Suspect: Ben KING, 23 Elm Road.", color={"val": "FFFFFF"})
    p2 = d.add_paragraph("Figures are provisional. ")
    run_with(p2, "Victim: Carol HALL, 07700 900789.", sz={"val": "2"}, szCs={"val": "2"})


def fake_redaction(d):
    p = d.add_paragraph("The offender, ")
    run_with(p, "David JONES of 5 Oak Lane", color={"val": "000000"},
             highlight={"val": "black"})
    p.add_run(", was cautioned.")
    p2 = d.add_paragraph("The witness, ")
    run_with(p2, "Emma BROWN of 8 Ash Close", color={"val": "000000"},
             shd={"val": "clear", "color": "auto", "fill": "000000"})
    p2.add_run(", gave a statement.")


def readable_highlight(d):
    # Black highlight over text left in its automatic colour: Word shows it white on black,
    # so it reads; a yellow highlight is ordinary emphasis.
    p = d.add_paragraph("Reference ")
    run_with(p, "CASE-2024-118", highlight={"val": "black"})
    p.add_run(" is closed. ")
    run_with(p, "Please note the deadline.", highlight={"val": "yellow"})


def legible(d):
    # White text on a dark blue shading: legitimate styling, readable; and a table whose
    # header row is white on dark blue cells.
    p = d.add_paragraph()
    run_with(p, "Burglaries by year", color={"val": "FFFFFF"},
             shd={"val": "clear", "color": "auto", "fill": "1F3864"})
    t = d.add_table(rows=0, cols=2)
    for r, row in enumerate([("Ward", "Burglaries"), ("Mancroft", "41"), ("Eaton", "12")]):
        cells = t.add_row().cells
        for c, v in zip(cells, row):
            if r == 0:
                run_with(c.paragraphs[0], v, color={"val": "FFFFFF"})
                tcpr = c._tc.get_or_add_tcPr()
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), "1F3864")
                tcpr.append(shd)
            else:
                c.text = v


def victims_table(d):
    d.add_paragraph("The records you asked for are listed below.")
    forenames = ["Jane", "Mark", "Anne", "Ben", "Carol", "David", "Emma", "Faisal", "Grace",
                 "Harry", "Iris", "Jack"]
    surnames = ["SMITH", "TAYLOR", "WHITE", "KING", "HALL", "JONES", "BROWN", "PATEL", "KHAN",
                "MURPHY", "WRIGHT", "EVANS"]
    streets = ["Acacia Avenue", "Elm Road", "Oak Lane", "Ash Close", "Birch Way", "Cedar Drive"]
    rows = [("Name", "Date of birth", "Address")] + [
        (f"{forenames[i]} {surnames[i]}",
         f"{(i * 7) % 27 + 1:02d}/{i % 12 + 1:02d}/{1950 + i * 3}",
         f"{i * 5 + 3} {streets[i % len(streets)]}, Norwich NR99 {i % 9 + 1}AA")
        for i in range(12)]
    t = d.add_table(rows=0, cols=3)
    for row in rows:
        cells = t.add_row().cells
        for c, v in zip(cells, row):
            c.text = v


def metadata(doc):
    cp = doc.core_properties
    cp.author = "Peter BLOGGS"
    cp.last_modified_by = "DS Raj PATEL"
    cp.title = "Burglary response"
    return doc


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


def save_docx(d, path):
    """Saves with an empty docProps/app.xml: python-docx's template carries an AppVersion
    that LibreOffice would keep as a custom property of every fixture."""
    d.save(path)
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info, APP_XML if info.filename == "docProps/app.xml" else data)


def convert(src, dst, profile, ext="doc"):
    out = tempfile.mkdtemp(prefix="lo-out-")
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation=file://{profile}",
                    "--convert-to", ext, "--outdir", out, src],
                   check=True, capture_output=True, timeout=300)
    made = os.path.join(out, os.path.splitext(os.path.basename(src))[0] + "." + ext)
    shutil.move(made, os.path.join(HERE, dst))
    shutil.rmtree(out, ignore_errors=True)
    print("wrote", dst)


def stories_odt(path):
    """Footnote, endnote and a text box (odfpy: python-docx writes none of them)."""
    from odf import draw, style, text
    from odf.namespaces import TEXTNS
    from odf.opendocument import OpenDocumentText
    doc = OpenDocumentText()
    pl = style.PageLayout(name="pm1")
    pl.addElement(style.PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm"))
    doc.automaticstyles.addElement(pl)
    mp = style.MasterPage(name="Standard", pagelayoutname=pl)
    h = style.Header()
    h.addElement(text.P(text="Prepared by PC 4821 Grace EVANS"))
    mp.addElement(h)
    f = style.Footer()
    f.addElement(text.P(text="Reviewed by DS Raj PATEL"))
    mp.addElement(f)
    doc.masterstyles.addElement(mp)
    body = doc.text
    body.addElement(text.P(text="Dear Requester,"))
    p = text.P(text="We hold the information you asked for.")
    for i, (cls, words) in enumerate([("footnote", "Source: custody record of Harry WRIGHT."),
                                      ("endnote", "Checked by Iris MURPHY, 07700 900321.")]):
        note = text.Note(noteclass=cls, qattributes={(TEXTNS, "id"): f"n{i}"})
        note.addElement(text.NoteCitation(text="1"))
        nb = text.NoteBody()
        nb.addElement(text.P(text=words))
        note.addElement(nb)
        p.addElement(note)
    body.addElement(p)
    fs = style.Style(name="fr1", family="graphic")
    doc.automaticstyles.addElement(fs)
    anchor = text.P()
    frame = draw.Frame(stylename=fs, width="8cm", height="2cm", anchortype="paragraph",
                       x="1cm", y="0cm")
    box = draw.TextBox()
    box.addElement(text.P(text="Officer in case: Jack KHAN"))
    frame.addElement(box)
    anchor.addElement(frame)
    body.addElement(anchor)
    body.addElement(text.P(text="Yours sincerely,"))
    doc.save(path)


FIXTURES = {
    "letter-clean": lambda: letter(),
    "letter-tracked-deletion": lambda: letter(tracked_deletion),
    "letter-tracked-insertion": lambda: letter(tracked_insertion),
    "letter-hidden-text": lambda: letter(hidden_text),
    "letter-hidden-style": lambda: letter(hidden_style),
    "letter-comments": lambda: letter(comments),
    "letter-disguised": lambda: letter(disguised),
    "letter-fake-redaction": lambda: letter(fake_redaction),
    "letter-highlight": lambda: letter(readable_highlight),
    "letter-legible-styling": lambda: letter(legible),
    "letter-victims-table": lambda: letter(victims_table, stats=False),
    "letter-metadata": lambda: metadata(letter()),
}


def main():
    profile = lo_profile()
    work = tempfile.mkdtemp(prefix="doc-src-")
    try:
        for name, build in FIXTURES.items():
            if not wanted(name):
                continue
            src = os.path.join(work, name + ".docx")
            save_docx(build(), src)
            convert(src, name + ".doc", profile)
        if wanted("letter-stories"):
            src = os.path.join(work, "letter-stories.odt")
            stories_odt(src)
            convert(src, "letter-stories.doc", profile)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
