# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class OmnichannelCachedMixin(models.AbstractModel):
    """Configuration that hot paths read through `tools.ormcache` (the FAQ matched against every
    inbound message, the SMS provider every SMS asks for): any change to it empties Odoo's caches,
    in every worker."""

    _name = "omnichannel.cached.mixin"
    _description = "Cached Omnichannel Configuration"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
