# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlsplit

from ..tools.gateways.twilio import twilio_signature
from .fake_sms_providers import (
    ALIYUN_KEY_ID,
    ALIYUN_SECRET,
    HTTP_TOKEN,
    TENCENT_APP,
    TENCENT_ID,
    TENCENT_KEY,
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeSmsProviders,
)


def aliyun_report(biz_id, out_id, delivered=False, number="13712345678"):
    """One item of Aliyun's delivery report push (SmsReport), as its documentation shows it."""
    return {
        "phone_number": number,
        "send_time": "2026-07-01 10:00:00",
        "report_time": "2026-07-01 10:00:05" if delivered else "2026-07-01 10:00:07",
        "success": delivered,
        "err_code": "DELIVERED" if delivered else "MK:0001",
        "err_msg": "用户接收成功" if delivered else "用户关机",
        "sms_size": "1",
        "biz_id": biz_id,
        "out_id": out_id,
    }


class SmsProvidersMixin:
    """Providers of every type pointing at one fake server; `use(kind)` makes one the company's
    default."""

    @classmethod
    def setup_fake_providers(cls):
        cls.fake = FakeSmsProviders().__enter__()
        cls.addClassCleanup(cls.fake.__exit__, None, None, None)
        Provider = cls.env["omnichannel.sms.provider"]
        Provider.search([("company_id", "=", cls.env.company.id)]).write({"is_default": False})
        common = {"rate_limit": 0, "max_attempts": 4}
        cls.providers = {
            "twilio": Provider.create(
                {
                    **common,
                    "name": "Twilio test",
                    "provider_type": "twilio",
                    "sender": "+15005550006",
                    "account": TWILIO_SID,
                    "secret": TWILIO_TOKEN,
                    "endpoint": cls.fake.url,
                    "opt_out_confirmation": False,
                }
            ),
            "aliyun": Provider.create(
                {
                    **common,
                    "name": "Aliyun test",
                    "provider_type": "aliyun",
                    "sender": "海岛旅行",
                    "account": ALIYUN_KEY_ID,
                    "secret": ALIYUN_SECRET,
                    "endpoint": f"{cls.fake.url}/aliyun/",
                    "default_template_code": "SMS_100000001",
                }
            ),
            "tencent": Provider.create(
                {
                    **common,
                    "name": "Tencent test",
                    "provider_type": "tencent",
                    "sender": "海岛旅行",
                    "account": TENCENT_ID,
                    "secret": TENCENT_KEY,
                    "app_id": TENCENT_APP,
                    "endpoint": f"{cls.fake.url}/tencent",
                    "default_template_code": "1110",
                }
            ),
            "http": Provider.create(
                {
                    **common,
                    "name": "Gateway test",
                    "provider_type": "http",
                    "endpoint": f"{cls.fake.url}/gateway/send",
                    "http_auth_header": f"Authorization: {HTTP_TOKEN}",
                    "http_id_path": "data.id",
                }
            ),
        }

    def reset_fake(self):
        """The fake providers as a test starts: no request yet, up, answering at once."""
        self.fake.requests.clear()
        self.fake.accepted.clear()
        self.fake.refuse_numbers.clear()
        self.fake.media.clear()
        self.fake.media_redirect.clear()
        self.fake.cdn_redirect.clear()
        self.fake.down_for = 0
        self.fake.latency = 0.0
        self.fake.most_in_flight = 0

    def use(self, kind):
        provider = self.providers[kind]
        (self.env["omnichannel.sms.provider"].search([]) - provider).write({"is_default": False})
        # Written before the new default: one UPDATE of both could set it first, and the index of
        # one default per company refuses the row.
        self.env["omnichannel.sms.provider"].flush_model(["is_default"])
        provider.is_default = True
        return provider


class SmsWebhooksMixin:
    """Webhook calls over real HTTP, as the providers make them (for HttpCase)."""

    def _path(self, provider, kind):
        """The webhook URL shown on the provider's form, as the test server is reached."""
        url = urlsplit(provider._webhook_url(kind))
        return f"{url.path}?{url.query}" if url.query else url.path

    def _processed(self, response):
        """The webhook answered once its events were stored; the inbound pipeline, woken by that
        commit, processes them right after."""
        self.env["omnichannel.inbound.event"]._process_pending()
        return response

    def _post_twilio(self, provider, kind, form, signature=None, query=""):
        path = self._path(provider, kind) + query
        url = f"{provider.get_base_url()}{path}"
        signature = signature or twilio_signature(provider.secret, url, form)
        return self._processed(
            self.url_open(path, data=form, headers={"X-Twilio-Signature": signature})
        )
