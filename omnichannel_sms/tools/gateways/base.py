# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one interface every SMS provider implements: send messages (one per call, or several in one
call where the provider's API takes a batch), read the provider's delivery receipts and inbound
messages. Gateways know HTTP and the provider's formats, nothing of Odoo; the
`omnichannel.sms.provider` model gives them a `GatewayConfig` and stores what they return."""

import hmac
import json
from dataclasses import dataclass, field

import requests

from odoo.addons.omnichannel_crm.tools.media import MediaGone
from odoo.addons.omnichannel_crm.tools.redact import redact_secrets

# Seconds to connect, and then between the bytes of the answer, unless configured otherwise
# (GatewayConfig.timeout).
TIMEOUT = 15

# Outcomes of one send attempt.
ACCEPTED = "accepted"  # the provider took the message: never send it again
TRANSIENT = "transient"  # not taken (outage, throttling): try again later
PERMANENT = "permanent"  # refused for good (bad number, template, credit): do not retry

# Delivery states reported by receipts, in the order they can follow each other.
SENT = "sent"
DELIVERED = "delivered"
FAILED = "failed"


class WebhookError(ValueError):
    """A webhook request that does not follow the provider's format."""


@dataclass
class GatewayConfig:
    """What a gateway needs of its provider record."""

    account: str = ""  # Twilio Account SID, Aliyun AccessKey ID, Tencent SecretId
    secret: str = ""  # Twilio Auth Token, Aliyun AccessKey Secret, Tencent SecretKey
    sender: str = ""  # sender number / id, or the approved signature name
    endpoint: str = ""  # API base URL; empty for the provider's public endpoint
    app_id: str = ""  # Tencent SmsSdkAppId
    region: str = ""
    status_url: str = ""  # where the provider posts delivery receipts
    http_auth_header: str = ""  # generic gateway: "Header-Name: value"
    http_body_template: str = ""  # generic gateway: JSON with {{number}}, {{body}}, ...
    http_id_path: str = ""  # generic gateway: dotted path of the message id in the answer
    webhook_token: str = ""
    timeout: float = TIMEOUT


@dataclass
class OutgoingSms:
    reference: str  # our own id of the message (sms.sms uuid), echoed back where supported
    number: str  # E.164
    body: str
    template_code: str = ""
    template_params: dict = field(default_factory=dict)  # ordered: Tencent's are positional
    # Public URLs of pictures sent with the text (MMS), where the gateway `sends_media`.
    media_urls: list = field(default_factory=list)


@dataclass
class SendResult:
    outcome: str
    provider_ref: str = ""
    error_code: str = ""
    error_message: str = ""
    reason: str = ""  # "number", "opted_out" or "credit" when the provider says so


@dataclass
class Receipt:
    status: str  # SENT, DELIVERED or FAILED
    provider_ref: str = ""
    reference: str = ""  # our reference, when the provider echoes it
    error_code: str = ""
    error_message: str = ""
    # The recipient, spelled as in the provider's calls (`SmsGateway.wire_number`), where the
    # receipt names it: a call of several numbers has one reference (Aliyun: one BizId) for all.
    number: str = ""


@dataclass
class InboundSms:
    number: str
    body: str
    external_ref: str
    to_number: str = ""
    opt_out: bool = False  # the provider itself flagged the message as an opt-out
    opt_in: bool = False
    # Files of the message (MMS), for the media download job: [{"kind", "ref"}] as
    # InboundContact.media, "ref" being the provider's address of the file.
    media: list = field(default_factory=list)


