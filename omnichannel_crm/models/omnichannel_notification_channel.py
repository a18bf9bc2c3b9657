# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models


class OmnichannelNotification(models.Model):
    """What every channel's sending needs (each channel sends from its scenario step): the documents
    notified about, rendering once per document and language, and one timeline entry per sending."""

    _inherit = "omnichannel.notification"

    # ----------------------------------------------------------------------------------------------
    # Channels
    # ----------------------------------------------------------------------------------------------

    def _documents(self):
        """{notification: the document it is about}, read in batch."""
        records = {}
        by_model = defaultdict(list)
        for notification in self:
            by_model[notification.res_model].append(notification)
        for model, notifications in by_model.items():
            documents = self.env[model].sudo().browse([n.res_id for n in notifications])
            for notification, document in zip(notifications, documents, strict=True):
                records[notification] = document
        return records

    def _group_for_rendering(self):
        """{(lang, model): {res_id: notifications}}: a template is rendered once per document and
        language."""
        groups = defaultdict(lambda: defaultdict(self.browse))
        for notification in self:
            lang = notification.partner_id.lang or self.env.lang
            groups[(lang, notification.res_model)][notification.res_id] |= notification
        return groups

    def _log_interactions(self, channel, summaries, extra=None):
        """One outbound entry on each customer's timeline; `summaries` and `extra` per
        notification."""
        Interaction = self.env["omnichannel.interaction"].sudo()
        vals_list = []
        for notification in self:
            document = (notification.res_model, notification.res_id)
            vals_list.append(
                {
                    "partner_id": notification.partner_id.id,
                    "channel": channel,
                    "direction": "outbound",
                    # A phone step plans a call (a to-do), it does not make one: an event, which
                    # meets no response target until the call happens and is logged.
                    "interaction_type": "event" if channel == "phone" else "message",
                    "summary": Interaction._summary_from(summaries.get(notification), None),
                    "ticket_id": document[1] if document[0] == "helpdesk.ticket" else False,
                    "company_id": notification.company_id.id,
                    "state": "queued",
                    **((extra or {}).get(notification) or {}),
                }
            )
        interactions = Interaction.create(vals_list)
        for notification, interaction in zip(self, interactions, strict=True):
            notification.interaction_id = interaction
        return interactions
