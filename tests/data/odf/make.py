#!/usr/bin/env python3
"""Writes the ODF test fixtures of tests/odf.rs with odfpy (a real ODF writer).

    pip install odfpy
    python3 tests/data/odf/make.py            # writes the .odt/.ods/.odp files here
    python3 tests/data/odf/make.py sheet-tracked.ods   # only the files named
    /usr/bin/python3 tests/data/odf/make_lo.py  # then LibreOffice: macros and flat XML

Everything is made up: people, addresses, identifiers (NR99 is not a real postcode area,
NI numbers use the AB prefix of the detector tests, phones are 07700 900xxx).
Each file exercises one rule (or its negative case); the tests say which.
"""
import os
import sys

from odf import chart, dc, draw, form, meta, office, presentation, style, table, text
from odf.element import Element
from odf.namespaces import TEXTNS, XMLNS
from odf.opendocument import (OpenDocumentChart, OpenDocumentPresentation,
                              OpenDocumentSpreadsheet, OpenDocumentText)

HERE = os.path.dirname(os.path.abspath(__file__))
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"


# File names given on the command line: only those are written (so the other committed
# fixtures stay byte for byte as they are).
ONLY = set(sys.argv[1:])


def save(doc, name):
    if ONLY and name not in ONLY:
        return
    doc.save(os.path.join(HERE, name))
    print("wrote", name)


# --------------------------------------------------------------------------------------
# Text documents (odt)
# --------------------------------------------------------------------------------------

