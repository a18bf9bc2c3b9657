# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the connectors' outboxes share: retry delays and the timeout of a platform's API."""

from odoo.tests import BaseCase, tagged

from ..tools.outbox import api_timeout, retry_delay


@tagged("post_install", "-at_install")
class TestOutboxTools(BaseCase):
    def test_retry_delay_grows_with_jitter_and_is_capped(self):
        self.assertEqual(retry_delay(1, rng=lambda: 0.0), 15)
        self.assertEqual(retry_delay(1, rng=lambda: 1.0), 30)
        self.assertEqual(retry_delay(3, rng=lambda: 1.0), 120)
        self.assertEqual(retry_delay(30, rng=lambda: 1.0), 3600)
        self.assertEqual(retry_delay(30, rng=lambda: 0.0), 1800)

    def test_api_timeout_is_a_positive_number_of_seconds_or_the_default(self):
        self.assertEqual(api_timeout("2.5", 10), 2.5)
        for value in (None, False, "", "soon", "0", "-3"):
            with self.subTest(value=value):
                self.assertEqual(api_timeout(value, 10), 10)
