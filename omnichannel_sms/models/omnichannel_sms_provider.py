# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ipaddress
import secrets

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.omnichannel_crm.tools.outbox import API_TIMEOUT_PARAM, api_timeout

from ..tools.gateways import GATEWAYS
from ..tools.gateways.base import TIMEOUT, GatewayConfig


class OmnichannelSmsProvider(models.Model):
    _name = "omnichannel.sms.provider"
    _inherit = "omnichannel.cached.mixin"
    _description = "SMS Provider"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    provider_type = fields.Selection(
        [
            ("iap", "Odoo IAP"),
            ("twilio", "Twilio"),
            ("aliyun", "Aliyun SMS"),
            ("tencent", "Tencent Cloud SMS"),
            ("http", "Generic HTTP gateway"),
        ],
        string="Provider",
        required=True,
        default="aliyun",
    )
    is_default = fields.Boolean(
        string="Default", help="SMS of this company are sent through its default provider."
    )
    sender = fields.Char(
        help="Sender id or phone number (Twilio: a number, or a Messaging Service SID starting "
        "with MG), or the approved signature name (Aliyun, Tencent)."
    )
    # The URL and body of a generic gateway may carry a key: Settings administrators only, like the
    # credentials below.
    endpoint = fields.Char(
        string="API URL",
        groups="base.group_system",
        help="The provider's API address. Leave empty for its public endpoint; required for the "
        "generic HTTP gateway.",
    )
    region = fields.Char(
        help="Aliyun RegionId (cn-hangzhou) or Tencent Cloud region (ap-guangzhou)."
    )
    app_id = fields.Char(string="SDK App ID", help="Tencent Cloud SMS SmsSdkAppId.")
    # Credentials: only Settings administrators read or write them.
    account = fields.Char(
        string="Account / Key ID",
        groups="base.group_system",
        help="Twilio Account SID, Aliyun AccessKey ID or Tencent Cloud SecretId.",
    )
    secret = fields.Char(
        groups="base.group_system",
        help="Twilio Auth Token, Aliyun AccessKey Secret or Tencent Cloud SecretKey.",
    )
    http_auth_header = fields.Char(
        string="Authorization header",
        groups="base.group_system",
        help='Header sent with every request of the generic gateway, as "Name: value".',
    )
    http_body_template = fields.Text(
        string="Request body",
        groups="base.group_system",
        help="JSON body of the generic gateway; {{number}}, {{body}}, {{sender}}, {{reference}} "
        "and {{status_url}} are replaced.",
    )
    http_id_path = fields.Char(
        string="Message id in answer",
        help='Dotted path of the message id in the JSON answer of the generic gateway, e.g. "data.id".',
    )
    webhook_token = fields.Char(
        string="Webhook token",
        groups="base.group_system",
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        help="Secret in the webhook URLs of providers that do not sign their callbacks.",
    )
    allowed_ips = fields.Char(
        string="Allowed webhook addresses",
        help="Comma-separated IP addresses or networks (CIDR) the provider calls from. Empty: any.",
    )
    status_url = fields.Char(
        string="Delivery receipt URL", compute="_compute_webhook_urls", groups="base.group_system"
    )
    inbound_url = fields.Char(
        string="Inbound SMS URL", compute="_compute_webhook_urls", groups="base.group_system"
    )
    rate_limit = fields.Float(
        string="Messages per second",
        default=10.0,
        help="Sending pace of this provider for bulk sends, in messages: a batch call of 200 "
        "numbers counts 200; 0 for no limit.",
    )
    max_attempts = fields.Integer(
        string="Maximum attempts",
        default=6,
        help="Tries of one SMS when the provider is unreachable or throttles, with growing delays "
        "(30 s, 1 min, 2 min, ... up to 1 h) between them.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Helpdesk team",
        help="Team of the tickets opened by inbound SMS; the SMS channel's team when empty.",
    )
    opt_out_confirmation = fields.Boolean(
        string="Confirm opt-outs by SMS",
        default=True,
        help="Answer an opt-out keyword with the company's confirmation SMS. Turn it off where the "
        "provider confirms by itself (Twilio Advanced Opt-Out).",
    )
    default_template_code = fields.Char(
        string="Default template",
        help="Approved template used for SMS that no mapping below covers (Aliyun, Tencent), with "
        "the whole text in one parameter.",
    )
    default_template_param = fields.Char(
        string="Default template parameter",
        default="content",
        help="Parameter of the default template that receives the text.",
    )
    template_code_ids = fields.One2many(
        "omnichannel.sms.template.code", "provider_id", string="Approved templates"
    )
    test_number = fields.Char(string="Test number", help="Number the test message goes to.")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "An SMS provider with this name already exists in this company.",
        ),
    ]

    def init(self):
        # One default provider per company, enforced by the database.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS omnichannel_sms_provider_one_default_per_company
                ON omnichannel_sms_provider (company_id)
             WHERE is_default AND active
            """
        )

    def write(self, vals):
        # The provider type decides where and how the credentials are sent (Twilio's API gets them
        # in clear, Basic auth): like the credentials, it is for Settings administrators once set.
        if "provider_type" in vals and not (self.env.su or self.env.user._is_system()):
            configured = self.sudo().filtered(
                lambda provider: (
                    provider.provider_type != vals["provider_type"]
                    and (provider.account or provider.secret or provider.http_auth_header)
                )
            )
            if configured:
                raise AccessError(
                    self.env._(
                        "Only Settings administrators can change the provider of %(provider)s: "
                        "its credentials would go to another provider.",
                        provider=configured[0].name,
                    )
                )
        return super().write(vals)

    @api.depends("provider_type")
    def _compute_webhook_urls(self):
        for provider in self:
            provider.status_url = provider.id and provider._webhook_url("status")
            provider.inbound_url = provider.id and provider._webhook_url("inbound")

    def _webhook_url(self, kind):
        """The stable URL the provider calls for `kind` ("status" or "inbound"): Twilio signs its
        calls, the others prove themselves with the secret token in the URL."""
        self.ensure_one()
        provider = self.sudo()
        url = f"{provider.get_base_url()}/omnichannel/sms/{provider.id}/{kind}"
        if provider.provider_type == "twilio":
            return url
        return f"{url}?token={provider.webhook_token}"

    @api.constrains("allowed_ips")
    def _check_allowed_ips(self):
        for provider in self:
            try:
                provider._allowed_networks()
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "Invalid webhook address list %(value)s: %(error)s",
                        value=provider.allowed_ips,
                        error=error,
                    )
                ) from error

    @api.constrains("provider_type", "endpoint")
    def _check_endpoint(self):
        for provider in self.sudo():
            if provider.provider_type == "http" and not provider.endpoint:
                raise ValidationError(self.env._("The generic HTTP gateway needs its API URL."))

    # ----------------------------------------------------------------------------------------------
    # Gateway
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _default_for(self, company):
        """The company's default provider, or an empty recordset (Odoo IAP). An archived default
        is returned when no active one replaces it: the company's SMS are then held back, never
        handed to Odoo IAP instead (a neutralized copy of the database archives every provider)."""
        return self.sudo().browse(self._default_id_for(company.id))

    @tools.ormcache("company_id")
    def _default_id_for(self, company_id):
        # Cached: every SMS sent asks, and Odoo's own SMS path must not pay a query for it.
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [("company_id", "=", company_id), ("is_default", "=", True)],
                order="active desc, sequence, id",
                limit=1,
            )
            .id
        )

    def _gateway(self, session=None):
        self.ensure_one()
        provider = self.sudo()
        config = GatewayConfig(
            account=provider.account or "",
            secret=provider.secret or "",
            sender=provider.sender or "",
            endpoint=provider.endpoint or "",
            app_id=provider.app_id or "",
            region=provider.region or "",
            status_url=provider._webhook_url("status"),
            http_auth_header=provider.http_auth_header or "",
            http_body_template=provider.http_body_template or "",
            http_id_path=provider.http_id_path or "",
            webhook_token=provider.webhook_token or "",
            timeout=api_timeout(
                self.env["ir.config_parameter"].sudo().get_param(API_TIMEOUT_PARAM), TIMEOUT
            ),
        )
        return GATEWAYS[provider.provider_type](config, session=session)

    def _allowed_networks(self):
        return [
            ipaddress.ip_network(part.strip(), strict=False)
            for part in (self.allowed_ips or "").split(",")
            if part.strip()
        ]

    def _webhook_address_allowed(self, address):
        networks = self._allowed_networks()
        if not networks:
            return True
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in network for network in networks)

    # ----------------------------------------------------------------------------------------------
    # Actions
    # ----------------------------------------------------------------------------------------------

    def action_send_test(self):
        self.ensure_one()
        if not self.test_number:
            raise UserError(self.env._("Enter the number the test message goes to."))
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": self.test_number,
                    "body": self.env._(
                        "Test message from %(company)s through %(provider)s.",
                        company=self.company_id.name,
                        provider=self.name,
                    ),
                    "omnichannel_company_id": self.company_id.id,
                    "omnichannel_provider_id": self.id,
                    "omnichannel_ignore_opt_out": True,
                }
            )
        )
        sms._send_through(self)
        if sms.state == "pending":
            message, kind = self.env._("The provider accepted the test message."), "success"
        else:
            if sms.state == "outgoing":
                sms.action_set_canceled()  # a test is not retried behind the user's back
            reason = " ".join(
                filter(None, [sms.omnichannel_error_code, sms.omnichannel_error_message])
            )
            message = self.env._(
                "The test message was not sent: %(reason)s", reason=reason or sms.state
            )
            kind = "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.name,
                "message": message,
                "type": kind,
                "sticky": kind != "success",
            },
        }
