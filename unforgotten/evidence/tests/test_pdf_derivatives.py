"""PDF derivatives (issue 5 item 1): the pages are kept, the document's and pages' metadata are not."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from unforgotten.evidence import derivatives, store
from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.evidence.tests.helpers import client_for, post_file, put_on_team
from unforgotten.registry.testing import make_sample

CANARY = "CANARYPDFMETA"


def _pdf_with_metadata(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": f"{CANARY}-author", "/Creator": f"{CANARY}-creator", "/Title": f"{CANARY}-title"})
    xmp = DecodedStreamObject()
    xmp.set_data(f"<x:xmpmeta><dc:creator>{CANARY}-xmp</dc:creator></x:xmpmeta>".encode())
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    page = writer.pages[0]
    page[NameObject("/PieceInfo")] = DictionaryObject({NameObject("/App"): TextStringObject(f"{CANARY}-piece")})
    note = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
                             NameObject("/T"): TextStringObject(f"{CANARY}-annotator")})
    from pypdf.generic import ArrayObject

    page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_rebuilds_a_pdf_without_any_of_its_metadata() -> None:
    data = _pdf_with_metadata(pages=3)
    assert data.count(CANARY.encode()) >= 5
    clean = derivatives.strip_pdf(data)
    assert CANARY.encode() not in clean and b"pypdf" not in clean
    reader = PdfReader(io.BytesIO(clean))
    assert len(reader.pages) == 3 and reader.metadata is None
    assert "/Annots" not in reader.pages[0] and "/Metadata" not in reader.trailer["/Root"].get_object()  # type: ignore[operator]


@pytest.mark.parametrize("data", [b"%PDF-1.4\nnot really a pdf", b"%PDF-1.4\n" + b"\x00" * 500, b""])
def test_it_refuses_a_damaged_pdf_clearly(data: bytes) -> None:
    with pytest.raises(ValidationError, match="PDF"):
        derivatives.strip_pdf(data)


@pytest.mark.django_db
def test_it_makes_a_linked_pdf_derivative_through_the_page(cast: Any) -> None:
    sample = make_sample(cast)
    put_on_team(sample.person_a, cast.amal, cast)
    amal = client_for(cast.amal, sudo=True)
    assert post_file(amal, sample.person_a, "decision.pdf", _pdf_with_metadata(), title="Decision").status_code == 302
    original = EvidenceItem.objects.get()
    assert "rebuilt page by page" in amal.get(f"/work/evidence/items/{original.uuid}/derive/").content.decode()
    response = amal.post(f"/work/evidence/items/{original.uuid}/derive/", {"reason": "for the public page"})
    assert response.status_code == 302, response.content.decode()[:1000]
    child = EvidenceItem.objects.get(parent=original)
    assert child.media_type == "application/pdf" and child.role == "redacted"
    body = b"".join(store.iter_plaintext(child.storage_name, str(child.uuid)))
    assert CANARY.encode() not in body and len(PdfReader(io.BytesIO(body)).pages) == 2
    event = CustodyEvent.objects.filter(item=original, action="redacted").get()
    assert "document information" in event.detail["removed"]


GPS_CANARY = "CANARYPDFGPS"


def _pdf_with_a_photo(photo: bytes, size: tuple[int, int]) -> bytes:
    """A one-page PDF showing ``photo`` (a JPEG stored as is, DCTDecode, as scanners and phones make them)."""
    from pypdf.generic import DecodedStreamObject, NumberObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    image = StreamObject()
    image._data = photo  # the JPEG file's bytes, EXIF and all
    image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(size[0]), NameObject("/Height"): NumberObject(size[1]),
                  NameObject("/ColorSpace"): NameObject("/DeviceRGB"), NameObject("/BitsPerComponent"): NumberObject(8),
                  NameObject("/Filter"): NameObject("/DCTDecode")})
    ref = writer._add_object(image)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): ref})})
    content = DecodedStreamObject()
    content.set_data(b"q 128 0 0 96 10 10 cm /Im0 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Author": f"{GPS_CANARY}-author", "/Producer": f"{GPS_CANARY}-scanner"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_reencodes_a_jpeg_inside_a_pdf_so_its_gps_exif_is_gone() -> None:
    from PIL import Image

    from unforgotten.evidence.tests.helpers import jpeg_with_exif

    photo = jpeg_with_exif(GPS_CANARY, size=(64, 48))
    with Image.open(io.BytesIO(photo)) as probe:
        assert 0x8825 in probe.getexif()  # the control: the photo carries a GPS block...
    data = _pdf_with_a_photo(photo, (64, 48))
    assert data.count(GPS_CANARY.encode()) >= 4 and b"Exif" in data  # ...and so does the PDF around it
    clean = derivatives.strip_pdf(data)
    assert GPS_CANARY.encode() not in clean and b"Exif" not in clean and b"pypdf" not in clean
    reader = PdfReader(io.BytesIO(clean))
    assert reader.metadata is None and "/Metadata" not in reader.trailer["/Root"].get_object()  # type: ignore[operator]
    image = reader.pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()  # type: ignore[index]
    embedded = image.get_data()
    with Image.open(io.BytesIO(embedded)) as shown:
        assert shown.format == "JPEG" and shown.size == (64, 48)
        assert len(shown.getexif()) == 0 and "exif" not in shown.info and "comment" not in shown.info
        red, green, blue = shown.convert("RGB").getpixel((10, 10))  # type: ignore[misc]
        assert red > 150 and green < 80 and blue < 80  # the picture itself survived
