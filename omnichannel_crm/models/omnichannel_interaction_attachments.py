# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class OmnichannelInteraction(models.Model):
    """The pictures, voice messages, videos and files of a customer's message: queued when the
    message is recorded, downloaded afterwards (omnichannel.interaction.media), shown on the
    timeline entry and on the ticket's message."""

    _inherit = "omnichannel.interaction"

    ticket_message_id = fields.Many2one(
        "mail.message",
        string="Message on the ticket",
        readonly=True,
        ondelete="set null",
        help="The customer's words as posted on the ticket: the media are attached there.",
    )
    media_ids = fields.One2many("omnichannel.interaction.media", "interaction_id", readonly=True)
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Files", compute="_compute_attachments"
    )
    attachment_count = fields.Integer(string="File count", compute="_compute_attachments")
    thumbnail_url = fields.Char(string="Picture", compute="_compute_attachments")

    @api.depends("media_ids.attachment_id", "media_ids.playable_attachment_id")
    def _compute_attachments(self):
        for interaction in self:
            media = interaction.sudo().media_ids
            attachments = media.attachment_id | media.playable_attachment_id
            interaction.attachment_ids = attachments
            interaction.attachment_count = len(media.attachment_id)
            picture = attachments.filtered(lambda file: file.mimetype.startswith("image/"))[:1]
            interaction.thumbnail_url = f"/web/image/{picture.id}/96x96" if picture else False

    @api.model
    def _receive_many(self, contacts):
        interactions = super()._receive_many(contacts)
        for interaction, contact in zip(interactions, contacts, strict=True):
            if interaction and contact.media:
                self.env["omnichannel.interaction.media"]._queue(interaction, contact)
        return interactions
