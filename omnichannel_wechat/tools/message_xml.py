# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Safe parsing and building of WeChat's flat XML messages."""

from xml.sax.saxutils import escape

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

# WeChat messages are a few kilobytes; anything much larger is not from the platform.
MAX_BODY_BYTES = 64 * 1024


class WechatXmlError(ValueError):
    """The body is not a WeChat message."""


def parse(body):
    """The message as a dict of its top-level elements (nested ones as dicts), refusing DTDs,
    entities, external references and oversized bodies."""
    if isinstance(body, str):
        body = body.encode()
    if len(body) > MAX_BODY_BYTES:
        raise WechatXmlError("body too large")
    try:
        root = ElementTree.fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except (DefusedXmlException, ElementTree.ParseError, ValueError) as error:
        raise WechatXmlError(f"malformed XML: {error}") from error
    if root.tag != "xml":
        raise WechatXmlError("root element is not <xml>")
    return {child.tag: _value(child) for child in root}


def _value(element):
    if len(element):
        return {child.tag: _value(child) for child in element}
    return (element.text or "").strip()


def build(values):
    """<xml> with one element per key; strings in CDATA, numbers as text."""
    parts = []
    for key, value in values.items():
        if isinstance(value, int):
            parts.append(f"<{key}>{value}</{key}>")
        else:
            text = str(value).replace("]]>", "]]]]><![CDATA[>")
            parts.append(f"<{key}><![CDATA[{text}]]></{key}>")
    return "<xml>" + "".join(parts) + "</xml>"


def text(value):
    return escape(str(value))
