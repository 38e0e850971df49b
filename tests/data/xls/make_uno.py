#!/usr/bin/env python3
"""The xls fixtures that need LibreOffice's UNO API (run by make.py with the system python,
which has the `uno` module): an embedded workbook object, a password, an external link with
cached values, and a value hidden under merged cells. Every file is written by LibreOffice's
own BIFF8 export. Usage: /usr/bin/python3 make_uno.py OUTDIR PROFILE_DIR"""
import os, subprocess, sys, tempfile, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.awt import Size, Point

OUT, PROFILE = sys.argv[1], sys.argv[2]
PORT = 2097


def pv(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def url(name):
    return uno.systemPathToFileUrl(os.path.join(OUT, name))


def save(doc, name, *extra):
    doc.storeToURL(url(name), (pv("FilterName", "MS Excel 97"),) + extra)


def fill(sheet, rows):
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            cell = sheet.getCellByPosition(c, r)
            if isinstance(v, str):
                cell.String = v
            else:
                cell.Value = v


COUNTS = [("Ward", "Burglary"), ("Mile Cross", 41), ("Eaton", 27), ("Nelson", 33)]


def main():
    proc = subprocess.Popen(
        ["soffice", "-env:UserInstallation=" + uno.systemPathToFileUrl(PROFILE), "--headless",
         "--invisible", "--norestore", "--accept=socket,host=localhost,port=%d;urp;" % PORT],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:socket,host=localhost,port=%d;urp;StarOffice.ComponentContext" % PORT)
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

    def new():
        return desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (pv("Hidden", True),))

    try:
        # An embedded Calc object listing people: LibreOffice writes it as an MBD storage
        # holding a Workbook stream.
        doc = new()
        fill(doc.Sheets.getByIndex(0), COUNTS)
        shape = doc.createInstance("com.sun.star.drawing.OLE2Shape")
        shape.Size, shape.Position = Size(6000, 3000), Point(8000, 1000)
        doc.Sheets.getByIndex(0).DrawPage.add(shape)
        shape.CLSID = "47BBB4CB-CE4C-4E80-A591-42D9AE74950F"
        inner = shape.Model
        fill(inner.Sheets.getByIndex(0), [("Name", "Phone"), ("Mary Jones", "07700 900123"),
                                          ("Peter Khan", "07700 900456")])
        inner.setModified(True)
        save(doc, "embedded.xls")
        doc.close(True)

        # Password to open: RC4 encryption, a FILEPASS record.
        doc = new()
        fill(doc.Sheets.getByIndex(0), COUNTS)
        save(doc, "encrypted.xls", pv("Password", "secret"))
        doc.close(True)

        # External link: SUPBOOK with the linked file's path, CRN records with its values.
        src_dir = tempfile.mkdtemp(prefix="hr-share-")
        src = os.path.join(src_dir, "staff.xls")
        doc = new()
        fill(doc.Sheets.getByIndex(0), [("Name", "Phone"), ("Mary Jones", "07700 900123"),
                                        ("Peter Khan", "07700 900456")])
        doc.storeToURL(uno.systemPathToFileUrl(src), (pv("FilterName", "MS Excel 97"),))
        doc.close(True)
        doc = new()
        sheet = doc.Sheets.getByIndex(0)
        fill(sheet, COUNTS)
        link = "'" + uno.systemPathToFileUrl(src) + "'#$Sheet1."
        sheet.getCellByPosition(3, 0).Formula = "=" + link + "A2"
        sheet.getCellByPosition(3, 1).Formula = "=" + link + "B3"
        doc.calculateAll()
        save(doc, "external_link.xls")
        doc.close(True)

        # A name under a merged cell: merging keeps B1's value, hidden by A1.
        doc = new()
        sheet = doc.Sheets.getByIndex(0)
        fill(sheet, [("Total", "Mary Jones", 5)] + COUNTS[1:])
        sheet.getCellRangeByName("A1:B1").merge(True)
        save(doc, "merged_hidden.xls")
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        proc.wait(timeout=60)


main()
