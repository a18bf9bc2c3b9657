# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class OmnichannelSmsProvider(models.Model):
    _name = "omnichannel.sms.provider"
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
        help="Sender id or phone number (Twilio), or the approved signature name (Aliyun, Tencent)."
    )
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
