# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..tools.inbound import CALL, STOP, InboundContact, InvalidInbound


@tagged("post_install", "-at_install")
class TestInboundContact(BaseCase):
    def _contact(self, **values):
        return InboundContact(
            **{
                "channel": "sms",
                "source": "omnichannel.sms.provider,3",
                "external_ref": "3:SM1",
                "company_id": 1,
                "identifiers": [("phone", "+8613712345678")],
                "text": "退订",
                "consent": STOP,
                **values,
            }
        )

    def test_json_round_trip_is_lossless(self):
        contact = self._contact(
            kind=CALL,
            date=datetime(2026, 10, 1, 8, 30),
            call={"outcome": "missed", "duration_minutes": 0.0},
            raw={"MessageSid": "SM1"},
        )
        self.assertEqual(InboundContact.from_json(contact.to_json()), contact)

    def test_the_sender_key_orders_one_senders_events(self):
        self.assertEqual(self._contact().sender_key, "sms:phone:+8613712345678")
        receipt = self._contact(kind="receipt", identifiers=[], consent=None)
        self.assertEqual(receipt.sender_key, "sms:3:SM1")

    def test_a_known_customer_needs_no_identifier(self):
        contact = self._contact(identifiers=[], partner_id=7, consent=None, channel="chat")
        self.assertEqual(contact.sender_key, "chat:partner:7")
        self.assertEqual(InboundContact.from_json(contact.to_json()), contact)

    def test_empty_identifiers_are_dropped(self):
        contact = self._contact(
            identifiers=[("wechat_openid", "oA" * 8), ("wechat_unionid", None)], channel="wechat"
        )
        self.assertEqual(contact.identifiers, [("wechat_openid", "oA" * 8)])

    def test_bad_shapes_are_refused(self):
        for values in (
            {"kind": "fax"},
            {"consent": "maybe"},
            {"external_ref": ""},
            {"identifiers": [("phone", "")]},
        ):
            with self.subTest(values=values), self.assertRaises(InvalidInbound):
                self._contact(**values)
