"""What a file is, from its first bytes — never from its name — and a name fit to show.

A small table of signatures instead of libmagic: the few kinds evidence comes
in (pictures, PDFs, audio, video, office files, archives, text) are recognised
by fixed magic bytes, and everything else is an opaque ``application/octet-stream``.
The one judgement that matters for safety is whether a browser could run the
file (HTML, SVG, XML); those kinds are sniffed the way browsers do (leading
markup after optional whitespace) and are only ever served as attachments.
Archives are recognised and never opened: a zip bomb is stored as the opaque
bytes it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Kind", "display_name", "extension_contradicts", "sniff"]


@dataclass(frozen=True)
class Kind:
    media_type: str
    label: str
    family: str  # image, pdf, audio, video, document, archive, text, markup, other
    scriptable: bool = False


JPEG = Kind("image/jpeg", "JPEG picture", "image")
PNG = Kind("image/png", "PNG picture", "image")
GIF = Kind("image/gif", "GIF picture", "image")
WEBP = Kind("image/webp", "WebP picture", "image")
TIFF = Kind("image/tiff", "TIFF picture", "image")
HEIC = Kind("image/heic", "HEIC picture", "image")
PDF = Kind("application/pdf", "PDF document", "pdf")
ZIP = Kind("application/zip", "ZIP archive or office document (never opened)", "archive")
GZIP = Kind("application/gzip", "gzip archive (never opened)", "archive")
SEVENZ = Kind("application/x-7z-compressed", "7-Zip archive (never opened)", "archive")
RAR = Kind("application/vnd.rar", "RAR archive (never opened)", "archive")
XZ = Kind("application/x-xz", "xz archive (never opened)", "archive")
BZIP2 = Kind("application/x-bzip2", "bzip2 archive (never opened)", "archive")
TAR = Kind("application/x-tar", "tar archive (never opened)", "archive")
OLE = Kind("application/x-ole-storage", "Legacy Office document", "document")
RTF = Kind("application/rtf", "RTF document", "document")
MP4 = Kind("video/mp4", "MP4/QuickTime video", "video")
M4A = Kind("audio/mp4", "MP4 audio", "audio")
WEBM = Kind("video/webm", "WebM/Matroska video", "video")
AVI = Kind("video/x-msvideo", "AVI video", "video")
MP3 = Kind("audio/mpeg", "MP3 audio", "audio")
OGG = Kind("audio/ogg", "Ogg audio/video", "audio")
WAV = Kind("audio/wav", "WAV audio", "audio")
FLAC = Kind("audio/flac", "FLAC audio", "audio")
HTML = Kind("text/html", "HTML page (never shown in the browser)", "markup", scriptable=True)
SVG = Kind("image/svg+xml", "SVG drawing (never shown in the browser)", "markup", scriptable=True)
XML = Kind("application/xml", "XML document (never shown in the browser)", "markup", scriptable=True)
TEXT = Kind("text/plain", "Plain text", "text")
OCTETS = Kind("application/octet-stream", "Unrecognised binary file", "other")

# Browsers render a resource as HTML when, after whitespace, it starts with one
# of these (WHATWG MIME sniffing, "HTML" patterns); compared case-insensitively.
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div", b"<font",
                b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p", b"<!--", b"<meta",
                b"<img", b"<svg", b"<object", b"<embed", b"<form", b"<?xml")
_FTYP_AUDIO = {b"M4A ", b"M4B ", b"M4P "}
_FTYP_HEIC = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}


def _markup(head: bytes) -> Kind | None:
    text = head
    for bom in (b"\xef\xbb\xbf",):
        if text.startswith(bom):
            text = text[len(bom):]
    text = text.lstrip(b" \t\r\n\x0c").lower()
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if text.startswith(b"<svg") or (text.startswith((b"<?xml", b"<!doctype svg")) and b"<svg" in text):
        return SVG
    if text.startswith(b"<?xml"):
        return HTML if b"<html" in text else XML
    for start in _HTML_STARTS:
        if text.startswith(start):
            following = text[len(start):len(start) + 1]
            if start in (b"<!--", b"<!doctype html") or following in (b"", b" ", b">", b"\t", b"\n", b"\r", b"/"):
                return HTML
    return None


def _is_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            return False
        decoded = head[: exc.start].decode("utf-8")
    return not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\x0c" for c in decoded)


def sniff(head: bytes) -> Kind:
    """The kind of a file from its first bytes (8 KiB is plenty)."""
    h = head
    if h.startswith(b"\xff\xd8\xff"):
        return JPEG
    if h.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if h.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if h[:4] == b"RIFF" and h[8:12] == b"WEBP":
        return WEBP
    if h[:4] == b"RIFF" and h[8:12] == b"WAVE":
        return WAV
    if h[:4] == b"RIFF" and h[8:12] == b"AVI ":
        return AVI
    if h.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if h.startswith(b"%PDF-"):
        return PDF
    if h.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return ZIP
    if h.startswith(b"\x1f\x8b"):
        return GZIP
    if h.startswith(b"7z\xbc\xaf\x27\x1c"):
        return SEVENZ
    if h.startswith(b"Rar!\x1a\x07"):
        return RAR
    if h.startswith(b"\xfd7zXZ\x00"):
        return XZ
    if h.startswith(b"BZh") and h[3:4].isdigit():
        return BZIP2
    if h[257:262] == b"ustar":
        return TAR
    if h.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if h.startswith(b"{\\rtf"):
        return RTF
    if h[4:8] == b"ftyp":
        brand = h[8:12]
        if brand in _FTYP_HEIC:
            return HEIC
        return M4A if brand in _FTYP_AUDIO else MP4
    if h.startswith(b"\x1aE\xdf\xa3"):
        return WEBM
    if h.startswith(b"ID3") or (len(h) > 1 and h[0] == 0xFF and h[1] & 0xE0 == 0xE0 and h[1] & 0x06):
        return MP3
    if h.startswith(b"OggS"):
        return OGG
    if h.startswith(b"fLaC"):
        return FLAC
    markup = _markup(h)
    if markup is not None:
        return markup
    if _is_text(h):
        return TEXT
    return OCTETS


# What a file name's extension promises. A scriptable file whose name promises
# something else (an HTML page named photo.jpg) is refused: it is the shape of
# an attack, and an honest page can be uploaded under its own name.
_EXTENSION_FAMILY = {
    "jpg": "image", "jpeg": "image", "jpe": "image", "png": "image", "gif": "image", "webp": "image",
    "tif": "image", "tiff": "image", "heic": "image", "bmp": "image",
    "pdf": "pdf", "doc": "document", "docx": "archive", "xls": "document", "xlsx": "archive", "odt": "archive",
    "zip": "archive", "gz": "archive", "7z": "archive", "rar": "archive",
    "mp4": "video", "mov": "video", "webm": "video", "mkv": "video", "avi": "video",
    "mp3": "audio", "m4a": "audio", "ogg": "audio", "wav": "audio", "flac": "audio",
    "txt": "text", "csv": "text", "md": "text", "json": "text",
    "html": "markup", "htm": "markup", "svg": "markup", "xml": "markup", "xhtml": "markup",
}


def extension_contradicts(name: str, kind: Kind) -> bool:
    """Whether a scriptable file hides behind a name that promises a harmless kind."""
    if not kind.scriptable:
        return False
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    family = _EXTENSION_FAMILY.get(ext)
    return family is not None and family not in ("markup",)


_MAX_NAME = 200
_DOTS = re.compile(r"^[.\s]+")


def display_name(raw: str) -> str:
    """A file name fit to show: no path parts, no control, format or direction-override characters.

    Never used on disk (the store names files at random); kept only to show
    people what they uploaded. Empty or dot-only names become "unnamed".
    """
    text = unicodedata.normalize("NFC", str(raw))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: controls (NUL, newlines); Cf: format characters, which include the
    # bidirectional overrides and isolates (U+202A-202E, U+2066-2069) that make
    # "photo\u202egpj.exe" read as "photoexe.jpg"; Cs/Co: surrogates, private use.
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
    text = _DOTS.sub("", text).strip()
    if len(text) > _MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        text = (stem[: _MAX_NAME - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else text[:_MAX_NAME]
    return text or "unnamed"
