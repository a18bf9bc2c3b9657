# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Identities and interactions follow the surviving partner (Odoo moves every foreign key);
        then the timeline's stored customer is brought up to date and the identities of the merged
        partners' phone and email are kept as the survivor's."""
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        survivor = self.env["res.partner"].browse(partner_ids).exists()
        if len(survivor) == 1:
            family = self.env["res.partner"].search([("id", "child_of", survivor.id)])
            self.env.flush_all()
            self.env.cr.execute(
                """
                UPDATE omnichannel_interaction interaction
                   SET commercial_partner_id = partner.commercial_partner_id,
                       write_date = now() AT TIME ZONE 'UTC'
                  FROM res_partner partner
                 WHERE partner.id = interaction.partner_id
                   AND interaction.partner_id IN %s
                   AND interaction.commercial_partner_id IS DISTINCT FROM partner.commercial_partner_id
                """,
                (tuple(family.ids),),
            )
            self.env["omnichannel.interaction"].invalidate_model(["commercial_partner_id"])
            self.env["omnichannel.identity"]._sync_partner_identities(survivor, keep_stale=True)
            # Odoo moved the contacts and tickets in SQL: their KPI rows follow the survivor.
            self.env["omnichannel.kpi.report"]._refresh_records(
                self.env["omnichannel.interaction"].search([("partner_id", "in", family.ids)]).ids,
                self.env["helpdesk.ticket"]
                .with_context(active_test=False)
                .search([("partner_id", "in", family.ids)])
                .ids,
            )
        return result
