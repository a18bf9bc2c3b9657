# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An SMS with files: Twilio sends the pictures as MMS from their access-token URLs, which serve the
file with the token and nothing without it; other providers send a link in the text, and the agent
is told. The providers are loopback stand-ins; Odoo serves the files over real HTTP."""

from urllib.parse import parse_qs, unquote_plus, urlsplit

from odoo.tests import HttpCase, tagged

from .common import SmsProvidersMixin
from .fake_sms_providers import TWILIO_SID

TWILIO_PATH = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
PICTURE = b"\x89PNG\r\n\x1a\n-the-hotel-entrance"


@tagged("post_install", "-at_install")
class TestSmsMedia(SmsProvidersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.partner = cls.env["res.partner"].create(
            {"name": "Lin Hua", "mobile": "+86 137 1234 5678"}
        )

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.accepted.clear()

    def _sms_with_files(self, *files):
        attachments = self.env["ir.attachment"].create(
            [{"name": name, "mimetype": mimetype, "raw": raw} for name, mimetype, raw in files]
        )
        self.partner._message_sms(
            "酒店入口见图。",
            sms_numbers=[self.partner.mobile],
            attachment_ids=attachments.ids,
        )
        self.env["sms.sms"]._process_queue()
        return attachments

    def _notes(self):
        """The notes that tell the agent how the files went."""
        notes = self.partner.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note") and "carries a link" in m.body
        )
        return notes.mapped("body")

    def test_twilio_sends_a_picture_as_mms_from_a_url_that_needs_its_token(self):
        self.use("twilio")
        self._sms_with_files(("entrance.png", "image/png", PICTURE))
        [call] = self.fake.calls(TWILIO_PATH)
        form = parse_qs(call.body.decode())
        self.assertEqual(form["Body"], ["酒店入口见图。"])
        [media_url] = form["MediaUrl"]
        url = urlsplit(media_url)
        self.assertIn("access_token=", url.query)
        served = self.url_open(f"{url.path}?{url.query}")
        self.assertEqual((served.status_code, served.content), (200, PICTURE))
        without_token = self.url_open(url.path)
        self.assertNotEqual(without_token.content, PICTURE)
        self.assertFalse(self._notes(), "nothing to tell the agent")

    def test_a_document_on_twilio_and_a_picture_elsewhere_go_as_links_and_the_agent_is_told(self):
        for kind, name, mimetype in [
            ("twilio", "voucher.pdf", "application/pdf"),
            ("http", "entrance.png", "image/png"),
        ]:
            with self.subTest(provider=kind):
                self.fake.requests.clear()
                provider = self.use(kind)
                self._sms_with_files((name, mimetype, PICTURE))
                [call] = self.fake.requests
                sent = unquote_plus(call.body.decode())
                self.assertIn("/web/content/", sent)
                self.assertIn("access_token=", sent)
                self.assertNotIn("MediaUrl", sent)
                self.assertTrue(
                    any(provider.name in note and name in note for note in self._notes())
                )
