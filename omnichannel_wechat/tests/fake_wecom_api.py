# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for qyapi.weixin.qq.com on 127.0.0.1, with the customer-service (微信客服) APIs as
WeCom documents them: it checks the access token, serves each customer-service account's queued
messages page by page behind opaque cursors, takes temporary media as multipart uploads, checks
send_msg's fields and media_id (delivering a msgid once), and
can be told to fail the next calls (or every call to an API until told otherwise), to page without
moving its cursor, or to ignore the offset of the account list. Like the platform, it rate-limits:
past `calls_allowed` calls to one API it answers 45009, so that a client that never stops paging
stops there."""

import json

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi

from .fake_media_get import MEDIA_GET_PATH, FakeMediaStore
from .fake_wechat_api import INVALID_MEDIA_ID, UPLOAD_PATH, UploadedMedia

CORP_ID = "ww5823bf96d3bd56c7"
SECRET = "kf-secret"
OPEN_KFID = "wkIslandToursService01"
RATE_LIMITED = 45009
MEDIA_TYPES = ("image", "voice", "video", "file")


class FakeWecomApi(LoopbackApi):
    def __init__(self, page_size=2):
        super().__init__()
        self.page_size = page_size
        self.tokens_issued = 0
        self.tokens = {}  # corp_id -> its valid access token (a new one voids the previous)
        self.sent_msgids = set()
        self.reset()

    def reset(self):
        """The platform as a test starts with it: one customer-service account, no message."""
        self.requests.clear()
        # Each customer-service account's message log, in order; cursors point into it.
        self.logs = {OPEN_KFID: []}
        self.messages = self.logs[OPEN_KFID]
        self.profiles = {}  # external_userid -> profile
        self.accounts = [{"open_kfid": OPEN_KFID, "name": "Island Tours service"}]
        self.corps = {CORP_ID: SECRET}
        self.queued_errors = []  # (path, errcode, errmsg), answered once each, in order
        self.failing = {}  # path -> (errcode, errmsg), answered to every call until removed
        self.calls_allowed = 1000  # per API, from the last reset
        # A broken platform or gateway: sync_msg says more messages wait but answers the cursor
        # it was given; the account list answers its first page whatever the offset.
        self.stuck_cursor = False
        self.ignore_offset = False
        # Called with each sync_msg request before it is answered (a callback sent meanwhile).
        self.on_sync_msg = None
        self.delivered = []  # (touser, msgid, text) of every message the customers received
        self.media = FakeMediaStore()  # what the customers sent, served by media/get
        self.uploads = UploadedMedia(MEDIA_TYPES)
        self.media_delivered = []  # (touser, msgid, type, file name, bytes) of the media received

    def answer(self, request):
        if request.path == MEDIA_GET_PATH:
            valid = request.query.get("access_token") in self.tokens.values()
            return self.media.answer(request, valid)
        return 200, "application/json", json.dumps(self._answer_data(request))

    def _error(self, path):
        """The error this call to `path` is told to answer, or None."""
        for index, (error_path, errcode, errmsg) in enumerate(self.queued_errors):
            if error_path == path:
                del self.queued_errors[index]
                return {"errcode": errcode, "errmsg": errmsg}
        if path in self.failing:
            errcode, errmsg = self.failing[path]
            return {"errcode": errcode, "errmsg": errmsg}
        if len(self.calls(path)) > self.calls_allowed:
            return {"errcode": RATE_LIMITED, "errmsg": "api freq out of limit"}
        return None

    def _answer_data(self, request):
        path = request.path
        error = self._error(path)
        if error:
            return error
        if path == "/cgi-bin/gettoken":
            corp_id = request.query.get("corpid")
            if corp_id not in self.corps or request.query.get("corpsecret") != self.corps[corp_id]:
                return {"errcode": 40001, "errmsg": "invalid secret"}
            self.tokens_issued += 1
            self.tokens[corp_id] = f"WW-{self.tokens_issued}"
            return {"errcode": 0, "access_token": self.tokens[corp_id], "expires_in": 7200}
        if request.query.get("access_token") not in self.tokens.values():
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        # Looked up at each call: a test may replace one of them on the instance.
        json_handlers = {
            "/cgi-bin/kf/account/list": self._accounts,
            "/cgi-bin/kf/sync_msg": self._sync_msg,
            "/cgi-bin/kf/customer/batchget": self._customers,
        }
        if path in json_handlers:
            return json_handlers[path](request.json)
        handler = {"/cgi-bin/kf/send_msg": self._send_msg, UPLOAD_PATH: self._upload}.get(path)
        return handler(request) if handler else {"errcode": 404, "errmsg": "not found"}

    def _upload(self, request):
        return self.uploads.upload(self._corp_of(request.query["access_token"]), request)

    def _accounts(self, body):
        offset, limit = body.get("offset", 0), body.get("limit", 100)
        if self.ignore_offset:
            offset = 0
        return {"errcode": 0, "account_list": self.accounts[offset : offset + limit]}

    def _sync_msg(self, body):
        log = self.logs.get(body.get("open_kfid"))
        if log is None or not 0 < body.get("limit", 0) <= 1000:
            return {"errcode": 40058, "errmsg": "invalid parameter"}
        start = int(body["cursor"].removeprefix("C")) if body.get("cursor") else 0
        end = min(start + self.page_size, len(log))
        answer = {
            "errcode": 0,
            "next_cursor": f"C{end}",
            "has_more": int(end < len(log)),
            "msg_list": log[start:end],
        }
        if self.stuck_cursor:
            answer.update(next_cursor=body.get("cursor") or "", has_more=1)
        if self.on_sync_msg:
            self.on_sync_msg(body)
        return answer

    def _customers(self, body):
        ids = body.get("external_userid_list") or []
        if len(ids) > 100:
            return {"errcode": 40058, "errmsg": "too many ids"}
        return {
            "errcode": 0,
            "customer_list": [self.profiles[i] for i in ids if i in self.profiles],
            "invalid_external_userid": [i for i in ids if i not in self.profiles],
        }

    def _corp_of(self, token):
        return next(corp_id for corp_id, valid in self.tokens.items() if valid == token)

    def _send_msg(self, request):
        body, corp_id = request.json, self._corp_of(request.query["access_token"])
        msgtype = body.get("msgtype")
        if body.get("open_kfid") not in self.logs or msgtype not in ("text", *MEDIA_TYPES):
            return {"errcode": 40058, "errmsg": "invalid parameter"}
        content = body.get(msgtype) or {}
        if not body.get("touser") or not content.get(
            "content" if msgtype == "text" else "media_id"
        ):
            return {"errcode": 40058, "errmsg": "invalid parameter"}
        uploaded = msgtype == "text" or self.uploads.named(corp_id, msgtype, content["media_id"])
        if not uploaded:
            return {"errcode": INVALID_MEDIA_ID, "errmsg": "invalid media_id"}
        # The msgid is the sender's (WeCom returns it as given): a message sent again with the
        # same msgid is the same message, delivered once.
        msgid = body.get("msgid")
        if msgid not in self.sent_msgids:
            self.sent_msgids.add(msgid)
            if msgtype == "text":
                self.delivered.append((body["touser"], msgid, content["content"]))
            else:
                self.media_delivered.append(
                    (body["touser"], msgid, msgtype, uploaded[2], uploaded[4])
                )
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}

    def add_account(self, open_kfid, name):
        """Another customer-service account, with its own message log."""
        self.accounts.append({"open_kfid": open_kfid, "name": name})
        self.logs[open_kfid] = []

    def customer_writes(
        self, msgid, external_userid, text, send_time, origin=3, open_kfid=OPEN_KFID
    ):
        self.logs[open_kfid].append(
            {
                "msgid": msgid,
                "open_kfid": open_kfid,
                "external_userid": external_userid,
                "send_time": send_time,
                "origin": origin,
                "msgtype": "text",
                "text": {"content": text},
            }
        )

    def event(self, msgid, event, send_time):
        self.messages.append(
            {
                "msgid": msgid,
                "send_time": send_time,
                "origin": 4,
                "msgtype": "event",
                "event": {"open_kfid": OPEN_KFID, **event},
            }
        )
