# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from .common import receive


@tagged("post_install", "-at_install")
class TestPartnerMerge(TransactionCase):
    def test_merge_carries_identities_and_interactions(self):
        self.env.company.country_id = self.env.ref("base.cn")
        Interaction = self.env["omnichannel.interaction"]
        company = self.env["res.partner"].create(
            {"name": "Sunshine Kindergarten", "is_company": True}
        )
        survivor = self.env["res.partner"].create(
            {"name": "Zhang Wei", "email": "zhang.wei@family.example.org", "parent_id": company.id}
        )
        # The same person first wrote from WeChat and was created as a new customer.
        duplicate_contact = receive(
            self.env, "wechat", "oZhangWeiMergeOpenId0000001", summary="我是张伟", open_ticket=False
        )
        duplicate = duplicate_contact.partner_id
        duplicate.mobile = "13600136000"
        receive(self.env, "sms", "13600136000", summary="Also me", open_ticket=False)
        self.assertEqual(len(Interaction.search([("partner_id", "=", duplicate.id)])), 2)

        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((survivor | duplicate).ids, dst_partner=survivor)

        self.assertFalse(duplicate.exists())
        moved = Interaction.search([("partner_id", "=", survivor.id)])
        self.assertEqual(len(moved), 2)
        self.assertEqual(moved.commercial_partner_id, company, "the timeline follows the company")
        identities = {(i.kind, i.identifier) for i in survivor.omnichannel_identity_ids}
        self.assertIn(("wechat_openid", "oZhangWeiMergeOpenId0000001"), identities)
        self.assertIn(("phone", "+8613600136000"), identities)
        self.assertIn(("email", "zhang.wei@family.example.org"), identities)
        self.env.cr.execute(
            "SELECT kind, identifier, count(*) FROM omnichannel_identity"
            " GROUP BY kind, identifier, company_id HAVING count(*) > 1"
        )
        self.assertEqual(self.env.cr.fetchall(), [])
        # A later change of the survivor's details keeps what the merge brought.
        survivor.email = "zhang.w@example.com"
        self.assertIn(
            ("phone", "+8613600136000"),
            {(i.kind, i.identifier) for i in survivor.omnichannel_identity_ids},
        )
