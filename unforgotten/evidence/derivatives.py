"""Redacted derivatives: a picture re-encoded from its pixels only (no EXIF, XMP, GPS, ICC, comments).

The same approach as the registry's portraits (registry/photos.py), without
their resizing: a derivative keeps the full picture. Decoding is bounded
(``MAX_PIXELS``; Pillow's decompression-bomb guard raised to an error), and
anything that is not a picture we can decode is refused with a clear message.
PDFs (:func:`strip_pdf`, pypdf) are rebuilt page by page into a new document:
the document information (author, creator, producer, dates, title), the XMP
metadata of the document, of its pages and of their images and forms, page
thumbnails, private application data (``/PieceInfo``), annotations (comments
carry their authors' names) and page actions are left behind; scripts and
attachments live in the catalogue, which is never copied. Embedded images are
re-encoded from their pixels (:func:`_clean_pdf_image`): a JPEG placed in a PDF
keeps its own EXIF (camera, GPS position, owner) and XMP inside its bytes, and
a JPEG 2000 its XML boxes, so those become fresh JPEGs; images stored as raw
pixels (Flate, LZW, run-length, CCITT) carry no metadata of their own and stay.
Limits: the visible text, and images inlined in a content stream
(``BI ... EI``, small by design) are not touched; redact those on a working copy.
"""

from __future__ import annotations

import io
import logging
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's DEBUG messages quote EXIF values (descriptions, camera owners, GPS)
# as it parses them: with LOG_LEVEL=DEBUG a witness's metadata would reach the
# logs. Its loggers never go below INFO, whatever the root level (T2 checks).
logging.getLogger("PIL").setLevel(max(logging.getLogger("PIL").level, logging.INFO))

MAX_PIXELS = 80_000_000
MAX_SOURCE_BYTES = 100 * 1024 * 1024
_KEEP_FORMAT = {"image/jpeg": ("JPEG", "image/jpeg", ".jpg"), "image/png": ("PNG", "image/png", ".png"),
                "image/gif": ("PNG", "image/png", ".png"), "image/webp": ("PNG", "image/png", ".png"),
                "image/tiff": ("PNG", "image/png", ".png")}


MAX_PDF_PAGES = 2000
# What a PDF derivative leaves behind, and what a picture's does (shown in the custody event).
REMOVED_PDF = ("document information, XMP metadata, thumbnails, annotations, page actions, embedded images' "
               "EXIF and XMP (rebuilt with pypdf, images re-encoded)")
REMOVED_PICTURE = "EXIF, XMP, GPS, ICC and comments (re-encoded)"
_PAGE_KEYS = ("/Metadata", "/PieceInfo", "/Annots", "/AA", "/Thumb", "/LastModified")


def can_derive(media_type: str) -> bool:
    return media_type in _KEEP_FORMAT or media_type == "application/pdf"


def strip(data: bytes, media_type: str) -> tuple[bytes, str, str, str]:
    """(clean bytes, media type, extension, what was removed) for a picture or a PDF; ValidationError otherwise."""
    if media_type == "application/pdf":
        return strip_pdf(data), "application/pdf", ".pdf", REMOVED_PDF
    clean, out_type, ext = strip_picture(data, media_type)
    return clean, out_type, ext, REMOVED_PICTURE


def _drop_metadata(obj: Any, seen: set[int]) -> None:
    """Remove ``/Metadata`` and ``/PieceInfo`` from a page's resources: images, forms and their own resources."""
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject

    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if not isinstance(obj, DictionaryObject):
        return
    for key in ("/Metadata", "/PieceInfo"):
        if key in obj:
            del obj[NameObject(key)]
    if obj.get("/Subtype") == "/Image":
        _clean_pdf_image(obj)
        for key in ("/SMask", "/Mask"):  # a soft mask is an image too, and may carry its own metadata
            if key in obj:
                _drop_metadata(obj[key], seen)
    resources = obj.get("/Resources")
    if resources is not None:
        xobjects = resources.get_object().get("/XObject")
        if xobjects is not None:
            for ref in xobjects.get_object().values():
                _drop_metadata(ref, seen)


_METADATA_FREE_FILTERS = {"/FlateDecode", "/LZWDecode", "/RunLengthDecode", "/CCITTFaxDecode", "/ASCIIHexDecode",
                           "/ASCII85Decode", "/JBIG2Decode"}


