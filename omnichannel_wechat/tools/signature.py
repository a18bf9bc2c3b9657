# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeChat callback signatures: SHA-1 of the sorted parameters, concatenated."""

import hashlib
import hmac
import secrets
import time


def wechat_signature(*parts):
    """signature = sha1(sorted([token, timestamp, nonce])), msg_signature adds the Encrypt text."""
    return hashlib.sha1("".join(sorted(str(part) for part in parts)).encode()).hexdigest()


def signature_matches(expected_parts, signature):
    """True when `signature` signs `expected_parts` (the token first). A missing part never
    matches: it would be signed as the text "None" or "False", which anyone can compute. Compared
    as bytes, in constant time, so that a signature in any script is refused, not an error."""
    if not signature or not all(expected_parts):
        return False
    expected = wechat_signature(*expected_parts).encode()
    return hmac.compare_digest(expected, str(signature).strip().lower().encode())


def timestamp_is_fresh(timestamp, tolerance, now=None):
    """The callback was signed within `tolerance` seconds of now (else it may be a replay)."""
    try:
        return abs((now or time.time()) - int(timestamp)) <= tolerance
    except (TypeError, ValueError):
        return False


def new_token():
    """A Token for a callback configuration: 32 letters and digits, the most the consoles take."""
    return secrets.token_hex(16)
