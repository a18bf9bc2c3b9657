# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for api.weixin.qq.com on 127.0.0.1: answers /cgi-bin/token and the customer-service
and template message APIs as WeChat documents them, records every request, and can be told to
answer the next calls with given errors. Each Official Account (AppID) has its own access token
and, once its followers are given, refuses an OpenID that is not one of its own (40003); a template
message sent again with the same client_msg_id is delivered once. Temporary media are uploaded as
the platform takes them (multipart, field "media", with its file name) and an image, voice or video
message must name a media_id the account uploaded as that type."""

import json
import time
from email import message_from_bytes
from email.policy import HTTP

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi

from .fake_media_get import MEDIA_GET_PATH, FakeMediaStore

SEND_ANSWERS = {
    "/cgi-bin/message/custom/send": {"errcode": 0, "errmsg": "ok"},
    "/cgi-bin/message/template/send": {"errcode": 0, "errmsg": "ok", "msgid": 200228332},
}
TEMPLATE_PATH = "/cgi-bin/message/template/send"
UPLOAD_PATH = "/cgi-bin/media/upload"
MEDIA_TYPES = ("image", "voice", "video", "thumb")
INVALID_MEDIA_ID = 40007


def multipart_files(request):
    """{field name: (file name, content type, bytes)} of the files in a multipart/form-data
    request body, parsed as a server does: a body that is not multipart has none."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return {}
    message = message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + request.body, policy=HTTP
    )
    return {
        part.get_param("name", header="content-disposition"): (
            part.get_filename(),
            part.get_content_type(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
        if part.get_filename()
    }


class UploadedMedia:
    """The platform's temporary media: upload answers a media_id, which messages then name."""

    def __init__(self, media_types):
        self.media_types = media_types
        self.media = {}  # media_id -> (owner, type, file name, content type, bytes)

    def upload(self, owner, request):
        kind = request.query.get("type")
        if kind not in self.media_types:
            return {"errcode": 40004, "errmsg": "invalid media type"}
        files = multipart_files(request)
        if "media" not in files or not files["media"][0]:
            return {"errcode": 41005, "errmsg": "media data missing"}
        media_id = f"MEDIA-{len(self.media) + 1}"
        self.media[media_id] = (owner, kind, *files["media"])
        return {"type": kind, "media_id": media_id, "created_at": int(time.time())}

    def named(self, owner, kind, media_id):
        """The uploaded media `media_id` of `owner` when it is of type `kind`, else None."""
        uploaded = self.media.get(media_id)
        return uploaded if uploaded and uploaded[:2] == (owner, kind) else None


class FakeWechatApi(LoopbackApi):
    def __init__(self):
        super().__init__()
        self.queued_errors = []  # (path, errcode, errmsg), answered once each, in order
        self.tokens_issued = 0
        self.tokens = {}  # AppID -> its valid access token
        self.followers = {}  # AppID -> the OpenIDs of its followers (any, for an AppID not given)
        self.delivered = []  # (AppID, path, OpenID) of every message the followers received
        self.client_msg_ids = set()  # (AppID, OpenID, client_msg_id) of the templates delivered
        self.media = FakeMediaStore()  # what the followers sent, served by media/get
        self.uploads = UploadedMedia(MEDIA_TYPES)
        self.media_delivered = []  # (OpenID, type, file name, bytes) of the media delivered

    def answer(self, request):
        if request.path == MEDIA_GET_PATH:
            return self.media.answer(request, bool(self.app_of(request.query.get("access_token"))))
        data = self._answer_data(request)
        return 200, "application/json", json.dumps(data)

    def _answer_data(self, request):
        path, query = request.path, request.query
        for index, (error_path, errcode, errmsg) in enumerate(self.queued_errors):
            if error_path == path:
                del self.queued_errors[index]
                return {"errcode": errcode, "errmsg": errmsg}
        if path == "/cgi-bin/token":
            if query.get("secret") != "app-secret":
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            self.tokens_issued += 1
            self.tokens[query.get("appid")] = f"TOKEN-{self.tokens_issued}"
            return {"access_token": f"TOKEN-{self.tokens_issued}", "expires_in": 7200}
        handler = {UPLOAD_PATH: self._upload, **dict.fromkeys(SEND_ANSWERS, self._send)}.get(path)
        return handler(request) if handler else {"errcode": 404, "errmsg": "not found"}

    def _upload(self, request):
        app_id = self.app_of(request.query.get("access_token"))
        if not app_id:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        return self.uploads.upload(app_id, request)

    def _send(self, request):
        app_id = self.app_of(request.query.get("access_token"))
        if not app_id:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        openid = request.json.get("touser")
        if app_id in self.followers and openid not in self.followers[app_id]:
            return {"errcode": 40003, "errmsg": "invalid openid"}
        msgtype = request.json.get("msgtype")
        if request.path != TEMPLATE_PATH and msgtype != "text":
            media_id = (request.json.get(msgtype) or {}).get("media_id")
            uploaded = self.uploads.named(app_id, msgtype, media_id)
            if not uploaded:
                return {"errcode": INVALID_MEDIA_ID, "errmsg": "invalid media_id"}
            self.media_delivered.append((openid, msgtype, uploaded[2], uploaded[4]))
        key = (app_id, openid, request.json.get("client_msg_id"))
        if request.path != TEMPLATE_PATH or not key[2] or key not in self.client_msg_ids:
            self.delivered.append((app_id, request.path, openid))
            if request.path == TEMPLATE_PATH and key[2]:
                self.client_msg_ids.add(key)
        return SEND_ANSWERS[request.path]

    def app_of(self, token):
        """The AppID whose valid access token `token` is, or None."""
        return next((app_id for app_id, valid in self.tokens.items() if valid == token), None)
