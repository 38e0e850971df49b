#!/usr/bin/env python3
"""Writes the Word test documents of tests/docx.rs (and the Word samples of corpus/).

Run once from the repository root:  python3 tests/data/docx/make.py
Needs: pip install python-docx python-pptx xlsxwriter   (python-pptx only for its chart
XML writer, xlsxwriter for the embedded workbooks).

Everything python-docx writes itself (paragraphs, tables, styles, headers and footers,
comments, run formatting, pictures, core properties) is written by python-docx. What it
cannot write (tracked changes, comment replies and people.xml, footnotes, text boxes,
drawn shapes, field codes, the glossary, embedded objects, charts, altChunk, settings) is
added through python-docx's own lxml elements and OPC parts, in the form Word writes it.
All people, numbers and addresses are made up.
"""
import io
import os
import struct
import zlib

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = "2024-03-01T10:00:00Z"
W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
W15 = 'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WP = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'
O = 'xmlns:o="urn:schemas-microsoft-com:office:office"'
C = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'


def new_doc():
    d = docx.Document()
    cp = d.core_properties
    cp.author = ""
    cp.last_modified_by = ""
    cp.comments = ""
    cp.title = ""
    cp.subject = ""
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    return d


def save(d, name):
    d.save(os.path.join(HERE, name))


def letter(d, opening=True):
    """The usual FOI response letter: nothing personal in it."""
    d.add_paragraph("Information Rights Team")
    d.add_paragraph("foi@force.police.uk")
    d.add_paragraph("1 March 2024")
    d.add_heading("Freedom of Information request FOI-2024-0311", level=1)
    if opening:
        d.add_paragraph("Dear Requester,")
    d.add_paragraph(
        "Thank you for your request for information about burglaries reported in the "
        "city centre during 2023. The figures we hold are set out below."
    )
    t = d.add_table(rows=1, cols=2)
    t.style = "Table Grid"
    t.rows[0].cells[0].text = "Offence"
    t.rows[0].cells[1].text = "Recorded offences"
    for offence, n in [("Burglary (dwelling)", "112"), ("Burglary (business)", "47"),
                       ("Attempted burglary", "29")]:
        row = t.add_row().cells
        row[0].text = offence
        row[1].text = n
    d.add_paragraph(
        "If you are not satisfied with this response you may ask for an internal review "
        "within 40 working days."
    )
    d.add_paragraph("Yours sincerely,")
    d.add_paragraph("Information Rights Team")


def body_insert_before_sectpr(d, el):
    body = d.element.body
    body.insert(len(body) - 1, el)


def add_part(owner_part, partname, content_type, blob, reltype, package):
    part = Part(PackURI(partname), content_type, blob, package)
    rid = owner_part.relate_to(part, reltype)
    return part, rid


# --- the documents --------------------------------------------------------------------------

def clean_letter():
    d = new_doc()
    letter(d)
    d.sections[0].header.paragraphs[0].text = "OFFICIAL"
    d.sections[0].footer.paragraphs[0].text = "Information Rights Team, FOI-2024-0311"
    # Ordinary formatting that must not look like hiding: yellow highlight, white text on
    # a dark table heading.
    p = d.add_paragraph("Please quote the reference ")
    r = p.add_run("FOI-2024-0311")
    r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    t = d.tables[0]
    for cell in t.rows[0].cells:
        tcPr = cell._tc.get_or_add_tcPr()
        tcPr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="1F3864"/>'))
        for run in cell.paragraphs[0].runs:
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return d


def tracked_paragraph(d, deleted, inserted):
    p = d.add_paragraph()
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:t xml:space="preserve">The offence was reported by </w:t></w:r>'))
    p._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="101" w:author="J. Bloggs" w:date="{DATE}">'
        f'<w:r><w:delText xml:space="preserve">{deleted[0]}</w:delText></w:r>'
        f'<w:r><w:rPr><w:b/></w:rPr><w:delText xml:space="preserve">{deleted[1]}</w:delText></w:r>'
        f'</w:del>'))
    p._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="102" w:author="J. Bloggs" w:date="{DATE}">'
        f'<w:r><w:t>{inserted}</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> on 12 January 2023.</w:t></w:r>'))
    return p


