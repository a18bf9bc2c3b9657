# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Aliyun SMS (dysmsapi 2017-05-25): SendSms and SendBatchSms over the signed RPC API, delivery
receipts (SmsReport) and replies (SmsUp) pushed over HTTP as JSON arrays."""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from .base import (
    ACCEPTED,
    DELIVERED,
    FAILED,
    InboundSms,
    Receipt,
    SendResult,
    SmsGateway,
    distinct_chunks,
    parse_items,
)

API_URL = "https://dysmsapi.aliyuncs.com/"
TRANSIENT_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL",
    "isp.SYSTEM_ERROR",
    "isp.GATEWAY_ERROR",
    "isp.RAM_PERMISSION_DENY",
    "ServiceUnavailable",
    "InternalError",
}
# SendBatchSms: up to 100 numbers, with their own parameters.
BATCH_SMS_SIZE = 100


def json_text(value):
    return json.dumps(value, ensure_ascii=False)


def percent_encode(value):
    """RFC 3986 encoding as the Aliyun RPC signature defines it."""
    return quote(str(value), safe="~")


def rpc_signature(secret, method, params):
    """Signature of an RPC request (SignatureMethod HMAC-SHA1, SignatureVersion 1.0)."""
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(params[key])}" for key in sorted(params)
    )
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def aliyun_number(e164):
    """Mainland numbers as their 11 digits, others with their country code, no plus."""
    digits = e164.lstrip("+")
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


class AliyunGateway(SmsGateway):
    invalid_number_codes = frozenset({"isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT"})
    opted_out_codes = frozenset({"isv.BLACK_KEY_CONTROL_LIMIT"})
    credit_codes = frozenset({"isv.AMOUNT_NOT_ENOUGH", "isv.OUT_OF_SERVICE"})
    requires_template = True
    webhook_answer = ('{"code":0,"msg":"成功"}', "application/json; charset=utf-8")

    # SendSms: up to 1,000 numbers with one template and parameter set.
    batch_size = 1000

    def calls(self, messages):
        """SendSms for messages that share their template and parameters (up to 1,000 numbers a
        call); SendBatchSms, parameters per number, for the others of one template (up to 100)."""
        shared, alone = [], {}
        for call in super().calls(messages):
            if len(call) > 1:
                shared.append(call)
            else:
                alone.setdefault(call[0].template_code, []).extend(call)
        return shared + [
            call for group in alone.values() for call in distinct_chunks(group, BATCH_SMS_SIZE)
        ]

    def wire_number(self, number):
        return aliyun_number(number)

    def _send_batch(self, messages):
        """One SendSms or SendBatchSms call. Aliyun answers one BizId for the call, refuses the
        call as a whole, and echoes the call's reference (its first message's) in receipts."""
        config = self.config
        first = messages[0]
        numbers = [self.wire_number(message.number) for message in messages]
        params = {
            "AccessKeyId": config.account,
            "Format": "JSON",
            "OutId": first.reference,
            "RegionId": config.region or "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": first.template_code,
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        if len({self.batch_key(message) for message in messages}) == 1:
            params.update(Action="SendSms", PhoneNumbers=",".join(numbers), SignName=config.sender)
            if first.template_params:
                params["TemplateParam"] = json_text(first.template_params)
        else:
            params.update(
                Action="SendBatchSms",
                PhoneNumberJson=json_text(numbers),
                SignNameJson=json_text([config.sender] * len(messages)),
                TemplateParamJson=json_text([message.template_params for message in messages]),
            )
        params["Signature"] = rpc_signature(config.secret, "POST", params)
        response = self.session.post(
            config.endpoint or API_URL, data=params, timeout=config.timeout
        )
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        code = answer.get("Code") or str(response.status_code)
        if code == "OK":
            result = SendResult(ACCEPTED, provider_ref=answer.get("BizId") or "")
        else:
            transient = code in TRANSIENT_CODES or code.startswith("Throttling")
            result = self.refusal(response, code, answer.get("Message"), transient=transient)
        return [result] * len(messages)

    def parse_receipts(self, request):
        return parse_items(request, ("biz_id",), self._receipt, array_only=True)

    @staticmethod
    def _receipt(item):
        success = item.get("success") in (True, "true", "True")
        return Receipt(
            DELIVERED if success else FAILED,
            provider_ref=str(item["biz_id"]),
            reference=str(item.get("out_id") or ""),
            error_code="" if success else str(item.get("err_code") or ""),
            error_message="" if success else str(item.get("err_msg") or ""),
            number=str(item.get("phone_number") or ""),
        )

    def parse_inbound(self, request):
        return parse_items(request, ("phone_number", "send_time"), self._inbound, array_only=True)

    @staticmethod
    def _inbound(item):
        # SmsUp has no message id: the number, time and sequence identify a reply.
        number = str(item["phone_number"])
        return InboundSms(
            # Replies come from mainland numbers, written without their country code.
            number=number if number.startswith(("+", "00")) else f"+86{number}",
            body=str(item.get("content") or ""),
            external_ref=f"{item['phone_number']}:{item['send_time']}:{item.get('sequence_id', '')}",
            to_number=str(item.get("dest_code") or ""),
        )
