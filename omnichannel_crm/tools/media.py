# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every connector's media download shares, without Odoo's ORM: the outcomes a platform's
download is mapped to, reading a streamed answer within a size cap, the content types kept (by the
bytes, not by what the platform's header says) and how long a platform keeps a customer's media."""

from datetime import timedelta

from odoo.tools.mimetypes import guess_mimetype

# The kinds of media an inbound contact carries: InboundContact.media is a list of
# {"kind": one of these, "ref": the platform's id of the file, "name": its file name, optional}.
IMAGE = "image"
VOICE = "voice"
VIDEO = "video"
FILE = "file"
THUMB = "thumb"  # a video's still picture
MEDIA_KINDS = (IMAGE, VOICE, VIDEO, FILE, THUMB)
# The kind of a file by the major part of its content type (anything else is a file).
KIND_BY_MAJOR_TYPE = {"image": IMAGE, "audio": VOICE, "video": VIDEO}

DEFAULT_MAX_MB = 20
# WeChat and WeCom keep a customer's media this long after the message (temporary media).
PLATFORM_RETENTION = timedelta(days=3)
CHUNK_SIZE = 64 * 1024

# Audio and video containers that Odoo's own sniffing does not know (without libmagic):
# (offset, signature, content type), the longest signatures first.
_SIGNATURES = (
    (0, b"#!AMR-WB\n", "audio/amr-wb"),
    (0, b"#!AMR\n", "audio/amr"),
    (0, b"#!SILK_V3", "audio/silk"),
    (1, b"#!SILK_V3", "audio/silk"),  # WeChat's SILK starts with one byte before the tag
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\xff\xfb", "audio/mpeg"),
    (0, b"\xff\xf3", "audio/mpeg"),
    (0, b"\xff\xf1", "audio/aac"),
    (0, b"\xff\xf9", "audio/aac"),
    (0, b"fLaC", "audio/flac"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
)
_MP4_BRANDS_AUDIO = (b"M4A ", b"M4B ")
_MP4_BRANDS_QUICKTIME = (b"qt  ",)

# Kept: pictures, sound, video, PDF and office documents. Never SVG, HTML or scripts (shown by the
# browser as pages), nor archives and programs.
ALLOWED_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/bmp",
    "image/webp",
    "audio/amr",
    "audio/amr-wb",
    "audio/silk",
    "audio/ogg",
    "audio/mpeg",
    "audio/aac",
    "audio/flac",
    "audio/wav",
    "audio/mp4",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "video/x-msvideo",
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# Voice formats browsers do not play: converted (see tools/voice.py), the original kept.
UNPLAYABLE_AUDIO = {"audio/amr", "audio/amr-wb", "audio/silk"}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/bmp": "bmp",
    "image/webp": "webp",
    "audio/amr": "amr",
    "audio/amr-wb": "awb",
    "audio/silk": "silk",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/aac": "aac",
    "audio/flac": "flac",
    "audio/wav": "wav",
    "audio/mp4": "m4a",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "video/x-msvideo": "avi",
    "application/pdf": "pdf",
}


class MediaError(Exception):
    """A media item that could not be kept now; its text is the note the agents read (no secret in
    it: the connectors' API errors are scrubbed)."""


class MediaUnavailable(MediaError):
    """Not downloaded this time (the platform busy, down, too slow, or refusing for now): tried
    again later, while the platform keeps the file."""


class MediaGone(MediaError):
    """The platform no longer has the file (expired, or an id it does not know): never tried again."""


class MediaRefused(MediaError):
    """The file is not kept: too large, or of a type that is not allowed."""


class MediaTooLarge(MediaRefused):
    pass


class MediaAddressRefused(MediaRefused):
    """The file is not at an address of the platform's API (an address from a payload, or a
    redirect elsewhere): never requested. Its text is the host named."""


def kind_of(mimetype):
    """The media kind (IMAGE, VOICE, VIDEO or FILE) of a content type such as "image/jpeg"."""
    return KIND_BY_MAJOR_TYPE.get((mimetype or "").split("/", 1)[0].strip().lower(), FILE)


def read_capped(chunks, max_bytes):
    """The bytes of a streamed answer (an iterable of byte chunks), or MediaTooLarge as soon as
    they pass `max_bytes`: a file too large is never read whole."""
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > max_bytes:
            raise MediaTooLarge(f"larger than {max_bytes} bytes")
    return bytes(data)


def sniff_mimetype(data):
    """The content type of `data` by its first bytes: Odoo's own sniffing, completed with the audio
    and video containers of the messaging platforms."""
    for offset, signature, mimetype in _SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return mimetype
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _MP4_BRANDS_AUDIO:
            return "audio/mp4"
        return "video/quicktime" if brand in _MP4_BRANDS_QUICKTIME else "video/mp4"
    if data[:4] == b"RIFF":
        if data[8:12] == b"WAVE":
            return "audio/wav"
        if data[8:12] == b"AVI ":
            return "video/x-msvideo"
    return guess_mimetype(data, default="application/octet-stream")


def checked_mimetype(data):
    """The content type of `data` when it is one that is kept, else MediaRefused naming it. The
    platform's Content-Type is not trusted: a page or a program sent as "image/jpeg" is refused."""
    if not data:
        raise MediaRefused("empty file")
    mimetype = sniff_mimetype(data)
    if mimetype not in ALLOWED_TYPES:
        raise MediaRefused(mimetype)
    return mimetype


def file_name(name, reference, kind, mimetype):
    """The attachment's name: the platform's file name when it gave one (without any folder),
    else one made of the kind and the reference, with the extension of the content type."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if name:
        return name[:200]
    extension = EXTENSIONS.get(mimetype)
    stem = f"{kind}-{reference[-24:]}" if reference else kind
    return f"{stem}.{extension}" if extension else stem


def max_bytes(megabytes):
    """The size cap in bytes for a configured number of megabytes (the default when unset or not a
    positive number)."""
    try:
        value = float(megabytes)
    except (TypeError, ValueError):
        value = DEFAULT_MAX_MB
    if value <= 0:
        value = DEFAULT_MAX_MB
    return int(value * 1024 * 1024)
