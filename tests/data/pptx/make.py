#!/usr/bin/env python3
"""Writes the PowerPoint test presentations of tests/pptx.rs (and the PowerPoint sample of
corpus/).

Run once from the repository root:  python3 tests/data/pptx/make.py
Needs: pip install python-pptx xlsxwriter

Slides, text boxes, shapes, tables, notes, charts (with their data workbook), embedded OLE
objects and core properties are written by python-pptx. What it cannot write (hidden
slides, hidden shapes, legacy and modern comments with their author lists, text on the
slide master) is added through python-pptx's own lxml elements and OPC parts, in the
form PowerPoint writes it. All people, numbers and addresses are made up.
"""
import io
import os

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.util import Emu, Inches, Pt

HERE = os.path.dirname(os.path.abspath(__file__))
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
P188 = 'xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main"'


def new_deck():
    prs = Presentation()
    cp = prs.core_properties
    cp.author = ""
    cp.last_modified_by = ""
    cp.title = ""
    cp.revision = 1
    return prs


def briefing(prs):
    """Three ordinary slides: a title, bullet points, a table of counts."""
    s = prs.slides.add_slide(prs.slide_layouts[0])
    s.shapes.title.text = "Neighbourhood policing briefing"
    s.placeholders[1].text = "City centre, quarter 4 2023"
    s = prs.slides.add_slide(prs.slide_layouts[1])
    s.shapes.title.text = "Priorities"
    body = s.placeholders[1].text_frame
    body.text = "Reduce burglary in the city centre"
    body.add_paragraph().text = "Visible patrols at the weekend"
    body.add_paragraph().text = "Crime prevention advice for students"
    s = prs.slides.add_slide(prs.slide_layouts[5])
    s.shapes.title.text = "Recorded offences"
    rows = [("Offence", "Recorded"), ("Burglary (dwelling)", "112"),
            ("Burglary (business)", "47"), ("Attempted burglary", "29")]
    table = s.shapes.add_table(len(rows), 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    return prs


def save(prs, name):
    prs.save(os.path.join(HERE, name))


def add_part(owner, partname, content_type, blob, reltype):
    part = Part(PackURI(partname), content_type, owner.package, blob)
    rid = owner.relate_to(part, reltype)
    return part, rid


def clean_deck():
    return briefing(new_deck())


def notes():
    prs = briefing(new_deck())
    n = prs.slides[1].notes_slide.notes_text_frame
    n.text = "DS Raj Patel 4821 leads on the Acacia Avenue burglaries."
    n.add_paragraph().text = "Victim: Mrs Jane Smith, 14 Acacia Avenue, 07700 900123."
    return prs


def hidden_slide():
    prs = briefing(new_deck())
    s = prs.slides.add_slide(prs.slide_layouts[1])
    s.shapes.title.text = "Suspects"
    s.placeholders[1].text = "Mr John Brown, born 17/09/1975"
    s._element.set("show", "0")
    empty = prs.slides.add_slide(prs.slide_layouts[6])
    empty._element.set("show", "0")
    return prs


def off_slide():
    prs = briefing(new_deck())
    s = prs.slides[1]
    box = s.shapes.add_textbox(Emu(-3000000), Inches(1), Inches(2.5), Inches(1))
    box.text_frame.text = "Reminder: call Mrs Jane Smith on 07700 900123"
    # A box half on the slide is not off it.
    part = s.shapes.add_textbox(Emu(-600000), Inches(6), Inches(2), Inches(0.5))
    part.text_frame.text = "Draft"
    return prs


def covered():
    prs = briefing(new_deck())
    s = prs.slides[1]
    box = s.shapes.add_textbox(Inches(1), Inches(5), Inches(4), Inches(0.6))
    box.text_frame.text = "Witness: Mr John Brown, 07700 900321"
    bar = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0.9), Inches(4.9), Inches(4.2), Inches(0.8))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor(0, 0, 0)
    bar.line.fill.background()
    # A dark shape over part of another text box: for review.
    other = s.shapes.add_textbox(Inches(6), Inches(5), Inches(3), Inches(0.6))
    other.text_frame.text = "Next review in March"
    half = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(7.5), Inches(5), Inches(1.5), Inches(0.6))
    half.fill.solid()
    half.fill.fore_color.rgb = RGBColor(0x20, 0x20, 0x20)
    return prs


def not_covered():
    """A black banner that covers no text, and a text box drawn over a picture-free
    rectangle: layout, not hiding."""
    prs = briefing(new_deck())
    s = prs.slides[1]
    bar = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0), Inches(7), Inches(10), Inches(0.4))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor(0, 0, 0)
    panel = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(6), Inches(4.5), Inches(3), Inches(1))
    panel.fill.solid()
    panel.fill.fore_color.rgb = RGBColor(0x1F, 0x38, 0x64)
    label = s.shapes.add_textbox(Inches(6.2), Inches(4.7), Inches(2.5), Inches(0.5))
    label.text_frame.text = "Call 101"
    return prs