def tracked_deletion():
    d = new_doc()
    letter(d)
    tracked_paragraph(d, ("Mrs Jane Smith ", "(NI AB123456C)"), "the victim")
    return d


def tracked_other():
    """Insertions, a move and a format change: no deleted text."""
    d = new_doc()
    letter(d)
    p = d.add_paragraph()
    p._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="201" w:author="J. Bloggs" w:date="{DATE}">'
        f'<w:r><w:t>An inserted sentence.</w:t></w:r></w:ins>'))
    p = d.add_paragraph()
    for el in [
        f'<w:moveFromRangeStart {nsdecls("w")} w:id="202" w:author="J. Bloggs" w:date="{DATE}" w:name="move1"/>',
        f'<w:moveFrom {nsdecls("w")} w:id="203" w:author="J. Bloggs" w:date="{DATE}"><w:r><w:t>A sentence that moved.</w:t></w:r></w:moveFrom>',
        f'<w:moveFromRangeEnd {nsdecls("w")} w:id="202"/>',
    ]:
        p._p.append(parse_xml(el))
    p = d.add_paragraph()
    for el in [
        f'<w:moveToRangeStart {nsdecls("w")} w:id="204" w:author="J. Bloggs" w:date="{DATE}" w:name="move1"/>',
        f'<w:moveTo {nsdecls("w")} w:id="205" w:author="J. Bloggs" w:date="{DATE}"><w:r><w:t>A sentence that moved.</w:t></w:r></w:moveTo>',
        f'<w:moveToRangeEnd {nsdecls("w")} w:id="204"/>',
    ]:
        p._p.append(parse_xml(el))
    r = d.add_paragraph().add_run("Now bold.")
    r.bold = True
    r._r.get_or_add_rPr().append(parse_xml(
        f'<w:rPrChange {nsdecls("w")} w:id="206" w:author="J. Bloggs" w:date="{DATE}"><w:rPr/></w:rPrChange>'))
    return d


def comments():
    d = new_doc()
    letter(d)
    p = d.add_paragraph("The review was completed on time.")
    c1 = d.add_comment(p.runs, text="Check with DS Raj Patel before release.",
                       author="Raj Patel", initials="RP")
    c2 = d.add_comment(p.runs, text="Done, he agreed.", author="Jane Bloggs", initials="JB")
    # Word marks a reply in commentsExtended (paraIdParent) and keeps its authors'
    # directory identities in people.xml.
    ids = []
    for i, c in enumerate([c1, c2]):
        para = c._comment_elm.findall(qn("w:p"))[-1]
        pid = f"0000{i + 1:04X}"
        para.set("{http://schemas.microsoft.com/office/word/2010/wordml}paraId", pid)
        ids.append(pid)
    ext = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w15:commentsEx {W15} {MC} mc:Ignorable="w15">'
           f'<w15:commentEx w15:paraId="{ids[0]}" w15:done="0"/>'
           f'<w15:commentEx w15:paraId="{ids[1]}" w15:paraIdParent="{ids[0]}" w15:done="0"/>'
           f'</w15:commentsEx>')
    add_part(d.part, "/word/commentsExtended.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
             ext.encode(), "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
             d.part.package)
    people = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<w15:people {W15} {MC} mc:Ignorable="w15">'
              f'<w15:person w15:author="Raj Patel"><w15:presenceInfo w15:providerId="AD" '
              f'w15:userId="S::raj.patel@example-police.uk::8a1c2f0e-1111-2222-3333-444455556666"/></w15:person>'
              f'<w15:person w15:author="Jane Bloggs"><w15:presenceInfo w15:providerId="None" w15:userId="Jane Bloggs"/></w15:person>'
              f'</w15:people>')
    add_part(d.part, "/word/people.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
             people.encode(), "http://schemas.microsoft.com/office/2011/relationships/people",
             d.part.package)
    return d


def hidden_text():
    d = new_doc()
    letter(d)
    secret = d.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True
    p = d.add_paragraph("Reference: ")
    r = p.add_run("Mrs Jane Smith")
    r.font.hidden = True
    p = d.add_paragraph("Case: ")
    p.add_run("NI AB123456C", style="Secret")
    p = d.add_paragraph("Note: ")
    r = p.add_run("07700 900123")
    r._r.get_or_add_rPr().append(parse_xml(f'<w:specVanish {nsdecls("w")}/>'))
    return d


