# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The HTML bodies of a customer's shared location and shared link, whatever the platform: every
value the customer's app filled in is escaped, and only a web address becomes a link."""

from urllib.parse import urlencode

from markupsafe import Markup, escape

MAP_URL = "https://uri.amap.com/marker"


def map_url(latitude, longitude, label=""):
    """A map marker at the coordinates (AMap's URI API: longitude first), or None when they are not
    numbers."""
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    query = {"position": f"{lng},{lat}", "name": label or f"{lat},{lng}", "src": "omnichannel"}
    return f"{MAP_URL}?{urlencode(query)}"


def web_link(url, text=None):
    """A link to `url` when it is a web address, else the text alone (no javascript: or data: link
    from a customer's payload)."""
    url = (url or "").strip()
    if url.lower().startswith(("http://", "https://")):
        return Markup('<a href="%s" target="_blank" rel="noopener noreferrer">%s</a>') % (
            url,
            text or url,
        )
    return escape(text or url)


def location_body(label, latitude, longitude, map_text):
    """<p>label (lat, lng)</p><p>map link</p>."""
    url = map_url(latitude, longitude, label)
    lines = [Markup("<p>%s (%s, %s)</p>") % (label or "", latitude or "", longitude or "")]
    if url:
        lines.append(Markup("<p>%s</p>") % web_link(url, map_text))
    return Markup("").join(lines)


def link_body(title, description, url):
    """<p><b>title</b></p><p>description</p><p>link</p>, each part when given."""
    lines = []
    if title:
        lines.append(Markup("<p><b>%s</b></p>") % title)
    if description:
        lines.append(Markup("<p>%s</p>") % description)
    if url:
        lines.append(Markup("<p>%s</p>") % web_link(url))
    return Markup("").join(lines) or None
