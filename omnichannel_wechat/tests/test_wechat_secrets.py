# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Secrets stay with Settings administrators: where WeChat's and WeCom's credentials are sent is
theirs to decide, and no error text users read or the log keeps carries a credential, even when
the platform is unreachable and the HTTP library quotes the URL it called."""

import logging
import time
import traceback
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.omnichannel_crm.tests.common import create_staff, receive
from odoo.addons.omnichannel_crm.tests.loopback import closed_url

from ..models.omnichannel_interaction_outbox import MAX_ATTEMPTS
from .common import APP_ID, create_test_account, run_outbox, start_fake_wecom
from .fake_wecom_api import CORP_ID, SECRET

KF_LOGGER = "odoo.addons.omnichannel_wechat.models.omnichannel_wecom_kf"
INTERACTION_LOGGER = "odoo.addons.omnichannel_wechat.models.omnichannel_interaction"
CACHED_TOKEN = "WW-cached-access-token"
CUSTOMER = "wmIslandFamilyLi00000001"


@tagged("post_install", "-at_install")
class TestWechatSecrets(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.down = closed_url()
        cls.api, cls.account, cls.kf = start_fake_wecom(cls)
        cls.manager = create_staff(
            cls.env, "secrets_manager", groups="omnichannel_crm.group_omnichannel_manager"
        )
        cls.agent = create_staff(cls.env, "secrets_agent")

    def _platform_down(self, cached_token=True):
        """WeCom's API no longer answers; the account holds a valid access token or none."""
        self.account.write(
            {
                "api_base_url": self.down,
                "access_token": CACHED_TOKEN if cached_token else False,
                "access_token_expires_at": fields.Datetime.now() + timedelta(hours=1),
            }
        )

    def assertNoSecret(self, text):
        self.assertTrue(text)
        for secret in (SECRET, CACHED_TOKEN, "WW-1"):
            self.assertNotIn(secret, text)

    # ----------------------------------------------------------------------------------------------
    # Where the credentials go
    # ----------------------------------------------------------------------------------------------

    def test_where_the_secret_goes_is_for_settings_admins_only(self):
        as_manager = self.account.with_user(self.manager)
        with self.assertRaises(AccessError):
            as_manager.read(["api_base_url"])
        with self.assertRaises(AccessError):
            as_manager.write({"api_base_url": "https://collector.example.com"})
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(self.manager).set_param(
                "omnichannel_wechat.api_base_url", "https://collector.example.com"
            )
        # The manager still works with the form: it leaves out what they may not see.
        with Form(as_manager) as form:
            form.timestamp_tolerance = 120
        self.assertEqual(self.account.timestamp_tolerance, 120)
        self.account.api_base_url = "https://qyapi.weixin.qq.com"
        self.assertEqual(self.account.api_base_url, "https://qyapi.weixin.qq.com")

    # ----------------------------------------------------------------------------------------------
    # Error texts
    # ----------------------------------------------------------------------------------------------

    def test_an_unreachable_api_leaves_no_credential_in_the_sync_error_or_the_log(self):
        self._platform_down()
        self.kf._request_sync()
        with self.assertLogs(KF_LOGGER, logging.INFO) as logs:
            self.env["omnichannel.wecom.kf"]._cron_sync()
        error = self.kf.last_sync_error
        self.assertIn("unreachable", error)
        self.assertIn("access_token=***", error, "the admin still sees which call failed")
        self.assertNoSecret(error)
        self.assertNoSecret("\n".join(logs.output))
        # Without a cached token, the call that fails is the one carrying the secret.
        self._platform_down(cached_token=False)
        self.kf.next_sync_at = False
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.assertIn("corpsecret=***", self.kf.last_sync_error)
        self.assertNoSecret(self.kf.last_sync_error)

    def test_fetch_accounts_error_carries_no_secret_even_in_its_traceback(self):
        self._platform_down(cached_token=False)
        with self.assertRaises(UserError) as caught:
            self.account.action_fetch_accounts()
        self.assertIn("corpsecret=***", str(caught.exception))
        # What the user's error dialog shows under "details", and what a log keeps.
        self.assertNoSecret("".join(traceback.format_exception(caught.exception)))

    def test_a_wecom_reply_that_cannot_reach_the_api_tells_the_agent_without_the_token(self):
        self.api.customer_writes("msg-li-1", CUSTOMER, "请问接机几点？", int(time.time()))
        self.kf._request_sync()
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.env["omnichannel.inbound.event"]._process_pending()
        question = self.env["omnichannel.interaction"].search(
            [("channel", "=", "wecom"), ("external_ref", "=", f"{CORP_ID}:msg-li-1")]
        )
        ticket = question.ticket_id
        self._platform_down()
        ticket.with_user(self.agent).message_post(
            body="司机十点在到达口等您。", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        # Tried again until the last attempt, then failed.
        run_outbox(self.env, "wecom", runs=MAX_ATTEMPTS)
        reply = self.env["omnichannel.interaction"].search(
            [("ticket_id", "=", ticket.id), ("direction", "=", "outbound")]
        )
        self.assertEqual(reply.state, "failed")
        self.assertIn("unreachable", reply.failure_reason)
        self.assertNoSecret(reply.failure_reason)
        note = ticket.message_ids.filtered(lambda message: "unreachable" in (message.body or ""))
        self.assertEqual(len(note), 1, "the agent is told on the ticket")
        self.assertNoSecret(note.body)

    def test_an_official_account_reply_that_cannot_reach_the_api_has_no_token_in_its_reason(self):
        self.env["ir.config_parameter"].set_param("omnichannel_wechat.api_base_url", self.down)
        account = create_test_account(self.env)
        account.write(
            {
                "access_token": CACHED_TOKEN,
                "access_token_expires_at": fields.Datetime.now() + timedelta(hours=1),
            }
        )
        ticket = receive(
            self.env,
            "wechat",
            "oSecretsFollower0000000001",
            summary="行李丢了怎么办？",
            external_ref=f"{APP_ID}:m-secrets",
        ).ticket_id
        ticket.with_user(self.agent).message_post(
            body="我们已联系机场。", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        with self.assertLogs(INTERACTION_LOGGER, logging.INFO) as logs:
            run_outbox(self.env, "wechat", runs=MAX_ATTEMPTS)
        reply = self.env["omnichannel.interaction"].search(
            [("ticket_id", "=", ticket.id), ("direction", "=", "outbound")]
        )
        self.assertEqual(reply.state, "failed")
        self.assertIn("access_token=***", reply.failure_reason)
        self.assertNoSecret(reply.failure_reason)
        self.assertNoSecret("\n".join(logs.output))
