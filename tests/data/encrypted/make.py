#!/usr/bin/env python3
"""Makes the password-protected fixtures of tests/hostile.rs with real writers:
openpyxl and python-docx write a workbook and a letter holding personal data,
msoffcrypto-tool encrypts them as Office does (ECMA-376 agile, AES-256), and
reportlab + pikepdf write a PDF encrypted with AES-256 and a user password.
The password of every file is "Secret-2024".

Run once, from this folder:  pip install openpyxl python-docx msoffcrypto-tool reportlab pikepdf
                             python3 make.py
"""
import io
import msoffcrypto.format.ooxml
import openpyxl
import docx
import pikepdf
from reportlab.pdfgen import canvas

PASSWORD = "Secret-2024"
NAME, PHONE = "Jane Whitfield", "07700 900461"


def encrypt(plain: bytes, out: str) -> None:
    f = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(plain))
    with open(out, "wb") as o:
        f.encrypt(PASSWORD, o)


wb = openpyxl.Workbook()
ws = wb.active
ws.append(["Name", "Phone"])
ws.append([NAME, PHONE])
buf = io.BytesIO()
wb.save(buf)
encrypt(buf.getvalue(), "protected.xlsx")

d = docx.Document()
d.add_paragraph(f"Dear {NAME}, we will call you on {PHONE}.")
buf = io.BytesIO()
d.save(buf)
encrypt(buf.getvalue(), "protected.docx")

buf = io.BytesIO()
c = canvas.Canvas(buf)
c.drawString(72, 700, f"Dear {NAME}, we will call you on {PHONE}.")
c.save()
pdf = pikepdf.open(io.BytesIO(buf.getvalue()))
pdf.save(
    "protected.pdf",
    encryption=pikepdf.Encryption(user=PASSWORD, owner=PASSWORD + "-owner", R=6),
)
