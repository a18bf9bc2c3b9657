# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..tools import media, message_body, voice
from .media_samples import PAGE_AS_PICTURE, amr_bytes, jpeg_bytes, mp4_bytes, png_bytes


@tagged("post_install", "-at_install")
class TestMediaTools(BaseCase):
    def test_the_content_type_comes_from_the_bytes(self):
        self.assertEqual(media.checked_mimetype(png_bytes()), "image/png")
        self.assertEqual(media.checked_mimetype(jpeg_bytes()), "image/jpeg")
        self.assertEqual(media.checked_mimetype(amr_bytes()), "audio/amr")
        self.assertEqual(media.checked_mimetype(b"\x02#!SILK_V3\x0c\x00"), "audio/silk")
        self.assertEqual(media.checked_mimetype(mp4_bytes()), "video/mp4")
        self.assertEqual(media.checked_mimetype(b"%PDF-1.7\n%\xe2\xe3"), "application/pdf")

    def test_pages_programs_and_empty_files_are_refused(self):
        for data in (PAGE_AS_PICTURE, b"MZ\x90\x00\x03\x00", b"<svg xmlns='x'></svg>", b""):
            with self.subTest(data=data[:8]), self.assertRaises(media.MediaRefused):
                media.checked_mimetype(data)

    def test_a_stream_past_the_cap_stops_being_read(self):
        read = []

        def chunks():
            for chunk in (b"a" * 10, b"b" * 10, b"c" * 10):
                read.append(chunk)
                yield chunk

        self.assertEqual(media.read_capped(iter([b"ab", b"cd"]), 4), b"abcd")
        with self.assertRaises(media.MediaTooLarge):
            media.read_capped(chunks(), 15)
        self.assertEqual(len(read), 2)

    def test_sizes_and_names(self):
        self.assertEqual(media.max_bytes(None), 20 * 1024 * 1024)
        self.assertEqual(media.max_bytes("-3"), 20 * 1024 * 1024)
        self.assertEqual(media.max_bytes("0.5"), 512 * 1024)
        self.assertEqual(media.file_name("../../etc/passwd.pdf", "m", "file", None), "passwd.pdf")
        self.assertEqual(
            media.file_name(None, "MEDIA_1", "image", "image/png"), "image-MEDIA_1.png"
        )

    def test_location_and_link_bodies_are_escaped(self):
        body = message_body.location_body("<b>三亚湾</b>", "18.25", "109.51", "Map")
        self.assertIn("&lt;b&gt;三亚湾&lt;/b&gt;", body)
        self.assertIn("https://uri.amap.com/marker?position=109.51%2C18.25", body)
        self.assertNotIn("href", message_body.location_body("x", "north", "1", "Map"))
        link = message_body.link_body('"><img src=x onerror=1>', "desc", "javascript:alert(1)")
        self.assertNotIn("<img", link)
        self.assertNotIn('href="javascript', link)
        self.assertIn(
            'href="https://example.com/a?b=1&amp;c=2"',
            message_body.web_link("https://example.com/a?b=1&c=2"),
        )

    def test_voice_is_converted_to_mp3_when_ffmpeg_is_there(self):
        converter = voice.find_converter()
        if not converter:
            self.skipTest("ffmpeg is not installed")
        mp3 = voice.to_mp3(amr_bytes(), converter)
        self.assertEqual(media.sniff_mimetype(mp3), "audio/mpeg")
        with self.assertRaises(voice.ConversionError):
            voice.to_mp3(b"#!AMR\nnot speech", converter)

    def test_a_missing_converter_is_none(self):
        self.assertIsNone(voice.find_converter("/nonexistent/bin/ffmpeg"))

    def test_the_kind_of_a_content_type(self):
        self.assertEqual(media.kind_of("image/jpeg"), media.IMAGE)
        self.assertEqual(media.kind_of("Audio/AMR"), media.VOICE)
        self.assertEqual(media.kind_of("video/mp4"), media.VIDEO)
        for other in ("application/pdf", "text/vcard", "", None):
            self.assertEqual(media.kind_of(other), media.FILE)