@dataclass
class WebhookRequest:
    url: str
    headers: dict  # lower-case names
    form: dict
    query: dict
    body: bytes = b""
    public_urls: tuple = ()  # the URLs the provider was given, when they differ from `url`
    rejected: list = field(default_factory=list)  # items of a batch left out, and why

    def json(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError as error:
            raise WebhookError(f"body is not JSON: {error}") from error


class SmsGateway:
    """Base of the providers' gateways. A new provider is one subclass in its own file, registered
    in `GATEWAYS`."""

    requires_template = False  # the provider sends approved templates only, not free text
    sends_media = False  # the provider sends pictures with the text (MMS), from their URLs
    # What the provider expects in answer to its webhook calls: (body, content type).
    webhook_answer = ("OK", "text/plain; charset=utf-8")

    def __init__(self, config, session=None):
        self.config = config
        self.session = session or requests.Session()

    # Sending ------------------------------------------------------------------------------------

    # Numbers one call can carry: 1 for providers that take one message per call. A provider
    # whose API takes a batch says how many, and implements `_send_batch`.
    batch_size = 1
    # Calls in flight at once: the providers answer in 50-200 ms, so one call at a time would
    # take a flight delay's bulk SMS to 10,000 travellers half an hour.
    parallel_calls = 8

    def calls(self, messages):
        """`messages` split into the provider calls that send them: messages that share their
        text, or their template and parameters (`batch_key`), up to `batch_size` a call."""
        if self.batch_size == 1:
            return [[message] for message in messages]
        groups = {}
        for message in messages:
            groups.setdefault(self.batch_key(message), []).append(message)
        return [
            call for group in groups.values() for call in distinct_chunks(group, self.batch_size)
        ]

    def batch_key(self, message):
        """Messages with the same key can go in one call: one text, or one template with one
        set of parameters, for all its numbers."""
        if self.requires_template:
            return (message.template_code, json.dumps(message.template_params, sort_keys=False))
        return (message.body,)

    def wire_number(self, number):
        """The E.164 `number` as this provider's calls and receipts spell it."""
        return number

    def send_batch(self, messages):
        """Send `messages` (one of `calls`) in one call; returns one SendResult per message, in
        order. Network failures are TRANSIENT for all: the provider did not answer, so nothing
        was taken (or its receipts will tell)."""
        try:
            return self._send_batch(messages)
        except (requests.ConnectionError, requests.Timeout) as error:
            result = SendResult(TRANSIENT, error_code="network", error_message=self.scrub(error))
        except requests.RequestException as error:  # a malformed API URL, too many redirects
            result = SendResult(PERMANENT, error_code="request", error_message=self.scrub(error))
        return [result] * len(messages)

    def scrub(self, text, limit=200):
        """`text` (an error, a provider's answer) without the provider's credentials, shortened
        to `limit`: it is shown to users and logged."""
        config = self.config
        header_value = config.http_auth_header.partition(":")[2].strip()
        secrets = (config.secret, config.webhook_token, config.http_auth_header, header_value)
        return (redact_secrets(text, secrets) or "")[:limit]

    # The provider's error codes for a number it cannot reach, a recipient who opted out, and an
    # account out of credit.
    invalid_number_codes = frozenset()
    opted_out_codes = frozenset()
    credit_codes = frozenset()

    def _send_batch(self, messages):
        """The provider call of `messages`; by default, of one message sent by `_send`."""
        (message,) = messages
        return [self._send(message)]

    def _send(self, message):
        raise NotImplementedError

    def refusal(self, response, code, message, transient=False):
        """The SendResult of a call the provider did not accept. HTTP 429 and 5xx are transient."""
        transient = transient or response.status_code == 429 or response.status_code >= 500
        if code in self.invalid_number_codes:
            reason = "number"
        elif code in self.opted_out_codes:
            reason = "opted_out"
        elif code in self.credit_codes:
            reason = "credit"
        else:
            reason = ""
        return SendResult(
            TRANSIENT if transient else PERMANENT,
            error_code=code,
            error_message=self.scrub(message or response.reason or ""),
            reason=reason,
        )

    # Webhooks -----------------------------------------------------------------------------------

    def verify_webhook(self, request):
        """True when the request comes from the provider. By default, for providers that do not
        sign their callbacks, the provider's secret token must come with it: in an
        `Authorization: Bearer <token>` header where the provider can send one (headers stay out
        of access logs), else in the URL (`?token=`)."""
        scheme, _space, credential = (request.headers.get("authorization") or "").partition(" ")
        if scheme.lower() == "bearer":
            token = credential.strip()
        else:
            token = request.query.get("token") or ""
        expected = self.config.webhook_token or ""
        return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())

    def parse_receipts(self, request):
        """The delivery receipts in a status webhook call, as a list of Receipt."""
        raise NotImplementedError

    def parse_inbound(self, request):
        """The messages in an inbound webhook call, as a list of InboundSms."""
        raise NotImplementedError

    def fetch_media(self, url, max_bytes):
        """(bytes, file name or None) of a file of an inbound message, within `max_bytes`, or one
        of the media errors of omnichannel_crm/tools/media.py. Providers without MMS keep none."""
        raise MediaGone("this provider keeps no media")


def distinct_chunks(messages, size):
    """`messages` in chunks of at most `size`, each number at most once a chunk: the receipts of a
    call of several numbers tell them apart by their number only."""
    chunks, filling = [], []  # filling: (messages, numbers) of the chunks not full yet
    for message in messages:
        chunk = next((chunk for chunk in filling if message.number not in chunk[1]), None)
        if chunk is None:
            chunk = ([], set())
            filling.append(chunk)
        chunk[0].append(message)
        chunk[1].add(message.number)
        if len(chunk[0]) == size:
            filling.remove(chunk)
            chunks.append(chunk[0])
    return chunks + [chunk[0] for chunk in filling]


def json_path(data, path):
    """The value at a dotted path ("data.0.id") of decoded JSON, or None."""
    for part in (path or "").split("."):
        if not part:
            continue
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def parse_items(request, required, convert, array_only=False):
    """`convert` applied to each object of a JSON webhook body (an array, or one object unless
    `array_only`). An object without the `required` keys, or that `convert` refuses, is left out
    and noted in `request.rejected`: one bad item of a batch does not cost the others. Raises
    WebhookError when the body itself is unreadable, or when no item is usable."""
    data = request.json()
    if isinstance(data, dict) and not array_only:
        data = [data]
    if not isinstance(data, list):
        raise WebhookError("a JSON array is expected")
    results = []
    for item in data:
        try:
            if not isinstance(item, dict) or any(not item.get(key) for key in required):
                raise WebhookError(f"items need {', '.join(required)}")
            results.append(convert(item))
        except (WebhookError, ValueError, TypeError) as error:
            request.rejected.append(f"{error}: {str(item)[:200]}")
    if data and not results:
        raise WebhookError("; ".join(request.rejected[:3]))
    return results
