# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for qyapi.weixin.qq.com on 127.0.0.1, with the customer-service (微信客服) APIs as
WeCom documents them: it checks the access token, serves the queued messages page by page behind
opaque cursors, checks send_msg's fields, and can be told to fail the next calls."""

import json

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi

CORP_ID = "ww5823bf96d3bd56c7"
SECRET = "kf-secret"
OPEN_KFID = "wkIslandToursService01"


class FakeWecomApi(LoopbackApi):
    def __init__(self, page_size=2):
        super().__init__()
        self.page_size = page_size
        self.messages = []  # the platform's message log, in order; cursors point into it
        self.profiles = {}  # external_userid -> profile
        self.accounts = [{"open_kfid": OPEN_KFID, "name": "Island Tours service"}]
        self.queued_errors = []  # (path, errcode, errmsg), answered once each, in order
        self.tokens_issued = 0
        self.sent_msgids = set()

    def answer(self, request):
        return 200, "application/json", json.dumps(self._answer_data(request))

    def _answer_data(self, request):
        path = request.path
        for index, (error_path, errcode, errmsg) in enumerate(self.queued_errors):
            if error_path == path:
                del self.queued_errors[index]
                return {"errcode": errcode, "errmsg": errmsg}
        if path == "/cgi-bin/gettoken":
            if request.query.get("corpid") != CORP_ID or request.query.get("corpsecret") != SECRET:
                return {"errcode": 40001, "errmsg": "invalid secret"}
            self.tokens_issued += 1
            return {"errcode": 0, "access_token": f"WW-{self.tokens_issued}", "expires_in": 7200}
        if request.query.get("access_token") != f"WW-{self.tokens_issued}":
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        handler = {
            "/cgi-bin/kf/account/list": self._accounts,
            "/cgi-bin/kf/sync_msg": self._sync_msg,
            "/cgi-bin/kf/customer/batchget": self._customers,
            "/cgi-bin/kf/send_msg": self._send_msg,
        }.get(path)
        if not handler:
            return {"errcode": 404, "errmsg": "not found"}
        return handler(request.json)

    def _accounts(self, body):
        offset, limit = body.get("offset", 0), body.get("limit", 100)
        return {"errcode": 0, "account_list": self.accounts[offset : offset + limit]}

    def _sync_msg(self, body):
        if body.get("open_kfid") != OPEN_KFID or not 0 < body.get("limit", 0) <= 1000:
            return {"errcode": 40058, "errmsg": "invalid parameter"}
        start = int(body["cursor"].removeprefix("C")) if body.get("cursor") else 0
        end = min(start + self.page_size, len(self.messages))
        return {
            "errcode": 0,
            "next_cursor": f"C{end}",
            "has_more": int(end < len(self.messages)),
            "msg_list": self.messages[start:end],
        }

    def _customers(self, body):
        ids = body.get("external_userid_list") or []
        if len(ids) > 100:
            return {"errcode": 40058, "errmsg": "too many ids"}
        return {
            "errcode": 0,
            "customer_list": [self.profiles[i] for i in ids if i in self.profiles],
            "invalid_external_userid": [i for i in ids if i not in self.profiles],
        }

    def _send_msg(self, body):
        if body.get("open_kfid") != OPEN_KFID or body.get("msgtype") != "text":
            return {"errcode": 40058, "errmsg": "invalid parameter"}
        if not body.get("touser") or not (body.get("text") or {}).get("content"):
            return {"errcode": 40058, "errmsg": "invalid parameter"}
        msgid = body.get("msgid")
        if msgid in self.sent_msgids:
            return {"errcode": 95014, "errmsg": "duplicate msgid"}
        self.sent_msgids.add(msgid)
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}

    def customer_writes(self, msgid, external_userid, text, send_time, origin=3):
        self.messages.append(
            {
                "msgid": msgid,
                "open_kfid": OPEN_KFID,
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
