# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a visitor's message claims, and the signatures and codes that prove it: pure functions."""

import hashlib
import hmac

from odoo.tests import BaseCase, tagged

from ..tools import visitor_identity as vi


@tagged("at_install")
class TestVisitorIdentityTools(BaseCase):
    def test_an_email_in_chinese_text_is_read_without_the_text(self):
        self.assertEqual(
            vi.typed_identifier("我的邮箱是Zhao.Lan@Example.com。谢谢", "CN"),
            ("email", "zhao.lan@example.com"),
        )

    def test_mobile_numbers_are_read_and_other_numbers_are_not(self):
        self.assertEqual(
            vi.typed_identifier("我的手机13655550123", "CN"), ("phone", "+8613655550123")
        )
        self.assertEqual(
            vi.typed_identifier("call +44 7911 123456 please", "CN"), ("phone", "+447911123456")
        )
        for text in (
            "订单号 2026071200123",
            "出发日期 2026-07-12",
            "航班 HU7281",
            "预订编号 ORD-13655550123",
            "房间 1208，人数 4",
            "12/07/2026",
        ):
            self.assertIsNone(vi.typed_identifier(text, "CN"), text)

    def test_only_the_beginning_of_a_message_is_read(self):
        self.assertIsNone(vi.typed_identifier("x" * vi.SCAN_LIMIT + " a@example.com", "CN"))
        self.assertIsNone(vi.typed_code("x" * vi.SCAN_LIMIT + " 123456"))
        self.assertEqual(vi.typed_code("验证码是 042137"), "042137")
        self.assertIsNone(vi.typed_code("13655550123"), "a phone number is no code")

    def test_the_signature_is_hmac_sha256_hex_compared_on_bytes(self):
        expected = hmac.new(b"s3cret", b"a@example.com", hashlib.sha256).hexdigest()
        self.assertEqual(vi.identity_signature("s3cret", "a@example.com"), expected)
        self.assertTrue(vi.signature_matches("s3cret", "a@example.com", expected.upper()))
        self.assertFalse(vi.signature_matches("s3cret", "a@example.com", "签名" * 32))
        self.assertFalse(
            vi.signature_matches("", "a@example.com", vi.identity_signature("", "a@example.com"))
        )
        self.assertFalse(vi.signature_matches("s3cret", "a@example.com", None))

    def test_codes_are_six_digits(self):
        codes = {vi.new_code() for _i in range(50)}
        self.assertTrue(all(len(code) == 6 and code.isdigit() for code in codes))
        self.assertGreater(len(codes), 1)
