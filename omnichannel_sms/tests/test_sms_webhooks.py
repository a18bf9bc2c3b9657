# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.omnichannel_crm.tests.common import post_raw

from .common import SmsProvidersMixin, SmsWebhooksMixin, aliyun_report

MOBILE = "+8613712345678"
CONTROLLER_LOGGER = "odoo.addons.omnichannel_sms.controllers.webhooks"


@tagged("post_install", "-at_install")
class TestSmsWebhooks(SmsProvidersMixin, SmsWebhooksMixin, HttpCase):
    """Receipts and inbound SMS posted over real HTTP, as each provider posts them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.partner = cls.env["res.partner"].create({"name": "Zhang Wei", "mobile": MOBILE})
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "SMS care"})
        for provider in cls.providers.values():
            provider.team_id = cls.team
        cls.SmsSms = cls.env["sms.sms"]
        cls.Interaction = cls.env["omnichannel.interaction"]
        # The demo's month is on the timeline already: only what the tests receive is looked at.
        cls.received = [("id", ">", cls.Interaction.search([], order="id desc", limit=1).id)]

    def _sent(self, kind, count=1):
        """`count` SMS to the customer, sent through provider `kind`."""
        self.use(kind)
        sms = self.SmsSms.create(
            [
                {"number": MOBILE, "body": f"Message {i}", "partner_id": self.partner.id}
                for i in range(count)
            ]
        )
        sms.send()
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        return sms

    def _post_json(self, provider, kind, data, path=None, process=True):
        response = self.url_open(
            path or self._path(provider, kind),
            data=json.dumps(data, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
        )
        return self._processed(response) if process else response

    # Delivery receipts -------------------------------------------------------------------------

    def test_twilio_receipts_signed_update_state_and_unsigned_are_refused(self):
        sms = self._sent("twilio")
        provider = self.providers["twilio"]
        form = {
            "MessageSid": sms.omnichannel_provider_ref,
            "MessageStatus": "delivered",
            "AccountSid": provider.account,
            "To": MOBILE,
            "From": provider.sender,
        }
        with mute_logger(CONTROLLER_LOGGER):
            refused = self._post_twilio(provider, "status", form, signature="Zm9yZ2Vk")
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(sms.state, "pending", "nothing changed")
        response = self._post_twilio(provider, "status", form, query=f"?ref={sms.uuid}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("<Response>", response.text)
        self.assertEqual(sms.state, "sent", "delivered")
        self.assertEqual(sms.omnichannel_interaction_id.state, "delivered")
        # A late "sent" callback arriving after "delivered" does not take it back.
        form["MessageStatus"] = "sent"
        self._post_twilio(provider, "status", form)
        self.assertEqual(sms.state, "sent")

    def test_aliyun_receipt_batch_out_of_order_and_twice(self):
        sms = self._sent("aliyun", count=2)
        provider = self.providers["aliyun"]
        delivered, failed = sms
        batch = [
            aliyun_report(delivered.omnichannel_provider_ref, delivered.uuid, delivered=True),
            aliyun_report(failed.omnichannel_provider_ref, failed.uuid),
        ]
        with mute_logger(CONTROLLER_LOGGER):
            refused = self._post_json(
                provider, "status", batch, path=f"/omnichannel/sms/{provider.id}/status?token=no"
            )
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        response = self._post_json(provider, "status", batch)
        self.assertEqual(response.json(), {"code": 0, "msg": "成功"})
        self.assertEqual(delivered.state, "sent")
        self.assertEqual((failed.state, failed.omnichannel_error_code), ("error", "MK:0001"))
        self.assertEqual(failed.omnichannel_interaction_id.state, "failed")
        # Aliyun may push a receipt again, or in another order: nothing goes back.
        batch[0]["success"], batch[1]["success"] = False, True
        self._post_json(provider, "status", batch)
        self.assertEqual((delivered.state, failed.state), ("sent", "error"))

    def test_a_receipt_is_stored_first_and_applied_without_calling_a_provider(self):
        sms = self._sent("aliyun")
        provider = self.providers["aliyun"]
        accepted = len(self.fake.accepted)
        receipt = [aliyun_report(sms.omnichannel_provider_ref, sms.uuid)]
        response = self._post_json(provider, "status", receipt, process=False)
        self.assertEqual(response.json(), {"code": 0, "msg": "成功"})
        self.assertEqual(sms.state, "pending", "acknowledged once stored, applied after")
        event = self.env["omnichannel.inbound.event"].search([("kind", "=", "receipt")])
        self.assertEqual((len(event), event.state), (1, "pending"))
        self._processed(response)
        self.assertEqual((sms.state, event.state), ("error", "done"))
        self.assertEqual(len(self.fake.accepted), accepted, "no provider called for a receipt")

    def test_one_malformed_receipt_among_a_hundred_affects_only_itself(self):
        sms = self._sent("tencent", count=100)
        provider = self.providers["tencent"]
        batch = [
            {
                "user_receive_time": "2026-07-01 10:00:05",
                "nationcode": "86",
                "mobile": "13712345678",
                "report_status": "SUCCESS",
                "errmsg": "DELIVRD",
                "description": "用户短信送达成功",
                "sid": message.omnichannel_provider_ref,
            }
            for message in sms
        ]
        batch.insert(50, {"mobile": "13712345678", "report_status": "SUCCESS"})  # no sid
        with mute_logger(CONTROLLER_LOGGER):
            response = self._post_json(provider, "status", batch)
        self.assertEqual(response.json(), {"result": 0, "errmsg": "OK"})
        self.assertEqual(set(sms.mapped("state")), {"sent"}, "the 100 valid receipts applied")
        garbage = self._post_json(provider, "status", [{"nothing": 1}])
        self.assertEqual(garbage.status_code, 400)

    def test_generic_gateway_receipt(self):
        sms = self._sent("http")
        provider = self.providers["http"]
        response = self._post_json(
            provider, "status", {"id": sms.omnichannel_provider_ref, "status": "delivered"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(sms.state, "sent")

    def test_allow_list_refuses_other_addresses(self):
        sms = self._sent("http")
        provider = self.providers["http"]
        provider.allowed_ips = "203.0.113.0/24"
        with mute_logger(CONTROLLER_LOGGER):
            response = self._post_json(
                provider, "status", {"id": sms.omnichannel_provider_ref, "status": "delivered"}
            )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(sms.state, "pending")

    # Inbound ---------------------------------------------------------------------------------

    def test_inbound_sms_lands_on_the_timeline_and_a_ticket(self):
        provider = self.providers["aliyun"]
        reply = [
            {
                "phone_number": "13712345678",
                "send_time": "2026-07-01 11:00:00",
                "content": "我们的接送车在哪里？",
                "sign_name": "海岛旅行",
                "dest_code": "1234",
                "sequence_id": 1001,
            }
        ]
        response = self._post_json(provider, "inbound", reply)
        self.assertEqual(response.json(), {"code": 0, "msg": "成功"})
        self._post_json(provider, "inbound", reply)  # redelivered
        interactions = self.Interaction.search(
            [*self.received, ("channel", "=", "sms"), ("direction", "=", "inbound")]
        )
        self.assertEqual(len(interactions), 1, "stored once")
        self.assertEqual(interactions.partner_id, self.partner, "known by the phone number")
        self.assertEqual(interactions.ticket_id.team_id, self.team)

    def test_stop_blacklists_and_the_next_send_is_skipped(self):
        provider = self.providers["twilio"]
        form = {
            "MessageSid": "SM00000000000000000000000000000001",
            "AccountSid": provider.account,
            "From": MOBILE,
            "To": provider.sender,
            "Body": "Stop",
            "NumMedia": "0",
        }
        response = self._post_twilio(provider, "inbound", form)
        self.assertEqual(response.status_code, 200)
        blacklist = self.env["phone.blacklist"].sudo().search([("number", "=", MOBILE)])
        self.assertTrue(blacklist.active)
        stop = self.Interaction.search(
            [("external_ref", "like", "SM00000000000000000000000000000001")]
        )
        self.assertFalse(stop.ticket_id, "an opt-out opens no ticket")
        consent = self.env["omnichannel.consent"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(
            (consent.channel, consent.granted, consent.source, consent.address),
            ("sms", False, "sms_keyword", MOBILE),
            "the opt-out is in the customer's consent log",
        )
        self.use("twilio")
        sms = self.SmsSms.create(
            {"number": MOBILE, "body": "Summer deals", "partner_id": self.partner.id}
        )
        self.fake.accepted.clear()
        sms.send()
        self.assertFalse(self.fake.accepted)
        self.assertEqual(sms.failure_type, "sms_blacklist")
        form.update(MessageSid="SM00000000000000000000000000000002", Body="START")
        self._post_twilio(provider, "inbound", form)
        self.assertFalse(blacklist.active, "subscribed again")
        self.assertEqual(
            self.env["omnichannel.consent"]
            .search([("partner_id", "=", self.partner.id)], limit=1)
            .granted,
            True,
        )

    def test_survey_reply_by_digit_is_the_rating(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Child seats",
                "description": "<p>Two seats</p>",
                "partner_id": self.partner.id,
            }
        )
        token = ticket._rating_get_access_token(self.partner)
        provider = self.providers["aliyun"]
        reply = [
            {
                "phone_number": "13712345678",
                "send_time": "2026-07-01 11:00:00",
                "content": " 5 ",
                "sign_name": "海岛旅行",
                "dest_code": "1234",
                "sequence_id": 1002,
            }
        ]
        self.use("aliyun")
        response = self._post_json(provider, "inbound", reply)
        self.assertEqual(response.json(), {"code": 0, "msg": "成功"})
        rating = self.env["rating.rating"].search([("access_token", "=", token)])
        self.assertEqual((rating.rating, rating.consumed), (5, True))
        thanks = self.SmsSms.search(
            [("partner_id", "=", self.partner.id)], order="id desc", limit=1
        )
        self.assertIn("5/5", thanks.body)
        self.assertFalse(
            self.Interaction.search(
                [
                    *self.received,
                    ("channel", "=", "sms"),
                    ("direction", "=", "inbound"),
                    ("ticket_id", "!=", False),
                ]
            ),
            "a rating opens no ticket",
        )

    def _aliyun_reply(self, number, text, sequence_id):
        """An inbound SMS from the mainland `number` (11 digits), as Aliyun pushes it."""
        reply = {
            "phone_number": number,
            "send_time": "2026-07-01 11:00:00",
            "content": text,
            "sign_name": "海岛旅行",
            "dest_code": "1234",
            "sequence_id": sequence_id,
        }
        return self._post_json(self.providers["aliyun"], "inbound", [reply])

    def test_colleagues_surveyed_together_each_answer_their_own_survey(self):
        self.use("twilio")
        self.env.company.omnichannel_quiet_hours = False
        agency = self.env["res.partner"].create({"name": "海南假日旅行社", "is_company": True})
        chen, lin = self.env["res.partner"].create(
            [
                {"name": "陈静", "mobile": "+8613712340001", "parent_id": agency.id},
                {"name": "林涛", "mobile": "+8613712340002", "parent_id": agency.id},
            ]
        )
        survey = self.env["omnichannel.nps.survey"].create(
            {
                "name": "Partner agencies",
                "scenario_id": self.env.ref("omnichannel_crm.scenario_nps").id,
                "segment_domain": repr([("id", "in", (chen | lin).ids)]),
            }
        )
        survey.action_run()
        self.SmsSms._process_queue()
        responses = {response.partner_id: response for response in survey.response_ids}
        self.assertEqual(set(responses), {chen, lin})
        sent = dict((number, body) for _kind, number, body in self.fake.accepted)
        for person, other in ((chen, lin), (lin, chen)):
            with self.subTest(person=person.name):
                text = sent[person.mobile]
                self.assertIn(responses[person].access_token, text, "their own link")
                self.assertNotIn(responses[other].access_token, text)
        # Chen answers first, then Lin: each digit answers its sender's own survey.
        self._aliyun_reply("13712340001", "9", 2001)
        self._aliyun_reply("13712340002", "3", 2002)
        self.assertEqual(
            {person.name: (r.answered, r.score, r.channel) for person, r in responses.items()},
            {"陈静": (True, 9, "sms"), "林涛": (True, 3, "sms")},
        )

    def test_chinese_unsubscribe_keyword_is_confirmed(self):
        provider = self.providers["tencent"]
        reply = {
            "extend": "",
            "mobile": "13712345678",
            "nationcode": "86",
            "sign": "海岛旅行",
            "text": "退订",
            "time": 1782900000,
        }
        response = self._post_json(provider, "inbound", reply)
        self.assertEqual(response.json(), {"result": 0, "errmsg": "OK"})
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", MOBILE)]))
        confirmation = self.SmsSms.search(
            [("number", "=", MOBILE), ("omnichannel_ignore_opt_out", "=", True)]
        )
        self.assertEqual(confirmation.body, self.env.company.omnichannel_sms_opt_out_reply)
        self.use("tencent")
        self.fake.accepted.clear()
        confirmation.send()
        self.assertEqual(len(self.fake.accepted), 1, "the confirmation still reaches the customer")

    def test_unknown_provider_and_bad_body(self):
        self.assertEqual(
            self.url_open("/omnichannel/sms/999999/status", data=b"{}").status_code, 404
        )
        provider = self.providers["http"]
        response = self.url_open(
            self._path(provider, "inbound"),
            data=b"not json",
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.Interaction.search(
                [*self.received, ("channel", "=", "sms"), ("direction", "=", "inbound")]
            )
        )

    def test_bodies_are_capped_before_the_form_is_parsed(self):
        """A form is parsed by Odoo before the controller runs: the cap comes first."""
        provider = self.providers["twilio"]
        form = b"From=%2B8613712345678&Body=" + b"a" * 2000
        path = self._path(provider, "inbound")
        status, _body = post_raw(
            self.base_url(),
            path,
            [form[:500], form[500:]],
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        self.assertEqual(status, 411, "chunked: refused unread")
        status, _body = post_raw(
            self.base_url(),
            path,
            [form],
            {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(10**9)},
        )
        self.assertEqual(status, 413)
        self.assertFalse(
            self.env["omnichannel.inbound.event"].search(
                [("source", "=", f"{provider._name},{provider.id}")]
            )
        )
