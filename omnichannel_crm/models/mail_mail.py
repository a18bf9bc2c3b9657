# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """The timeline shows whether a notification's email left; a recipient it could not reach
        makes that recipient's notification fall back to the next channel. Odoo reports one
        outcome per email with the recipients it reached (`success_pids`): the others failed."""
        interactions = self.env["omnichannel.interaction"]._of_messages(
            self.mail_message_id, [("direction", "=", "outbound"), ("state", "=", "queued")]
        )
        failed = interactions.filtered(
            lambda interaction: failure_type and interaction.partner_id.id not in success_pids
        )
        failed.write({"state": "failed", "failure_reason": failure_reason or failure_type})
        (interactions - failed).write({"state": "sent"})
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
