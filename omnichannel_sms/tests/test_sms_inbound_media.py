# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's MMS through Twilio: its files are downloaded after the message is on the ticket, from
Twilio's API with the account's credentials and from the one signed CDN address it redirects to,
never from another address a webhook names."""

from odoo.tests import HttpCase, tagged

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi
from odoo.addons.omnichannel_crm.tests.media_samples import PAGE_AS_PICTURE, amr_bytes, png_bytes

from .common import SmsProvidersMixin, SmsWebhooksMixin
from .fake_sms_providers import TWILIO_SID

MOBILE = "+8613712345678"
MESSAGES = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages"


class ElsewhereApi(LoopbackApi):
    """Another server: whatever it is asked is recorded, and it serves a picture."""

    def answer(self, request):
        return 200, "image/png", png_bytes()


@tagged("post_install", "-at_install")
class TestTwilioInboundMedia(SmsProvidersMixin, SmsWebhooksMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.provider = cls.providers["twilio"]
        cls.provider.team_id = cls.env["helpdesk.ticket.team"].create({"name": "MMS care"})
        cls.partner = cls.env["res.partner"].create({"name": "Li Na", "mobile": MOBILE})
        cls.elsewhere = ElsewhereApi().__enter__()
        cls.addClassCleanup(cls.elsewhere.__exit__, None, None, None)

    def setUp(self):
        super().setUp()
        self.reset_fake()
        self.elsewhere.requests.clear()

    def _media_url(self, sid, base=None, message="MM0123456789abcdef0123456789abcdef"):
        return f"{base or self.fake.url}{MESSAGES}/{message}/Media/{sid}"

    def _customer_sends(self, sid, body, *media):
        """The inbound webhook of a message with `media` [(url, content type)], signed."""
        form = {
            "MessageSid": sid,
            "AccountSid": TWILIO_SID,
            "From": MOBILE,
            "To": "+15005550006",
            "Body": body,
            "NumMedia": str(len(media)),
        }
        for index, (url, content_type) in enumerate(media):
            form[f"MediaUrl{index}"] = url
            form[f"MediaContentType{index}"] = content_type
        response = self._post_twilio(self.provider, "inbound", form)
        self.assertEqual(response.status_code, 200)
        return self.env["omnichannel.interaction"].search(
            [("external_ref", "=", f"{self.provider.id}:{sid}")]
        )

    def _fetch_media(self):
        self.env["omnichannel.interaction.media"]._cron_fetch_media()
        self.env.invalidate_all()

    def _ticket_files(self, interaction):
        """The files an agent sees on the customer's message in the ticket's chatter."""
        return interaction.ticket_message_id.attachment_ids

    def _media_requests(self):
        return [request for request in self.fake.requests if request.method == "GET"]

    def test_a_customers_mms_shows_on_the_ticket_message(self):
        self.fake.media["ME11111111111111111111111111111111"] = (png_bytes(), "image/jpeg")
        self.fake.media["ME22222222222222222222222222222222"] = (amr_bytes(), "audio/amr")
        interaction = self._customer_sends(
            "MM00000000000000000000000000000001",
            "My boarding pass and a voice note",
            (self._media_url("ME11111111111111111111111111111111"), "image/jpeg"),
            (self._media_url("ME22222222222222222222222222222222"), "audio/amr"),
        )
        # The text is on the ticket before any download.
        self.assertEqual(interaction.summary, "My boarding pass and a voice note")
        self.assertTrue(interaction.ticket_id)
        self.assertFalse(self._media_requests())
        self.assertEqual(interaction.media_ids.mapped("kind"), ["image", "voice"])
        self._fetch_media()
        files = self._ticket_files(interaction)
        self.assertIn("image/png", files.mapped("mimetype"), "the type read from the bytes")
        self.assertIn("audio/amr", files.mapped("mimetype"))
        self.assertEqual(set(interaction.media_ids.mapped("state")), {"done"})
        self.assertEqual(set(files.mapped("res_model")), {"helpdesk.ticket"})
        api_calls = [r for r in self._media_requests() if "/Media/" in r.path]
        cdn_calls = [r for r in self._media_requests() if r.path.startswith("/cdn/")]
        self.assertEqual(len(api_calls), 2)
        self.assertEqual(len(cdn_calls), 2, "one redirect followed for each file")
        self.assertTrue(all(r.headers.get("authorization") for r in api_calls))
        self.assertFalse(
            [r for r in cdn_calls if "authorization" in r.headers],
            "the credentials never go to the redirect's address",
        )

    def test_a_picture_without_text_reads_as_an_image(self):
        self.fake.media["ME33333333333333333333333333333333"] = (png_bytes(), "image/png")
        interaction = self._customer_sends(
            "MM00000000000000000000000000000002",
            "",
            (self._media_url("ME33333333333333333333333333333333"), "image/png"),
        )
        self.assertEqual(interaction.summary, "[Image]")
        self._fetch_media()
        self.assertEqual(self._ticket_files(interaction).mimetype, "image/png")

    def test_a_foreign_media_url_is_refused_with_a_note_and_never_requested(self):
        interaction = self._customer_sends(
            "MM00000000000000000000000000000003",
            "Look",
            # Another host, spelled as Twilio's path.
            (
                self._media_url("ME44444444444444444444444444444444", self.elsewhere.url),
                "image/png",
            ),
            # The right host, another account's messages.
            (
                self._media_url("ME55555555555555555555555555555555").replace(
                    TWILIO_SID, "AC" + "f" * 32
                ),
                "image/png",
            ),
            # The right host and account, not a message's file.
            (f"{self.fake.url}{MESSAGES}.json", "image/png"),
        )
        self._fetch_media()
        media = interaction.media_ids
        self.assertEqual(set(media.mapped("state")), {"refused"})
        self.assertIn("127.0.0.1 is not the platform's API", media[0].note)
        self.assertFalse(self.elsewhere.requests, "the foreign address is never requested")
        self.assertFalse(self._media_requests())
        self.assertFalse(self._ticket_files(interaction))
        self.assertEqual(interaction.summary, "Look", "the text stays")

    def test_a_redirect_to_plain_http_elsewhere_or_a_second_redirect_is_refused(self):
        self.fake.media["ME66666666666666666666666666666666"] = (png_bytes(), "image/png")
        self.fake.media["ME77777777777777777777777777777777"] = (png_bytes(), "image/png")
        self.fake.media_redirect["ME66666666666666666666666666666666"] = (
            f"{self.elsewhere.url}/cdn/ME66666666666666666666666666666666"
        )
        # The CDN address redirects again.
        self.fake.cdn_redirect["ME77777777777777777777777777777777"] = "/cdn/elsewhere"
        interaction = self._customer_sends(
            "MM00000000000000000000000000000004",
            "Two pictures",
            (self._media_url("ME66666666666666666666666666666666"), "image/png"),
            (self._media_url("ME77777777777777777777777777777777"), "image/png"),
        )
        self._fetch_media()
        self.assertEqual(interaction.media_ids.mapped("state"), ["refused", "refused"])
        self.assertFalse(self.elsewhere.requests)
        self.assertEqual(len(self._media_requests()), 3, "one redirect followed at most")
        self.assertFalse(self._ticket_files(interaction))

    def test_twilio_down_retries_deleted_expires_and_a_page_is_refused(self):
        self.fake.media["ME88888888888888888888888888888888"] = (PAGE_AS_PICTURE, "image/png")
        interaction = self._customer_sends(
            "MM00000000000000000000000000000005",
            "Files",
            (self._media_url("ME88888888888888888888888888888888"), "image/png"),
            # Deleted from Twilio: 404.
            (self._media_url("ME99999999999999999999999999999999"), "image/png"),
        )
        self.fake.down_for = 1
        self._fetch_media()
        page, deleted = interaction.media_ids
        self.assertEqual(page.state, "pending")
        self.assertEqual(page.attempts, 1)
        self.assertIn("503", page.note)
        self.assertEqual(deleted.state, "expired")
        page.next_attempt = False
        self._fetch_media()
        self.assertEqual(page.state, "refused")
        self.assertIn("are not accepted from customers", page.note)
        self.assertFalse(self._ticket_files(interaction))

    def test_a_file_over_the_sms_size_cap_is_refused(self):
        self.env["ir.config_parameter"].set_param("omnichannel_crm.media_max_mb.sms", "0.0005")
        self.fake.media["MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] = (amr_bytes(), "audio/amr")
        interaction = self._customer_sends(
            "MM00000000000000000000000000000006",
            "Big",
            (self._media_url("MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "image/png"),
        )
        self._fetch_media()
        self.assertEqual(interaction.media_ids.state, "refused")
        self.assertIn("larger than", interaction.media_ids.note)
