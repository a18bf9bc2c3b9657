# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a customer's words say, without a model to train: normalization for Chinese and Western
text, fuzzy question matching for the FAQ, and complaint / anger signals. Pure functions, no ORM."""

import re
import unicodedata

# Characters that carry no meaning for matching: punctuation and symbols of both scripts.
_NOISE_RE = re.compile(r"[\s\W_]+", re.UNICODE)
_EXCLAMATIONS_RE = re.compile(r"[!！]")


def normalize(text):
    """Lower-case text with full-width letters and digits folded to ASCII, and punctuation
    and spaces removed, so that "航班 延误了吗?" and "航班延误了吗" compare equal."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return _NOISE_RE.sub("", folded)


def bigrams(text):
    """Character bigrams of normalized text: they match Chinese without word segmentation."""
    text = normalize(text)
    if len(text) < 2:
        return {text} if text else set()
    return {text[index : index + 2] for index in range(len(text) - 1)}


def similarity(left, right):
    """Dice coefficient of the character bigrams of two texts, from 0 to 1."""
    left, right = bigrams(left), bigrams(right)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def keyword_list(text):
    """Keywords from a comma-, semicolon-, 、- or newline-separated setting, normalized."""
    words = re.split(r"[,，;；、\n]+", text or "")
    return [word for word in (normalize(word) for word in words) if word]


def contains_keyword(text, keywords):
    """The first of `keywords` (normalized) found in `text`, or None."""
    normalized = normalize(text)
    return next((word for word in keywords if word and word in normalized), None)


def best_match(text, entries, threshold):
    """The entry whose keywords appear in `text` (the most specific, i.e. longest, keyword wins),
    else the one whose question is most similar to `text` at or above `threshold`. `entries` are
    (key, keywords, question) triples; returns (key, score) or (None, 0)."""
    normalized = normalize(text)
    best_key, best_score = None, 0.0
    for key, keywords, question in entries:
        hits = [word for word in keywords if word and word in normalized]
        # A keyword hit outranks any fuzzy score; longer keywords are more specific.
        score = 1.0 + max(len(word) for word in hits) / 100 if hits else similarity(text, question)
        if score > best_score:
            best_key, best_score = key, score
    if best_score >= 1.0 or best_score >= threshold:
        return best_key, min(best_score, 1.0)
    return None, 0.0


def complaint_signals(text, keywords, exclamation_threshold=3):
    """Why `text` reads as a complaint: the keyword found, and a burst of exclamation marks.
    Returns a list of (signal, detail) pairs, empty for a calm message."""
    signals = []
    keyword = contains_keyword(text, keywords)
    if keyword:
        signals.append(("keyword", keyword))
    exclamations = len(_EXCLAMATIONS_RE.findall(text or ""))
    if exclamations >= exclamation_threshold:
        signals.append(("exclamations", str(exclamations)))
    return signals
