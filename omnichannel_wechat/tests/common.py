# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import platform

TOKEN = "callback-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx1234567890abcdef"

follower_message = platform.follower_message


def build_callback(account_id, message, mode, app_id=APP_ID, token=TOKEN, **kwargs):
    """The platform's callback to the test account's URL."""
    return platform.build_callback(
        f"/omnichannel/wechat/{account_id}",
        message,
        mode,
        platform.AccountKeys(token, AES_KEY, app_id),
        **kwargs,
    )


def create_test_account(env, **values):
    """A safe-mode account with the test secrets (AppSecret "app-secret", as the fake API expects)."""
    return env["omnichannel.wechat.account"].create(
        {
            "name": "Island Tours",
            "app_id": APP_ID,
            "app_secret": "app-secret",
            "token": TOKEN,
            "encoding_aes_key": AES_KEY,
            "message_mode": "safe",
            **values,
        }
    )
