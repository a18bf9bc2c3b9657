# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Safe parsing and building of WeChat's flat XML messages."""

import io
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

# WeChat messages are a few kilobytes; anything much larger is not from the platform.
MAX_BODY_BYTES = 64 * 1024
# The deepest message WeChat sends nests five levels (xml/SendPicsInfo/PicList/item/PicMd5Sum);
# deeper nesting is refused while parsing, before it can exhaust the stack.
MAX_DEPTH = 8


class WechatXmlError(ValueError):
    """The body is not a WeChat message."""


def parse(body):
    """The message as a dict of its top-level elements (nested ones as dicts), refusing DTDs,
    entities, external references, nesting deeper than MAX_DEPTH and oversized bodies."""
    if isinstance(body, str):
        body = body.encode()
    if len(body) > MAX_BODY_BYTES:
        raise WechatXmlError("body too large")
    root, depth = None, 0
    try:
        for event, element in ElementTree.iterparse(
            io.BytesIO(body),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ):
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                break
            if root is None:
                root = element
    except (DefusedXmlException, ElementTree.ParseError, ValueError) as error:
        raise WechatXmlError(f"malformed XML: {error}") from error
    if depth > MAX_DEPTH:
        raise WechatXmlError("elements nested too deep")
    if root is None or root.tag != "xml":
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
