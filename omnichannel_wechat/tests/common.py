# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
from urllib.parse import urlencode

from ..tools import crypto, message_xml, signature

TOKEN = "callback-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx1234567890abcdef"
ORIGINAL_ID = "gh_10f6c3c3ac5a"


def follower_message(openid, **values):
    """A message as the platform sends it: plain fields, CreateTime in Unix seconds."""
    return {
        "ToUserName": ORIGINAL_ID,
        "FromUserName": openid,
        "CreateTime": int(time.time()),
        **values,
    }


def build_callback(
    account_id, message, mode, nonce="1320562132", timestamp=None, app_id=APP_ID, token=TOKEN
):
    """(url, body) of a callback exactly as WeChat builds it for the account's message mode."""
    timestamp = str(timestamp or int(time.time()))
    params = {
        "signature": signature.wechat_signature(token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "openid": message["FromUserName"],
    }
    inner = message_xml.build(message)
    if mode == "plain":
        body = inner
    else:
        ciphertext = crypto.encrypt(inner, AES_KEY, app_id)
        params["encrypt_type"] = "aes"
        params["msg_signature"] = signature.wechat_signature(token, timestamp, nonce, ciphertext)
        envelope = {"ToUserName": message["ToUserName"], "Encrypt": ciphertext}
        # Compatible mode carries the plain fields and the encrypted copy.
        body = message_xml.build({**message, **envelope} if mode == "compatible" else envelope)
    return f"/omnichannel/wechat/{account_id}?{urlencode(params)}", body.encode()
