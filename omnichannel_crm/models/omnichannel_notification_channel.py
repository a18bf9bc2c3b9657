# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, fields, models
from odoo.tools import html2plaintext


class OmnichannelNotification(models.Model):
    """Sending on the channels the core knows (email, a planned call) and logging each sending on
    the customer's timeline; connectors add theirs."""

    _inherit = "omnichannel.notification"

    # ----------------------------------------------------------------------------------------------
    # Channels
    # ----------------------------------------------------------------------------------------------

    def _documents(self):
        """{notification: the document it is about}, read in batch."""
        records = {}
        by_model = defaultdict(list)
        for notification in self:
            by_model[notification.res_model].append(notification)
        for model, notifications in by_model.items():
            documents = self.env[model].sudo().browse([n.res_id for n in notifications])
            for notification, document in zip(notifications, documents, strict=True):
                records[notification] = document
        return records

    def _group_for_rendering(self):
        """{(lang, model): {res_id: notifications}}: a template is rendered once per document and
        language."""
        groups = defaultdict(lambda: defaultdict(self.browse))
        for notification in self:
            lang = notification.partner_id.lang or self.env.lang
            groups[(lang, notification.res_model)][notification.res_id] |= notification
        return groups

    def _log_interactions(self, channel, summaries, extra=None):
        """One outbound entry on each customer's timeline; `summaries` and `extra` per
        notification."""
        Interaction = self.env["omnichannel.interaction"].sudo()
        vals_list = []
        for notification in self:
            document = (notification.res_model, notification.res_id)
            vals_list.append(
                {
                    "partner_id": notification.partner_id.id,
                    "channel": channel,
                    "direction": "outbound",
                    # A phone step plans a call (a to-do), it does not make one: an event, which
                    # meets no response target until the call happens and is logged.
                    "interaction_type": "event" if channel == "phone" else "message",
                    "summary": Interaction._summary_from(summaries.get(notification), None),
                    "ticket_id": document[1] if document[0] == "helpdesk.ticket" else False,
                    "company_id": notification.company_id.id,
                    "state": "queued",
                    **((extra or {}).get(notification) or {}),
                }
            )
        interactions = Interaction.create(vals_list)
        for notification, interaction in zip(self, interactions, strict=True):
            notification.interaction_id = interaction
        return interactions

    def _send_email(self, step, addresses):
        """Queue the email in Odoo's mail queue, rendered in the customer's language."""
        template = step.mail_template_id
        if not template:
            return dict.fromkeys(self, self.env._("no template"))
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
        for (lang, model), by_document in self._group_for_rendering().items():
            rendered = template.with_context(lang=lang)._generate_template(
                list(by_document), render_fields
            )
            vals_list, groups, attachments_list = [], [], []
            for res_id, notifications in by_document.items():
                values = rendered[res_id]
                attachments_list.append(values.get("attachments") or [])
                groups.append(notifications)
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
                            for notification in notifications
                            if addresses.get(notification.partner_id.id)
                        ],
                        "attachment_ids": [
                            Command.link(aid) for aid in values.get("attachment_ids") or []
                        ],
                    }
                )
            mails = Mail.create(vals_list)
            for mail, notifications, attachments in zip(
                mails, groups, attachments_list, strict=True
            ):
                if attachments:
                    mail.with_context(default_type=None).write(
                        {
                            "attachment_ids": [
                                (
                                    0,
                                    0,
                                    {
                                        "name": name,
                                        "datas": datas,
                                        "type": "binary",
                                        "res_model": "mail.message",
                                        "res_id": mail.mail_message_id.id,
                                    },
                                )
                                for name, datas in attachments
                            ]
                        }
                    )
                for notification in notifications:
                    summaries[notification] = mail.subject or html2plaintext(mail.body_html or "")
                    extra[notification] = {
                        "body": mail.body_html,
                        "source_ref": f"mail.message,{mail.mail_message_id.id}",
                    }
        self._log_interactions("email", summaries, extra)
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        return {}

    def _send_phone(self, step, numbers):
        """A phone call is an activity for the customer's account manager, on the document when it
        has activities, else on the customer."""
        failures, summaries, extra = {}, {}, {}
        documents = self._documents()
        today = fields.Date.context_today(self)
        for notification in self:
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
                    brief=step.call_note or "",
                ),
                user_id=user.id,
            )
            summaries[notification] = summary
            extra[notification] = {"user_id": user.id}
        (self - self.browse([n.id for n in failures]))._log_interactions("phone", summaries, extra)
        return failures