def fake_redaction():
    d = new_doc()
    letter(d)
    # Black highlight with black text: a bar that hides nothing.
    p = d.add_paragraph("The victim, ")
    r = p.add_run("Mrs Jane Smith")
    r.font.highlight_color = WD_COLOR_INDEX.BLACK
    r.font.color.rgb = RGBColor(0, 0, 0)
    p.add_run(", was not injured.")
    # Black shading with black text.
    p = d.add_paragraph("Her address, ")
    r = p.add_run("14 Acacia Avenue")
    r._r.get_or_add_rPr().append(parse_xml(
        f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="000000"/>'))
    r.font.color.rgb = RGBColor(0, 0, 0)
    p.add_run(", is withheld.")
    # Black highlight over text left in automatic colour: Word shows it white, readable.
    p = d.add_paragraph("Officer in the case: ")
    r = p.add_run("PC 4821")
    r.font.highlight_color = WD_COLOR_INDEX.BLACK
    # A black box drawn in front of a paragraph's text.
    p = d.add_paragraph("The witness was Mr John Brown of Norwich.")
    p.runs[0]._r.addprevious(parse_xml(box_run("Rectangle 1", 1, "paragraph", 0)))
    return d


def box_run(name, ident, v_relative, v_offset, fill="000000", wrap="<wp:wrapNone/>"):
    """A rectangle drawn in front of the text, as Word 2010+ writes one (DrawingML in
    mc:AlternateContent with its VML fallback)."""
    return (
        f'<w:r {nsdecls("w")} {MC} {WP} {A} {WPS} {V} {O}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>1270000</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="{v_relative}"><wp:posOffset>{v_offset}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="1905000" cy="190500"/><wp:effectExtent l="0" t="0" r="0" b="0"/>{wrap}'
        f'<wp:docPr id="{ident}" name="{name}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1905000" cy="190500"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>'
        f'<a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="1"><a:schemeClr val="accent1"/></a:fillRef>'
        f'<a:effectRef idx="0"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></wps:style>'
        f'<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:rect id="{name}" o:spid="_x0000_s{1025 + ident}" '
        f'style="position:absolute;margin-left:100pt;margin-top:0;width:150pt;height:15pt;z-index:251659264;'
        f'visibility:visible;mso-position-vertical-relative:{"text" if v_relative == "paragraph" else v_relative}" '
        f'fillcolor="#{fill}" stroked="f"/></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    )


def fake_redaction_review():
    """A black box placed against the page: where it lands cannot be told from the file."""
    d = new_doc()
    letter(d)
    p = d.paragraphs[5]
    p.runs[0]._r.addprevious(parse_xml(box_run("Rectangle 2", 2, "page", 3600000)))
    return d


def disguised():
    d = new_doc()
    letter(d)
    p = d.add_paragraph("")
    r = p.add_run("Victim: Mrs Jane Smith, 07700 900123")
    r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    p = d.add_paragraph("End of letter.")
    r = p.add_run(" NI AB123456C")
    r.font.size = Pt(1)
    return d


def text_box_run(text, ident):
    """A text box as Word 2010+ writes it: DrawingML text box, VML fallback with the same
    text."""
    content = f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
    return (
        f'<w:r {nsdecls("w")} {MC} {WP} {A} {WPS} {V} {O}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251660288" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>3600000</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="1800000" cy="540000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
        f'<wp:docPr id="{ident}" name="Text Box {ident}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1800000" cy="540000"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="lt1"/></a:solidFill></wps:spPr>'
        f'<wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape id="Text Box {ident}" o:spid="_x0000_s{1100 + ident}" type="#_x0000_t202" '
        f'style="position:absolute;margin-left:283pt;margin-top:0;width:141pt;height:42pt;z-index:251660288" '
        f'fillcolor="white [3201]"><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    )


def stories():
    """Text in every place Word keeps it: header, footer, footnote, text box, alt text,
    field code, glossary."""
    d = new_doc()
    letter(d)
    d.sections[0].header.paragraphs[0].text = "OFFICIAL - prepared by DS Raj Patel"
    d.sections[0].footer.paragraphs[0].text = "Contact: 07700 900456"
    p = d.paragraphs[5]
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))
    foot = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>'
            f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Victim: Mrs Jane Smith.</w:t></w:r></w:p></w:footnote>'
            f'</w:footnotes>')
    add_part(d.part, "/word/footnotes.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
             foot.encode(), RT.FOOTNOTES, d.part.package)
    # A text box next to the table.
    d.paragraphs[6].runs[0]._r.addprevious(parse_xml(text_box_run("Reviewed by DS Raj Patel", 7)))
    # A picture with alternative text.
    d.add_picture(io.BytesIO(png(4, 4)))
    docpr = d.inline_shapes[0]._inline.docPr
    docpr.set("descr", "Photograph of Mrs Jane Smith")
    # A field: the code is hidden, the result shows.
    p = d.add_paragraph("Write to ")
    for el in [
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> HYPERLINK "mailto:jane.smith@example.com" </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
        f'<w:r {nsdecls("w")}><w:t>our team</w:t></w:r>',
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
    ]:
        p._p.append(parse_xml(el))
    # Building blocks: a signature block kept in the glossary document.
    glossary = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:glossaryDocument {nsdecls("w")}>'
                f'<w:docParts><w:docPart><w:docPartPr><w:name w:val="Signature"/><w:category><w:name w:val="General"/>'
                f'<w:gallery w:val="autoTxt"/></w:category><w:guid w:val="{{11111111-2222-3333-4444-555555555555}}"/></w:docPartPr>'
                f'<w:docPartBody><w:p><w:r><w:t>DS Raj Patel, collar 4821, 07700 900789</w:t></w:r></w:p></w:docPartBody></w:docPart>'
                f'</w:docParts></w:glossaryDocument>')
    add_part(d.part, "/word/glossary/document.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml",
             glossary.encode(), RT.GLOSSARY_DOCUMENT, d.part.package)
    return d


