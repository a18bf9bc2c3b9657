# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
import threading

from odoo import api, fields, models

from ..tools.client import SERVICE_WINDOW, WINDOW_CLOSED_ERRCODE, WechatApiError

_logger = logging.getLogger(__name__)


class OmnichannelInteraction(models.Model):
    _inherit = "omnichannel.interaction"

    wechat_account_id = fields.Many2one(
        "omnichannel.wechat.account", string="WeChat account", ondelete="set null", readonly=True
    )
    wechat_openid = fields.Char(string="WeChat OpenID", readonly=True)
    wechat_payload = fields.Text(
        string="WeChat template message",
        readonly=True,
        help="The template message to send when the customer's 48-hour window is closed (JSON).",
    )

    def _wechat_queue(self, account, openid):
        """Hand these outbound entries to the WeChat outbox, which sends them right after the
        commit: no platform call inside a webhook or an agent's request."""
        self.sudo().write(
            {"wechat_account_id": account.id, "wechat_openid": openid, "state": "queued"}
        )
        self.env.ref("omnichannel_wechat.ir_cron_wechat_outbox").sudo()._trigger()

    @api.model
    def _cron_send_wechat_outbox(self, batch_size=100):
        """Send the WeChat notifications queued by the dispatcher. Each one is marked sent and
        committed before WeChat is called: a crash may lose one, it never sends one twice."""
        testing = getattr(threading.current_thread(), "testing", False)
        queued = self.sudo().search(
            [
                ("channel", "=", "wechat"),
                ("direction", "=", "outbound"),
                ("state", "=", "queued"),
                ("wechat_account_id", "!=", False),
            ],
            order="id",
            limit=batch_size,
        )
        for interaction in queued:
            interaction.state = "sent"
            if not testing:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            interaction._send_wechat_notification()
            if not testing:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if len(queued) == batch_size:
            self.env.ref("omnichannel_wechat.ir_cron_wechat_outbox").sudo()._trigger()

    def _send_wechat_notification(self):
        """A customer-service text while the 48-hour window is open, else the template message."""
        account = self.wechat_account_id
        if not self.wechat_openid:
            return self._wechat_failed(self.env._("The customer has no WeChat OpenID."))
        last = account._last_inbound(self.partner_id)
        window_open = last and last.date >= fields.Datetime.now() - SERVICE_WINDOW
        text = account._plain(self.body) if self.body else None
        try:
            if window_open and text:
                account._with_token(
                    lambda client, token: client.send_text(token, self.wechat_openid, text)
                )
            elif self.wechat_payload:
                payload = json.loads(self.wechat_payload)
                account._with_token(
                    lambda client, token: client.send_template(token, self.wechat_openid, payload)
                )
            else:
                return self._wechat_failed(
                    self.env._(
                        "The 48-hour window for WeChat replies is closed: the customer last wrote "
                        "more than 48 hours ago. Reach them on another channel."
                    )
                )
        except WechatApiError as error:
            _logger.info("WeChat message %s failed: %s", self.id, error)
            if error.errcode == WINDOW_CLOSED_ERRCODE:
                return self._wechat_failed(
                    self.env._("The 48-hour window for WeChat replies is closed (errcode 45015).")
                )
            return self._wechat_failed(str(error))
        self.failure_reason = False

    def _wechat_failed(self, reason):
        self.write({"state": "failed", "failure_reason": reason})
