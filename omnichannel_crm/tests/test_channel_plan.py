# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The channel choice of a notification, without a database."""

from odoo.tests import BaseCase, tagged

from ..tools.channel_plan import (
    CONSENT_WITHDRAWN,
    NO_ADDRESS,
    NO_MARKETING_CONSENT,
    NOT_INSTALLED,
    NOT_SERVED,
    OPTED_OUT,
    Customer,
    Step,
    plan,
)

INSTALLED = {"email", "sms", "phone", "wechat"}
ADDRESSES = {
    "email": "zhang.wei@example.com",
    "sms": "+8613800138000",
    "phone": "+8613800138000",
    "wechat": "oZhangWei",
}
WECHAT, SMS, EMAIL = (
    Step("wechat-step", "wechat"),
    Step("sms-step", "sms"),
    Step("email-step", "email"),
)
VIP_CALL = Step("vip-call", "phone", min_level=30)


@tagged("post_install", "-at_install")
class TestChannelPlan(BaseCase):
    def test_the_scenarios_order_when_the_customer_has_no_preference(self):
        steps, refused = plan(
            [SMS, EMAIL, WECHAT], Customer(addresses=ADDRESSES), "service", INSTALLED
        )
        self.assertEqual(steps, ["sms-step", "email-step", "wechat-step"])
        self.assertEqual(refused, [])

    def test_preferred_channels_first_then_the_others_in_the_scenarios_order(self):
        customer = Customer(addresses=ADDRESSES, ranks={"wechat": 0, "email": 1})
        steps, _refused = plan([SMS, EMAIL, WECHAT], customer, "service", INSTALLED)
        self.assertEqual(steps, ["wechat-step", "email-step", "sms-step"])
        kept, _refused = plan(
            [SMS, EMAIL, WECHAT], customer, "service", INSTALLED, respect_preferences=False
        )
        self.assertEqual(kept, ["sms-step", "email-step", "wechat-step"])

    def test_an_upgrade_comes_first_for_its_level_and_not_at_all_below_it(self):
        steps = [SMS, VIP_CALL]
        vip = Customer(level=30, addresses=ADDRESSES, ranks={"sms": 0})
        self.assertEqual(plan(steps, vip, "service", INSTALLED)[0], ["vip-call", "sms-step"])
        standard = Customer(level=10, addresses=ADDRESSES)
        self.assertEqual(plan(steps, standard, "service", INSTALLED), (["sms-step"], []))

    def test_channels_already_tried_are_not_tried_again(self):
        steps, _refused = plan(
            [SMS, EMAIL], Customer(addresses=ADDRESSES), "service", INSTALLED, tried=["sms"]
        )
        self.assertEqual(steps, ["email-step"])

    def test_each_refusal_says_why(self):
        customer = Customer(
            consents={"email": False},
            addresses={"email": "a@example.com", "sms": False, "phone": "+8613800138000"},
        )
        steps, refused = plan(
            [EMAIL, SMS, WECHAT, Step("call", "phone")], customer, "service", {"email", "sms"}
        )
        self.assertEqual(steps, [])
        self.assertEqual(
            refused,
            [
                ("email-step", CONSENT_WITHDRAWN),
                ("sms-step", OPTED_OUT),
                ("wechat-step", NO_ADDRESS),
                ("call", NOT_INSTALLED),
            ],
        )

    def test_marketing_needs_a_consent_given(self):
        customer = Customer(consents={"sms": True}, addresses=ADDRESSES)
        steps, refused = plan([EMAIL, SMS], customer, "marketing", INSTALLED)
        self.assertEqual(steps, ["sms-step"])
        self.assertEqual(refused, [("email-step", NO_MARKETING_CONSENT)])

    def test_only_the_channels_of_the_customers_service_level(self):
        customer = Customer(addresses=ADDRESSES, ranks={"sms": 0}, channels=frozenset({"email"}))
        steps, refused = plan([SMS, EMAIL, WECHAT], customer, "service", INSTALLED)
        self.assertEqual(steps, ["email-step"])
        self.assertEqual(refused, [("sms-step", NOT_SERVED), ("wechat-step", NOT_SERVED)])
