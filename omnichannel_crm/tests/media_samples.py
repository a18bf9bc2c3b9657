# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real small files of the kinds customers send, made in the test: a picture, an AMR voice message,
an MP4 header, a page dressed up as a picture."""

import io
import random

from PIL import Image


def png_bytes(size=(8, 8), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def amr_bytes(frames=25):
    """An AMR-NB stream (RFC 4867 storage format) of `frames` 20 ms frames at 12.2 kbit/s: the
    header, then per frame its mode byte and 31 bytes of speech bits (Debian's ffmpeg decodes AMR
    but cannot encode it, so the frames are written here)."""
    rng = random.Random(4867)
    return b"#!AMR\n" + b"".join(
        b"\x3c" + bytes(rng.randrange(256) for _ in range(31)) for _ in range(frames)
    )


def mp4_bytes():
    """The first boxes of an MP4 file: what sniffing reads."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


PAGE_AS_PICTURE = b"<html><body><script>alert(document.cookie)</script></body></html>"
