# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext

from .omnichannel_data import CONSENT_CHANNELS


class OmnichannelScenarioChannel(models.Model):
    """One step of a scenario's channel policy: a channel, its template, and the customers it is
    for. A step restricted to a service level is an upgrade: it comes before the customer's
    preferences (e.g. a phone call from the account manager for VIPs on an urgent alert)."""

    _name = "omnichannel.scenario.channel"
    _description = "Scenario Channel"
    _order = "scenario_id, sequence, id"

    scenario_id = fields.Many2one(
        "omnichannel.scenario", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    channel = fields.Selection(CONSENT_CHANNELS, required=True)
    min_service_level_id = fields.Many2one(
        "omnichannel.service.level",
        string="For service level",
        help="Only for customers at this service level or above, and tried first for them.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain="[('model', '=', model)]",
    )
    call_note = fields.Text(
        string="Call brief",
        translate=True,
        help="What the agent says on the call; the call is an activity for the account manager.",
    )
    model = fields.Char(compute="_compute_model")

    @api.depends("scenario_id.model_id")
    def _compute_model(self):
        for line in self:
            line.model = line.scenario_id._document_model()

    @api.constrains("channel", "mail_template_id")
    def _check_template_model(self):
        for line in self:
            template = line._template()
            if template and template.model != line.scenario_id._document_model():
                raise ValidationError(
                    self.env._(
                        "The template of %(channel)s in %(scenario)s is for another kind of "
                        "document.",
                        channel=line._channel_label(),
                        scenario=line.scenario_id.name,
                    )
                )

    def _channel_label(self):
        return dict(self._fields["channel"]._description_selection(self.env))[self.channel]

    def _template(self):
        """The template this step sends; connector addons add their channels' templates."""
        return self.mail_template_id if self.channel == "email" else None

    # ----------------------------------------------------------------------------------------------
    # Sending
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _sender(self, channel):
        """The method that sends `channel`'s notifications, None when no installed addon sends on
        it: `_send_<channel>(notifications, addresses)`, returning {notification: error} for those
        it refused. Connector addons add theirs."""
        return getattr(self, f"_send_{channel}", None)

    def _send_email(self, notifications, addresses):
        """Queue the email in Odoo's mail queue, rendered in the customer's language: one mail per
        document and language, to the customers notified about it.

        Built from the template's rendering rather than sent with `mail.template.send_mail_batch`:
        that one takes its recipients from the template (partner_to, email_to) and one set of
        email values for the whole batch, while each mail here goes to exactly the customers this
        notification reaches on email, which differ per document."""
        template = self.mail_template_id
        if not template:
            return dict.fromkeys(notifications, self.env._("no template"))
        Mail = self.env["mail.mail"].sudo().with_context(omnichannel_skip_capture=True)
        render_fields = (
            "attachment_ids",
            "auto_delete",
            "body_html",
            "email_from",
            "mail_server_id",
            "reply_to",
            "report_template_ids",
            "subject",
        )
        summaries, extra = {}, {}
        for (lang, model), by_document in notifications._group_for_rendering().items():
            rendered = template.with_context(lang=lang)._generate_template(
                list(by_document), render_fields
            )
            vals_list, groups, attachments_list = [], [], []
            for res_id, group in by_document.items():
                values = rendered[res_id]
                attachments_list.append(values.get("attachments") or [])
                groups.append(group)
                vals_list.append(
                    {
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        "body": values.get("body_html"),
                        "email_from": values.get("email_from") or self.env.company.email_formatted,
                        "reply_to": values.get("reply_to"),
                        "mail_server_id": values.get("mail_server_id"),
                        "auto_delete": values.get("auto_delete", True),
                        "model": model,
                        "res_id": res_id,
                        "recipient_ids": [
                            Command.link(notification.partner_id.id)
                            for notification in group
                            if addresses.get(notification.partner_id.id)
                        ],
                        "attachment_ids": [
                            Command.link(aid) for aid in values.get("attachment_ids") or []
                        ],
                    }
                )
            mails = Mail.create(vals_list)
            for mail, group, attachments in zip(mails, groups, attachments_list, strict=True):
                if attachments:
                    mail.with_context(default_type=None).write(
                        {
                            "attachment_ids": [
                                Command.create(
                                    {
                                        "name": name,
                                        "datas": datas,
                                        "type": "binary",
                                        "res_model": "mail.message",
                                        "res_id": mail.mail_message_id.id,
                                    }
                                )
                                for name, datas in attachments
                            ]
                        }
                    )
                for notification in group:
                    summaries[notification] = mail.subject or html2plaintext(mail.body_html or "")
                    extra[notification] = {
                        "body": mail.body_html,
                        "source_ref": f"mail.message,{mail.mail_message_id.id}",
                    }
        notifications._log_interactions("email", summaries, extra)
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        return {}

    def _send_phone(self, notifications, numbers):
        """A phone call is an activity for the customer's account manager, on the document when it
        has activities, else on the customer."""
        failures, summaries, extra = {}, {}, {}
        documents = notifications._documents()
        today = fields.Date.context_today(self)
        for notification in notifications:
            partner = notification.partner_id
            user = partner._omnichannel_account_manager()
            if not user:
                failures[notification] = self.env._("no account manager to call")
                continue
            document = documents[notification]
            record = document if "activity_ids" in document._fields else partner
            summary = self.env._(
                "Call %(customer)s: %(scenario)s",
                customer=partner.display_name,
                scenario=notification.scenario_id.name,
            )
            record.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=today,
                summary=summary,
                note=self.env._(
                    "Number: %(number)s. %(brief)s",
                    number=numbers.get(partner.id) or "-",
                    brief=self.call_note or "",
                ),
                user_id=user.id,
            )
            summaries[notification] = summary
            extra[notification] = {"user_id": user.id}
        (notifications - notifications.browse([n.id for n in failures]))._log_interactions(
            "phone", summaries, extra
        )
        return failures
