# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import OmnichannelUsersMixin, receive


@tagged("post_install", "-at_install")
class TestInteractionMediaAccess(OmnichannelUsersMixin, TransactionCase):
    """A customer's file that could not be downloaded is tried again by a manager, not an agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls._create_omnichannel_users()

    def test_only_managers_try_a_download_again(self):
        interaction = receive(
            self.env, "sms", "+8613512347788", "photo", media=[{"kind": "image", "ref": "m-1"}]
        )
        media = interaction.media_ids
        self.assertEqual(len(media), 1)
        media.write({"state": "refused", "note": "Not kept"})
        with self.assertRaises(AccessError):
            media.with_user(self.agent).action_retry()
        self.assertEqual(media.state, "refused")
        media.with_user(self.manager).action_retry()
        self.assertEqual(media.state, "pending")
        self.assertFalse(media.note)
