# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import fields, models
from odoo.tools import groupby

from ..tools.inbound import RECEIPT, InboundContact

_logger = logging.getLogger(__name__)

# Context key: the timeline entries a batch's contacts were already received as, by
# (source, external_ref).
RECEIVED_KEY = "omnichannel_received"


class OmnichannelInboundEvent(models.Model):
    """A lane's batch processed together: the customers of all its contacts resolved in one
    look-up, the new ones created at once, timeline entries and tickets created in one statement
    each (a ticket's SLA targets and automated actions run once for all). When any event of the
    batch fails, the batch is rolled back and processed again one event at a time, each in its
    own savepoint: the failing one is retried alone, the others are processed."""

    _inherit = "omnichannel.inbound.event"

    def _process(self, counted=False):
        if len(self) > 1 and self._process_together():
            return
        super()._process(counted=counted)

    def _process_together(self):
        """Process the events in one savepoint; False, with nothing done, when any of them
        failed."""
        events = self.sudo()
        try:
            with self.env.cr.savepoint():
                contacts = [InboundContact.from_json(event.payload) for event in events]
                received = {}
                # Receipts are the connectors' own; the contacts of one company go through
                # together (a customer's contacts are all of one company: still in order).
                runs = groupby(
                    (contact for contact in contacts if contact.kind != RECEIPT),
                    key=lambda contact: contact.company_id,
                )
                Interaction = self.env["omnichannel.interaction"].sudo()
                for company_id, of_company in runs:
                    interactions = Interaction.with_company(company_id)._receive_many(of_company)
                    for contact, interaction in zip(of_company, interactions, strict=True):
                        received[contact.source, contact.external_ref] = interaction
                now = fields.Datetime.now()
                for event, contact in zip(events, contacts, strict=True):
                    interaction = (
                        event.with_company(event.company_id)
                        .with_context(**{RECEIVED_KEY: received})
                        ._process_contact(contact)
                    )
                    event.write(
                        {
                            "state": "done",
                            "processed_date": now,
                            "interaction_id": interaction[:1].id,
                            "error": False,
                            "next_attempt_date": False,
                        }
                    )
        except Exception as error:  # each event is tried again on its own
            _logger.info("inbound events %s processed one at a time: %s", events.ids, error)
            return False
        return True

    def _process_contact(self, contact):
        """The timeline entry of a contact its batch already received, else received now."""
        received = self.env.context.get(RECEIVED_KEY) or {}
        key = (contact.source, contact.external_ref)
        if key in received:
            return received[key]
        return super()._process_contact(contact)
