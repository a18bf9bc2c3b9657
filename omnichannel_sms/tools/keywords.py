# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Opt-out and opt-in keywords of inbound SMS."""

import re
import unicodedata

# The carriers' opt-out set (CTIA) and the ones Chinese carriers honour (退订, TD, T, N).
DEFAULT_OPT_OUT = "STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT, 退订, TD, T, N"
DEFAULT_OPT_IN = "START, YES, UNSTOP, 订阅"

# Punctuation and spaces a customer may add around the keyword ("Stop!", "退订。").
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalize_keyword(text):
    text = unicodedata.normalize("NFKC", text or "")  # full-width letters become ASCII
    return _NOISE.sub("", text).upper()


def keyword_set(setting):
    """The keywords of a comma-separated setting, normalized."""
    return {normalize_keyword(word) for word in (setting or "").split(",") if word.strip()}


def matches(text, keywords):
    """True when the whole message is one of the keywords (a sentence merely containing "stop" is
    a message, not an opt-out)."""
    word = normalize_keyword(text)
    return bool(word) and word in keywords
