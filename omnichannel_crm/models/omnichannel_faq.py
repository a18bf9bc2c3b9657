# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models
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
    answer_count = fields.Integer(string="Answered", readonly=True, copy=False)

    _sql_constraints = [
        ("menu_number_range", "CHECK(menu_number BETWEEN 0 AND 9)", "Menu numbers go from 1 to 9."),
    ]

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
        if text_signals.contains_keyword(
            text, text_signals.keyword_list(company.omnichannel_faq_human_keywords)
        ):
            return Answer("human", company.omnichannel_faq_handover_text, self.browse(), None, 0)
        faqs = self.search([("company_id", "in", [company.id, False])])
        chosen = self.browse()
        if number:
            chosen = faqs.filtered(lambda faq: faq.menu_number == score)[:1]
        elif not text_signals.contains_keyword(
            text, text_signals.keyword_list(company.omnichannel_faq_menu_keywords)
        ):
            key, _score = text_signals.best_match(
                text,
                [(faq.id, text_signals.keyword_list(faq.keywords), faq.name) for faq in faqs],
                company.omnichannel_faq_threshold,
            )
            if not key:
                return None
            chosen = self.browse(key)
        if chosen:
            return Answer("faq", chosen._text_for(channel), chosen, None, 0)
        return Answer("menu", self._menu_text(faqs, company), self.browse(), None, 0)

    @api.model
    def _pending_survey(self, partner, score):
        """What a number from the customer answers: their latest unanswered satisfaction survey
        of the last days (1-5), else their pending NPS survey (0-10); None for neither."""
        since = fields.Datetime.now() - timedelta(days=SURVEY_REPLY_DAYS)
        if 1 <= score <= 5:
            rating = (
                self.env["rating.rating"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "helpdesk.ticket"),
                        ("consumed", "=", False),
                        ("partner_id", "child_of", partner.commercial_partner_id.id),
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
        if answer.faq:
            answer.faq.sudo().answer_count += 1
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
                    "state": "queued",
                }
            )
        )

    @api.model
    def _menu_text(self, faqs, company):
        numbered = faqs.filtered("menu_number").sorted(lambda faq: (faq.menu_number, faq.id))
        lines = [f"{faq.menu_number}. {faq.name}" for faq in numbered]
        lines.append(company.omnichannel_faq_menu_footer or "")
        return "\n".join(line for line in lines if line)

    def _text_for(self, channel):
        self.ensure_one()
        return (self.sms_answer if channel == "sms" else None) or self.answer
