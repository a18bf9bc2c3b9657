# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Twilio, Aliyun, Tencent Cloud and a generic gateway on 127.0.0.1, each checking the request's
authentication the way the provider documents it and answering in the provider's format."""

import base64
import json
import re
from urllib.parse import parse_qsl

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi

from ..tools.gateways.aliyun import rpc_signature
from ..tools.gateways.tencent import tc3_authorization

TWILIO_SID = "AC0123456789abcdef0123456789abcdef"
TWILIO_TOKEN = "twilio-auth-token"
ALIYUN_KEY_ID = "LTAI5tTestKeyId"
ALIYUN_SECRET = "aliyun-test-secret"
TENCENT_ID = "AKIDtestSecretId"
TENCENT_KEY = "tencent-test-secret-key"
TENCENT_APP = "1400006666"
HTTP_TOKEN = "Bearer gateway-token"


class FakeSmsProviders(LoopbackApi):
    def __init__(self):
        super().__init__()
        self.accepted = []  # (provider, number, reference or body) of every message taken
        self.refuse_numbers = {}  # number -> provider error code

    def answer(self, request):
        if request.path.startswith("/2010-04-01/Accounts/"):
            return self._twilio(request)
        handler = {
            "/aliyun/": self._aliyun,
            "/tencent": self._tencent,
            "/gateway/send": self._gateway,
            "/gateway/echo": self._gateway_echo,
        }.get(request.path)
        return handler(request) if handler else (404, "text/plain", "not found")

    def _json(self, status, data):
        return status, "application/json", json.dumps(data)

    def _twilio(self, request):
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
        form = dict(parse_qsl(request.body.decode()))
        if form["To"] in self.refuse_numbers:
            code = self.refuse_numbers[form["To"]]
            return self._json(400, {"code": int(code), "message": "refused", "status": 400})
        sid = f"SM{len(self.requests):032d}"
        self.accepted.append(("twilio", form["To"], form["Body"]))
        return self._json(201, {"sid": sid, "status": "queued", "to": form["To"]})

    def _aliyun(self, request):
        params = dict(parse_qsl(request.body.decode()))
        signature = params.pop("Signature", "")
        if params.get("AccessKeyId") != ALIYUN_KEY_ID or signature != rpc_signature(
            ALIYUN_SECRET, "POST", params
        ):
            return self._json(
                400,
                {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"},
            )
        if params["PhoneNumbers"] in self.refuse_numbers:
            code = self.refuse_numbers[params["PhoneNumbers"]]
            return self._json(200, {"Code": code, "Message": "refused", "RequestId": "R1"})
        biz_id = f"{len(self.requests):06d}^0"
        self.accepted.append(("aliyun", params["PhoneNumbers"], params["OutId"]))
        self.last_aliyun = params
        return self._json(200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": "R1"})

    def _tencent(self, request):
        payload = request.body.decode()
        timestamp = int(request.headers.get("x-tc-timestamp") or 0)
        expected = tc3_authorization(
            TENCENT_ID, TENCENT_KEY, "sms", request.headers.get("host"), payload, timestamp
        )
        if request.headers.get("authorization") != expected:
            return self._json(
                200,
                {
                    "Response": {
                        "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad"},
                        "RequestId": "R1",
                    }
                },
            )
        data = json.loads(payload)
        number = data["PhoneNumberSet"][0]
        if number in self.refuse_numbers:
            status = {
                "Code": self.refuse_numbers[number],
                "Message": "refused",
                "SerialNo": "",
                "PhoneNumber": number,
            }
        else:
            status = {
                "Code": "Ok",
                "Message": "send success",
                "PhoneNumber": number,
                "Fee": 1,
                "SerialNo": f"2028:{len(self.requests):010d}",
                "SessionContext": data["SessionContext"],
                "IsoCode": "CN",
            }
            self.accepted.append(("tencent", number, data["SessionContext"]))
            self.last_tencent = data
        return self._json(200, {"Response": {"SendStatusSet": [status], "RequestId": "R1"}})

    def _gateway(self, request):
        if request.headers.get("authorization") != HTTP_TOKEN:
            return self._json(401, {"error": "unauthorized"})
        data = request.json
        self.accepted.append(("http", data["to"], data["ref"]))
        return self._json(200, {"data": {"id": f"gw-{len(self.requests)}"}})

    def _gateway_echo(self, request):
        """A gateway whose refusals quote the request, as many do."""
        echo = f"invalid request {request.headers.get('authorization')} {request.body.decode()}"
        return 400, "text/plain", echo

    def accepted_numbers(self):
        return [re.sub(r"\D", "", number)[-11:] for _provider, number, _ref in self.accepted]