def _filters(obj: Any) -> list[str]:
    raw = obj.get("/Filter")
    if raw is None:
        return []
    raw = raw.get_object()
    return [str(f) for f in raw] if isinstance(raw, list) else [str(raw)]


def _clean_pdf_image(obj: Any) -> None:
    """Re-encode a JPEG or JPEG 2000 image stream from its pixels; metadata-free encodings are left as they are."""
    from pypdf.generic import NameObject, NumberObject

    filters = _filters(obj)
    if not filters or all(f in _METADATA_FREE_FILTERS for f in filters):
        return
    if filters[-1] not in ("/DCTDecode", "/JPXDecode") or not all(
            f in _METADATA_FREE_FILTERS for f in filters[:-1]):
        raise ValidationError("This PDF holds an image in an encoding we cannot clean of metadata.")
    encoded = obj.get_data()  # the outer filters undone: the JPEG or JPEG 2000 file itself
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(encoded)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError("An image in this PDF has too many pixels to make a derivative of.")
            image.load()
            # CMYK goes to RGB: Pillow's CMYK JPEGs and the PDF's /Decode conventions disagree about inversion.
            mode = image.mode if image.mode in ("L", "RGB") else "RGB"
            changed_mode = mode != image.mode
            pixels = image.convert(mode)
    # The pixels only, in a new JPEG: no EXIF, XMP, ICC profile, comment or JPEG 2000 box is carried over.
    # The orientation stays as stored: a PDF places the image by its own matrix and ignores EXIF orientation.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=92)
    obj._data = out.getvalue()  # noqa: SLF001  (pypdf's encoded stream body; written out with its /Length)
    obj[NameObject("/Filter")] = NameObject("/DCTDecode")
    for key in ("/DecodeParms", "/DL", "/SMaskInData"):
        if key in obj:
            del obj[NameObject(key)]
    obj[NameObject("/Width")], obj[NameObject("/Height")] = NumberObject(clean.width), NumberObject(clean.height)
    obj[NameObject("/BitsPerComponent")] = NumberObject(8)
    if changed_mode or "/ColorSpace" not in obj or filters[-1] == "/JPXDecode":
        obj[NameObject("/ColorSpace")] = NameObject("/DeviceGray" if mode == "L" else "/DeviceRGB")
        if "/Decode" in obj:
            del obj[NameObject("/Decode")]


def strip_pdf(data: bytes) -> bytes:
    """A new PDF with the pages of ``data`` and none of its metadata (see the module docstring)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    if len(data) > MAX_SOURCE_BYTES:
        raise ValidationError("This document is too large to make a derivative of here.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError("This PDF is encrypted: open it, save an unprotected copy, and upload that.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ValidationError(f"This PDF has more than {MAX_PDF_PAGES} pages: split it first.")
        if len(reader.pages) == 0:
            raise ValidationError("This PDF has no pages.")
        writer = PdfWriter()
        seen: set[int] = set()
        for page in reader.pages:
            # Removed from the source page before it is copied: pypdf copies every object a page
            # refers to, and an object removed only afterwards would still be written, unreferenced.
            for key in _PAGE_KEYS:
                if key in page:
                    del page[NameObject(key)]
            _drop_metadata(page, seen)
            writer.add_page(page)
        writer.metadata = None  # no document information dictionary at all (not even "Producer: pypdf")
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001  (a hostile PDF breaks a parser in any way; pypdf errors included)
        raise ValidationError("This file is not a PDF we can read (or it is damaged).") from None
    return out.getvalue()


def strip_picture(data: bytes, media_type: str) -> tuple[bytes, str, str]:
    """(clean bytes, their media type, extension) of the picture in ``data``; ValidationError otherwise."""
    if media_type not in _KEEP_FORMAT:
        raise ValidationError("Derivatives can be made of JPEG, PNG, GIF, WebP and TIFF pictures only.")
    if len(data) > MAX_SOURCE_BYTES:
        raise ValidationError("This picture is too large to make a derivative of here.")
    fmt, out_type, ext = _KEEP_FORMAT[media_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError("The picture has too many pixels to make a derivative of.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for, then drop EXIF
                mode = "RGB" if fmt == "JPEG" else ("RGBA" if "A" in upright.getbands() else "RGB")
                pixels = upright.convert(mode)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ValidationError("This file is not a picture we can read (or it is damaged).") from None
    # A fresh image from the pixels alone: nothing of the original's metadata is carried over.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, format="JPEG", quality=92)
    else:
        clean.save(out, format="PNG", optimize=False)
    return out.getvalue(), out_type, ext
