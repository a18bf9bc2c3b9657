# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a live chat visitor says about who they are, and how they prove it. Pure functions, no ORM.

An email address or phone number typed in a chat is a claim: anyone can type anyone's address. It
names the customer a visitor says they are; it attaches the session to that customer only once
proved, by a one-time code sent to the address, by the website's signature of the visitor's
identity (as Intercom's and Chatwoot's identity verification do), or by an operator who checked."""

import hashlib
import hmac
import re
import secrets

import phonenumbers

from odoo.addons.omnichannel_crm.tools.identity import (
    EMAIL,
    PHONE,
    InvalidIdentifier,
    normalize_email,
    normalize_phone,
)

# Only the beginning of a message is read for an identifier: a visitor who pastes a whole document
# costs no more than one who types a sentence.
SCAN_LIMIT = 500

# ASCII only on both sides of an address: Chinese text around it ("我的邮箱是v@example.com。") is
# no part of it, and \w would take it in.
TYPED_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}"
)
# A phone number as people type it: digits, spaces, dashes, brackets, an optional leading "+". Not
# inside a word or a longer run of digits (booking references, flight numbers, order numbers).
TYPED_PHONE_RE = re.compile(r"(?<![A-Za-z0-9+_/#-])\+?\d[\d ()-]{5,18}\d(?![A-Za-z0-9_/#-])")
DATE_RE = re.compile(r"^\d{4}[-/. ]\d{1,2}[-/. ]\d{1,2}$|^\d{1,2}[-/. ]\d{1,2}[-/. ]\d{4}$")
PHONE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)

CODE_DIGITS = 6
CODE_RE = re.compile(rf"(?<!\d)\d{{{CODE_DIGITS}}}(?!\d)")


def typed_phone(candidate, region):
    """The E.164 number `candidate` is when it reads as a mobile number in `region` (or with its
    country code), else None: dates, order numbers and landlines of other regions are no claim."""
    if DATE_RE.match(candidate.strip()):
        return None
    try:
        parsed = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if (
        not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) not in PHONE_TYPES
    ):
        return None
    try:
        return normalize_phone(candidate, region)
    except InvalidIdentifier:
        return None


def typed_identifier(text, region):
    """The first email address, else the first mobile number, in the beginning of `text`, as
    (kind, normalized value); None when there is neither."""
    text = (text or "")[:SCAN_LIMIT]
    for candidate in TYPED_EMAIL_RE.findall(text):
        try:
            return EMAIL, normalize_email(candidate.rstrip("."))
        except InvalidIdentifier:
            continue
    for candidate in TYPED_PHONE_RE.findall(text):
        number = typed_phone(candidate, region)
        if number:
            return PHONE, number
    return None


def typed_code(text):
    """The one-time code a visitor typed back, if the beginning of `text` holds one."""
    match = CODE_RE.search((text or "")[:SCAN_LIMIT])
    return match.group(0) if match else None


def new_code():
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def identity_signature(secret, identifier):
    """What the website signs: hex HMAC-SHA256 of the visitor's identifier with the channel's
    secret, the scheme of Intercom's and Chatwoot's identity verification."""
    return hmac.new(secret.encode(), identifier.encode(), hashlib.sha256).hexdigest()


def signature_matches(secret, identifier, signature):
    """Constant-time comparison, on bytes: a signature of any characters is an answer, not an error."""
    if not secret or not identifier or not isinstance(signature, str) or not signature:
        return False
    expected = identity_signature(secret, identifier).encode()
    return hmac.compare_digest(expected, signature.strip().lower().encode("utf-8", "replace"))
