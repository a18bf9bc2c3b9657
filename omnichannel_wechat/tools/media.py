# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The temporary media the WeChat Official Account and WeCom platforms accept, and how an agent's
attachment goes out on each: as the message type its file fits (image, voice, video, or on WeCom a
file), or refused before any upload, with the limit it breaks. Pure: no ORM."""

from collections import namedtuple

from odoo.addons.omnichannel_crm.tools.media import kind_of

MB = 1024 * 1024
KB = 1024

# Per platform, per message type: the largest file (bytes) and the formats (file extensions)
# the platform takes as temporary media (None: any format).
Limit = namedtuple("Limit", ["max_size", "formats"])
LIMITS = {
    # Official Account temporary media (素材管理 / 新增临时素材). A voice also lasts at most 60
    # seconds, which the platform checks: a file's length is not known before the upload. There is
    # no customer-service "file" message; "thumb" is the cover of a video, not an attachment.
    "wechat": {
        "image": Limit(10 * MB, ("bmp", "png", "jpeg", "jpg", "gif")),
        "voice": Limit(2 * MB, ("amr", "mp3")),
        "video": Limit(10 * MB, ("mp4",)),
        "thumb": Limit(64 * KB, ("jpg",)),
    },
    # WeCom temporary media (上传临时素材): the kf send_msg message types with a media_id.
    "wecom": {
        "image": Limit(10 * MB, ("jpg", "jpeg", "png")),
        "voice": Limit(2 * MB, ("amr",)),
        "video": Limit(10 * MB, ("mp4",)),
        "file": Limit(20 * MB, None),
    },
}
# WeCom refuses media of 5 bytes or fewer.
MIN_SIZE = {"wechat": 1, "wecom": 6}
# Why an attachment cannot go: its kind has no message on this platform, its format is not one
# the platform takes for its kind, it is too large, or it is empty.
NO_SUCH_MESSAGE = "no_such_message"
WRONG_FORMAT = "wrong_format"
TOO_LARGE = "too_large"
EMPTY = "empty"
Refusal = namedtuple("Refusal", ["reason", "kind", "limit"])


def extension(filename):
    """The lower-case extension of `filename`, without its dot ("" when it has none)."""
    _stem, dot, ext = (filename or "").rpartition(".")
    return ext.lower() if dot else ""


def media_kind(platform, mimetype, filename, size):
    """(message type, None) for an attachment that `platform` takes, else (None, Refusal). An
    image, a sound or a video in a format the platform does not take as such goes as a file where
    the platform has file messages (WeCom), within the file's own limit."""
    limits = LIMITS[platform]
    kind = kind_of(mimetype)  # the message type an attachment is meant as
    if size < MIN_SIZE[platform]:
        return None, Refusal(EMPTY, kind, limits.get(kind))
    refusal = _refusal(limits, kind, extension(filename), size)
    if refusal and refusal.reason == WRONG_FORMAT and "file" in limits:
        if not _refusal(limits, "file", extension(filename), size):
            return "file", None
    return (None, refusal) if refusal else (kind, None)


def _refusal(limits, kind, ext, size):
    limit = limits.get(kind)
    if not limit:
        return Refusal(NO_SUCH_MESSAGE, kind, None)
    if limit.formats is not None and ext not in limit.formats:
        return Refusal(WRONG_FORMAT, kind, limit)
    if size > limit.max_size:
        return Refusal(TOO_LARGE, kind, limit)
    return None


def size_label(size):
    """A size as the platforms' documents write their limits: 10 MB, 64 KB."""
    if size >= MB:
        return f"{round(size / MB, 1):g} MB"
    return f"{round(size / KB, 1):g} KB"
