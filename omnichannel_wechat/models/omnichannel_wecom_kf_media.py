# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.omnichannel_crm.tools.media import FILE, IMAGE, VIDEO, VOICE
from odoo.addons.omnichannel_crm.tools.message_body import link_body, location_body

# The synced message types whose file the platform keeps (by media_id, three days).
MEDIA_KINDS = {"image": IMAGE, "voice": VOICE, "video": VIDEO, "file": FILE}


class OmnichannelWecomKf(models.Model):
    """What a customer's synced picture, voice message, video, file, location or link carries:
    the media to download with the account's token, the map link, the link's page."""

    _inherit = "omnichannel.wecom.kf"

    def _contact(self, item, profiles):
        contact = super()._contact(item, profiles)
        if not contact or contact.kind != "message":
            return contact
        msgtype = item.get("msgtype")
        content = item.get(msgtype) if isinstance(item.get(msgtype), dict) else {}
        if msgtype in MEDIA_KINDS and content.get("media_id"):
            contact.media = [
                {"kind": MEDIA_KINDS[msgtype], "ref": content["media_id"], "name": None}
            ]
        elif msgtype == "location":
            contact.body = location_body(
                " ".join(str(content[key]) for key in ("name", "address") if content.get(key)),
                content.get("latitude"),
                content.get("longitude"),
                self.env._("Open the map"),
            )
        elif msgtype == "link":
            contact.body = link_body(content.get("title"), content.get("desc"), content.get("url"))
        return contact

    def _omnichannel_fetch_media(self, media, max_bytes):
        """The account's token downloads the files of all its customer-service accounts."""
        self.ensure_one()
        return self.account_id._omnichannel_fetch_media(media, max_bytes)
