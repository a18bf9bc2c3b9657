# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..tools.inbound import InboundContact
from .common import create_staff, create_team


@tagged("post_install", "-at_install")
class TestInboundBatches(TransactionCase):
    """A lane's batch of events processed together: what each customer gets is what they would
    get one event at a time, and an event that fails leaves the others processed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        agent = create_staff(cls.env, "batch_agent", "Batch Agent")
        cls.env.company.omnichannel_default_team_id = create_team(cls.env, "Hotline", agent)
        cls.Event = cls.env["omnichannel.inbound.event"]
        cls.Interaction = cls.env["omnichannel.interaction"]

    def _contact(self, ref, channel="sms", identifiers=None, text=None, **values):
        return InboundContact(
            channel=channel,
            source="test,0",
            external_ref=ref,
            company_id=self.env.company.id,
            identifiers=identifiers or [],
            text=text or f"Message {ref}",
            **values,
        )

    def _store(self, contacts):
        return self.Event.browse([event_id for event_id, _new in self.Event._store(contacts)])

    def _posted(self, ticket):
        """The customers' words on the ticket, oldest first."""
        return (
            ticket.message_ids.filtered(lambda message: message.message_type == "comment")
            .sorted("id")
            .mapped(lambda message: message.preview)
        )

    def test_a_failing_event_leaves_the_others_of_its_batch_on_the_timeline(self):
        gone = self.env["res.partner"].create({"name": "Deleted customer"})
        gone_id = gone.id
        gone.unlink()
        first, failing, last = events = self._store(
            [
                self._contact("batch-ok-1", identifiers=[("phone", "+8613900000001")]),
                self._contact("batch-gone", partner_id=gone_id),
                self._contact("batch-ok-2", identifiers=[("phone", "+8613900000002")]),
            ]
        )
        self.assertEqual(len(self.Event._claim()), 3, "the three are one batch")
        with mute_logger(
            "odoo.addons.omnichannel_crm.models.omnichannel_inbound_event",
            "odoo.addons.omnichannel_crm.models.omnichannel_inbound_batch",
        ):
            self.Event._process_pending()
        self.assertEqual(events.mapped("state"), ["done", "pending", "done"])
        for event in first | last:
            entry = event.interaction_id
            self.assertEqual(entry.summary, f"Message {event.external_ref}")
            self.assertEqual(self._posted(entry.ticket_id), [entry.summary])
        self.assertEqual(failing.attempts, 1, "tried again later, alone")
        self.assertIn("no longer exists", failing.error)
        self.assertFalse(self.Interaction.search([("external_ref", "=", "batch-gone")]))

    def test_a_new_customers_messages_in_one_batch_make_one_customer_and_one_ticket(self):
        number = "+8613900000011"
        refs = [f"batch-same-{index}" for index in range(4)]
        events = self._store(
            [self._contact(ref, identifiers=[("phone", number)]) for ref in refs]
            + [self._contact("batch-other", identifiers=[("phone", "+8613900000012")])]
        )
        self.assertEqual(len(self.Event._claim()), 5, "one batch")
        self.Event._process_pending()
        self.assertEqual(set(events.mapped("state")), {"done"})
        entries = self.Interaction.search([("external_ref", "in", refs)], order="id")
        self.assertEqual(entries.mapped("external_ref"), refs, "each message once, in order")
        customer = entries.partner_id
        self.assertEqual(len(customer), 1)
        self.assertEqual(customer.mobile, number)
        self.assertEqual(len(customer.omnichannel_identity_ids), 1)
        ticket = entries.ticket_id
        self.assertEqual(len(ticket), 1, "the first message opened the ticket, the rest joined it")
        self.assertEqual(self._posted(ticket), [f"Message {ref}" for ref in refs])
        self.assertIn(customer, ticket.message_partner_ids, "the customer follows their ticket")
        other = events[-1].interaction_id
        self.assertNotEqual(other.partner_id, customer)
        self.assertNotEqual(other.ticket_id, ticket)

    def test_a_new_customer_on_two_channels_in_one_batch_is_one_customer(self):
        openid = "oBatch0000000000000000000001"
        sms, wechat = self._store(
            [
                self._contact("batch-sms", identifiers=[("phone", "+8613900000021")]),
                self._contact(
                    "batch-wechat",
                    channel="wechat",
                    identifiers=[("wechat_openid", openid), ("phone", "+8613900000021")],
                ),
            ]
        )
        self.Event._process_pending()
        self.assertEqual((sms | wechat).mapped("state"), ["done", "done"])
        customer = sms.interaction_id.partner_id
        self.assertEqual(wechat.interaction_id.partner_id, customer)
        self.assertEqual(
            sorted(customer.omnichannel_identity_ids.mapped("identifier")),
            sorted([openid, "+8613900000021"]),
        )
        self.assertEqual(wechat.interaction_id.identity_id.identifier, openid)
        self.assertNotEqual(
            sms.interaction_id.ticket_id,
            wechat.interaction_id.ticket_id,
            "one ticket per channel, as one at a time",
        )

    def test_a_message_recorded_before_is_not_recorded_again_in_a_batch(self):
        number = "+8613900000031"
        first = self._store([self._contact("batch-dup", identifiers=[("phone", number)])])
        self.Event._process_pending()
        # The same message through another source of the channel, with a new one.
        again = self._contact("batch-dup", identifiers=[("phone", number)])
        again.source = "test,1"
        events = self._store(
            [again, self._contact("batch-new", identifiers=[("phone", "+8613900000032")])]
        )
        self.Event._process_pending()
        self.assertEqual(set(events.mapped("state")), {"done"})
        self.assertEqual(events[0].interaction_id, first.interaction_id)
        entry = first.interaction_id
        self.assertEqual(self._posted(entry.ticket_id), [entry.summary], "posted once")
        self.assertTrue(events[1].interaction_id.ticket_id)

    def test_messages_posted_in_a_batch_are_what_message_post_makes(self):
        numbers = ["+8613900000041", "+8613900000042"]
        self._store([self._contact(f"batch-post-{n}", identifiers=[("phone", n)]) for n in numbers])
        self.Event._process_pending()
        entries = self.Interaction.search([("external_ref", "like", "batch-post-%")], order="id")
        tickets = entries.ticket_id
        self.assertEqual(len(tickets), 2)
        # Each new customer follows their ticket as message_post subscribes an author: with
        # Odoo's default subtypes for a customer.
        external = self.env["mail.message.subtype"].default_subtypes("helpdesk.ticket")[2]
        for entry in entries:
            follower = entry.ticket_id.message_follower_ids.filtered(
                lambda follower, entry=entry: follower.partner_id == entry.partner_id
            )
            self.assertEqual(follower.subtype_ids, external)
        # An agent follows both tickets; both customers write again, in one batch.
        agent = create_staff(self.env, "batch_follower", notification_type="inbox").partner_id
        tickets.message_subscribe(partner_ids=agent.ids)
        events = self._store(
            [
                self._contact(f"batch-post-again-{n}", identifiers=[("phone", n)], text="Again?")
                for n in numbers
            ]
        )
        self.assertEqual(len(self.Event._claim()), 2, "one batch")
        self.Event._process_pending()
        for event in events:
            entry = event.interaction_id
            ticket, message = entry.ticket_id, entry.ticket_message_id
            self.assertIn(ticket, tickets, "the follow-up joined the customer's ticket")
            # The same message posted the usual way, one at a time, for comparison.
            usual = ticket.with_context(omnichannel_skip_capture=True).message_post(
                body=message.body,
                author_id=entry.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            fields = [
                "author_id",
                "email_from",
                "model",
                "res_id",
                "body",
                "message_type",
                "subtype_id",
                "parent_id",
                "record_name",
                "reply_to",
                "record_company_id",
                "record_alias_domain_id",
            ]
            self.assertEqual(message.read(fields)[0] | {"id": 0}, usual.read(fields)[0] | {"id": 0})
            self.assertEqual(message.parent_id, ticket.message_ids.sorted("id")[0])
            self.assertEqual(
                message.notification_ids.res_partner_id,
                agent,
                "the follower is notified, the customer (the author) is not",
            )
            self.assertIn(entry.partner_id, ticket.message_partner_ids)
