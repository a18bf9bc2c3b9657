# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""cgi-bin/media/get as WeChat and WeCom answer it, for the loopback platforms: the file's bytes
with its Content-Type and Content-disposition, or the error JSON (40007) for a media id the
platform does not know or whose file expired. A test stores what a customer sent with `add`; the
platform's own content type is whatever the test says (a page sent as a picture, for instance)."""

import json
from urllib.parse import quote

MEDIA_GET_PATH = "/cgi-bin/media/get"
INVALID_MEDIA = {"errcode": 40007, "errmsg": "invalid media_id"}


class FakeMediaStore:
    def __init__(self):
        self.files = {}  # media_id -> (bytes, content type, file name)
        self.video_urls = {}  # media_id -> the address the platform answers for a video

    def add(self, media_id, data, content_type, filename=None):
        self.files[media_id] = (data, content_type, filename or f"{media_id}.bin")

    def expire(self, media_id):
        self.files.pop(media_id, None)

    def answer(self, request, token_valid):
        """(status, content type, body, headers) of a media/get request."""
        if not token_valid:
            return 200, "application/json", json.dumps({"errcode": 40014, "errmsg": "invalid"}), {}
        media_id = request.query.get("media_id")
        if media_id in self.video_urls:
            return 200, "text/plain", json.dumps({"video_url": self.video_urls[media_id]}), {}
        if media_id not in self.files:
            # As the platform does: JSON, labelled as text.
            return 200, "text/plain", json.dumps(INVALID_MEDIA), {}
        data, content_type, filename = self.files[media_id]
        return (
            200,
            content_type,
            data,
            {"Content-disposition": _disposition(filename), "Cache-Control": "no-cache"},
        )


def _disposition(filename):
    """As the platforms send it: the UTF-8 name in RFC 5987 form when it is not ASCII."""
    if filename.isascii():
        return f'attachment; filename="{filename}"'
    return f"attachment; filename*=UTF-8''{quote(filename)}"
