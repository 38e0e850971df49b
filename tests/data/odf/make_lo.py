#!/usr/bin/python3
"""Second step after make.py: LibreOffice itself writes the fixtures odfpy cannot.

    apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui \
        libreoffice-impress-nogui python3-uno
    /usr/bin/python3 tests/data/odf/make_lo.py

- `*-macro.od?`: an odfpy document with a Basic module added through LibreOffice's own
  Basic library API (stored as Basic/Standard/Module1.xml, as LibreOffice does);
- `lo-*.od?`: odfpy documents opened and saved again by LibreOffice, so the tests also
  read the XML LibreOffice itself writes;
- `*.fodt`, `*.fods`, `*.fodp`: flat XML documents, converted by LibreOffice.
"""
import os
import shutil
import subprocess
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

HERE = os.path.dirname(os.path.abspath(__file__))
PIPE = "foiguard_fixtures"

CODE = '''Sub Main
    ' Reminder for the duty officer
    MsgBox "Call Jane SMITH on 07700 900123 before release"
End Sub
'''


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
            smgr = ctx.ServiceManager
            return proc, smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(1)
    raise SystemExit("LibreOffice did not start")


def load(desktop, path):
    return desktop.loadComponentFromURL(url(path), "_blank", 0, (prop("Hidden", True),))


def with_macro(desktop, src, dst):
    doc = load(desktop, os.path.join(HERE, src))
    libs = doc.BasicLibraries
    if not libs.hasByName("Standard"):
        libs.createLibrary("Standard")
    lib = libs.getByName("Standard")
    lib.insertByName("Module1", CODE)
    doc.storeToURL(url(os.path.join(HERE, dst)), ())
    doc.close(True)
    print("wrote", dst)


CALC_CLSID = "47BBB4CB-CE4C-4E80-a591-42d9ae74950f"
CHART_CLSID = "12DCAE26-281F-416F-a234-c3086127382e"


def embedded_flat(desktop, src, dst):
    """A letter with a spreadsheet (a hidden sheet of names) and a chart embedded by
    LibreOffice, saved as flat XML: the objects are inline `office:document`s."""
    doc = load(desktop, os.path.join(HERE, src))
    end = doc.Text.getEnd()
    for clsid in (CALC_CLSID, CHART_CLSID):
        obj = doc.createInstance("com.sun.star.text.TextEmbeddedObject")
        obj.CLSID = clsid
        doc.Text.insertTextContent(end, obj, False)
        if clsid == CALC_CLSID:
            model = obj.getEmbeddedObject()
            sheets = model.getSheets()
            sheets.insertNewByName("Victims", 1)
            victims = sheets.getByName("Victims")
            rows = [("Surname", "Forename", "Date of birth"), ("SMITH", "Jane", "02/03/1961"),
                    ("TAYLOR", "Mark", "11/07/1985"), ("WHITE", "Anne", "23/09/1990")]
            for r, row in enumerate(rows):
                for c, v in enumerate(row):
                    victims.getCellByPosition(c, r).setString(v)
            victims.IsVisible = False
            sheets.getByIndex(0).getCellByPosition(0, 0).setString("Burglaries: 41")
            model.setModified(True)
    doc.storeToURL(url(os.path.join(HERE, dst)),
                   (prop("FilterName", "OpenDocument Text Flat XML"),))
    doc.close(True)
    print("wrote", dst)


def convert(src, ext, dst, profile):
    """`soffice --convert-to`, one process per file (LibreOffice's own save path)."""
    out = tempfile.mkdtemp(prefix="lo-out-")
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation={url(profile)}",
                    "--convert-to", ext, "--outdir", out, os.path.join(HERE, src)],
                   check=True, capture_output=True, timeout=300)
    made = os.path.join(out, src.rsplit(".", 1)[0] + "." + ext)
    shutil.move(made, os.path.join(HERE, dst))
    shutil.rmtree(out, ignore_errors=True)
    print("wrote", dst)


FLAT = {"odt": "fodt", "ods": "fods", "odp": "fodp"}


def main():
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    proc, desktop = connect(profile)
    try:
        with_macro(desktop, "letter-clean.odt", "letter-macro.odt")
        with_macro(desktop, "sheet-clean.ods", "sheet-macro.ods")
        with_macro(desktop, "slides-clean.odp", "slides-macro.odp")
        embedded_flat(desktop, "letter-clean.odt", "letter-embedded.fodt")
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        proc.wait(timeout=60)
    try:
        for src in ["letter-hidden-text.odt", "letter-comments.odt",
                    "letter-tracked-deletion.odt", "sheet-rows-columns.ods",
                    "slides-hidden.odp"]:
            convert(src, src.rsplit(".", 1)[1], "lo-" + src, profile)
        for src in ["letter-clean.odt", "letter-tracked-deletion.odt", "sheet-hidden.ods", "sheet-clean.ods", "slides-notes.odp",
                    "slides-clean.odp"]:
            ext = FLAT[src.rsplit(".", 1)[1]]
            convert(src, ext, src.rsplit(".", 1)[0] + "." + ext, profile)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
