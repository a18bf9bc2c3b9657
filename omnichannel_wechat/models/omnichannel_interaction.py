# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
import threading

from odoo import api, fields, models

from .omnichannel_wechat_account import SERVICE_WINDOW, WechatApiError

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
        last = account._last_inbound(self.partner_id)
        window_open = last and last.date >= fields.Datetime.now() - SERVICE_WINDOW
        text = account._plain(self.body) if self.body else None
        try:
            if window_open and text:
                account._api_call_with_token(
                    "/cgi-bin/message/custom/send",
                    {"touser": self.wechat_openid, "msgtype": "text", "text": {"content": text}},
                )
            elif self.wechat_payload:
                account._api_call_with_token(
                    "/cgi-bin/message/template/send",
                    dict(json.loads(self.wechat_payload), touser=self.wechat_openid),
                )
            else:
                self.write(
                    {
                        "state": "failed",
                        "failure_reason": self.env._(
                            "The 48-hour window is closed and the template has no template message."
                        ),
                    }
                )
                return
        except WechatApiError as error:
            _logger.info("WeChat notification %s failed: %s", self.id, error)
            self.write({"state": "failed", "failure_reason": str(error)})