def png(w, h):
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * w for _ in range(h))
    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


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
    """An embedded workbook (OLE package) and an imported HTML chunk."""
    d = new_doc()
    letter(d)
    pkg = d.part.package
    _, img = add_part(d.part, "/word/media/image9.png", "image/png", png(8, 8), RT.IMAGE, pkg)
    _, rid = add_part(d.part, "/word/embeddings/Microsoft_Excel_Worksheet.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      victims_workbook(), RT.PACKAGE, pkg)
    p = d.add_paragraph("The figures are attached: ")
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")} {V} {O} {R}><w:object w:dxaOrig="1440" w:dyaOrig="960">'
        f'<v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:72pt;height:48pt" o:ole="">'
        f'<v:imagedata r:id="{img}" o:title=""/></v:shape>'
        f'<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Icon" '
        f'ObjectID="_1770000001" r:id="{rid}"/></w:object></w:r>'))
    html = (b"<html><body><p>Annex: complaint made by Mr John Brown, 07700 900321.</p>"
            b"</body></html>")
    _, chunk = add_part(d.part, "/word/afchunk.htm", "text/html", html,
                        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk", pkg)
    body_insert_before_sectpr(d, parse_xml(f'<w:altChunk {nsdecls("w")} {R} r:id="{chunk}"/>'))
    return d


def chart():
    """A chart with its data workbook, as Word embeds one (the chart XML is python-pptx's,
    which is the DrawingML chart Word and PowerPoint share)."""
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE
    d = new_doc()
    letter(d)
    data = CategoryChartData()
    data.categories = ["Mancroft", "Thorpe", "Eaton"]
    data.add_series("Burglaries", (112, 47, 29))
    xml = ChartXmlWriter(XL_CHART_TYPE.COLUMN_CLUSTERED, data).xml
    xml = xml.replace("</c:chartSpace>",
                      f'<c:externalData {R} r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>')
    pkg = d.part.package
    chart_part = Part(PackURI("/word/charts/chart1.xml"),
                      "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                      xml.encode(), pkg)
    workbook = Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    data.xlsx_blob, pkg)
    chart_part.rels.get_or_add(RT.PACKAGE, workbook)
    rid = d.part.relate_to(chart_part, RT.CHART)
    p = d.add_paragraph()
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")} {WP} {A} {C} {R}><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="5486400" cy="3200400"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="20" name="Chart 1"/><wp:cNvGraphicFramePr/><a:graphic>'
        f'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="{rid}"/>'
        f'</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'))
    return d


