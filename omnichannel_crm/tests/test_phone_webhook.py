# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import time

from odoo.tests import BaseCase, HttpCase, tagged
from odoo.tools import mute_logger

from ..tools.telephony import sign_payload, signature_matches
from .common import post_raw


@tagged("post_install", "-at_install")
class TestPhoneWebhook(HttpCase):
    """Telephony systems post signed JSON over real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Numbers without a country code are read in the company's country.
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.integration = cls.env["omnichannel.phone.integration"].create(
            {"name": "Shanghai PBX", "create_tickets": True}
        )
        cls.url = f"/omnichannel/phone/{cls.integration.token}"
        cls.Interaction = cls.env["omnichannel.interaction"]

    def _stored_events(self):
        """How many events the webhook stored for this integration."""
        return self.env["omnichannel.inbound.event"].search_count(
            [("source", "=", f"{self.integration._name},{self.integration.id}")]
        )

    def _post(self, body, secret=None, timestamp=None, url=None):
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        body = body.encode() if isinstance(body, str) else body
        timestamp = str(timestamp or int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Omnichannel-Timestamp": timestamp,
            "X-Omnichannel-Signature": sign_payload(
                secret or self.integration.secret, timestamp, body
            ),
        }
        return self.url_open(url or self.url, data=body, headers=headers)

    def _call(self, **values):
        return {
            "call_id": "pbx-1001",
            "customer_number": "+86 135 1234 5678",
            "customer_name": "Chen Jing",
            "direction": "inbound",
            "status": "answered",
            "duration_seconds": 150,
            "started_at": "2026-07-12T08:30:00Z",
            "notes": "Asked about the delayed flight.",
            **values,
        }

    def _recorded(self, response):
        """The call's timeline entry, once the inbound pipeline processed the stored event."""
        event = self.env["omnichannel.inbound.event"].browse(response.json()["event_id"])
        self.assertEqual(event.state, "pending", "acknowledged before processing")
        self.env["omnichannel.inbound.event"]._process_pending()
        self.assertEqual(event.state, "done", event.error)
        return event.interaction_id

    def test_a_signed_call_is_recorded_once(self):
        response = self._post(self._call())
        self.assertEqual(response.status_code, 200, response.text)
        interaction = self._recorded(response)
        self.assertEqual(interaction.channel, "phone")
        self.assertEqual(interaction.interaction_type, "call")
        self.assertEqual(interaction.call_outcome, "answered")
        self.assertEqual(interaction.call_duration, 2.5)
        self.assertEqual(interaction.partner_id.name, "Chen Jing")
        self.assertEqual(str(interaction.date), "2026-07-12 08:30:00")
        self.assertTrue(interaction.ticket_id, "the integration opens tickets")
        again = self._post(self._call())
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["event_id"], response.json()["event_id"])
        self.env["omnichannel.inbound.event"]._process_pending()
        self.assertEqual(self.Interaction.search_count([("external_ref", "=", "pbx-1001")]), 1)

    def test_a_missed_call_asks_for_a_call_back(self):
        response = self._post(self._call(call_id="pbx-1002", status="missed", duration_seconds=0))
        self.assertEqual(response.status_code, 200, response.text)
        interaction = self._recorded(response)
        activities = interaction.ticket_id.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.integration.user_id)
        self.assertIn("Call back", activities.summary)

    @mute_logger("odoo.addons.omnichannel_crm.controllers.phone_webhook")
    def test_a_bad_signature_is_refused_and_nothing_written(self):
        before = self.Interaction.search_count([])
        partners = self.env["res.partner"].search_count([])
        response = self._post(self._call(call_id="pbx-evil"), secret="not-the-secret")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"], "invalid signature")
        stale = self._post(self._call(call_id="pbx-old"), timestamp=int(time.time()) - 3600)
        self.assertEqual(stale.status_code, 403)
        unsigned = self.url_open(self.url, data=json.dumps(self._call()), headers={})
        self.assertEqual(unsigned.status_code, 403)
        self.assertEqual(self.Interaction.search_count([]), before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    @mute_logger("odoo.addons.omnichannel_crm.controllers.phone_webhook")
    def test_a_signature_in_another_script_is_refused(self):
        body = json.dumps(self._call(call_id="pbx-script")).encode()
        timestamp = str(int(time.time()))
        for signature in ("签名".encode(), "sha256=é".encode("latin-1"), "sha256=ａｂ".encode()):
            with self.subTest(signature=signature):
                headers = {
                    "Content-Type": "application/json",
                    "X-Omnichannel-Timestamp": timestamp,
                    "X-Omnichannel-Signature": signature,
                }
                response = self.url_open(self.url, data=body, headers=headers)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(response.json()["error"], "invalid signature")
        self.assertFalse(self._stored_events(), "nothing stored")

    def test_bodies_are_capped_whatever_the_headers_say(self):
        events = self._stored_events()
        body = json.dumps(self._call(call_id="pbx-chunked")).encode()
        timestamp = str(int(time.time()))
        signed = {
            "Content-Type": "application/json",
            "X-Omnichannel-Timestamp": timestamp,
            "X-Omnichannel-Signature": sign_payload(self.integration.secret, timestamp, body),
        }
        # Chunked: no length to check before reading, so nothing is read.
        status, _body = post_raw(self.base_url(), self.url, [body[:10], body[10:]], signed)
        self.assertEqual(status, 411)
        # Announcing more than the cap: refused before a byte of the body is read.
        status, _body = post_raw(
            self.base_url(), self.url, [body], {**signed, "Content-Length": str(10**9)}
        )
        self.assertEqual(status, 413)
        self.assertEqual(self._stored_events(), events)
        # The same body with its length goes through.
        status, _body = post_raw(
            self.base_url(), self.url, [body], {**signed, "Content-Length": str(len(body))}
        )
        self.assertEqual(status, 200)

    def test_malformed_json_is_a_clear_400(self):
        response = self._post(b"{not json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("malformed JSON", response.json()["error"])
        response = self._post({"call_id": "x", "direction": "sideways"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Missing fields: customer_number, status", response.json()["error"])
        response = self._post(self._call(direction="sideways"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("direction", response.json()["error"])
        response = self._post(self._call(customer_number="call me maybe"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("call me maybe", response.json()["error"])
        self.assertFalse(self._stored_events(), "nothing stored")

    def test_an_unknown_token_is_404(self):
        response = self._post(self._call(), url="/omnichannel/phone/not-a-token")
        self.assertEqual(response.status_code, 404)


@tagged("post_install", "-at_install")
class TestTelephonySignature(BaseCase):
    """What integrators implement: sha256= and the HMAC of the timestamp, a dot and the body."""

    def test_the_signature_is_compared_as_bytes(self):
        signed = sign_payload("s3cret", "1767000000", b'{"call_id": "1"}')
        self.assertTrue(signature_matches("s3cret", "1767000000", b'{"call_id": "1"}', signed))
        self.assertTrue(signature_matches("s3cret", "1767000000", '{"call_id": "1"}', f" {signed}"))
        for forged in ("", None, signed[:-1], "签名", signed[:-1] + "é"):
            with self.subTest(signature=forged):
                self.assertFalse(
                    signature_matches("s3cret", "1767000000", b'{"call_id": "1"}', forged)
                )
        self.assertFalse(
            signature_matches("", "1767000000", b"{}", sign_payload("", "1767000000", b"{}"))
        )
