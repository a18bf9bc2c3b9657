# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields

from . import platform
from .fake_wechat_api import FakeWechatApi
from .fake_wecom_api import CORP_ID, SECRET, FakeWecomApi

TOKEN = "callback-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx1234567890abcdef"
WECOM_TOKEN = "wecom-callback-token"

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


def start_fake_wechat(cls):
    """The loopback WeChat API for a test class, which the accounts call."""
    api = FakeWechatApi().__enter__()
    cls.addClassCleanup(api.__exit__, None, None, None)
    cls.env["ir.config_parameter"].set_param("omnichannel_wechat.api_base_url", api.url)
    return api


def start_fake_wecom(cls, token=WECOM_TOKEN):
    """The loopback WeCom API for a test class and a customer service account on it, its
    customer-service accounts fetched: (api, account, its customer-service accounts)."""
    api = FakeWecomApi().__enter__()
    cls.addClassCleanup(api.__exit__, None, None, None)
    account = cls.env["omnichannel.wecom.account"].create(
        {
            "name": "Island Tours customer service",
            "corp_id": CORP_ID,
            "secret": SECRET,
            "token": token,
            "encoding_aes_key": AES_KEY,
            "api_base_url": api.url,
        }
    )
    account.action_fetch_accounts()
    return api, account, account.kf_ids


def run_outbox(env, channel, runs=1):
    """`runs` runs of `channel`'s outbox job, ten minutes apart: each after every retry that the
    run before it scheduled is due (none waits that long before the last attempt)."""
    start = fields.Datetime.now()
    for run in range(runs):
        with freeze_time(start + timedelta(minutes=10 * run)):
            getattr(env["omnichannel.interaction"], f"_cron_send_{channel}_outbox")()