def hidden_shape():
    prs = briefing(new_deck())
    s = prs.slides[1]
    box = s.shapes.add_textbox(Inches(1), Inches(5), Inches(4), Inches(0.6))
    box.text_frame.text = "Informant: Mr John Brown"
    box._element.nvSpPr.cNvPr.set("hidden", "1")
    return prs


def legacy_comments():
    prs = briefing(new_deck())
    authors = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:cmAuthorLst {A} {R} {P}>'
               f'<p:cmAuthor id="0" name="Raj Patel" initials="RP" lastIdx="2" clrIdx="0"/>'
               f'<p:cmAuthor id="1" name="Jane Bloggs" initials="JB" lastIdx="1" clrIdx="1"/></p:cmAuthorLst>')
    add_part(prs.part, "/ppt/commentAuthors.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml",
             authors.encode(), RT.COMMENT_AUTHORS)
    cms = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:cmLst {A} {R} {P}>'
           f'<p:cm authorId="0" dt="2024-03-01T10:00:00.000" idx="1"><p:pos x="10" y="10"/>'
           f'<p:text>Mrs Jane Smith asked not to be named.</p:text></p:cm>'
           f'<p:cm authorId="1" dt="2024-03-01T11:00:00.000" idx="1"><p:pos x="10" y="106"/>'
           f'<p:text>Agreed, removed.</p:text><p:extLst><p:ext uri="{{C676402C-5697-4E1C-873F-D02D1690AC5C}}">'
           f'<p15:threadingInfo xmlns:p15="http://schemas.microsoft.com/office/powerpoint/2012/main" timeZoneBias="0">'
           f'<p15:parentCm authorId="0" idx="1"/></p15:threadingInfo></p:ext></p:extLst></p:cm></p:cmLst>')
    add_part(prs.slides[1].part, "/ppt/comments/comment1.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.comments+xml",
             cms.encode(), RT.COMMENTS)
    return prs


def modern_comments():
    prs = briefing(new_deck())
    authors = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p188:authorLst {A} {R} {P} {P188}>'
               f'<p188:author id="{{6A2D1C5E-0000-4000-8000-000000000001}}" name="Raj Patel" initials="RP" '
               f'userId="S::raj.patel@example-police.uk::11111111-2222-3333-4444-555555555555" providerId="AD"/>'
               f'</p188:authorLst>')
    add_part(prs.part, "/ppt/authors.xml", "application/vnd.ms-powerpoint.authors+xml",
             authors.encode(), "http://schemas.microsoft.com/office/2018/10/relationships/authors")
    cms = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p188:cmLst {A} {R} {P} {P188}>'
           f'<p188:cm id="{{0A1B2C3D-0000-4000-8000-000000000001}}" authorId="{{6A2D1C5E-0000-4000-8000-000000000001}}" '
           f'created="2024-03-01T10:00:00.000">'
           f'<pc:sldMkLst xmlns:pc="http://schemas.microsoft.com/office/powerpoint/2013/main/command">'
           f'<pc:docMk/><pc:sldMk cId="0" sldId="257"/></pc:sldMkLst>'
           f'<p188:replyLst><p188:reply id="{{0A1B2C3D-0000-4000-8000-000000000002}}" '
           f'authorId="{{6A2D1C5E-0000-4000-8000-000000000001}}" created="2024-03-01T11:00:00.000">'
           f'<p188:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-GB"/><a:t>Removed it.</a:t></a:r></a:p></p188:txBody>'
           f'</p188:reply></p188:replyLst>'
           f'<p188:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-GB"/>'
           f'<a:t>Victim Mrs Jane Smith is named on the next slide.</a:t></a:r></a:p></p188:txBody>'
           f'</p188:cm></p188:cmLst>')
    slide = prs.slides[1]
    _, rid = add_part(slide.part, "/ppt/comments/modernComment_101_0.xml",
                      "application/vnd.ms-powerpoint.comments+xml", cms.encode(),
                      "http://schemas.microsoft.com/office/2018/10/relationships/comments")
    slide._element.append(parse_xml(
        f'<p:extLst {P} {R}><p:ext uri="{{6950BFC3-D8DA-4A85-94F7-54DA5524770B}}">'
        f'<p188:commentRel {P188} r:id="{rid}"/></p:ext></p:extLst>'))
    return prs


def chart():
    prs = briefing(new_deck())
    s = prs.slides.add_slide(prs.slide_layouts[5])
    s.shapes.title.text = "Burglaries by ward"
    data = CategoryChartData()
    data.categories = ["Mancroft", "Thorpe", "Eaton"]
    data.add_series("Burglaries", (112, 47, 29))
    s.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(8), Inches(4), data)
    return prs


