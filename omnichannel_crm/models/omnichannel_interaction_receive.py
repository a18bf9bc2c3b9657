# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OmnichannelInteraction(models.Model):
    """The inbound pipeline's meaning of contacts: customer, consent, timeline entry, answer,
    ticket and call-back, for a lane's batch at once."""

    _inherit = "omnichannel.interaction"

    @api.model
    def _receive(self, contact):
        """The inbound pipeline: what one contact from a customer means, whatever its channel.

        Resolves the customer from every identifier the contact carries (a customer is created, with
        the identities, when nobody is known by any of them), records the consent signal it carries,
        stores the contact once per external reference, answers it from the FAQ (or records the
        answer the connector already gave) and routes it to a ticket: the customer's open ticket
        with a contact on this channel within the company's window, else a new one. A missed call
        becomes a call-back activity. Returns the timeline entry."""
        return self._receive_many([contact])[0]

    @api.model
    def _receive_many(self, contacts):
        """`_receive` for contacts of one company, in their order, set-wise: the customers are
        resolved (and the new ones created) together, their turns taken and the timeline entries
        inserted at once. Then contacts of different customers are answered and routed together,
        tickets opened in one create, while one customer's contacts go one after the other, each
        seeing what the one before did. Returns the timeline entries, in order."""
        if not contacts:
            return []
        company = self.env["res.company"].browse(contacts[0].company_id)
        if any(contact.company_id != company.id for contact in contacts):
            raise ValueError("contacts of one company at a time")
        self = self.sudo().with_company(company)  # noqa: PLW0642 -- everything below is for this company
        identities, partners = self._receive_senders(contacts, company)
        # One contact of a customer at a time, whatever channel and sender it came from.
        self.env["omnichannel.customer.turn"]._take(self.env["res.partner"].union(*partners))
        # A customer's contacts after their first in the batch wait for the next round: each
        # round records its entries, then answers and routes them.
        turns, rounds = {}, []
        for index, (contact, identity, partner) in enumerate(
            zip(contacts, identities, partners, strict=True)
        ):
            customer = partner.commercial_partner_id
            turns[customer] = turn = turns.get(customer, -1) + 1
            if turn == len(rounds):
                rounds.append([])
            rounds[turn].append((index, contact, identity, partner))
        interactions = [None] * len(contacts)
        for entries in rounds:
            recorded = self._create_deduplicated_many(
                [
                    self._received_values(contact, identity, partner)
                    for _i, contact, identity, partner in entries
                ]
            )
            created = []
            for (index, contact, identity, partner), (interaction, new) in zip(
                entries, recorded, strict=True
            ):
                interactions[index] = interaction
                if new:
                    created.append((contact, identity, partner, interaction))
            self._receive_round(created, company)
        return interactions

    @api.model
    def _received_values(self, contact, identity, partner):
        call = contact.call or {}
        vals = {
            "partner_id": partner.id,
            "channel": contact.channel,
            "direction": contact.direction,
            "interaction_type": contact.kind,
            "date": contact.date or fields.Datetime.now(),
            "summary": contact.text,
            "body": contact.body,
            "external_ref": contact.external_ref,
            "identity_id": identity.id,
            "company_id": self.env.company.id,
            "state": False if contact.direction == "inbound" else "sent",
        }
        if call:
            vals.update(self._call_values(call))
        return vals

    @api.model
    def _receive_senders(self, contacts, company):
        """The identity (possibly empty) and customer of each contact: named by the connector, or
        resolved from its identifiers, those of all contacts at once."""
        Identity = self.env["omnichannel.identity"]
        senders = [
            (contact.identifiers, contact.namespace or contact.channel, contact.sender_name)
            for contact in contacts
            if not contact.partner_id
        ]
        resolved = iter(Identity._resolve_many(senders, company) if senders else ())
        identities, partners = [], []
        for contact in contacts:
            if contact.partner_id:
                partner = self.env["res.partner"].browse(contact.partner_id).exists()
                if not partner:
                    raise ValidationError(
                        self.env._("The customer of this contact no longer exists.")
                    )
                identities.append(Identity)
            else:
                identity = next(resolved)
                identities.append(identity)
                partner = identity.partner_id
            partners.append(partner)
        return identities, partners

    @api.model
    def _receive_round(self, entries, company):
        """The new timeline entries of one contact per customer ([(contact, identity, partner,
        interaction)]): consent, answer, ticket, call-back."""
        answers = []
        for contact, identity, partner, _interaction in entries:
            # Once per contact: a redelivered STOP does not log the opt-out again.
            if contact.consent:
                self.env["omnichannel.consent"]._record_signal(contact, partner, identity)
            answer = None
            if contact.answered:
                answer = self.env["omnichannel.faq"]._answer_given(contact.answered)
            elif contact.auto_reply and contact.direction == "inbound":
                answer = self.env["omnichannel.faq"]._prepare_answer(
                    contact.channel, partner, contact.text, company
                )
            answers.append(answer)
        routed = [
            (interaction, self.env["helpdesk.ticket.team"].browse(contact.team_id))
            for (contact, _identity, _partner, interaction), answer in zip(
                entries, answers, strict=True
            )
            if contact.open_ticket and interaction._wants_ticket(contact, answer)
        ]
        if routed:
            self.union(*(interaction for interaction, _team in routed))._route_to_tickets(
                [team for _interaction, team in routed]
            )
        for (contact, _identity, _partner, interaction), answer in zip(
            entries, answers, strict=True
        ):
            if contact.open_ticket:
                interaction._join_answered_call(contact)
            call = contact.call or {}
            interaction._schedule_callbacks(
                fallback_user=self.env["res.users"].browse(call.get("fallback_user_id"))
            )
            if answer:
                reply = self.env["omnichannel.faq"]._apply_answer(interaction, answer)
                if contact.answered:
                    reply.state = "sent"  # delivered by the connector within the platform's request
                interaction.reply_id = reply
