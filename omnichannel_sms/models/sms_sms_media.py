# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SmsSms(models.Model):
    """The files of an SMS's chatter message (an agent's SMS with attachments): a provider that
    sends MMS (Twilio) sends each picture with it, from its public URL; any other file, and any
    file on other providers, goes as a link in the text, and the agent is told on the document.
    The URLs are Odoo's access-token URLs of the attachments: the provider (and the customer)
    fetch the file with the token, which nothing else can."""

    _inherit = "sms.sms"

    def _omni_outgoing(self, provider, gateway, numbers, blacklisted):
        attachments = self.mail_message_id.attachment_ids.sudo().sorted("id")
        pictures = attachments.browse()
        if gateway.sends_media:
            pictures = attachments.filtered(lambda a: (a.mimetype or "").startswith("image/"))
        if attachments - pictures:
            self._omni_link_files(provider, gateway, attachments - pictures)
        message = super()._omni_outgoing(provider, gateway, numbers, blacklisted)
        message.media_urls = [self._omni_public_url(picture) for picture in pictures]
        return message

    def _omni_public_url(self, attachment):
        token = attachment.generate_access_token()[0]
        return f"{attachment.get_base_url()}/web/content/{attachment.id}?access_token={token}"

    def _omni_link_files(self, provider, gateway, files):
        """Add a link to each of `files` to the text, once (a retry finds them there), and tell
        the agent on the document of the message."""
        links = [self._omni_public_url(attachment) for attachment in files]
        if all(link in (self.body or "") for link in links):
            return
        self.body = "\n".join([self.body or "", *links]).strip()
        names = ", ".join(files.mapped("name"))
        if gateway.sends_media:
            note = self.env._(
                "%(provider)s sends only pictures with an SMS: the SMS carries a link to "
                "%(files)s instead.",
                provider=provider.name,
                files=names,
            )
        else:
            note = self.env._(
                "%(provider)s sends no files with an SMS: the SMS carries a link to %(files)s "
                "instead.",
                provider=provider.name,
                files=names,
            )
        message = self.mail_message_id
        if message.model and message.res_id:
            self.env[message.model].browse(message.res_id).sudo().message_post(
                body=note, message_type="comment", subtype_xmlid="mail.mt_note"
            )
