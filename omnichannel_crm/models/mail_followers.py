# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextlib

from odoo import models

# Where a batch posting keeps, for its transaction, the recipients it read for all its records.
KNOWN_RECIPIENTS = "omnichannel_known_recipients"


class MailFollowers(models.Model):
    """The recipients of a document's message, read once for a batch of documents: Odoo's
    `_notify_thread` reads them once per message otherwise."""

    _inherit = "mail.followers"

    @contextlib.contextmanager
    def _omnichannel_known_recipients(self, records, message_type, subtype_id):
        """Within the block, the recipients of `records`' messages of that type and subtype are
        the ones read on entering it, in one query for all (the followers must not change in the
        block)."""
        known = self._get_recipient_data(records, message_type, subtype_id)
        self.env.cr.cache[KNOWN_RECIPIENTS] = (records._name, message_type, subtype_id, known)
        try:
            yield
        finally:
            self.env.cr.cache.pop(KNOWN_RECIPIENTS, None)

    def _get_recipient_data(self, records, message_type, subtype_id, pids=None):
        model, known_type, known_subtype, known = self.env.cr.cache.get(
            KNOWN_RECIPIENTS, (None, None, None, {})
        )
        if (
            not pids
            and len(records) == 1
            and records.id in known
            and (records._name, message_type, subtype_id) == (model, known_type, known_subtype)
        ):
            # Copies: the notification methods may mark a recipient's data for their message.
            return {records.id: {pid: dict(data) for pid, data in known[records.id].items()}}
        return super()._get_recipient_data(records, message_type, subtype_id, pids=pids)
