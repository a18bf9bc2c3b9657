# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeCom customer service joins the product's channel vocabulary: every channel selection of the
core gains it here, in one place."""

from odoo import fields, models

from ..tools.wecom_client import EXTERNAL_USERID_KIND

WECOM = [("wecom", "WeCom")]


def _to_other(records):
    records.write({"channel": "other"})


class OmnichannelInteraction(models.Model):
    _inherit = "omnichannel.interaction"

    # Uninstalling keeps the customers' history: WeCom entries become "Other".
    channel = fields.Selection(selection_add=WECOM, ondelete={"wecom": _to_other})


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    omnichannel_channel = fields.Selection(selection_add=WECOM, ondelete={"wecom": "set null"})


class OmnichannelConsent(models.Model):
    _inherit = "omnichannel.consent"

    channel = fields.Selection(selection_add=WECOM, ondelete={"wecom": "cascade"})


class OmnichannelChannelPreference(models.Model):
    _inherit = "omnichannel.channel.preference"

    channel = fields.Selection(selection_add=WECOM, ondelete={"wecom": "cascade"})


class OmnichannelScenarioChannel(models.Model):
    _inherit = "omnichannel.scenario.channel"

    channel = fields.Selection(selection_add=WECOM, ondelete={"wecom": "cascade"})


class OmnichannelNotification(models.Model):
    _inherit = "omnichannel.notification"

    channel = fields.Selection(selection_add=WECOM, ondelete={"wecom": "set null"})


class OmnichannelKpiReport(models.Model):
    _inherit = "omnichannel.kpi.report"

    channel = fields.Selection(selection_add=WECOM, ondelete={"wecom": "set null"})


class OmnichannelKpiResponseTime(models.Model):
    _inherit = "omnichannel.kpi.response.time"

    channel = fields.Selection(selection_add=WECOM, ondelete={"wecom": "set null"})


class OmnichannelIdentity(models.Model):
    _inherit = "omnichannel.identity"

    kind = fields.Selection(
        selection_add=[(EXTERNAL_USERID_KIND, "WeCom customer ID")],
        ondelete={EXTERNAL_USERID_KIND: "cascade"},
    )
