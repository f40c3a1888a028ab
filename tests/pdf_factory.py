"""Write small PDFs by hand for tests: text pages, image-only pages, and encrypted copies."""

import struct
import zlib
from pathlib import Path


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A valid PDF with one Helvetica text line per string; an empty page list item draws a box."""
    objects: list[bytes] = []  # object n is objects[n - 1]
    kids = []
    font_id = 3
    objects += [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for lines in pages:
        if lines:
            ops = ["BT /F1 11 Tf 14 TL 72 720 Td"]
            ops += [f"({_escape(line)}) Tj T*" for line in lines]
            ops.append("ET")
        else:  # no text layer: only a filled rectangle, like a scanned image would be
            ops = ["0.5 g 72 72 400 600 re f"]
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, content_id)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        " ".join(f"{k} 0 R" for k in kids).encode(),
        len(kids),
    )
    info = None
    if title:
        objects.append(b"<< /Title (%s) >>" % _escape(title).encode("latin-1"))
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def encrypt_pdf(data: bytes, path: Path, user_password: str = "") -> None:
    """Write an AES-128 encrypted copy of `data` (the kind filings ship with) to `path`."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    with path.open("wb") as fh:
        writer.write(fh)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def flate_bomb_pdf(inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream is < 1 MB compressed and `inflated_mb` MB inflated."""
    unit = b"0 0 m " * ((1 << 20) // 6)  # path operators: valid content, no text
    raw = zlib.compressobj(1, zlib.DEFLATED, -15)
    block = raw.compress(unit) + raw.flush(zlib.Z_FULL_FLUSH)  # decodes alone after a flush
    checksum, size = zlib.adler32(unit), len(unit)
    copies = 1
    while copies < inflated_mb:  # doubling: the checksum of the whole without reading it
        checksum, size, copies = _adler32_combine(checksum, checksum, size), size * 2, copies * 2
    stream = b"\x78\x01" + block * copies + raw.flush() + struct.pack("!I", checksum)
    page = make_pdf([["placeholder"]])
    start, end = page.index(b"<< /Length"), page.index(b"endstream") + len(b"endstream")
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (
        len(stream),
        stream,
    )
    return page[:start] + content + page[end:]  # stale xref offsets: readers repair them


def _adler32_combine(adler1: int, adler2: int, len2: int) -> int:
    """zlib's adler32_combine: the Adler-32 of A+B from those of A and B and B's length."""
    base = 65521
    rem = len2 % base
    sum1 = adler1 & 0xFFFF
    sum2 = (rem * sum1) % base
    sum1 = (sum1 + (adler2 & 0xFFFF) + base - 1) % base
    sum2 = (sum2 + ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + base - rem) % base
    return sum1 | (sum2 << 16)
