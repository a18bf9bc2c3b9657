# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import plaintext2html

from ..tools import text_signals

_NUMBER_RE = re.compile(r"^\s*(10|[0-9])\s*$")
# A number replied within this many days of a survey is the customer's answer to it.
SURVEY_REPLY_DAYS = 7

# What the FAQ makes of an inbound message: kind is "faq", "menu", "human", "rating" (a ticket's
# satisfaction, 1-5) or "nps" (a recommendation score, 0-10); survey is the rating or NPS response.
Answer = namedtuple("Answer", "kind text faq survey score")


class OmnichannelFaq(models.Model):
    """A common question and its answer: inbound WeChat, SMS and chat messages that match it are
    answered at once (within the WeChat callback, as its passive reply), without a ticket. A
    numbered menu lists the questions; "talk to a person" hands the customer over to an agent."""

    _name = "omnichannel.faq"
    _inherit = "omnichannel.cached.mixin"
    _description = "FAQ Auto-reply"
    _order = "sequence, id"

    name = fields.Char(string="Question", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: shared by all companies.")
    keywords = fields.Char(
        help="Comma-separated words or phrases, in any language: a message containing one of them "
        "gets this answer (e.g. 行李, 托运, luggage, baggage).",
    )
    answer = fields.Text(required=True, translate=True)
    sms_answer = fields.Text(
        string="Short answer (SMS)",
        translate=True,
        help="Sent by SMS instead of the answer, which may be too long for a text message.",
    )
    menu_number = fields.Integer(
        help="The customer replies this number (1-9) to get the answer; 0 keeps the question out "
        "of the menu.",
    )
    answer_count = fields.Integer(string="Answered", compute="_compute_answer_count")

    _sql_constraints = [
        ("menu_number_range", "CHECK(menu_number BETWEEN 0 AND 9)", "Menu numbers go from 1 to 9."),
    ]

    # Company settings the matching reads, cached with the FAQs: a change of either refreshes it.
    INDEX_COMPANY_FIELDS = (
        "omnichannel_faq_enabled",
        "omnichannel_faq_threshold",
        "omnichannel_faq_human_keywords",
        "omnichannel_faq_menu_keywords",
        "omnichannel_faq_menu_footer",
        "omnichannel_faq_handover_text",
    )

    def _compute_answer_count(self):
        # Counted from the answers on the timeline: no counter row for concurrent answers to fight over.
        counts = dict(
            self.env["omnichannel.interaction"]
            .sudo()
            ._read_group([("faq_id", "in", self.ids)], ["faq_id"], ["__count"])
        )
        for faq in self:
            faq.answer_count = counts.get(faq, 0)

    def update_field_translations(self, field_name, translations, digest=None):
        self.env.registry.clear_cache()
        return super().update_field_translations(field_name, translations, digest=digest)

    @api.model
    @tools.ormcache("company_id")
    def _index(self, company_id):
        """What answering needs of a company's FAQs and settings, in the company's language, read
        once per worker and kept until an FAQ or the settings change: the WeChat callback answers
        from it without a query."""
        company = self.env["res.company"].sudo().browse(company_id)
        lang = company._omnichannel_lang()
        company = company.with_context(lang=lang)
        faqs = (
            self.sudo().with_context(lang=lang).search([("company_id", "in", [company_id, False])])
        )
        return {
            "enabled": company.omnichannel_faq_enabled,
            "threshold": company.omnichannel_faq_threshold,
            "human": tuple(text_signals.keyword_list(company.omnichannel_faq_human_keywords)),
            "menu": tuple(text_signals.keyword_list(company.omnichannel_faq_menu_keywords)),
            "handover": company.omnichannel_faq_handover_text
            or company.env._("An agent will answer you shortly."),
            "menu_text": self._menu_text(faqs, company),
            "entries": tuple(
                (
                    faq.id,
                    tuple(text_signals.keyword_list(faq.keywords)),
                    faq.name,
                    faq.menu_number,
                    faq.answer,
                    faq.sms_answer or faq.answer,
                )
                for faq in faqs
            ),
        }

    @api.model
    def _match(self, company, channel, text, number=None):
        """The answer the FAQ gives `text` (a menu number when `number` is set) without looking at
        the customer: a question, the menu, the hand-over to a person, or None."""
        index = self._index(company.id)
        if not index["enabled"] or not (text or "").strip():
            return None
        if text_signals.contains_keyword(text, index["human"]):
            return Answer("human", index["handover"], self.browse(), None, 0)
        entries = index["entries"]
        chosen = None
        if number is not None:
            chosen = next((entry for entry in entries if entry[3] == number), None)
        elif not text_signals.contains_keyword(text, index["menu"]):
            key, _score = text_signals.best_match(
                text, [(entry[0], entry[1], entry[2]) for entry in entries], index["threshold"]
            )
            if not key:
                return None
            chosen = next(entry for entry in entries if entry[0] == key)
        if chosen:
            text = chosen[5] if channel == "sms" else chosen[4]
            return Answer("faq", text, self.browse(chosen[0]), None, 0)
        return Answer("menu", index["menu_text"], self.browse(), None, 0)

    @api.model
    def _edge_answer(self, company, channel, text):
        """The answer a connector may give inside the platform's own request (WeChat's passive
        reply). A number may answer a survey, which only the pipeline can tell: None."""
        if _NUMBER_RE.match(text or ""):
            return None
        return self._match(company, channel, text)

    @api.model
    def _answer_given(self, answered):
        """The Answer a connector gave at the edge, as the pipeline records it."""
        return Answer(
            answered["kind"], answered["text"], self.browse(answered.get("faq_id")), None, 0
        )

    @api.model
    def _prepare_answer(self, channel, partner, text, company):
        """The answer to an inbound message, or None to leave it to an agent. A number answers the
        customer's pending survey (satisfaction 1-5, else recommendation 0-10); otherwise it
        picks from the menu."""
        if not company.omnichannel_faq_enabled or not (text or "").strip():
            return None
        number = _NUMBER_RE.match(text)
        score = int(number.group(1)) if number else None
        survey = self._pending_survey(partner, score) if number else None
        if survey:
            return Answer(
                "rating" if survey._name == "rating.rating" else "nps",
                self.env._(
                    "Thank you! You gave us %(score)s/%(scale)s.",
                    score=score,
                    scale=5 if survey._name == "rating.rating" else 10,
                ),
                self.browse(),
                survey,
                score,
            )
        return self._match(company, channel, text, number=score)

    @api.model
    def _pending_survey(self, partner, score):
        """What a number from the customer answers: their own latest unanswered satisfaction
        survey of the last days (1-5), else their own pending NPS survey (0-10); None for neither.
        A colleague's survey, sent to another contact of the same company, is not theirs."""
        since = fields.Datetime.now() - timedelta(days=SURVEY_REPLY_DAYS)
        if 1 <= score <= 5:
            rating = (
                self.env["rating.rating"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "helpdesk.ticket"),
                        ("consumed", "=", False),
                        ("partner_id", "=", partner.id),
                        ("create_date", ">=", since),
                    ],
                    order="create_date desc, id desc",
                    limit=1,
                )
            )
            if rating:
                return rating
        return self.env["omnichannel.nps.response"]._pending_for(partner, SURVEY_REPLY_DAYS) or None

    @api.model
    def _apply_answer(self, interaction, answer):
        """Act on the answer (a rating is applied) and put it on the timeline: the outbound entry
        the connector delivers."""
        if answer.kind == "rating":
            ticket = self.env["helpdesk.ticket"].sudo().browse(answer.survey.res_id)
            ticket.rating_apply(answer.score, rating=answer.survey)
        elif answer.kind == "nps":
            answer.survey._answer(answer.score, interaction.channel)
        return (
            self.env["omnichannel.interaction"]
            .sudo()
            .create(
                {
                    "partner_id": interaction.partner_id.id,
                    "channel": interaction.channel,
                    "direction": "outbound",
                    "summary": self.env["omnichannel.interaction"]._summary_from(answer.text, None),
                    "body": plaintext2html(answer.text),
                    "ticket_id": interaction.ticket_id.id,
                    "company_id": interaction.company_id.id,
                    "identity_id": interaction.identity_id.id,
                    "faq_id": answer.faq.id,
                    "state": "queued",
                }
            )
        )

    @api.model
    def _menu_text(self, faqs, company):
        numbered = faqs.filtered("menu_number").sorted(lambda faq: (faq.menu_number, faq.id))
        lines = [f"{faq.menu_number}. {faq.name}" for faq in numbered]
        lines.append(
            company.omnichannel_faq_menu_footer
            or company.env._("Reply with a number, or 人工 to talk to a person.")
        )
        return "\n".join(line for line in lines if line)

    def _text_for(self, channel):
        self.ensure_one()
        return (self.sms_answer if channel == "sms" else None) or self.answer
