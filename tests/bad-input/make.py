#!/usr/bin/env python3
"""Writes the binary files of sokord's bad-input collection (tests/bad-input/files/).

The collection is committed; this script says how each binary file was made and makes them again:

    python3 tests/bad-input/make.py          # needs qpdf for the encrypted PDF (apt-get install qpdf)

Text files of the collection (empty, malformed YAML, impossible date, long lines) are written by
hand and committed as they are; files that cannot be committed (a 100 MB file, a symbolic link
loop, an unreadable file, a file name that is not UTF-8) are made by the test itself
(tests/tests.rs: the_bad_input_collection_is_reported_and_the_good_files_indexed).
"""

import io
import pathlib
import shutil
import subprocess
import sys
import zipfile

OUT = pathlib.Path(__file__).resolve().parent / "files"


def pdf(pages, images=False):
    """A small PDF: each page holds the given lines in Helvetica (WinAnsiEncoding), or, with
    images=True, one grey picture and no text at all (a scan)."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x90\xa0\xb0\nendstream")
    pages_id = len(objects) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        if images:
            content = b"q 500 0 0 700 50 70 cm /Im1 Do Q"
        else:
            ops = [b"BT /F1 11 Tf 14 TL 56 780 Td"]
            for line in lines:
                text = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                ops.append(b"(" + text + b") Tj T*")
            ops.append(b"ET")
            content = b"\n".join(ops)
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page = add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                   b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                   % (pages_id, stream, font, image))
        kids.append(page)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)

    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    return out.getvalue()


LINES = [
    "Remissvar om patientsäkerhet",
    "Regionen tillstyrker förslaget om en nationell",
    "handlingsplan för patientsäkerhet i vården och",
    "betonar vikten av uppföljning av vårdskador.",
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    w = lambda name, data: (OUT / name).write_bytes(data)

    # A picture: not a format sokord reads.
    w("bild.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00")
    # A binary file named .txt: a PNG header and NUL bytes.
    w("binär.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + bytes(range(256)) * 4)
    # Mostly UTF-8, with three bytes that are not (a damaged download).
    w("ogiltig-utf8.txt",
      "Vårdgarantin ska stärkas så att väntetiderna i vården blir kortare för alla patienter.\n".encode()
      + b"Trasiga byte h\xe4r: \xff\xfe och sedan fortsatt text om v\xc3\xa5rdk\xc3\xb6er.\n")
    # Latin-1 (ISO-8859-1) and Windows-1252 text: decoded, not skipped.
    w("latin1.txt",
      "Tandvårdsstödet för äldre bör byggas ut, anser föreningen, och högkostnadsskyddet "
      "ska omfatta tandvården.\n".encode("latin-1"))
    w("windows-1252.txt",
      "Ministern sade: \u201dFörlossningsvården ska vara trygg i hela landet\u201d \u2013 "
      "och barnmorskorna ska bli fler.\n".encode("cp1252"))
    # UTF-16 with a byte-order mark.
    w("utf16.txt",
      "Ambulanssjukvården på landsbygden behöver fler stationer och kortare insatstider.\n"
      .encode("utf-16"))
    # PDFs: a scan (no text layer), one cut off half-way, one encrypted with a password.
    w("skannad.pdf", pdf([[], []], images=True))
    good = pdf([LINES])
    w("trunkerad.pdf", good[: len(good) // 2])
    plain = OUT / "klartext.pdf.tmp"
    plain.write_bytes(good)
    if shutil.which("qpdf") is None:
        sys.exit("qpdf is needed for krypterad.pdf: apt-get install qpdf")
    subprocess.run(["qpdf", "--encrypt", "hemlig", "hemlig", "256", "--", str(plain),
                    str(OUT / "krypterad.pdf")], check=True)
    plain.unlink()
    # A DOCX whose document part is not XML, and one that is not a ZIP at all.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00\x01 not xml <w:p")
    w("trasig.docx", buf.getvalue())
    w("inte-zip.docx", b"PK\x03\x04 this is not really a zip archive")


if __name__ == "__main__":
    main()
