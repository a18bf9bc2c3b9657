# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Normalization of customer identifiers: one spelling per identifier, so that a lookup by any channel
finds the same customer. Pure functions, no ORM."""

import re

import phonenumbers

DEFAULT_REGION = "CN"

# Identifier kinds known to the core; integrators add their own under kind "custom" with a namespace.
PHONE = "phone"
EMAIL = "email"
WECHAT_OPENID = "wechat_openid"
WECHAT_UNIONID = "wechat_unionid"
MEMBER = "member"
CUSTOM = "custom"

_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
# WeChat openid / unionid: 28 URL-safe characters in practice; accept a safe superset.
_WECHAT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{10,64}$")


class InvalidIdentifier(ValueError):
    """The identifier cannot be normalized for its kind."""


def normalize_phone(number, region=DEFAULT_REGION):
    """E.164 spelling of a phone number, read in `region` when it has no country code."""
    if not number or not str(number).strip():
        raise InvalidIdentifier("empty phone number")
    try:
        parsed = phonenumbers.parse(str(number), (region or DEFAULT_REGION).upper())
    except phonenumbers.NumberParseException as error:
        raise InvalidIdentifier(f"not a phone number: {number!r} ({error})") from error
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidIdentifier(f"not a possible phone number: {number!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(email):
    """Lower-cased address, without display name or surrounding spaces."""
    value = (email or "").strip()
    match = re.search(r"<([^<>]+)>\s*$", value)
    if match:
        value = match.group(1).strip()
    value = value.lower()
    if not _EMAIL_RE.match(value):
        raise InvalidIdentifier(f"not an email address: {email!r}")
    return value


def normalize_identifier(kind, value, region=DEFAULT_REGION):
    """The normalized identifier for `kind`; raises InvalidIdentifier when it is not valid."""
    if kind == PHONE:
        return normalize_phone(value, region)
    if kind == EMAIL:
        return normalize_email(value)
    text = (value or "").strip() if isinstance(value, str) else str(value or "").strip()
    if not text:
        raise InvalidIdentifier(f"empty {kind} identifier")
    if kind in (WECHAT_OPENID, WECHAT_UNIONID) and not _WECHAT_ID_RE.match(text):
        raise InvalidIdentifier(f"not a WeChat id: {value!r}")
    if kind == MEMBER:
        # Member numbers are printed in many ways: compare them without spaces and dashes, upper-cased.
        return re.sub(r"[\s-]+", "", text).upper()
    return text
