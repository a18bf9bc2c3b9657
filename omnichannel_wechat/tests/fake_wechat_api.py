# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for api.weixin.qq.com on 127.0.0.1: answers /cgi-bin/token and the customer-service
and template message APIs as WeChat documents them, records every request, and can be told to
answer the next calls with given errors. Each Official Account (AppID) has its own access token
and, once its followers are given, refuses an OpenID that is not one of its own (40003); a template
message sent again with the same client_msg_id is delivered once."""

import json

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi

SEND_ANSWERS = {
    "/cgi-bin/message/custom/send": {"errcode": 0, "errmsg": "ok"},
    "/cgi-bin/message/template/send": {"errcode": 0, "errmsg": "ok", "msgid": 200228332},
}
TEMPLATE_PATH = "/cgi-bin/message/template/send"


class FakeWechatApi(LoopbackApi):
    def __init__(self):
        super().__init__()
        self.queued_errors = []  # (path, errcode, errmsg), answered once each, in order
        self.tokens_issued = 0
        self.tokens = {}  # AppID -> its valid access token
        self.followers = {}  # AppID -> the OpenIDs of its followers (any, for an AppID not given)
        self.delivered = []  # (AppID, path, OpenID) of every message the followers received
        self.client_msg_ids = set()  # (AppID, OpenID, client_msg_id) of the templates delivered

    def answer(self, request):
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
        if path in SEND_ANSWERS:
            return self._send(request)
        return {"errcode": 404, "errmsg": "not found"}

    def _send(self, request):
        app_id = self.app_of(request.query.get("access_token"))
        if not app_id:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        openid = request.json.get("touser")
        if app_id in self.followers and openid not in self.followers[app_id]:
            return {"errcode": 40003, "errmsg": "invalid openid"}
        key = (app_id, openid, request.json.get("client_msg_id"))
        if request.path != TEMPLATE_PATH or not key[2] or key not in self.client_msg_ids:
            self.delivered.append((app_id, request.path, openid))
            if request.path == TEMPLATE_PATH and key[2]:
                self.client_msg_ids.add(key)
        return SEND_ANSWERS[request.path]

    def app_of(self, token):
        """The AppID whose valid access token `token` is, or None."""
        return next((app_id for app_id, valid in self.tokens.items() if valid == token), None)
