# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools.client import WechatApiError
from ..tools.wecom_client import REPLY_QUOTA, REPLY_WINDOW

_logger = logging.getLogger(__name__)

OUTBOX_CRON = "omnichannel_wechat.ir_cron_wecom_outbox"


class OmnichannelInteraction(models.Model):
    """Messages to customers of WeCom customer service: sent with send_msg while the platform
    allows (five messages in the 48 hours after the customer's last message), else on the
    customer's next channel."""

    _inherit = "omnichannel.interaction"

    wecom_kf_id = fields.Many2one(
        "omnichannel.wecom.kf", string="WeCom account", ondelete="set null", readonly=True
    )
    wecom_external_userid = fields.Char(string="WeCom customer ID", readonly=True)

    def _wecom_queue(self, kf, external_userid):
        """Hand these outbound entries to the WeCom outbox, which sends them after the commit."""
        self.sudo().write(
            {"wecom_kf_id": kf.id, "wecom_external_userid": external_userid, "state": "queued"}
        )
        self.env.ref(OUTBOX_CRON).sudo()._trigger()

    @api.model
    def _cron_send_wecom_outbox(self, batch_size=100):
        self._send_outbox("wecom", batch_size)

    def _outbox_claim_values(self):
        values = super()._outbox_claim_values()
        if self.channel == "wecom":
            # Known before the platform is called: a msg_send_fail event names it.
            values["external_ref"] = f"{self.wecom_kf_id.account_id.corp_id}:{self._outbox_key()}"
        return values

    def _wecom_window_closed(self):
        """Why the platform would refuse a message to this customer now, or None: the window and
        the quota are those of the customer-service account it goes out from (the customer's
        messages to another account, or to another company's, open none)."""
        Interaction = self.env["omnichannel.interaction"].sudo()
        customer = [
            ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
            ("channel", "=", "wecom"),
            ("wecom_kf_id", "=", self.wecom_kf_id.id),
        ]
        last = Interaction.search(
            [*customer, ("direction", "=", "inbound"), ("interaction_type", "=", "message")],
            limit=1,
        )
        if not last or last.date < fields.Datetime.now() - REPLY_WINDOW:
            return self.env._(
                "WeCom accepts messages for 48 hours after the customer's last message: the "
                "customer last wrote before that."
            )
        sent = Interaction.search_count(
            [
                *customer,
                ("direction", "=", "outbound"),
                ("state", "in", ("sending", "sent", "delivered")),
                ("date", ">=", last.date),
                ("id", "!=", self.id),
            ]
        )
        if sent >= REPLY_QUOTA:
            return self.env._(
                "WeCom accepts %(quota)s messages after the customer's last message: they are "
                "used up until the customer writes again.",
                quota=REPLY_QUOTA,
            )
        return None

    def _send_wecom_message(self):
        """send_msg while the platform allows, with the same msgid at each attempt (WeCom takes a
        message once per msgid); else, or when refused, the customer's next channel. The platform
        being busy or unreachable (WechatApiError, transient) is the outbox's to try again."""
        kf = self.wecom_kf_id
        text = html2plaintext(self.body or "").strip() or self.summary
        closed = self._wecom_window_closed()
        if closed:
            return self._deliver_elsewhere(closed)
        try:
            kf.account_id._with_token(
                lambda client, token: client.send_text(
                    token, kf.open_kfid, self.wecom_external_userid, self._outbox_key(), text
                )
            )
        except WechatApiError as error:
            _logger.info("WeCom message %s failed: %s", self.id, error)
            if error.transient:
                raise
            return self._deliver_elsewhere(
                self.env._("WeCom refused the message: %(error)s", error=error)
            )
        return None
