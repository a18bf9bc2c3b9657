# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeChat callback signatures: SHA-1 of the sorted parameters, concatenated."""

import hashlib
import hmac
import time


def wechat_signature(*parts):
    """signature = sha1(sorted([token, timestamp, nonce])), msg_signature adds the Encrypt text."""
    return hashlib.sha1("".join(sorted(str(part) for part in parts)).encode()).hexdigest()


def signature_matches(expected_parts, signature):
    return bool(signature) and hmac.compare_digest(
        wechat_signature(*expected_parts), str(signature).lower()
    )


def timestamp_is_fresh(timestamp, tolerance, now=None):
    """The callback was signed within `tolerance` seconds of now (else it may be a replay)."""
    try:
        return abs((now or time.time()) - int(timestamp)) <= tolerance
    except (TypeError, ValueError):
        return False
