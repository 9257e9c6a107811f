"""A person's portrait: checked, stripped of metadata, stored durably.

A photo's EXIF block can carry the GPS position of a family's home, the camera's
serial number and the time it was taken. The upload is therefore decoded and
re-encoded from its pixels only, so nothing but the picture survives; what is
not a picture we can decode (an SVG, an HTML page named .jpg, a truncated file)
is refused. The stored file is written to a temporary name, fsync'd and renamed,
so a saved photo is whole or absent, never half.
"""

from __future__ import annotations

import io
import os
import secrets
import warnings
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# Pillow refuses bigger images as decompression bombs; a portrait never needs more.
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 2000
FOLDER = "registry/photos"
_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP"}


def clean_photo(upload: IO[bytes], *, size: int | None = None) -> bytes:
    """JPEG bytes of the picture in ``upload``, without any metadata; ValidationError for anything else."""
    if size is not None and size > MAX_BYTES:
        raise ValidationError({"photo": f"The photo is larger than {MAX_BYTES // (1024 * 1024)} MB."})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError({"photo": f"The photo is larger than {MAX_BYTES // (1024 * 1024)} MB."})
    if not data:
        raise ValidationError({"photo": "The file is empty."})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                if kind not in _FORMATS:
                    raise ValidationError({"photo": "Send a JPEG, PNG, WebP or GIF picture."})
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError({"photo": "The picture has too many pixels to be a portrait."})
                probe.verify()  # a truncated or corrupt file fails here, before any decoding
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for, then drop EXIF
                rgb = upright.convert("RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ValidationError({"photo": "This file is not a picture we can read (or it is damaged)."}) from None
    rgb.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    # A fresh image from the pixels alone: no EXIF, XMP, ICC profile or comment is carried over.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=88, optimize=True)
    return out.getvalue()


def store_photo(jpeg: bytes) -> str:
    """Write the photo under MEDIA_ROOT durably; returns its storage name (relative path)."""
    root = Path(settings.MEDIA_ROOT)
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{FOLDER}/{secrets.token_hex(16)}.jpg"
    final = root / name
    temporary = final.with_suffix(".part")
    with open(temporary, "xb") as handle:
        handle.write(jpeg)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash
    finally:
        os.close(directory)
    return name


def remove_photo_file(name: str) -> None:
    if not name:
        return
    path = (Path(settings.MEDIA_ROOT) / name).resolve()
    if Path(settings.MEDIA_ROOT).resolve() in path.parents:
        path.unlink(missing_ok=True)


def photo_path(name: str) -> Path | None:
    path = (Path(settings.MEDIA_ROOT) / name).resolve()
    if not name or Path(settings.MEDIA_ROOT).resolve() not in path.parents or not path.is_file():
        return None
    return path


def photo_response(path: Path) -> Any:
    """The stored photo as a response: always a JPEG we wrote, never sniffed, never able to run anything."""
    from django.http import FileResponse

    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
