# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Twilio Programmable Messaging: the REST Messages API (MMS: pictures from their URLs), status
callbacks and incoming-message webhooks signed with X-Twilio-Signature."""

import base64
import hashlib
import hmac
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from odoo.addons.omnichannel_crm.tools.media import (
    CHUNK_SIZE,
    MediaAddressRefused,
    MediaGone,
    MediaTooLarge,
    MediaUnavailable,
    kind_of,
    read_capped,
)

from .base import (
    ACCEPTED,
    DELIVERED,
    FAILED,
    SENT,
    InboundSms,
    Receipt,
    SendResult,
    SmsGateway,
    WebhookError,
)

API_URL = "https://api.twilio.com"
# Twilio error codes that clear with time: queue overflow, rate limits, carrier unreachable.
TRANSIENT_ERRORS = {"20429", "30001", "14107", "30022", "30038"}
STATUS = {
    "accepted": None,
    "scheduled": None,
    "queued": None,
    "sending": None,
    "sent": SENT,
    "delivered": DELIVERED,
    "read": DELIVERED,
    "undelivered": FAILED,
    "failed": FAILED,
    "canceled": FAILED,
}
# Twilio delivers at most 10 files with a message (NumMedia, MediaUrl0..9).
MAX_MEDIA = 10
# The address of a message's file on Twilio's API, under the account's own messages.
MEDIA_PATH = (
    r"/2010-04-01/Accounts/{account}/Messages/[A-Za-z0-9]{{2,64}}/Media/[A-Za-z0-9]{{2,64}}"
)


def twilio_signature(auth_token, url, params):
    """X-Twilio-Signature: HMAC-SHA1 of the URL followed by the POST parameters sorted by name,
    each name immediately followed by its value, base64-encoded."""
    data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _with_and_without_port(urls):
    """Twilio signs the URL as it was given, with or without its port: try both spellings."""
    variants = set()
    for url in urls:
        parts = urlsplit(url)
        default = {"https": 443, "http": 80}.get(parts.scheme)
        host = parts.hostname or ""
        variants.add(url)
        variants.add(urlunsplit(parts._replace(netloc=host)))
        if parts.port is None and default:
            variants.add(urlunsplit(parts._replace(netloc=f"{host}:{default}")))
    return variants


class TwilioGateway(SmsGateway):
    invalid_number_codes = frozenset({"21211", "21614", "21408", "21612"})
    opted_out_codes = frozenset({"21610"})
    credit_codes = frozenset({"20003"})
    sends_media = True
    # One message a call: more calls in flight, a third of the 100 concurrent requests Twilio
    # allows an account by default (over it, Twilio answers 20429, tried again later), and queued
    # by Twilio at the sender's pace.
    parallel_calls = 32
    webhook_answer = (
        '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
        "text/xml; charset=utf-8",
    )

    def _send(self, message):
        config = self.config
        data = {"To": message.number, "Body": message.body}
        if message.media_urls:
            # An MMS: Twilio fetches each picture from its URL (up to 10, 5 MB in all).
            data["MediaUrl"] = message.media_urls
        if config.sender.startswith("MG"):
            data["MessagingServiceSid"] = config.sender
        else:
            data["From"] = config.sender
        if config.status_url:
            # Our reference rides in the callback URL (which Twilio signs): a receipt finds its
            # message even when the answer to this call was lost.
            separator = "&" if "?" in config.status_url else "?"
            data["StatusCallback"] = f"{config.status_url}{separator}ref={message.reference}"
        response = self.session.post(
            f"{(config.endpoint or API_URL).rstrip('/')}/2010-04-01/Accounts/{config.account}/Messages.json",
            data=data,
            auth=(config.account, config.secret),
            timeout=config.timeout,
        )
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code in (200, 201) and answer.get("sid"):
            return SendResult(ACCEPTED, provider_ref=answer["sid"])
        code = str(answer.get("code") or response.status_code)
        return self.refusal(
            response, code, answer.get("message"), transient=code in TRANSIENT_ERRORS
        )

    def verify_webhook(self, request):
        signature = request.headers.get("x-twilio-signature") or ""
        if not signature or not self.config.secret:
            return False
        # Twilio signs the URL it was given; behind a proxy the request's own URL may differ
        # from the public one, so the configured public URL is tried as well.
        for url in _with_and_without_port({request.url, *request.public_urls}):
            expected = twilio_signature(self.config.secret, url, request.form)
            if hmac.compare_digest(expected.encode(), signature.encode()):
                return True
        return False

    def parse_receipts(self, request):
        form = request.form
        sid = form.get("MessageSid") or form.get("SmsSid")
        status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
        if not sid or status not in STATUS:
            raise WebhookError("MessageSid and a known MessageStatus are required")
        if STATUS[status] is None:
            return []
        return [
            Receipt(
                STATUS[status],
                provider_ref=sid,
                reference=request.query.get("ref", ""),
                error_code=form.get("ErrorCode") or "",
                error_message=form.get("ErrorMessage") or "",
            )
        ]

    def parse_inbound(self, request):
        form = request.form
        sid = form.get("MessageSid") or form.get("SmsSid")
        if not sid or not form.get("From"):
            raise WebhookError("MessageSid and From are required")
        opt_out_type = (form.get("OptOutType") or "").upper()
        return [
            InboundSms(
                number=form["From"],
                body=form.get("Body") or "",
                external_ref=sid,
                to_number=form.get("To") or "",
                opt_out=opt_out_type == "STOP",
                opt_in=opt_out_type == "START",
                media=_inbound_media(form),
            )
        ]

    # Customers' files (MMS) --------------------------------------------------------------------

    def fetch_media(self, url, max_bytes):
        """A customer's file, from the MediaUrl of Twilio's inbound webhook. Only an address of this
        account's messages on the configured API (https://api.twilio.com) is requested, with the
        account's credentials; any other address from the payload is refused unrequested. Twilio
        answers with a redirect to a signed address on its CDN: one redirect is followed, to an
        HTTPS address (or one of the API itself), without the credentials; a redirect to plain
        HTTP elsewhere, or a second redirect, is refused."""
        if not self._is_own_media_url(url):
            raise MediaAddressRefused(_host(url))
        config = self.config
        response = self._get_media(url, (config.account, config.secret))
        if response.is_redirect:
            location = urljoin(url, response.headers.get("location") or "")
            response.close()
            if not self._may_redirect_to(location):
                raise MediaAddressRefused(_host(location))
            response = self._get_media(location, None)
            if response.is_redirect:
                response.close()
                raise MediaAddressRefused(_host(response.headers.get("location") or location))
        with response:
            if response.status_code == 404:
                raise MediaGone("Twilio no longer has the file (HTTP 404)")
            if response.status_code >= 400:
                raise MediaUnavailable(f"Twilio answered HTTP {response.status_code}")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise MediaTooLarge(f"{length} bytes")
            try:
                return read_capped(response.iter_content(CHUNK_SIZE), max_bytes), None
            except (requests.RequestException, OSError) as error:
                raise MediaUnavailable(self.scrub(error)) from None

    def _get_media(self, url, auth):
        try:
            return self.session.get(
                url, auth=auth, stream=True, allow_redirects=False, timeout=self.config.timeout
            )
        except requests.RequestException as error:
            raise MediaUnavailable(self.scrub(error)) from None

    def _api_origin(self):
        return urlsplit((self.config.endpoint or API_URL).rstrip("/"))

    def _is_own_media_url(self, url):
        account = self.config.account
        if not account:
            return False
        parts, api = urlsplit(url or ""), self._api_origin()
        path = re.escape(api.path) + MEDIA_PATH.format(account=re.escape(account))
        return bool(
            (parts.scheme, parts.netloc.lower()) == (api.scheme, api.netloc.lower())
            and not parts.query
            and not parts.fragment
            and re.fullmatch(path, parts.path)
        )

    def _may_redirect_to(self, url):
        parts, api = urlsplit(url), self._api_origin()
        if parts.username or parts.password or not parts.hostname:
            return False
        return parts.scheme == "https" or (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def _inbound_media(form):
    """The files of an inbound message: MediaUrl<n> with the kind of MediaContentType<n>."""
    try:
        count = min(int(form.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    return [
        {"kind": kind_of(form.get(f"MediaContentType{index}")), "ref": form[f"MediaUrl{index}"]}
        for index in range(count)
        if form.get(f"MediaUrl{index}")
    ]


def _host(url):
    return urlsplit(url or "").hostname or "?"
