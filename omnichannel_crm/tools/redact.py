# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credentials out of error texts and log lines. An HTTP library's error names the URL it called,
query string included (`?corpsecret=...`, `?access_token=...`), and a provider may echo what it
was sent; such texts are shown to users (a sync error, a failure reason, a ticket note) and
logged. Every connector passes them through `redact_secrets` first."""

import logging
import re
from urllib.parse import quote, quote_plus

MASK = "***"
# Shorter known values are left alone: masking "1" or "ok" everywhere would garble the text and
# such values are no secret anyway.
MIN_SECRET_LENGTH = 4

# A parameter, form field, JSON key or header whose name ends like this carries a credential:
# secret, corpsecret, AppSecret, AccessKeySecret, access_token, token, api_key, SecretKey, sign,
# signature, msg_signature, password...
_SECRET_NAME = r"[\w.-]*?(?:secret|token|key|sign|signature|password|passwd|pwd)"
# name=value (query strings, forms), "name": "value" and 'name': 'value' (JSON, Python reprs).
_NAMED_VALUE = re.compile(
    rf"(?i)(?<![\w-])({_SECRET_NAME})(['\"]?\s*[=:]\s*['\"]?)([^\s&'\",;}}\])#]+)"
)
# Authorization headers, whatever their scheme (Basic, Bearer, TC3-HMAC-SHA256 ...): up to the
# end of the line or of the quoted value.
_AUTHORIZATION = re.compile(r"(?i)\b((?:proxy-)?authorization)(['\"]?\s*[:=]\s*['\"]?)[^\r\n'\"]+")
# user:password@ in a URL.
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@'\"]+@")


def redact_secrets(text, secrets=()):
    """`text` (a string, or an exception) with every credential masked: the values of credential
    parameters and Authorization headers, the user and password of URLs, and each of the known
    `secrets` wherever it appears, as is or URL-encoded. An empty `text` is returned unchanged."""
    if not text:
        return text
    text = str(text)
    values = set()
    for value in map(str, filter(None, secrets)):
        if len(value) >= MIN_SECRET_LENGTH:
            values.update({value, quote(value, safe=""), quote_plus(value)})
    if values:
        known = re.compile("|".join(map(re.escape, sorted(values, key=len, reverse=True))))
        text = known.sub(MASK, text)
    text = _URL_USERINFO.sub(rf"\1{MASK}@", text)
    text = _AUTHORIZATION.sub(rf"\1\2{MASK}", text)
    return _NAMED_VALUE.sub(rf"\1\2{MASK}", text)


class RedactingFilter(logging.Filter):
    """Masks credentials in the records of a logger: added to the "werkzeug" logger, whose access
    log holds each request's line with its query string (the webhook tokens of providers that can
    only prove themselves with a token in their URL)."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


ACCESS_LOG_FILTER = RedactingFilter()
