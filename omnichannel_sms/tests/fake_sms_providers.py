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
        # Twilio's customers' files: media sid -> (bytes, content type); where the API redirects
        # a file's request (default: its signed address on this server's /cdn/).
        self.media = {}
        self.media_redirect = {}
        self.cdn_redirect = {}  # media sid -> where its CDN address redirects again

    def answer(self, request):
        if request.method == "GET" and "/Media/" in request.path:
            return self._twilio_media(request)
        if request.path.startswith("/cdn/"):
            return self._twilio_cdn(request)
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

    def _twilio_authenticated(self, request):
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        return request.headers.get("authorization") == expected

    def _twilio_media(self, request):
        """A message's file on the API: with the account's credentials, a redirect to its signed
        address on the CDN, as Twilio answers."""
        if not self._twilio_authenticated(request):
            return self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
        sid = request.path.rsplit("/", 1)[-1]
        if sid not in self.media:
            return self._json(404, {"code": 20404, "message": "Not found", "status": 404})
        location = self.media_redirect.get(sid, f"/cdn/{sid}?Signature=signed")
        return 307, "text/plain", "", {"Location": location}

    def _twilio_cdn(self, request):
        sid = request.path.rsplit("/", 1)[-1]
        if sid in self.cdn_redirect:
            return 302, "text/plain", "", {"Location": self.cdn_redirect[sid]}
        data, content_type = self.media[sid]
        return 200, content_type, data

    def _twilio(self, request):
        if not self._twilio_authenticated(request):
            return self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
        form = dict(parse_qsl(request.body.decode()))
        if form["To"] in self.refuse_numbers:
            code = self.refuse_numbers[form["To"]]
            return self._json(400, {"code": int(code), "message": "refused", "status": 400})
        sid = f"SM{len(self.requests):032d}"
        self.accepted.append(("twilio", form["To"], form["Body"]))
        return self._json(201, {"sid": sid, "status": "queued", "to": form["To"]})

    def _aliyun(self, request):
        """SendSms (PhoneNumbers: up to 1,000, comma-separated, one TemplateParam) and
        SendBatchSms (PhoneNumberJson, SignNameJson, TemplateParamJson: up to 100, one each). One
        number Aliyun refuses fails the whole call, as Aliyun does."""
        params = dict(parse_qsl(request.body.decode()))
        signature = params.pop("Signature", "")
        if params.get("AccessKeyId") != ALIYUN_KEY_ID or signature != rpc_signature(
            ALIYUN_SECRET, "POST", params
        ):
            return self._json(
                400,
                {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"},
            )
        if params["Action"] == "SendBatchSms":
            numbers = json.loads(params["PhoneNumberJson"])
            signs = json.loads(params["SignNameJson"])
            template_params = json.loads(params["TemplateParamJson"])
            limit = 100
            well_formed = len(signs) == len(template_params) == len(numbers)
        else:
            numbers = params["PhoneNumbers"].split(",")
            limit, well_formed = 1000, True
        if not well_formed or len(numbers) > limit:
            return self._json(
                200,
                {"Code": "isv.MOBILE_COUNT_OVER_LIMIT", "Message": "bad batch", "RequestId": "R1"},
            )
        refused = [number for number in numbers if number in self.refuse_numbers]
        if refused:
            code = self.refuse_numbers[refused[0]]
            return self._json(200, {"Code": code, "Message": "refused", "RequestId": "R1"})
        biz_id = f"{len(self.requests):06d}^0"
        self.accepted.extend(("aliyun", number, params.get("OutId")) for number in numbers)
        self.last_aliyun = params
        return self._json(200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": "R1"})

    def _tencent(self, request):
        """SendSms (PhoneNumberSet: up to 200, one template and TemplateParamSet): a
        SendStatusSet entry per number, refused numbers with their own code."""
        payload = request.body.decode()
        timestamp = int(request.headers.get("x-tc-timestamp") or 0)
        expected = tc3_authorization(
            TENCENT_ID, TENCENT_KEY, "sms", request.headers.get("host"), payload, timestamp
        )
        if request.headers.get("authorization") != expected:
            return self._tencent_error("AuthFailure.SignatureFailure", "bad")
        data = json.loads(payload)
        if len(data["PhoneNumberSet"]) > 200:
            return self._tencent_error("LimitExceeded.PhoneNumberCountLimit", "over 200")
        statuses = []
        for number in data["PhoneNumberSet"]:
            if number in self.refuse_numbers:
                statuses.append(
                    {
                        "Code": self.refuse_numbers[number],
                        "Message": "refused",
                        "SerialNo": "",
                        "PhoneNumber": number,
                        "Fee": 0,
                        "SessionContext": data["SessionContext"],
                        "IsoCode": "CN",
                    }
                )
                continue
            self.accepted.append(("tencent", number, data["SessionContext"]))
            statuses.append(
                {
                    "Code": "Ok",
                    "Message": "send success",
                    "PhoneNumber": number,
                    "Fee": 1,
                    "SerialNo": f"2028:{len(self.requests):06d}{len(statuses):04d}",
                    "SessionContext": data["SessionContext"],
                    "IsoCode": "CN",
                }
            )
        self.last_tencent = data
        return self._json(200, {"Response": {"SendStatusSet": statuses, "RequestId": "R1"}})

    def _tencent_error(self, code, message):
        return self._json(
            200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "R1"}}
        )

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
