# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged

from ..hooks import post_init_hook
from ..tools.identity import InvalidIdentifier, normalize_identifier
from .common import receive, written_tables


@tagged("post_install", "-at_install")
class TestIdentityNormalization(TransactionCase):
    def test_phone_numbers_become_e164_read_in_china_by_default(self):
        for spelling in ("136 0013 6000", "+86 136-0013-6000", "0086 13600136000", "13600136000"):
            with self.subTest(spelling=spelling):
                self.assertEqual(normalize_identifier("phone", spelling), "+8613600136000")
        self.assertEqual(normalize_identifier("phone", "06 12 34 56 78", "FR"), "+33612345678")

    def test_emails_are_lower_cased_without_display_name(self):
        self.assertEqual(
            normalize_identifier("email", '"Zhang Wei" <Zhang.Wei@Family.Example.ORG>'),
            "zhang.wei@family.example.org",
        )

    def test_member_numbers_ignore_spaces_and_dashes(self):
        self.assertEqual(normalize_identifier("member", "it-2026 0088"), "IT20260088")

    def test_bad_identifiers_are_refused_with_the_reason(self):
        for kind, value in (("phone", "call me"), ("email", "zhang@"), ("wechat_openid", "a b")):
            with self.subTest(kind=kind), self.assertRaises(InvalidIdentifier):
                normalize_identifier(kind, value)
        with self.assertRaisesRegex(ValidationError, "Invalid phone identifier"):
            self.env["omnichannel.identity"].normalize("phone", "12")


