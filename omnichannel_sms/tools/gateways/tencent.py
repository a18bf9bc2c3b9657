# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tencent Cloud SMS (API 3.0, version 2021-01-11): SendSms signed with TC3-HMAC-SHA256, delivery
status and reply callbacks pushed as JSON."""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from urllib.parse import urlparse

from .base import (
    ACCEPTED,
    DELIVERED,
    FAILED,
    PERMANENT,
    InboundSms,
    Receipt,
    SendResult,
    SmsGateway,
    parse_items,
)

API_URL = "https://sms.tencentcloudapi.com"
SERVICE = "sms"
VERSION = "2021-01-11"
TRANSIENT_PREFIXES = (
    "RequestLimitExceeded",
    "InternalError",
    "LimitExceeded.DeliveryFrequencyLimit",
    "LimitExceeded.PhoneNumberThirtySecondLimit",
    "LimitExceeded.PhoneNumberOneHourLimit",
)


def tc3_authorization(
    secret_id, secret_key, service, host, payload, timestamp, content_type="application/json"
):
    """The Authorization header of a POST request signed with TC3-HMAC-SHA256."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical_headers = f"content-type:{content_type}\nhost:{host}\n"
    signed_headers = "content-type;host"
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            canonical_headers,
            signed_headers,
            hashlib.sha256(payload.encode()).hexdigest(),
        ]
    )
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(timestamp),
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )

    def _hmac(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )


def e164(item):
    """The number of a callback item: `mobile` in its country `nationcode` (86 when absent)."""
    return f"+{item.get('nationcode') or '86'}{item['mobile']}"


class TencentGateway(SmsGateway):
    invalid_number_codes = frozenset(
        {"InvalidParameterValue.IncorrectPhoneNumber", "FailedOperation.PhoneNumberParseFail"}
    )
    opted_out_codes = frozenset(
        {"FailedOperation.PhoneNumberInBlacklist", "FailedOperation.PhoneNumberOnBlacklist"}
    )
    credit_codes = frozenset({"FailedOperation.InsufficientBalanceInSmsPackage"})
    requires_template = True
    webhook_answer = ('{"result":0,"errmsg":"OK"}', "application/json; charset=utf-8")

    # SendSms takes up to 200 numbers with one template and parameter set.
    batch_size = 200

    def _send_batch(self, messages):
        """One SendSms call; its SendStatusSet tells each number's outcome (a refused number
        fails alone). The call's reference, echoed by receipts, is its first message's."""
        config = self.config
        url = config.endpoint or API_URL
        first = messages[0]
        payload = json.dumps(
            {
                "PhoneNumberSet": [message.number for message in messages],
                "SmsSdkAppId": config.app_id,
                "SignName": config.sender,
                "TemplateId": first.template_code,
                "TemplateParamSet": [str(value) for value in first.template_params.values()],
                "SessionContext": first.reference,
            },
            ensure_ascii=False,
        )
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "Authorization": tc3_authorization(
                config.account,
                config.secret,
                SERVICE,
                urlparse(url).netloc,
                payload,
                timestamp,
            ),
            "X-TC-Action": "SendSms",
            "X-TC-Version": VERSION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": config.region or "ap-guangzhou",
        }
        response = self.session.post(
            url, data=payload.encode(), headers=headers, timeout=config.timeout
        )
        try:
            answer = response.json().get("Response") or {}
        except (ValueError, AttributeError):
            answer = {}
        error = answer.get("Error")
        statuses = {
            status.get("PhoneNumber"): status
            for status in answer.get("SendStatusSet") or []
            if isinstance(status, dict)
        }
        if error or not statuses:
            error = error or {"Code": str(response.status_code), "Message": response.reason}
            return [self._refusal(response, error)] * len(messages)
        return [self._outcome(response, statuses.get(message.number)) for message in messages]

    def _outcome(self, response, status):
        """The SendResult of one number of an answered call."""
        if status is None:
            # The call was taken, but its answer does not say whether this number was: never
            # sent again automatically.
            return SendResult(
                PERMANENT, error_code="no_status", error_message="not in the provider's answer"
            )
        if status.get("Code") == "Ok":
            return SendResult(ACCEPTED, provider_ref=status.get("SerialNo") or "")
        return self._refusal(response, status)

    def _refusal(self, response, error):
        code = error.get("Code") or ""
        return self.refusal(
            response, code, error.get("Message"), transient=code.startswith(TRANSIENT_PREFIXES)
        )

    def parse_receipts(self, request):
        return parse_items(request, ("sid", "report_status"), self._receipt)

    @staticmethod
    def _receipt(item):
        success = str(item["report_status"]).upper() == "SUCCESS"
        return Receipt(
            DELIVERED if success else FAILED,
            provider_ref=str(item["sid"]),
            reference=str(item.get("session_context") or ""),
            error_code="" if success else str(item.get("errmsg") or ""),
            error_message="" if success else str(item.get("description") or ""),
            number=e164(item) if item.get("mobile") else "",
        )

    def parse_inbound(self, request):
        return parse_items(request, ("mobile",), self._inbound)

    @staticmethod
    def _inbound(item):
        text = str(item.get("text") or "")
        # Replies carry no message id: number, time and text identify one.
        digest = hashlib.sha1(text.encode()).hexdigest()[:12]
        return InboundSms(
            number=e164(item),
            body=text,
            external_ref=f"{e164(item)[1:]}:{item.get('time', '')}:{digest}",
            to_number=str(item.get("extend") or ""),
        )
