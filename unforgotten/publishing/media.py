"""Video stories without their container metadata: a copy of the streams, re-muxed by ffmpeg, and nothing else.

A phone or camera writes into the container who and where: the title, GPS position (MP4 ``©xyz``), the
device's or editor's name (encoder, handler names), the creation time, chapters, cover art, data tracks (GPS
logs of action cameras) and subtitles. A family filmed at home must not publish where home is. ffmpeg copies
the audio and video streams (``-c copy``: no re-encoding, so it is fast and the picture is untouched) into a
fresh container without global, stream or chapter metadata (``-map_metadata -1 -map_chapters -1``), keeps only
real video (``0:V``, not attached pictures) and audio streams, and writes no version of its own
(``-fflags +bitexact``). Captions come separately, as WebVTT checked on upload.

What stays: whatever the encoder wrote *inside* the compressed stream (an H.264 encoder's settings string, for
instance); removing it means re-encoding, which needs a transcoder this platform does not run (decision 0022).

ffmpeg reads untrusted input here, so it is held short: the demuxer is forced from the file's magic number
(never guessed), only the ``file`` protocol is allowed (no playlist or reference can reach the network or
another file), stdin is closed and the run has a time limit. A file it cannot parse is refused with a clear
error.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from django.core.exceptions import ValidationError

# Our container → (ffmpeg's demuxer for reading it, its muxer for writing it, extra muxer flags).
_FORMATS = {
    "video/mp4": ("mov", "mp4", ["-movflags", "+faststart"]),  # the index first: playback starts before the end
    "video/webm": ("matroska", "webm", []),
}
TIMEOUT_SECONDS = 600


def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        # A deployment problem, not the uploader's: say so plainly rather than publish the metadata.
        raise RuntimeError("ffmpeg is not installed (scripts/install-system-packages.sh); videos cannot be cleaned")
    return found


def strip_video(data: bytes, kind: str) -> bytes:
    """``data`` (an MP4 or WebM file) re-muxed without container metadata; ValidationError if it is not one."""
    demuxer, muxer, extra = _FORMATS[kind]
    with tempfile.TemporaryDirectory(prefix="unforgotten-video-") as folder:
        source, target = f"{folder}/in", f"{folder}/out"
        with open(source, "wb") as handle:
            handle.write(data)
        command = [ffmpeg(), "-nostdin", "-hide_banner", "-v", "error", "-protocol_whitelist", "file",
                   "-f", demuxer, "-i", source,
                   "-map", "0:V", "-map", "0:a?", "-map_metadata", "-1", "-map_chapters", "-1",
                   "-c", "copy", "-fflags", "+bitexact", *extra, "-f", muxer, target]
        try:
            # Fixed arguments and our own file names only (S603); ffmpeg from PATH, see the install script.
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise ValidationError({"file": "The video could not be read in time; export it again and upload "
                                           "that file."}) from None
        if done.returncode != 0:
            raise ValidationError({"file": "This file could not be read as a video (it may be damaged or "
                                           "not really MP4 or WebM); export it again and upload that file."})
        with open(target, "rb") as handle:
            out = handle.read()
    if not out:
        raise ValidationError({"file": "This file holds no video."})
    return out