def letter(extra_body=None, header=True, stats=True):
    """An FOI response letter: heading, paragraphs, a statistics table, a footnote, and a
    page header and footer. `extra_body(doc)` adds elements before the closing lines."""
    doc = OpenDocumentText()
    pl = style.PageLayout(name="pm1")
    pl.addElement(style.PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm"))
    doc.automaticstyles.addElement(pl)
    mp = style.MasterPage(name="Standard", pagelayoutname=pl)
    if header:
        h = style.Header()
        h.addElement(text.P(text="Norfolk Constabulary - Information Rights"))
        mp.addElement(h)
        f = style.Footer()
        fp = text.P(text="Page ")
        fp.addElement(text.PageNumber(selectpage="current", text="1"))
        f.addElement(fp)
        mp.addElement(f)
    doc.masterstyles.addElement(mp)
    body = doc.text
    body.addElement(text.H(outlinelevel=1, text="Freedom of Information request FOI-2024-0311"))
    body.addElement(text.P(text="Dear Requester,"))
    p = text.P(text="Thank you for your request about burglaries in Norwich. We hold the "
                    "information, and the figures are below.")
    note = text.Note(noteclass="footnote", qattributes={(TEXTNS, "id"): "ftn1"})
    note.addElement(text.NoteCitation(text="1"))
    nb = text.NoteBody()
    nb.addElement(text.P(text="Figures are provisional and may change."))
    note.addElement(nb)
    p.addElement(note)
    body.addElement(p)
    if stats:
        t = table.Table(name="Figures")
        t.addElement(table.TableColumn(numbercolumnsrepeated=3))
        for row in [("Offence", "2022", "2023"), ("Burglary", "120", "97"),
                    ("Theft", "340", "310")]:
            tr = table.TableRow()
            for v in row:
                tc = table.TableCell(valuetype="string")
                tc.addElement(text.P(text=v))
                tr.addElement(tc)
            t.addElement(tr)
        body.addElement(t)
    if extra_body:
        extra_body(doc)
    body.addElement(text.P(text="Yours sincerely,"))
    body.addElement(text.P(text="Information Rights Team, foi@norfolk.police.uk"))
    return doc


SURNAMES = ["SMITH", "TAYLOR", "WHITE", "KING", "HALL", "JONES", "BROWN", "PATEL", "KHAN",
            "MURPHY", "WRIGHT", "EVANS"]
FORENAMES = ["Jane", "Mark", "Anne", "Ben", "Carol", "David", "Emma", "Faisal", "Grace",
             "Harry", "Iris", "Jack"]
STREETS = ["Acacia Avenue", "Elm Road", "Oak Lane", "Ash Close", "Birch Way", "Cedar Drive"]
# A table of individual victims: name, date of birth, address (12 records).
VICTIM_RECORDS = [("Name", "Date of birth", "Address")] + [
    (f"{FORENAMES[i]} {SURNAMES[i]}", f"{(i * 7) % 27 + 1:02d}/{i % 12 + 1:02d}/{1950 + i * 3}",
     f"{i * 5 + 3} {STREETS[i % len(STREETS)]}, Norwich NR99 {i % 9 + 1}AA")
    for i in range(12)]


def odt_fixtures():
    save(letter(), "letter-clean.odt")

    # A tracked deletion that still holds a victim's details.
    def tracked(doc):
        tc = text.TrackedChanges(trackchanges="true")
        r1 = text.ChangedRegion(qattributes={(TEXTNS, "id"): "ct1", (XMLNS, "id"): "ct1"})
        d = text.Deletion()
        ci = office.ChangeInfo()
        ci.addElement(dc.Creator(text="Peter BLOGGS"))
        ci.addElement(dc.Date(text="2024-03-01T10:00:00"))
        d.addElement(ci)
        d.addElement(text.P(text="The victim, Jane SMITH of 14 Acacia Avenue, Norwich NR99 1AA "
                                 "(NI AB 12 34 56 C), reported the burglary on 3 May."))
        r1.addElement(d)
        tc.addElement(r1)
        r2 = text.ChangedRegion(qattributes={(TEXTNS, "id"): "ct2", (XMLNS, "id"): "ct2"})
        ins = text.Insertion()
        ci2 = office.ChangeInfo()
        ci2.addElement(dc.Creator(text="Peter BLOGGS"))
        ci2.addElement(dc.Date(text="2024-03-01T10:01:00"))
        ins.addElement(ci2)
        r2.addElement(ins)
        tc.addElement(r2)
        # tracked-changes must come first in office:text.
        doc.text.childNodes.insert(0, tc)
        tc.parentNode = doc.text
        p = text.P(text="We have removed details that would identify individuals.")
        p.addElement(text.Change(changeid="ct1"))
        p.addElement(text.ChangeStart(changeid="ct2"))
        p.addText(" This response has been checked.")
        p.addElement(text.ChangeEnd(changeid="ct2"))
        doc.text.addElement(p)
    save(letter(tracked), "letter-tracked-deletion.odt")

    def insertion_only(doc):
        tc = text.TrackedChanges(trackchanges="true")
        r2 = text.ChangedRegion(qattributes={(TEXTNS, "id"): "ct2", (XMLNS, "id"): "ct2"})
        ins = text.Insertion()
        ci2 = office.ChangeInfo()
        ci2.addElement(dc.Creator(text="Information Rights Team"))
        ci2.addElement(dc.Date(text="2024-03-01T10:01:00"))
        ins.addElement(ci2)
        r2.addElement(ins)
        tc.addElement(r2)
        doc.text.childNodes.insert(0, tc)
        tc.parentNode = doc.text
        p = text.P()
        p.addElement(text.ChangeStart(changeid="ct2"))
        p.addText("This response has been checked.")
        p.addElement(text.ChangeEnd(changeid="ct2"))
        doc.text.addElement(p)
    save(letter(insertion_only), "letter-tracked-insertion.odt")

    # Comments with authors, and a reply (LibreOffice writes loext:parent-name).
    def comments(doc):
        p = text.P(text="The officer in charge has been informed.")
        a = office.Annotation(name="__Annotation__1")
        a.addElement(dc.Creator(text="Sarah JONES"))
        a.addElement(dc.Date(text="2024-03-02T09:00:00"))
        a.addElement(text.P(text="Is DS Raj PATEL happy for his name to go out?"))
        p.addElement(a)
        reply = office.Annotation(name="__Annotation__2")
        reply.setAttrNS(LOEXT, "parent-name", "__Annotation__1")
        reply.addElement(dc.Creator(text="Tom BROWN"))
        reply.addElement(dc.Date(text="2024-03-02T09:30:00"))
        reply.addElement(text.P(text="No - remove it."))
        p.addElement(reply)
        doc.text.addElement(p)
    save(letter(comments), "letter-comments.odt")

    # Hidden text of every kind Writer has.
    def hidden(doc):
        hid_char = style.Style(name="HiddenChar", family="text")
        hid_char.addElement(style.TextProperties(display="none"))
        doc.styles.addElement(hid_char)
        hid_para = style.Style(name="HiddenPara", family="paragraph")
        hid_para.addElement(style.TextProperties(display="none"))
        doc.styles.addElement(hid_para)
        p = text.P(text="The request was handled by ")
        p.addElement(text.Span(stylename=hid_char, text="DS Raj PATEL 4821 "))
        p.addText("the Information Rights Team.")
        doc.text.addElement(p)
        doc.text.addElement(text.P(stylename=hid_para,
                                   text="Internal: complainant is Jane SMITH, 07700 900123."))
        sec = text.Section(name="Internal", display="none")
        sec.addElement(text.P(text="Suspect: Mark TAYLOR, born 02/03/1985."))
        doc.text.addElement(sec)
        hp = text.P(text="Reviewer notes: Tom BROWN approved release.")
        hp.addElement(text.HiddenParagraph(condition="ooow:1==1", ishidden="true"))
        doc.text.addElement(hp)
        fp = text.P(text="Contact: ")
        fp.addElement(text.HiddenText(condition="ooow:1==1", stringvalue="Anne WHITE, 07700 900456",
                                      ishidden="true", text="Anne WHITE, 07700 900456"))
        doc.text.addElement(fp)
        cp = text.P(text="Status: ")
        cp.addElement(text.ConditionalText(condition="ooow:1==0", stringvalueiftrue="Withheld: informant Ben KING",
                                           stringvalueiffalse="Released", currentvalue="false",
                                           text="Released"))
        doc.text.addElement(cp)
    save(letter(hidden), "letter-hidden-text.odt")

    def empty_hidden_section(doc):
        sec = text.Section(name="Spare", display="none")
        sec.addElement(text.P())
        doc.text.addElement(sec)
    save(letter(empty_hidden_section), "letter-empty-hidden-section.odt")

    # White text on the page, and 1 pt text.
    def disguised(doc):
        white = style.Style(name="White", family="text")
        white.addElement(style.TextProperties(color="#ffffff"))
        doc.automaticstyles.addElement(white)
        tiny = style.Style(name="Tiny", family="text")
        tiny.addElement(style.TextProperties(fontsize="1pt"))
        doc.automaticstyles.addElement(tiny)
        p = text.P(text="No further information is held.")
        p.addElement(text.Span(stylename=white, text=" Informant: Ben KING, 07700 900789."))
        doc.text.addElement(p)
        p2 = text.P(text="Please contact us if you have questions.")
        p2.addElement(text.Span(stylename=tiny, text=" Source: Carol HALL."))
        doc.text.addElement(p2)
    save(letter(disguised), "letter-disguised.odt")

    # White text on a black band, and small (6 pt) print: styling a reader can see.
    def legible(doc):
        band = style.Style(name="Band", family="paragraph")
        band.addElement(style.ParagraphProperties(backgroundcolor="#000000"))
        band.addElement(style.TextProperties(color="#ffffff"))
        doc.automaticstyles.addElement(band)
        small = style.Style(name="Small", family="text")
        small.addElement(style.TextProperties(fontsize="6pt"))
        doc.automaticstyles.addElement(small)
        doc.text.addElement(text.P(stylename=band, text="OFFICIAL"))
        p = text.P()
        p.addElement(text.Span(stylename=small, text="Printed on recycled paper."))
        doc.text.addElement(p)
    save(letter(legible), "letter-legible-styling.odt")

    # "Redactions" that hide nothing.
    def fake(doc):
        black = style.Style(name="Redact", family="text")
        black.addElement(style.TextProperties(color="#000000", backgroundcolor="#000000"))
        doc.automaticstyles.addElement(black)
        yellow = style.Style(name="Yellow", family="text")
        yellow.addElement(style.TextProperties(color="#ffff00", backgroundcolor="#ffff00"))
        doc.automaticstyles.addElement(yellow)
        p = text.P(text="The property of ")
        p.addElement(text.Span(stylename=black, text="Jane SMITH, 14 Acacia Avenue"))
        p.addText(" was entered at night.")
        doc.text.addElement(p)
        p2 = text.P(text="A witness, ")
        p2.addElement(text.Span(stylename=yellow, text="Mark TAYLOR"))
        p2.addText(", called the police.")
        doc.text.addElement(p2)
        box = style.Style(name="BlackBox", family="graphic")
        box.addElement(style.GraphicProperties(fill="solid", fillcolor="#000000", stroke="none"))
        doc.automaticstyles.addElement(box)
        p3 = text.P(text="Officer: PC 1234")
        p3.addElement(draw.Rect(stylename=box, anchortype="as-char", width="3cm", height="0.5cm",
                                zindex="0", name="Redaction box"))
        doc.text.addElement(p3)
    save(letter(fake), "letter-fake-redaction.odt")

    def highlighted(doc):
        yellow = style.Style(name="Marker", family="text")
        yellow.addElement(style.TextProperties(backgroundcolor="#ffff00"))
        doc.automaticstyles.addElement(yellow)
        p = text.P(text="Please note ")
        p.addElement(text.Span(stylename=yellow, text="the deadline of 20 working days"))
        p.addText(".")
        doc.text.addElement(p)
    save(letter(highlighted), "letter-highlight.odt")

    # Stories: endnote, a text box with alt text, a hyperlink.
    def stories(doc):
        p = text.P(text="See the published statistics.")
        note = text.Note(noteclass="endnote", qattributes={(TEXTNS, "id"): "edn1"})
        note.addElement(text.NoteCitation(text="i"))
        nb = text.NoteBody()
        nb.addElement(text.P(text="Prepared by Carol HALL, analyst."))
        note.addElement(nb)
        p.addElement(note)
        doc.text.addElement(p)
        fr = style.Style(name="fr1", family="graphic")
        fr.addElement(style.GraphicProperties(wrap="none"))
        doc.automaticstyles.addElement(fr)
        p2 = text.P()
        frame = draw.Frame(stylename=fr, anchortype="paragraph", width="6cm", height="2cm",
                           x="1cm", y="0cm", name="Callout")
        tb = draw.TextBox()
        tb.addElement(text.P(text="Call 101 to report a crime."))
        frame.addElement(tb)
        frame.addElement(_svg("title", "Callout box"))
        frame.addElement(_svg("desc", "Drafted by Tom BROWN"))
        p2.addElement(frame)
        doc.text.addElement(p2)
        p3 = text.P(text="Write to ")
        p3.addElement(text.A(href="mailto:tom.brown@example.org", type="simple", text="the team"))
        doc.text.addElement(p3)
        # A form whose text field still holds what was typed into it.
        forms = office.Forms()
        f = form.Form(name="Standard")
        f.addElement(form.Text(name="Reference", id="control1", currentvalue="Ref for Emma JONES"))
        forms.addElement(f)
        doc.text.childNodes.insert(0, forms)
        forms.parentNode = doc.text
    save(letter(stories), "letter-stories.odt")

    # A table of victims in a letter: the table detectors see rows and columns.
    def victims(doc):
        t = table.Table(name="Victims")
        t.addElement(table.TableColumn(numbercolumnsrepeated=3))
        rows = VICTIM_RECORDS
        for row in rows:
            tr = table.TableRow()
            for v in row:
                tc = table.TableCell(valuetype="string")
                tc.addElement(text.P(text=v))
                tr.addElement(tc)
            t.addElement(tr)
        doc.text.addElement(t)
    save(letter(victims, stats=False), "letter-victims-table.odt")

    # Properties that name people.
    doc = letter()
    doc.meta.addElement(meta.InitialCreator(text="Peter BLOGGS"))
    doc.meta.addElement(dc.Creator(text="Sarah JONES"))
    doc.meta.addElement(meta.UserDefined(name="Case officer", text="DS Raj PATEL"))
    save(doc, "letter-metadata.odt")

    # An embedded spreadsheet (with a hidden sheet of names) and an embedded chart.
    doc = letter()
    sub = spreadsheet_with_hidden_sheet()
    href = doc.addObject(sub)
    p = text.P(text="The table below is embedded.")
    frame = draw.Frame(anchortype="paragraph", width="10cm", height="4cm", name="Object1")
    frame.addElement(draw.Object(href="./" + href))
    p.addElement(frame)
    doc.text.addElement(p)
    ch = bar_chart([("Burglary", 120), ("Theft", 340)], "local-table")
    href2 = doc.addObject(ch)
    p2 = text.P()
    frame2 = draw.Frame(anchortype="paragraph", width="10cm", height="6cm", name="Chart1")
    frame2.addElement(draw.Object(href="./" + href2))
    p2.addElement(frame2)
    doc.text.addElement(p2)
    save(doc, "letter-embedded.odt")


def _svg(name, value):
    from odf.namespaces import SVGNS
    e = Element(qname=(SVGNS, name), check_grammar=False)
    e.addText(value)
    return e


# --------------------------------------------------------------------------------------
# Spreadsheets (ods)
# --------------------------------------------------------------------------------------

def cell(v, **kw):
    if isinstance(v, (int, float)):
        tc = table.TableCell(valuetype="float", value=str(v), **kw)
    else:
        tc = table.TableCell(valuetype="string", **kw)
    tc.addElement(text.P(text=str(v)))
    return tc


def rows_of(t, rows, rowstyle=None, **rowkw):
    for r in rows:
        tr = table.TableRow(**rowkw) if not rowstyle else table.TableRow(stylename=rowstyle, **rowkw)
        for v in r:
            tr.addElement(cell(v))
        t.addElement(tr)


STATS = [("Ward", "Burglaries"), ("Mile Cross", 41), ("Mancroft", 35), ("Eaton", 12)]
VICTIMS = [("Surname", "Forename", "Date of birth", "Postcode"),
           ("SMITH", "Jane", "02/03/1961", "NR99 1AA"),
           ("TAYLOR", "Mark", "11/07/1985", "NR99 2BX"),
           ("WHITE", "Anne", "23/09/1990", "NR99 3DQ")]


def table_style(doc, name, display):
    ts = style.Style(name=name, family="table")
    ts.addElement(style.TableProperties(display=display))
    doc.automaticstyles.addElement(ts)
    return ts


def spreadsheet_with_hidden_sheet():
    doc = OpenDocumentSpreadsheet()
    shown = table_style(doc, "ta1", "true")
    hidden = table_style(doc, "ta2", "false")
    t = table.Table(name="Burglary by ward", stylename=shown)
    rows_of(t, STATS)
    doc.spreadsheet.addElement(t)
    h = table.Table(name="Victims", stylename=hidden)
    rows_of(h, VICTIMS)
    doc.spreadsheet.addElement(h)
    return doc


def bar_chart(points, source):
    """A bar chart whose series points at `source` (`local-table` or a sheet range), with
    its own data table, as Calc and Writer store charts."""
    doc = OpenDocumentChart()
    c = chart.Chart(attributes={"class": "chart:bar"}, width="10cm", height="6cm")
    pa = chart.PlotArea(cellrangeaddress=f"{source}.$A$1:.$B${len(points) + 1}")
    pa.addElement(chart.Series(valuescellrangeaddress=f"{source}.$B$2:.$B${len(points) + 1}",
                               labelcelladdress=f"{source}.$B$1"))
    c.addElement(pa)
    t = table.Table(name="local-table")
    hr = table.TableHeaderRows()
    tr = table.TableRow()
    tr.addElement(cell(""))
    tr.addElement(cell("Count"))
    hr.addElement(tr)
    t.addElement(hr)
    rs = table.TableRows()
    for label, v in points:
        tr = table.TableRow()
        tr.addElement(cell(label))
        tr.addElement(cell(v))
        rs.addElement(tr)
    t.addElement(rs)
    c.addElement(t)
    doc.chart.addElement(c)
    return doc


def ods_fixtures():
    doc = OpenDocumentSpreadsheet()
    t = table.Table(name="Burglary by ward")
    rows_of(t, STATS)
    doc.spreadsheet.addElement(t)
    save(doc, "sheet-clean.ods")

    save(spreadsheet_with_hidden_sheet(), "sheet-hidden.ods")

    doc = OpenDocumentSpreadsheet()
    shown = table_style(doc, "ta1", "true")
    hidden = table_style(doc, "ta2", "false")
    t = table.Table(name="Burglary by ward", stylename=shown)
    rows_of(t, STATS)
    doc.spreadsheet.addElement(t)
    doc.spreadsheet.addElement(table.Table(name="Spare", stylename=hidden))
    save(doc, "sheet-hidden-empty.ods")

    # Rows and columns: collapsed with data, collapsed empty, filtered.
    doc = OpenDocumentSpreadsheet()
    t = table.Table(name="Rows")
    rows_of(t, STATS)
    rows_of(t, VICTIMS[1:], visibility="collapse")
    doc.spreadsheet.addElement(t)
    t = table.Table(name="Empty rows")
    rows_of(t, STATS)
    t.addElement(table.TableRow(visibility="collapse", numberrowsrepeated="3"))
    doc.spreadsheet.addElement(t)
    t = table.Table(name="Columns")
    t.addElement(table.TableColumn())
    t.addElement(table.TableColumn(visibility="collapse"))
    t.addElement(table.TableColumn())
    rows_of(t, [("Ward", "Victim", "Count"), ("Mile Cross", "Jane SMITH", 41),
                ("Mancroft", "Mark TAYLOR", 35)])
    doc.spreadsheet.addElement(t)
    t = table.Table(name="Empty columns")
    t.addElement(table.TableColumn(numbercolumnsrepeated="2"))
    t.addElement(table.TableColumn(visibility="collapse"))
    rows_of(t, STATS)
    doc.spreadsheet.addElement(t)
    t = table.Table(name="Filtered")
    rows_of(t, [("Ward", "Victim")])
    rows_of(t, [("Mile Cross", "Jane SMITH")])
    rows_of(t, [("Eaton", "Mark TAYLOR"), ("Eaton", "Anne WHITE")], visibility="filter")
    doc.spreadsheet.addElement(t)
    dbr = table.DatabaseRanges()
    r = table.DatabaseRange(name="__Anonymous_Sheet_DB__0", targetrangeaddress="Filtered.A1:Filtered.B4",
                            displayfilterbuttons="true")
    flt = table.Filter()
    flt.addElement(table.FilterCondition(fieldnumber="0", value="Mile Cross", operator="="))
    r.addElement(flt)
    dbr.addElement(r)
    doc.spreadsheet.addElement(dbr)
    save(doc, "sheet-rows-columns.ods")

    # Notes (annotations) with authors.
    doc = OpenDocumentSpreadsheet()
    t = table.Table(name="Burglary by ward")
    rows_of(t, STATS[:2])
    tr = table.TableRow()
    c = cell("Mancroft")
    a = office.Annotation()
    a.addElement(dc.Creator(text="Sarah JONES"))
    a.addElement(dc.Date(text="2024-03-02T09:00:00"))
    a.addElement(text.P(text="Includes the SMITH case, NR99 1AA"))
    c.addElement(a)
    tr.addElement(c)
    tr.addElement(cell(35))
    t.addElement(tr)
    doc.spreadsheet.addElement(t)
    save(doc, "sheet-notes.ods")

    # Named expressions: a constant (data) and a plain range (a reference).
    doc = OpenDocumentSpreadsheet()
    t = table.Table(name="Burglary by ward")
    rows_of(t, STATS)
    doc.spreadsheet.addElement(t)
    ne = table.NamedExpressions()
    ne.addElement(table.NamedRange(name="Wards", cellrangeaddress="$'Burglary by ward'.$A$2:.$A$4",
                                   basecelladdress="$'Burglary by ward'.$A$2"))
    ne.addElement(table.NamedExpression(name="Informant", expression='of:="Ben KING 07700 900789"',
                                        basecelladdress="$'Burglary by ward'.$A$1"))
    doc.spreadsheet.addElement(ne)
    save(doc, "sheet-names.ods")

    doc = OpenDocumentSpreadsheet()
    t = table.Table(name="Burglary by ward")
    rows_of(t, STATS)
    doc.spreadsheet.addElement(t)
    ne = table.NamedExpressions()
    ne.addElement(table.NamedRange(name="Wards", cellrangeaddress="$'Burglary by ward'.$A$2:.$A$4",
                                   basecelladdress="$'Burglary by ward'.$A$2"))
    doc.spreadsheet.addElement(ne)
    save(doc, "sheet-names-plain.ods")

    # Tracked changes: a changed cell keeps its earlier value.
    doc = OpenDocumentSpreadsheet()
    tc = table.TrackedChanges(trackchanges="true")
    ch = table.CellContentChange(id="ct1")
    ch.addElement(table.CellAddress(column="1", row="1", table="0"))
    ci = office.ChangeInfo()
    ci.addElement(dc.Creator(text="Peter BLOGGS"))
    ci.addElement(dc.Date(text="2024-03-01T10:00:00"))
    ch.addElement(ci)
    prev = table.Previous()
    old = table.ChangeTrackTableCell(valuetype="string")
    old.addElement(text.P(text="Jane SMITH"))
    prev.addElement(old)
    ch.addElement(prev)
    tc.addElement(ch)
    # A deleted row: its cells are kept in the change record.
    de = table.Deletion(id="ct2", type="row", position="2", table="0")
    ci = office.ChangeInfo()
    ci.addElement(dc.Creator(text="Peter BLOGGS"))
    ci.addElement(dc.Date(text="2024-03-01T10:05:00"))
    de.addElement(ci)
    dels = table.Deletions()
    cd = table.CellContentDeletion()
    cd.addElement(table.CellAddress(column="1", row="2", table="0"))
    gone = table.ChangeTrackTableCell(valuetype="string")
    gone.addElement(text.P(text="Mark TAYLOR"))
    cd.addElement(gone)
    dels.addElement(cd)
    de.addElement(dels)
    tc.addElement(de)
    doc.spreadsheet.addElement(tc)
    t = table.Table(name="Cases")
    rows_of(t, [("Ward", "Victim"), ("Mile Cross", "withheld")])
    doc.spreadsheet.addElement(t)
    save(doc, "sheet-tracked.ods")

    # Merged cells: one still holds a value under the merge; one does not.
    for name, hold in [("sheet-merged-residue.ods", True), ("sheet-merged-clean.ods", False)]:
        doc = OpenDocumentSpreadsheet()
        t = table.Table(name="Summary")
        tr = table.TableRow()
        tr.addElement(cell("Burglaries in Mile Cross", numbercolumnsspanned="2"))
        cov = table.CoveredTableCell(valuetype="string") if hold else table.CoveredTableCell()
        if hold:
            cov.addElement(text.P(text="Jane SMITH"))
        tr.addElement(cov)
        t.addElement(tr)
        rows_of(t, [(41, 35)])
        doc.spreadsheet.addElement(t)
        save(doc, name)

    # Properties.
    doc = OpenDocumentSpreadsheet()
    t = table.Table(name="Burglary by ward")
    rows_of(t, STATS)
    doc.spreadsheet.addElement(t)
    doc.meta.addElement(meta.InitialCreator(text="Peter BLOGGS"))
    doc.meta.addElement(meta.UserDefined(name="Reviewer", text="Sarah JONES"))
    save(doc, "sheet-metadata.ods")

    # A chart whose source is a hidden sheet, and one whose source is shown.
    for name, hide in [("sheet-chart-hidden-source.ods", True), ("sheet-chart.ods", False)]:
        doc = OpenDocumentSpreadsheet()
        shown = table_style(doc, "ta1", "true")
        hidden = table_style(doc, "ta2", "false")
        t = table.Table(name="Summary", stylename=shown)
        rows_of(t, [("Chart of burglaries",)])
        shapes = table.Shapes()
        ch = bar_chart([("Mile Cross", 41), ("Mancroft", 35)], "Data")
        href = doc.addObject(ch)
        fr = draw.Frame(width="10cm", height="6cm", x="1cm", y="1cm", name="Chart1")
        fr.addElement(draw.Object(href="./" + href))
        shapes.addElement(fr)
        t.addElement(shapes)
        doc.spreadsheet.addElement(t)
        d = table.Table(name="Data", stylename=hidden if hide else shown)
        rows_of(d, [("Ward", "Count"), ("Mile Cross", 41), ("Mancroft", 35)])
        doc.spreadsheet.addElement(d)
        save(doc, name)

    # White text on the white page; white text on a dark fill (a header, legible).
    doc = OpenDocumentSpreadsheet()
    white = style.Style(name="ce1", family="table-cell")
    white.addElement(style.TextProperties(color="#ffffff"))
    doc.automaticstyles.addElement(white)
    header = style.Style(name="ce2", family="table-cell")
    header.addElement(style.TableCellProperties(backgroundcolor="#002060"))
    header.addElement(style.TextProperties(color="#ffffff"))
    doc.automaticstyles.addElement(header)
    tiny = style.Style(name="ce3", family="table-cell")
    tiny.addElement(style.TextProperties(fontsize="1pt"))
    doc.automaticstyles.addElement(tiny)
    t = table.Table(name="Disguised")
    tr = table.TableRow()
    tr.addElement(cell("Ward", stylename=header))
    tr.addElement(cell("Count", stylename=header))
    t.addElement(tr)
    tr = table.TableRow()
    tr.addElement(cell("Mile Cross"))
    tr.addElement(cell(41))
    tr.addElement(cell("Jane SMITH", stylename=white))
    tr.addElement(cell("NR99 1AA", stylename=tiny))
    t.addElement(tr)
    doc.spreadsheet.addElement(t)
    t = table.Table(name="Styled")
    tr = table.TableRow()
    tr.addElement(cell("Ward", stylename=header))
    tr.addElement(cell("Count", stylename=header))
    t.addElement(tr)
    rows_of(t, STATS[1:])
    doc.spreadsheet.addElement(t)
    save(doc, "sheet-disguised.ods")

    # A sheet that caches another file (LibreOffice's linked sheet), and huge repeats:
    # an empty cell repeated across every column and a data row repeated a million times.
    doc = OpenDocumentSpreadsheet()
    shown = table_style(doc, "ta1", "true")
    extref = table_style(doc, "ta_extref", "false")
    t = table.Table(name="Summary", stylename=shown)
    rows_of(t, STATS)
    doc.spreadsheet.addElement(t)
    x = table.Table(name="'file:///C:/Users/pbloggs/Documents/victims.ods'#$Sheet1",
                    stylename=extref)
    x.addElement(table.TableSource(href="file:///C:/Users/pbloggs/Documents/victims.ods",
                                   tablename="Sheet1", mode="copy-results-only"))
    rows_of(x, VICTIMS)
    doc.spreadsheet.addElement(x)
    save(doc, "sheet-linked.ods")

    doc = OpenDocumentSpreadsheet()
    t = table.Table(name="Big")
    t.addElement(table.TableColumn(numbercolumnsrepeated="16384"))
    tr = table.TableRow(numberrowsrepeated="1048000")
    tr.addElement(cell("Mile Cross"))
    tr.addElement(table.TableCell(numbercolumnsrepeated="16383"))
    t.addElement(tr)
    tr = table.TableRow(numberrowsrepeated="576", visibility="collapse")
    tr.addElement(table.TableCell(numbercolumnsrepeated="16384"))
    t.addElement(tr)
    doc.spreadsheet.addElement(t)
    save(doc, "sheet-huge-repeats.ods")


# --------------------------------------------------------------------------------------
# Presentations (odp)
# --------------------------------------------------------------------------------------

def deck():
    doc = OpenDocumentPresentation()
    pl = style.PageLayout(name="PM1")
    pl.addElement(style.PageLayoutProperties(pagewidth="28cm", pageheight="15.75cm",
                                             printorientation="landscape", margin="0cm"))
    doc.automaticstyles.addElement(pl)
    mp = style.MasterPage(name="Default", pagelayoutname=pl)
    doc.masterstyles.addElement(mp)
    frame_style = style.Style(name="gr1", family="graphic")
    frame_style.addElement(style.GraphicProperties(fill="none", stroke="none"))
    doc.automaticstyles.addElement(frame_style)
    return doc, mp, frame_style


def text_frame(fs, lines, x="2cm", y="2cm", w="20cm", h="3cm", **kw):
    fr = draw.Frame(stylename=fs, width=w, height=h, x=x, y=y, **kw)
    tb = draw.TextBox()
    for line in lines:
        tb.addElement(text.P(text=line))
    fr.addElement(tb)
    return fr


def notes(lines):
    n = presentation.Notes()
    fr = draw.Frame(width="16cm", height="12cm", x="2cm", y="14cm", attributes={"class": "notes"})
    tb = draw.TextBox()
    for line in lines:
        tb.addElement(text.P(text=line))
    fr.addElement(tb)
    n.addElement(fr)
    return n


def slide(doc, mp, name, frames, notes_lines=(), page_style=None):
    kw = {"stylename": page_style} if page_style else {}
    pg = draw.Page(name=name, masterpagename=mp, **kw)
    for f in frames:
        pg.addElement(f)
    pg.addElement(notes(notes_lines))
    doc.presentation.addElement(pg)
    return pg


def odp_fixtures():
    doc, mp, fs = deck()
    slide(doc, mp, "page1", [text_frame(fs, ["Burglary in Norwich", "FOI-2024-0311"])])
    slide(doc, mp, "page2", [text_frame(fs, ["Burglaries fell by 19% in 2023."])])
    save(doc, "slides-clean.odp")

    doc, mp, fs = deck()
    slide(doc, mp, "page1", [text_frame(fs, ["Burglary in Norwich"])],
          notes_lines=["Do not mention the SMITH case: victim Jane SMITH, NR99 1AA."])
    save(doc, "slides-notes.odp")

    doc, mp, fs = deck()
    hid = style.Style(name="dp1", family="drawing-page")
    hid.addElement(style.DrawingPageProperties(visibility="hidden"))
    doc.automaticstyles.addElement(hid)
    slide(doc, mp, "page1", [text_frame(fs, ["Burglary in Norwich"])])
    slide(doc, mp, "page2", [text_frame(fs, ["Victims: Jane SMITH, Mark TAYLOR"])], page_style=hid)
    slide(doc, mp, "page3", [], page_style=hid)
    save(doc, "slides-hidden.odp")

    doc, mp, fs = deck()
    slide(doc, mp, "page1", [text_frame(fs, ["Burglary in Norwich"]),
                             text_frame(fs, ["Speaker: DS Raj PATEL 4821"], x="30cm", y="2cm",
                                        w="8cm", h="2cm")])
    save(doc, "slides-offslide.odp")

    # A text box switched off (LibreOffice writes an invisible shape as draw:display="none").
    doc, mp, fs = deck()
    hidden_box = text_frame(fs, ["Informant: Ben KING"], x="2cm", y="8cm", w="10cm", h="2cm")
    hidden_box.setAttrNS("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "display", "none")
    slide(doc, mp, "page1", [text_frame(fs, ["Burglary in Norwich"]), hidden_box])
    save(doc, "slides-hidden-shape.odp")

    for name, over in [("slides-covered.odp", True), ("slides-box-aside.odp", False)]:
        doc, mp, fs = deck()
        box = style.Style(name="gr2", family="graphic")
        box.addElement(style.GraphicProperties(fill="solid", fillcolor="#000000", stroke="none"))
        doc.automaticstyles.addElement(box)
        frames = [text_frame(fs, ["Burglary in Norwich"], y="1cm", h="2cm"),
                  text_frame(fs, ["Victim: Jane SMITH, 14 Acacia Avenue"], x="2cm", y="6cm",
                             w="12cm", h="1.5cm")]
        r = draw.Rect(stylename=box, width="13cm", height="2cm",
                      x="1.5cm" if over else "15cm", y="5.8cm" if over else "11cm")
        frames.append(r)
        slide(doc, mp, "page1", frames)
        save(doc, name)

    doc, mp, fs = deck()
    pg = slide(doc, mp, "page1", [text_frame(fs, ["Burglary in Norwich"])])
    a = office.Annotation(x="20cm", y="1cm", width="0.6cm", height="0.6cm")
    a.addElement(dc.Creator(text="Sarah JONES"))
    a.addElement(dc.Date(text="2024-03-02T09:00:00"))
    a.addElement(text.P(text="Check with DS Raj PATEL before release"))
    pg.addElement(a, check_grammar=False)
    save(doc, "slides-comments.odp")

    doc, mp, fs = deck()
    ch = bar_chart([("2022", 120), ("2023", 97)], "local-table")
    href = doc.addObject(ch)
    fr = draw.Frame(width="12cm", height="8cm", x="2cm", y="4cm", name="Chart1")
    fr.addElement(draw.Object(href="./" + href))
    sub = spreadsheet_with_hidden_sheet()
    href2 = doc.addObject(sub)
    fr2 = draw.Frame(width="8cm", height="4cm", x="16cm", y="4cm", name="Table1")
    fr2.addElement(draw.Object(href="./" + href2))
    slide(doc, mp, "page1", [text_frame(fs, ["Burglaries by year"], y="1cm", h="2cm"), fr, fr2])
    doc.meta.addElement(meta.InitialCreator(text="Peter BLOGGS"))
    save(doc, "slides-embedded.odp")

    # A table on a slide: its cells are a grid for the table detectors.
    doc, mp, fs = deck()
    t = table.Table(name="Victims")
    t.addElement(table.TableColumn(numbercolumnsrepeated=3))
    for row in VICTIM_RECORDS:
        tr = table.TableRow()
        for v in row:
            tc = table.TableCell()
            tc.addElement(text.P(text=v))
            tr.addElement(tc)
        t.addElement(tr)
    fr = draw.Frame(width="24cm", height="6cm", x="2cm", y="3cm", name="Table1")
    fr.addElement(t)
    slide(doc, mp, "page1", [fr])
    save(doc, "slides-table.odp")


if __name__ == "__main__":
    odt_fixtures()
    ods_fixtures()
    odp_fixtures()