@tagged("post_install", "-at_install")
class TestPartnerIdentities(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Numbers without a country code are read in the company's country.
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.Identity = cls.env["omnichannel.identity"]
        cls.zhang = cls.env["res.partner"].create(
            {
                "name": "Zhang Wei",
                "mobile": "136 0013 6000",
                "email": "Zhang.Wei@Family.Example.org",
                "omnichannel_member_number": "IT-2026-0123",
            }
        )

    def _identities(self, partner):
        return {(i.kind, i.identifier) for i in partner.omnichannel_identity_ids}

    def test_a_new_customer_costs_partner_creation_one_insert(self):
        """Odoo's own partner creation (the mail gateway's, a composer's) pays for the identities
        one INSERT, nothing else written."""
        Partner = self.env["res.partner"]
        tables = {}
        for sync in (False, True, False, True):  # the first of each warms the caches up
            with written_tables(self.env) as written:
                Partner.with_context(omnichannel_skip_identity_sync=not sync).create(
                    {
                        "name": "Li Na",
                        "email": f"li.na.{len(tables)}@example.com",
                        "mobile": "13800138000",
                    }
                )
            tables[sync] = written
        self.assertEqual(sorted(tables[True]), sorted([*tables[False], "omnichannel_identity"]))

    def test_contact_details_become_identities(self):
        self.assertEqual(
            self._identities(self.zhang),
            {
                ("phone", "+8613600136000"),
                ("email", "zhang.wei@family.example.org"),
                ("member", "IT20260123"),
            },
        )
        for kind, value in (
            ("phone", "+86 136 0013 6000"),
            ("email", "ZHANG.WEI@family.example.org"),
            ("member", "it 2026 0123"),
        ):
            with self.subTest(kind=kind):
                self.assertEqual(self.Identity.find_partner(kind, value), self.zhang)

    def test_identities_follow_changes_of_contact_details(self):
        self.zhang.write({"mobile": "139 1111 2222", "email": False})
        self.assertEqual(
            self._identities(self.zhang),
            {("phone", "+8613911112222"), ("member", "IT20260123")},
        )
        self.assertFalse(self.Identity.find_partner("phone", "13600136000"))

    def test_a_shared_number_stays_with_the_first_customer_and_the_form_says_so(self):
        with Form(self.env["res.partner"]) as form:
            form.name = "Li Na"
            self.assertFalse(form.omnichannel_identity_holder_ids)
            form.mobile = "13600136000"
            # Typing the number shows at once whom it identifies.
            self.assertEqual(form.omnichannel_identity_holder_ids[:], self.zhang)
        spouse = form.record
        self.assertFalse(spouse.omnichannel_identity_ids)
        self.assertEqual(spouse.omnichannel_identity_holder_ids, self.zhang)
        self.assertFalse(self.zhang.omnichannel_identity_holder_ids, "the holder sees no warning")
        self.assertIn(
            'name="action_omnichannel_merge_identity_holders"',
            self.env["res.partner"].get_view(view_type="form")["arch"],
        )
        see_who = spouse.action_omnichannel_view_identity_holders()
        self.assertEqual((see_who["res_model"], see_who["res_id"]), ("res.partner", self.zhang.id))
        # Contacts from the number keep reaching the customer who holds it.
        message = receive(self.env, "sms", "+86 136 0013 6000", summary="我们改到下午出发")
        self.assertEqual(message.partner_id, self.zhang)

        # Merge resolves it: Odoo's wizard, opened on the two.
        action = spouse.action_omnichannel_merge_identity_holders()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(wizard.partner_ids, self.zhang | spouse)
        wizard.dst_partner_id = self.zhang
        wizard.action_merge()
        self.assertFalse(spouse.exists())
        self.assertFalse(self.zhang.omnichannel_identity_holder_ids)
        self.assertEqual(self.Identity.find_partner("phone", "13600136000"), self.zhang)

    def test_invalid_contact_details_are_not_identities(self):
        partner = self.env["res.partner"].create({"name": "Typo", "email": "not-an-address"})
        self.assertFalse(partner.omnichannel_identity_ids)

    def test_an_archived_identity_no_longer_captures_contacts(self):
        # The number was Zhang's; it has been given to someone else.
        number = self.Identity.search([("partner_id", "=", self.zhang.id), ("kind", "=", "phone")])
        number.action_archive()
        self.zhang.write({"name": "Zhang Wei (Beijing)"})
        self.assertFalse(
            self.Identity.search([("partner_id", "=", self.zhang.id), ("kind", "=", "phone")]),
            "the contact's own details do not bring the archived identity back",
        )
        partners_before = self.env["res.partner"].search_count([])
        identity = self.Identity._resolve_all([("phone", "+8613600136000")], self.env.company)
        self.assertNotEqual(identity.partner_id, self.zhang, "the new holder is a new customer")
        self.assertTrue(identity.active)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 1)
        # Given to another contact shared by every company, as Zhang's was: restoring says so.
        li = self.env["res.partner"].create({"name": "Li Na"})
        self.Identity.create({"kind": "phone", "identifier": "+8613600136000", "partner_id": li.id})
        with self.assertRaisesRegex(ValidationError, "now identifies Li Na"):
            number.action_unarchive()

    def test_identities_are_unique_per_company(self):
        company_b = self.env["res.company"].create({"name": "Island Tours Hainan"})
        other = self.env["res.partner"].create(
            {"name": "Zhang Wei (Hainan)", "mobile": "13600136000", "company_id": company_b.id}
        )
        self.assertEqual(self._identities(other), {("phone", "+8613600136000")})
        self.assertEqual(self.Identity.find_partner("phone", "13600136000", company_b), other)
        self.assertEqual(self.Identity.find_partner("phone", "13600136000"), self.zhang)

    def test_custom_kinds_need_a_namespace(self):
        with self.assertRaisesRegex(ValidationError, "system it comes from"):
            self.Identity.create(
                {"kind": "custom", "identifier": "U123", "partner_id": self.zhang.id}
            )
        self.Identity.create(
            {
                "kind": "custom",
                "namespace": "erp",
                "identifier": "U123",
                "partner_id": self.zhang.id,
            }
        )
        self.assertEqual(self.Identity.find_partner("custom", "U123", namespace="erp"), self.zhang)

    def test_install_hook_links_existing_customers(self):
        self.zhang.omnichannel_identity_ids.unlink()
        post_init_hook(self.env)
        self.assertIn(("phone", "+8613600136000"), self._identities(self.zhang))
