# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.omnichannel_crm.tools.media import MediaGone, MediaUnavailable

from ..tools.client import INVALID_MEDIA_ERRCODE, WechatApiError


class OmnichannelWechatTokenMixin(models.AbstractModel):
    """The customers' media, downloaded from the platform's own API (cgi-bin/media/get) with the
    account's access token: never from an address in a callback's payload (PicUrl)."""

    _inherit = "omnichannel.wechat.token.mixin"

    def _omnichannel_fetch_media(self, media, max_bytes):
        """(bytes, file name) of a queued omnichannel.interaction.media, within `max_bytes`. The
        platform's errors become the media queue's outcomes: an unknown or expired media id is gone,
        anything else is tried again while the platform keeps the file."""
        self.ensure_one()
        try:
            return self._with_token(
                lambda client, token: client.get_media(token, media.reference, max_bytes)
            )
        except WechatApiError as error:
            if error.errcode == INVALID_MEDIA_ERRCODE:
                raise MediaGone(str(error)) from None
            raise MediaUnavailable(str(error)) from None
