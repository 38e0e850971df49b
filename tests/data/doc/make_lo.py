#!/usr/bin/python3
"""Second step after make.py (doc) and tests/data/ppt/make.py: LibreOffice's UNO API writes
the fixtures a conversion cannot.

    apt-get install -y libreoffice-writer-nogui libreoffice-impress-nogui python3-uno
    /usr/bin/python3 tests/data/doc/make_lo.py

- `doc/letter-embedded.doc`: the clean letter with a spreadsheet embedded by LibreOffice
  (a visible sheet of counts and a hidden sheet of victims), saved as Word 97: the object
  goes to the ObjectPool as an Excel workbook;
- `doc/letter-password.doc`: the clean letter saved with a password (Word 97 encryption);
- `ppt/slides-embedded.ppt`: the clean slides with the same spreadsheet embedded, saved as
  PowerPoint 97 (an ExOleObjStg record).
Everything is made up (NR99 is not a real postcode area, phones are 07700 900xxx).
"""
import os
import shutil
import subprocess
import tempfile
import time

import uno
from com.sun.star.awt import Point, Size
from com.sun.star.beans import PropertyValue

HERE = os.path.dirname(os.path.abspath(__file__))
PPT = os.path.join(HERE, "..", "ppt")
PIPE = "foiguard_doc_fixtures"
CALC_CLSID = "47BBB4CB-CE4C-4E80-a591-42d9ae74950f"

PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


def connect(profile):
    proc = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--norestore", "--nologo",
        f"-env:UserInstallation={url(profile)}",
        f"--accept=pipe,name={PIPE};urp;StarOffice.ComponentContext",
    ])
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={PIPE};urp;StarOffice.ComponentContext")
            return proc, ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(1)
    raise SystemExit("LibreOffice did not start")


def load(desktop, path):
    return desktop.loadComponentFromURL(url(path), "_blank", 0, (prop("Hidden", True),))


def fill_workbook(model):
    """A visible sheet of counts and a hidden sheet of victims."""
    sheets = model.getSheets()
    sheets.insertNewByName("Victims", 1)
    victims = sheets.getByName("Victims")
    rows = [("Surname", "Forename", "Date of birth", "Phone"),
            ("SMITH", "Jane", "02/03/1961", "07700 900123"),
            ("TAYLOR", "Mark", "11/07/1985", "07700 900456"),
            ("WHITE", "Anne", "23/09/1990", "07700 900789")]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            victims.getCellByPosition(c, r).setString(v)
    victims.IsVisible = False
    counts = sheets.getByIndex(0)
    counts.getCellByPosition(0, 0).setString("Burglaries")
    counts.getCellByPosition(1, 0).setValue(41)
    model.setModified(True)


def embedded_doc(desktop, src, dst):
    doc = load(desktop, src)
    obj = doc.createInstance("com.sun.star.text.TextEmbeddedObject")
    obj.CLSID = CALC_CLSID
    doc.Text.insertTextContent(doc.Text.getEnd(), obj, False)
    fill_workbook(obj.getEmbeddedObject())
    doc.storeToURL(url(dst), (prop("FilterName", "MS Word 97"),))
    doc.close(True)
    print("wrote", os.path.relpath(dst, HERE))


def password_doc(desktop, src, dst):
    doc = load(desktop, src)
    doc.storeToURL(url(dst), (prop("FilterName", "MS Word 97"),
                              prop("Password", "release-2024")))
    doc.close(True)
    print("wrote", os.path.relpath(dst, HERE))


def embedded_ppt(desktop, src, dst):
    doc = load(desktop, src)
    page = doc.getDrawPages().getByIndex(0)
    shape = doc.createInstance("com.sun.star.drawing.OLE2Shape")
    page.add(shape)
    shape.CLSID = CALC_CLSID
    shape.Position = Point(100, 100)
    shape.Size = Size(1500, 800)
    fill_workbook(shape.Model)
    doc.storeToURL(url(dst), (prop("FilterName", "MS PowerPoint 97"),))
    doc.close(True)
    print("wrote", os.path.relpath(dst, HERE))


def main():
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    os.makedirs(os.path.join(profile, "user"))
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(PROFILE_XCU)
    proc, desktop = connect(profile)
    try:
        clean = os.path.join(HERE, "letter-clean.doc")
        embedded_doc(desktop, clean, os.path.join(HERE, "letter-embedded.doc"))
        password_doc(desktop, clean, os.path.join(HERE, "letter-password.doc"))
        embedded_ppt(desktop, os.path.join(PPT, "slides-clean.ppt"),
                     os.path.join(PPT, "slides-embedded.ppt"))
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        proc.wait(timeout=60)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
