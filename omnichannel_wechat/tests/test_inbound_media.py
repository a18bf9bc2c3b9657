# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.omnichannel_crm.tests.common import create_staff
from odoo.addons.omnichannel_crm.tests.media_samples import (
    PAGE_AS_PICTURE,
    amr_bytes,
    jpeg_bytes,
    mp4_bytes,
    png_bytes,
)
from odoo.addons.omnichannel_crm.tools.voice import find_converter

from .common import (
    build_callback,
    create_test_account,
    follower_message,
    start_fake_wechat,
    start_fake_wecom,
)
from .fake_media_get import MEDIA_GET_PATH
from .fake_wecom_api import CORP_ID, OPEN_KFID

OPENID = "oMediaFollower0000000000000a"


class InboundMediaCase(HttpCase):
    """What a customer's message with media becomes once the pipeline and the media job ran."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["omnichannel.faq"].search([]).action_archive()
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "Media care"})

    def _run_pipeline(self):
        self.env["omnichannel.inbound.event"]._process_pending()

    def _fetch_media(self, at=None):
        with freeze_time(at or fields.Datetime.now()):
            self.env["omnichannel.interaction.media"]._cron_fetch_media()
        self.env.invalidate_all()

    def _ticket_files(self, interaction):
        """The files an agent sees on the customer's message in the ticket's chatter."""
        message = interaction.ticket_id.message_ids.filtered(
            lambda m: m.author_id == interaction.partner_id and m.message_type == "comment"
        )[:1]
        return message.attachment_ids


@tagged("post_install", "-at_install")
class TestWechatInboundMedia(InboundMediaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = start_fake_wechat(cls)
        cls.account = create_test_account(cls.env, team_id=cls.team.id)

    def _customer_sends(self, msg_id, **values):
        url, body = build_callback(
            self.account.id,
            follower_message(OPENID, MsgId=msg_id, **values),
            self.account.message_mode,
        )
        response = self.url_open(url, data=body, headers={"Content-Type": "text/xml"})
        self.assertEqual(response.status_code, 200)
        self._run_pipeline()
        return self.env["omnichannel.interaction"].search(
            [("external_ref", "=", f"{self.account.app_id}:{msg_id}")]
        )

    def test_a_customers_picture_shows_on_the_ticket_message(self):
        self.api.media.add("MEDIA_PIC", png_bytes(), "image/jpeg", "boarding-pass.jpg")
        interaction = self._customer_sends(
            "9001", MsgType="image", MediaId="MEDIA_PIC", PicUrl="http://mmbiz.example/pic.jpg"
        )
        # The text is on the ticket before any download.
        self.assertEqual(interaction.summary, "[Image]")
        self.assertTrue(interaction.ticket_id)
        self.assertFalse(self.api.calls(MEDIA_GET_PATH))
        self._fetch_media()
        files = self._ticket_files(interaction)
        self.assertEqual(files.mapped("name"), ["boarding-pass.jpg"])
        # The type read from the bytes, not the platform's header.
        self.assertEqual(files.mimetype, "image/png")
        self.assertEqual(
            (files.res_model, files.res_id), ("helpdesk.ticket", interaction.ticket_id.id)
        )
        self.assertEqual(interaction.attachment_ids, files)
        self.assertEqual(interaction.attachment_count, 1)
        self.assertEqual(interaction.thumbnail_url, f"/web/image/{files.id}/96x96")
        (request,) = self.api.calls(MEDIA_GET_PATH)
        self.assertEqual(request.query["media_id"], "MEDIA_PIC")
        self.assertTrue(self.api.app_of(request.query["access_token"]))
        # PicUrl, an address in the payload, is never fetched.
        self.assertFalse([r for r in self.api.requests if "pic.jpg" in r.path])

    def test_a_voice_message_reads_its_recognition_and_keeps_the_audio(self):
        self.api.media.add("MEDIA_VOICE", amr_bytes(), "audio/amr", "MEDIA_VOICE.amr")
        interaction = self._customer_sends(
            "9002", MsgType="voice", MediaId="MEDIA_VOICE", Format="amr", Recognition="航班延误了吗"
        )
        self.assertEqual(interaction.summary, "航班延误了吗")
        self._fetch_media()
        files = self._ticket_files(interaction)
        self.assertIn("audio/amr", files.mapped("mimetype"))
        if find_converter():
            self.assertEqual(sorted(files.mapped("mimetype")), ["audio/amr", "audio/mpeg"])
            playable = interaction.media_ids.playable_attachment_id
            self.assertEqual(playable.name, "MEDIA_VOICE.mp3")
            # The chatter plays the copy in its voice player; the original is a download.
            self.assertEqual(files.filtered("voice_ids"), playable)
        else:
            self.assertIn("ffmpeg", interaction.media_ids.note)

    def test_an_agent_sees_the_picture_and_plays_the_voice_message_in_the_chatter(self):
        if not find_converter():
            self.skipTest("the voice player needs the MP3 copy, made with ffmpeg")
        agent = create_staff(self.env, "media_agent", "Tang Agent")
        self.team.user_ids |= agent
        self.api.media.add("MEDIA_TOUR_PIC", png_bytes((120, 80)), "image/png", "luggage.png")
        self.api.media.add("MEDIA_TOUR_VOICE", amr_bytes(100), "audio/amr", "voice.amr")
        picture = self._customer_sends("9101", MsgType="image", MediaId="MEDIA_TOUR_PIC")
        voice = self._customer_sends(
            "9102", MsgType="voice", MediaId="MEDIA_TOUR_VOICE", Format="amr"
        )
        self.assertEqual(voice.ticket_id, picture.ticket_id)
        self._fetch_media()
        self.start_tour(
            f"/odoo/helpdesk.ticket/{picture.ticket_id.id}",
            "omnichannel_wechat_ticket_media",
            login="media_agent",
        )

    def test_without_a_converter_the_voice_is_offered_for_download(self):
        self.env["ir.config_parameter"].set_param(
            "omnichannel_crm.voice_converter", "/nonexistent/bin/ffmpeg"
        )
        self.api.media.add("MEDIA_VOICE2", amr_bytes(), "audio/amr", "v.amr")
        interaction = self._customer_sends("9003", MsgType="voice", MediaId="MEDIA_VOICE2")
        self.assertEqual(interaction.summary, "[Voice message]")
        self._fetch_media()
        self.assertEqual(self._ticket_files(interaction).mapped("mimetype"), ["audio/amr"])
        self.assertEqual(interaction.media_ids.state, "done")
        self.assertIn("downloaded, not played", interaction.media_ids.note)

    def test_videos_come_with_their_still_picture(self):
        for msg_id, msg_type in (("9004", "video"), ("9005", "shortvideo")):
            with self.subTest(msg_type=msg_type):
                self.api.media.add(f"V{msg_id}", mp4_bytes(), "video/mp4", f"V{msg_id}.mp4")
                self.api.media.add(f"T{msg_id}", jpeg_bytes(), "image/jpeg", f"T{msg_id}.jpg")
                interaction = self._customer_sends(
                    msg_id, MsgType=msg_type, MediaId=f"V{msg_id}", ThumbMediaId=f"T{msg_id}"
                )
                self.assertEqual(interaction.summary, "[Video]")
                self._fetch_media()
                self.assertEqual(
                    sorted(self._ticket_files(interaction).mapped("mimetype")),
                    ["image/jpeg", "video/mp4"],
                )

    def test_an_expired_media_id_is_noted_on_the_timeline(self):
        interaction = self._customer_sends("9006", MsgType="image", MediaId="MEDIA_GONE")
        self._fetch_media()
        self.assertEqual(interaction.media_ids.state, "expired")
        self.assertEqual(
            interaction.media_ids.note,
            "The media expired on the platform before it was downloaded.",
        )
        self.assertFalse(self._ticket_files(interaction))
        self.assertTrue(interaction.ticket_id)
        # The agent on the ticket is told, in an internal note the customer does not get.
        note = interaction.ticket_id.message_ids.filtered(
            lambda message: "is not on the ticket" in (message.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn(
            "The image the customer sent is not on the ticket: The media expired on the platform",
            note.body,
        )

    def test_a_platform_error_is_retried_with_a_growing_delay_then_expires(self):
        self.api.media.add("MEDIA_LATE", png_bytes(), "image/png")
        interaction = self._customer_sends("9007", MsgType="image", MediaId="MEDIA_LATE")
        media = interaction.media_ids
        self.api.down_for = 1  # HTTP 503
        self._fetch_media()
        self.assertEqual((media.state, media.attempts), ("pending", 1))
        self.assertIn("tried again later", media.note)
        first_delay = media.next_attempt - fields.Datetime.now()
        self.assertGreater(first_delay, timedelta(seconds=0))
        # Not due yet: nothing asked.
        calls = len(self.api.calls(MEDIA_GET_PATH))
        self._fetch_media()
        self.assertEqual(len(self.api.calls(MEDIA_GET_PATH)), calls)
        self.api.down_for = 1
        self._fetch_media(at=media.next_attempt)
        self.assertEqual(media.attempts, 2)
        self.assertGreater(media.next_attempt - fields.Datetime.now(), first_delay)
        self._fetch_media(at=media.next_attempt)
        self.assertEqual(media.state, "done")
        self.assertEqual(self._ticket_files(interaction).mimetype, "image/png")
        # The platform down until it deletes the file: expired.
        self.api.media.add("MEDIA_NEVER", png_bytes(), "image/png")
        never = self._customer_sends("9008", MsgType="image", MediaId="MEDIA_NEVER").media_ids
        self.api.down_for = 1
        self._fetch_media()
        self._fetch_media(at=fields.Datetime.now() + timedelta(days=3, minutes=1))
        self.assertEqual(never.state, "expired")
        self.assertIn("expired on the platform", never.note)

    def test_oversized_and_forbidden_files_are_refused_with_a_note(self):
        self.env["ir.config_parameter"].set_param("omnichannel_crm.media_max_mb.wechat", "0.01")
        self.api.media.add("MEDIA_BIG", png_bytes(size=(400, 400)) + b"\0" * 20000, "image/png")
        self.api.media.add("MEDIA_PAGE", PAGE_AS_PICTURE, "image/jpeg", "photo.jpg")
        big = self._customer_sends("9009", MsgType="image", MediaId="MEDIA_BIG")
        page = self._customer_sends("9010", MsgType="image", MediaId="MEDIA_PAGE")
        self._fetch_media()
        self.assertEqual(big.media_ids.state, "refused")
        self.assertIn("larger than 0.01 MB", big.media_ids.note)
        self.assertEqual(page.media_ids.state, "refused")
        self.assertIn("are not accepted from customers", page.media_ids.note)
        self.assertFalse(self._ticket_files(big) | self._ticket_files(page))
        notes = big.ticket_id.message_ids.filtered(
            lambda message: message.subtype_id == self.env.ref("mail.mt_note")
        )
        self.assertTrue(any("larger than 0.01 MB" in note.body for note in notes))

    def test_locations_and_links_read_as_text_with_their_links(self):
        location = self._customer_sends(
            "9011", MsgType="location", Location_X="18.25", Location_Y="109.51", Label="三亚湾"
        )
        self.assertEqual(location.summary, "[Location] 三亚湾 (18.25, 109.51)")
        self.assertIn("https://uri.amap.com/marker?position=109.51%2C18.25", location.body)
        link = self._customer_sends(
            "9012",
            MsgType="link",
            Title="<b>Hotel</b> booking",
            Description="Room 1208",
            Url="https://hotel.example/booking?id=7&x=1",
        )
        self.assertEqual(link.summary, "<b>Hotel</b> booking")
        self.assertIn("&lt;b&gt;Hotel&lt;/b&gt; booking", link.body)
        self.assertIn('href="https://hotel.example/booking?id=7&amp;x=1"', link.body)
        self.assertIn("Room 1208", link.ticket_message_id.body)
        self.assertFalse(location.media_ids | link.media_ids)


@tagged("post_install", "-at_install")
class TestWecomInboundMedia(InboundMediaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api, cls.account, cls.kf = start_fake_wecom(cls)
        cls.account.team_id = cls.team

    def _customer_sends(self, msgid, msgtype, content):
        """A customer's message as sync_msg returns it, pulled by the sync job and processed."""
        self.api.messages.append(
            {
                "msgid": msgid,
                "open_kfid": OPEN_KFID,
                "external_userid": "wmCustomerMedia01",
                "send_time": int(time.time()),
                "origin": 3,
                "msgtype": msgtype,
                msgtype: content,
            }
        )
        self.kf._request_sync()
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self._run_pipeline()
        return self.env["omnichannel.interaction"].search(
            [("external_ref", "=", f"{CORP_ID}:{msgid}")]
        )

    def test_pictures_voice_video_and_files_reach_the_ticket(self):
        samples = {
            "image": (png_bytes(), "image/png", "photo.png"),
            "voice": (amr_bytes(), "audio/amr", "voice.amr"),
            "video": (mp4_bytes(), "video/mp4", "clip.mp4"),
            "file": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf", "行程单.pdf"),
        }
        for msgtype, (data, content_type, name) in samples.items():
            with self.subTest(msgtype=msgtype):
                media_id = f"WW-{msgtype.upper()}"
                self.api.media.add(media_id, data, content_type, name)
                interaction = self._customer_sends(f"ww-{msgtype}", msgtype, {"media_id": media_id})
                self.assertTrue(interaction.ticket_id)
                self._fetch_media()
                files = self._ticket_files(interaction)
                self.assertIn(name, files.mapped("name"))
                self.assertIn(content_type, files.mapped("mimetype"))
                (request,) = [
                    r for r in self.api.calls(MEDIA_GET_PATH) if r.query["media_id"] == media_id
                ]
                self.assertIn(request.query["access_token"], self.api.tokens.values())

    def test_an_expired_media_is_noted(self):
        interaction = self._customer_sends("ww-gone", "image", {"media_id": "WW-GONE"})
        self._fetch_media()
        self.assertEqual(interaction.media_ids.state, "expired")

    def test_locations_and_links_read_as_text_with_their_links(self):
        location = self._customer_sends(
            "ww-loc",
            "location",
            {"latitude": 18.25, "longitude": 109.51, "name": "凤凰机场", "address": "三亚"},
        )
        self.assertIn("凤凰机场", location.summary)
        self.assertIn("https://uri.amap.com/marker?position=109.51%2C18.25", location.body)
        link = self._customer_sends(
            "ww-link",
            "link",
            {"title": "订单 <1208>", "desc": "海景房", "url": "https://hotel.example/o/1208"},
        )
        self.assertIn("订单 &lt;1208&gt;", link.body)
        self.assertIn('href="https://hotel.example/o/1208"', link.ticket_message_id.body)