def victims_workbook():
    import xlsxwriter
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Summary")
    ws.write_row(0, 0, ["Ward", "Offences"])
    ws.write_row(1, 0, ["Mancroft", 112])
    hidden = wb.add_worksheet("Victims")
    hidden.write_row(0, 0, ["Surname", "Forename", "Date of birth", "Postcode"])
    for i, (s, f) in enumerate([("Smith", "Jane"), ("Brown", "John"), ("Khan", "Amira"),
                                ("Jones", "Peter"), ("Taylor", "Susan")]):
        hidden.write_row(i + 1, 0, [s, f, f"0{i + 1}/02/198{i}", f"NR{i + 1} 4AB"])
    hidden.hide()
    wb.close()
    return buf.getvalue()


def embedded():
    prs = briefing(new_deck())
    s = prs.slides[2]
    s.shapes.add_ole_object(io.BytesIO(victims_workbook()), "Excel.Sheet.12",
                            Inches(7), Inches(5), Inches(1), Inches(1))
    return prs


def victims_table():
    prs = briefing(new_deck())
    s = prs.slides.add_slide(prs.slide_layouts[5])
    s.shapes.title.text = "Repeat victims"
    rows = [("Surname", "Forename", "Date of birth", "Address"),
            ("Smith", "Jane", "04/02/1981", "14 Acacia Avenue"),
            ("Brown", "John", "17/09/1975", "2 Mill Lane"),
            ("Khan", "Amira", "30/11/1990", "9 Elm Road"),
            ("Jones", "Peter", "01/06/1968", "77 High Street"),
            ("Taylor", "Susan", "12/12/1972", "5 Bank Plain"),
            ("Evans", "Mark", "03/03/1983", "21 Rose Lane"),
            ("Patel", "Nisha", "19/07/1995", "4 Castle Street"),
            ("Wilson", "Gary", "25/05/1961", "63 Unthank Road"),
            ("Clarke", "Helen", "08/08/1979", "11 Earlham Road"),
            ("Ahmed", "Yusuf", "14/01/2001", "30 Dereham Road"),
            ("Martin", "Claire", "22/04/1988", "7 Bracondale")]
    table = s.shapes.add_table(len(rows), 4, Inches(0.5), Inches(1.5), Inches(9), Inches(5)).table
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    return prs


def master_text():
    """Text on the slide master (a footer naming the author) is scanned; the prompts of
    its placeholders are not."""
    prs = briefing(new_deck())
    master = prs.slide_master
    # python-pptx adds text boxes to slides only; this is the p:sp it writes there.
    master.shapes._spTree.append(parse_xml(
        f'<p:sp {P} {A}><p:nvSpPr><p:cNvPr id="90" name="TextBox 89"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="182880" y="6400800"/><a:ext cx="4572000" cy="365760"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
        f'<p:txBody><a:bodyPr wrap="none"><a:spAutoFit/></a:bodyPr><a:lstStyle/>'
        f'<a:p><a:r><a:rPr lang="en-GB" dirty="0"/><a:t>Prepared by DS Raj Patel 4821</a:t></a:r></a:p></p:txBody></p:sp>'))
    return prs


def metadata():
    prs = briefing(new_deck())
    prs.core_properties.author = "Raj Patel"
    prs.core_properties.last_modified_by = "Jane Bloggs"
    return prs


def corpus_deck():
    """corpus: a briefing deck whose speaker notes name an officer and a victim."""
    prs = briefing(new_deck())
    n = prs.slides[1].notes_slide.notes_text_frame
    n.text = "Say that DS Raj Patel 4821 is the officer in the case."
    n.add_paragraph().text = "Do not mention the victim, Mrs Jane Smith of 14 Acacia Avenue, NR2 4AB."
    n = prs.slides[2].notes_slide.notes_text_frame
    n.text = "Figures checked by the analyst."
    return prs


def main():
    outputs = {
        "clean-deck.pptx": clean_deck(),
        "notes.pptx": notes(),
        "hidden-slide.pptx": hidden_slide(),
        "off-slide.pptx": off_slide(),
        "covered.pptx": covered(),
        "not-covered.pptx": not_covered(),
        "hidden-shape.pptx": hidden_shape(),
        "legacy-comments.pptx": legacy_comments(),
        "modern-comments.pptx": modern_comments(),
        "chart.pptx": chart(),
        "embedded.pptx": embedded(),
        "victims-table.pptx": victims_table(),
        "master-text.pptx": master_text(),
        "metadata.pptx": metadata(),
        "corpus-briefing-deck-notes.pptx": corpus_deck(),
    }
    for name, prs in outputs.items():
        save(prs, name)
        print("wrote", name, os.path.getsize(os.path.join(HERE, name)), "bytes")


if __name__ == "__main__":
    main()
