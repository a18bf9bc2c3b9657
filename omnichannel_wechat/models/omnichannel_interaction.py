# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from odoo import api, fields, models

from ..tools.client import (
    INVALID_OPENID_ERRCODE,
    INVALID_TEMPLATE_DATA_ERRCODE,
    INVALID_TEMPLATE_ERRCODE,
    QUOTA_ERRCODE,
    REFUSED_TEMPLATES_ERRCODE,
    SERVICE_WINDOW,
    UNFOLLOWED_ERRCODE,
    WINDOW_CLOSED_ERRCODE,
    WINDOW_ERRCODES,
    WechatApiError,
)

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
        """Send the WeChat messages queued by the dispatcher and by agents."""
        self._send_outbox("wechat", batch_size)

    def _send_wechat_notification(self):
        """A customer-service text while the customer's 48-hour window is open. After it, or when
        WeChat says it closed or its quota is used up: the approved template message (the
        notification's own, or for an agent's reply the account's template for late replies), and
        with none, an agent's reply goes on the customer's next channel. A refusal goes the same
        way; the platform being busy or unreachable (WechatApiError, transient) is the outbox's to
        try again."""
        account = self.wechat_account_id
        if not self.wechat_openid:
            return self._deliver_elsewhere(self.env._("The customer has no WeChat OpenID."))
        closed = self._wechat_window_closed()
        text = account._plain(self.body) if self.body else None
        if not closed and text:
            try:
                account._with_token(
                    lambda client, token: client.send_text(token, self.wechat_openid, text)
                )
            except WechatApiError as error:
                _logger.info("WeChat message %s failed: %s", self.id, error)
                if error.transient:
                    raise
                if error.errcode not in WINDOW_ERRCODES:
                    return self._deliver_elsewhere(self._wechat_error_reason(error))
                closed = self._wechat_error_reason(error)
            else:
                return None
        closed = closed or self.env._(
            "The message has no text for a WeChat customer-service message."
        )
        payload, template = self._wechat_late_payload()
        if not payload:
            return self._deliver_elsewhere(closed)
        try:
            # The same client_msg_id at each attempt: WeChat sends it once.
            account._with_token(
                lambda client, token: client.send_template(
                    token, self.wechat_openid, payload, client_msg_id=self._outbox_key()
                )
            )
        except WechatApiError as error:
            _logger.info("WeChat template message %s failed: %s", self.id, error)
            if error.transient:
                raise
            return self._deliver_elsewhere(f"{closed} {self._wechat_error_reason(error)}")
        if template:
            self._tell_agent(
                self.env._(
                    "%(closed)s The reply went out as the WeChat template message “%(template)s”.",
                    closed=closed,
                    template=template.name,
                )
            )
        return None

    def _wechat_window_closed(self):
        """Why no customer-service message can go to this customer now, or None: their last
        message to the account is more than 48 hours old."""
        last = self.wechat_account_id._last_inbound(self.partner_id)
        if last and last.date >= fields.Datetime.now() - SERVICE_WINDOW:
            return None
        return self.env._(
            "The 48-hour window for WeChat replies is closed: the customer last wrote more "
            "than 48 hours ago."
        )

    def _wechat_late_payload(self):
        """(template message, account template used or None) to send after the 48-hour window, or
        (None, None) when there is none."""
        if self.wechat_payload:
            return json.loads(self.wechat_payload), None
        template = self.wechat_account_id.reply_template_id
        if not template or not self._is_agent_reply():
            return None, None
        _text, payload = template._payloads([self.ticket_id.id])[self.ticket_id.id]
        keyword = self.wechat_account_id.reply_keyword or "keyword2"
        payload["data"][keyword] = {"value": self.wechat_account_id._plain(self.body)}
        return payload, template

    def _wechat_error_reason(self, error):
        """What a WeChat error means for the agent, with its code."""
        reasons = {
            WINDOW_CLOSED_ERRCODE: self.env._(
                "WeChat closed the customer-service window: the customer last wrote more than "
                "48 hours ago."
            ),
            QUOTA_ERRCODE: self.env._(
                "WeChat's quota of customer-service messages since the customer's last message is "
                "used up."
            ),
            INVALID_OPENID_ERRCODE: self.env._(
                "The customer's OpenID does not belong to this Official Account."
            ),
            INVALID_TEMPLATE_ERRCODE: self.env._(
                "The template ID is not one of the Official Account's approved templates."
            ),
            UNFOLLOWED_ERRCODE: self.env._("The customer no longer follows the Official Account."),
            REFUSED_TEMPLATES_ERRCODE: self.env._(
                "The customer refused the Official Account's template messages."
            ),
            INVALID_TEMPLATE_DATA_ERRCODE: self.env._(
                "The template message's keywords do not fit its approved template (too long or "
                "unknown)."
            ),
        }
        reason = reasons.get(error.errcode)
        if not reason:
            return str(error)
        return self.env._("%(reason)s (errcode %(code)s)", reason=reason, code=error.errcode)