def settings():
    """An attached template in a user's folder and document variables."""
    d = new_doc()
    letter(d)
    part = d.part._settings_part
    rid = part.relate_to(r"file:///C:\Users\jbloggs\AppData\Roaming\Microsoft\Templates\FOI%20letter.dotm",
                         "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate", is_external=True)
    s = d.settings.element
    s.find(qn("w:defaultTabStop")).addprevious(parse_xml(f'<w:attachedTemplate {nsdecls("w")} {R} r:id="{rid}"/>'))
    compat = s.find(qn("w:compat"))
    docvars = parse_xml(f'<w:docVars {nsdecls("w")}><w:docVar w:name="CaseOfficer" w:val="DS Raj Patel"/>'
                        f'<w:docVar w:name="VictimRef" w:val="Mrs Jane Smith"/></w:docVars>')
    if compat is not None:
        compat.addnext(docvars)
    else:
        s.append(docvars)
    return d


def custom_xml():
    d = new_doc()
    letter(d)
    item = (b'<?xml version="1.0" encoding="UTF-8"?><case xmlns="urn:example:case">'
            b'<officer>DS Raj Patel</officer><requester>Mr John Brown</requester></case>')
    add_part(d.part, "/customXml/item2.xml", "application/xml", item,
             "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
             d.part.package)
    return d


def metadata():
    d = new_doc()
    letter(d)
    d.core_properties.author = "Raj Patel"
    d.core_properties.last_modified_by = "Jane Bloggs"
    return d


def victims_table():
    """A letter that lists victims in a table: visible text counts too."""
    d = new_doc()
    letter(d)
    d.add_paragraph("The victims were:")
    t = d.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for i, h in enumerate(["Surname", "Forename", "Date of birth", "Address"]):
        t.rows[0].cells[i].text = h
    for s, f, dob, addr in [("Smith", "Jane", "04/02/1981", "14 Acacia Avenue"),
                            ("Brown", "John", "17/09/1975", "2 Mill Lane"),
                            ("Khan", "Amira", "30/11/1990", "9 Elm Road"),
                            ("Jones", "Peter", "01/06/1968", "77 High Street"),
                            ("Taylor", "Susan", "12/12/1972", "5 Bank Plain"),
                            ("Evans", "Mark", "03/03/1983", "21 Rose Lane"),
                            ("Patel", "Nisha", "19/07/1995", "4 Castle Street"),
                            ("Wilson", "Gary", "25/05/1961", "63 Unthank Road"),
                            ("Clarke", "Helen", "08/08/1979", "11 Earlham Road"),
                            ("Ahmed", "Yusuf", "14/01/2001", "30 Dereham Road"),
                            ("Martin", "Claire", "22/04/1988", "7 Bracondale")]:
        cells = t.add_row().cells
        for c, v in zip(cells, [s, f, dob, addr]):
            c.text = v
    d.add_paragraph("National Insurance number of the first victim: AB123456C.")
    return d


def corpus_tracked():
    """corpus: a response letter whose tracked deletion still names the victim."""
    d = new_doc()
    letter(d)
    tracked_paragraph(d, ("Mrs Jane Smith ", "of 14 Acacia Avenue (NI AB123456C)"), "a resident")
    d.core_properties.author = ""
    return d


def main():
    outputs = {
        "clean-letter.docx": clean_letter(),
        "tracked-deletion.docx": tracked_deletion(),
        "tracked-other.docx": tracked_other(),
        "comments.docx": comments(),
        "hidden-text.docx": hidden_text(),
        "fake-redaction.docx": fake_redaction(),
        "fake-redaction-review.docx": fake_redaction_review(),
        "disguised.docx": disguised(),
        "stories.docx": stories(),
        "embedded.docx": embedded(),
        "chart.docx": chart(),
        "settings.docx": settings(),
        "custom-xml.docx": custom_xml(),
        "metadata.docx": metadata(),
        "victims-table.docx": victims_table(),
        "corpus-letter-tracked-deletion.docx": corpus_tracked(),
        "corpus-letter-clean.docx": clean_letter(),
    }
    for name, d in outputs.items():
        save(d, name)
        print("wrote", name, os.path.getsize(os.path.join(HERE, name)), "bytes")


if __name__ == "__main__":
    main()
