# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Callbacks built the way the WeChat platform builds them, to test and measure an account's callback
URL (the platform itself cannot be called from a test)."""

import time
from collections import namedtuple
from urllib.parse import urlencode

from ..tools import crypto, message_xml, signature

# What the platform and the account share: the Token, the EncodingAESKey and the AppID.
AccountKeys = namedtuple("AccountKeys", ["token", "encoding_aes_key", "app_id"])


def follower_message(openid, to_user="gh_10f6c3c3ac5a", **values):
    """A message as the platform sends it: plain fields, CreateTime in Unix seconds."""
    return {"ToUserName": to_user, "FromUserName": openid, "CreateTime": int(time.time()), **values}


def build_callback(path, message, mode, keys, nonce="1320562132", timestamp=None):
    """(url, body) of the callback the platform posts for `message` in `mode` (plain, compatible or
    safe) to an account with `keys`: query string with signature, timestamp and nonce, plus
    encrypt_type and msg_signature when encrypted; body with the plain fields, the Encrypt element,
    or both (compatible mode)."""
    timestamp = str(timestamp or int(time.time()))
    params = {
        "signature": signature.wechat_signature(keys.token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "openid": message["FromUserName"],
    }
    inner = message_xml.build(message)
    if mode == "plain":
        body = inner
    else:
        ciphertext = crypto.encrypt(inner, keys.encoding_aes_key, keys.app_id)
        params["encrypt_type"] = "aes"
        params["msg_signature"] = signature.wechat_signature(
            keys.token, timestamp, nonce, ciphertext
        )
        envelope = {"ToUserName": message["ToUserName"], "Encrypt": ciphertext}
        body = message_xml.build({**message, **envelope} if mode == "compatible" else envelope)
    return f"{path}?{urlencode(params)}", body.encode()
