# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A stand-in for api.weixin.qq.com on 127.0.0.1: answers /cgi-bin/token and the customer-service
and template message APIs as WeChat documents them, records every request, and can be told to
answer the next calls with given errors."""

import json

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi

SEND_ANSWERS = {
    "/cgi-bin/message/custom/send": {"errcode": 0, "errmsg": "ok"},
    "/cgi-bin/message/template/send": {"errcode": 0, "errmsg": "ok", "msgid": 200228332},
}


class FakeWechatApi(LoopbackApi):
    def __init__(self):
        super().__init__()
        self.queued_errors = []  # (path, errcode, errmsg), answered once each, in order
        self.tokens_issued = 0

    def answer(self, request):
        data = self._answer_data(request.path, request.query)
        return 200, "application/json", json.dumps(data)

    def _answer_data(self, path, query):
        for index, (error_path, errcode, errmsg) in enumerate(self.queued_errors):
            if error_path == path:
                del self.queued_errors[index]
                return {"errcode": errcode, "errmsg": errmsg}
        if path == "/cgi-bin/token":
            if query.get("secret") != "app-secret":
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            self.tokens_issued += 1
            return {"access_token": f"TOKEN-{self.tokens_issued}", "expires_in": 7200}
        if path in SEND_ANSWERS:
            if query.get("access_token") != f"TOKEN-{self.tokens_issued}":
                return {"errcode": 40001, "errmsg": "invalid credential"}
            return SEND_ANSWERS[path]
        return {"errcode": 404, "errmsg": "not found"}
