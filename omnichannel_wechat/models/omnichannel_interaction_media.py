# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import html2plaintext

from ..tools import media
from ..tools.client import WechatApiError


class OmnichannelInteraction(models.Model):
    """An agent's attachments on a WeChat or WeCom reply: each one its own outbox entry, after the
    text, uploaded as temporary media and sent as the message of its type. Its own entry, so that
    a retry of one never sends the text or another file again, and a file that fails leaves the
    text sent. A file the platform does not take is refused before any upload, the agent told on
    the ticket."""

    _inherit = "omnichannel.interaction"

    outbox_attachment_id = fields.Many2one(
        "ir.attachment",
        string="File sent",
        readonly=True,
        ondelete="set null",
        help="The agent's attachment this message sends to the customer.",
    )
    outbox_media = fields.Selection(
        [("image", "Image"), ("voice", "Voice"), ("video", "Video"), ("file", "File")],
        string="Sent as",
        readonly=True,
        help="The platform's message type the attachment goes out as.",
    )

    def _with_media(self, attachments):
        """This agent's reply and one entry more per attachment, in their order (a reply without
        text carries its first attachment itself): the entries to queue. An attachment the
        platform does not take fails at once, nothing uploaded, and the agent is told why."""
        self.ensure_one()
        carried = bool(html2plaintext(self.body or "").strip()) or not attachments
        entries = self if carried else self.browse()
        for attachment in attachments.sorted("id"):
            kind, refusal = media.media_kind(
                self.channel, attachment.mimetype, attachment.name, attachment.file_size
            )
            # A refused file keeps the type it was meant as: it is one of the reply's files.
            values = {"outbox_attachment_id": attachment.id, "outbox_media": kind or refusal.kind}
            if carried:
                entry = self._forward_copy(
                    self.channel,
                    body=False,
                    summary=attachment.name,
                    source_ref=f"{self.source_ref._name},{self.source_ref.id}",
                    **values,
                )
            else:
                entry, carried = self, True
                entry.write(values)
            if refusal:
                entry._deliver_elsewhere(entry._media_refusal_text(refusal, attachment))
            else:
                entries |= entry
        return entries

    def _media_refusal_text(self, refusal, attachment):
        """Why the platform of this entry does not take `attachment`, for the agent."""
        kinds = {
            "image": self.env._("images"),
            "voice": self.env._("voice messages"),
            "video": self.env._("videos"),
            "file": self.env._("files"),
        }
        values = {"platform": self._channel_label(), "kind": kinds[refusal.kind]}
        if refusal.reason == media.NO_SUCH_MESSAGE:
            return self.env._(
                "%(platform)s customer-service messages carry no %(kind)s: send images, voice "
                "messages or videos there, or this file by another channel.",
                **values,
            )
        if refusal.reason == media.WRONG_FORMAT:
            return self.env._(
                "%(platform)s takes %(kind)s in these formats only: %(formats)s.",
                formats=", ".join(fmt.upper() for fmt in refusal.limit.formats),
                **values,
            )
        if refusal.reason == media.TOO_LARGE:
            return self.env._(
                "The file is %(size)s; %(platform)s takes %(kind)s of at most %(limit)s.",
                size=media.size_label(attachment.file_size),
                limit=media.size_label(refusal.limit.max_size),
                **values,
            )
        return self.env._("The file is empty.")

    def _channel_label(self):
        return dict(self._fields["channel"]._description_selection(self.env))[self.channel]

    def _deliver_elsewhere(self, reason):
        """A file that cannot go is failed with the reason, the agent told which file: the text
        of the reply went on its own (or on the customer's next channel)."""
        if not self.outbox_media:
            return super()._deliver_elsewhere(reason)
        reason = self.env._(
            "“%(file)s” was not sent on %(platform)s: %(reason)s",
            file=self.summary,
            platform=self._channel_label(),
            reason=reason,
        )
        self.write({"state": "failed", "failure_reason": reason})
        self._tell_agent(reason)
        return None

    def _send_media(self, account, send):
        """Upload this entry's attachment with `account`'s token, then `send(client, token,
        media_id)`. A platform that refuses either fails the file; one busy or unreachable is the
        outbox's to try again (a new upload then: temporary media cost nothing)."""
        attachment = self.outbox_attachment_id.sudo()
        if not attachment:
            return self._deliver_elsewhere(
                self.env._("The file was deleted before it could be sent.")
            )
        try:
            media_id = account._with_token(
                lambda client, token: client.upload_media(
                    token, self.outbox_media, attachment.name, attachment.raw, attachment.mimetype
                )
            )
            account._with_token(lambda client, token: send(client, token, media_id))
        except WechatApiError as error:
            if error.transient:
                raise
            return self._deliver_elsewhere(
                self.env._("The platform refused the file: %(error)s", error=error)
            )
        return None

    def _send_wechat_notification(self):
        if not self.outbox_media:
            return super()._send_wechat_notification()
        closed = self._wechat_window_closed()
        if closed:
            return self._deliver_elsewhere(closed)
        return self._send_media(
            self.wechat_account_id,
            lambda client, token, media_id: client.send_media(
                token, self.wechat_openid, self.outbox_media, media_id, title=self.summary
            ),
        )

    def _send_wecom_message(self):
        if not self.outbox_media:
            return super()._send_wecom_message()
        closed = self._wecom_window_closed()
        if closed:
            return self._deliver_elsewhere(closed)
        kf = self.wecom_kf_id
        return self._send_media(
            kf.account_id,
            lambda client, token, media_id: client.send_media(
                token,
                kf.open_kfid,
                self.wecom_external_userid,
                self._outbox_key(),
                self.outbox_media,
                media_id,
            ),
        )
