# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import Command, api, fields, models

from ..tools import media as media_tools
from ..tools import voice
from ..tools.outbox import retry_delay

_logger = logging.getLogger(__name__)

MEDIA_CRON = "omnichannel_crm.ir_cron_fetch_media"
MAX_MB_PARAM = "omnichannel_crm.media_max_mb"
CONVERTER_PARAM = "omnichannel_crm.voice_converter"
BATCH_SIZE = 20


class OmnichannelInteractionMedia(models.Model):
    """A picture, voice message, video or file a customer sent, to be downloaded from the platform
    after their message is on the timeline and the ticket: the text never waits for it. The
    download job asks the connector the message came through (`_omnichannel_fetch_media` on its
    source record) with the account's credentials, checks the size and the content, and attaches
    the file to the ticket's message and the timeline entry. A failed download is tried again with
    a growing delay while the platform keeps the file, then the entry says the media expired."""

    _name = "omnichannel.interaction.media"
    _description = "Customer Media"
    _order = "id"
    _rec_name = "kind"

    interaction_id = fields.Many2one(
        "omnichannel.interaction",
        string="Timeline entry",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="interaction_id.company_id", store=True, precompute=True, index=True
    )
    channel = fields.Selection(related="interaction_id.channel", store=True, precompute=True)
    source = fields.Char(
        required=True, readonly=True, help="The record the message arrived through (model,id)."
    )
    kind = fields.Selection(
        [
            (media_tools.IMAGE, "Image"),
            (media_tools.VOICE, "Voice message"),
            (media_tools.VIDEO, "Video"),
            (media_tools.FILE, "File"),
            (media_tools.THUMB, "Video thumbnail"),
        ],
        required=True,
        readonly=True,
    )
    reference = fields.Char(
        string="Platform reference", required=True, readonly=True, help="The platform's media id."
    )
    file_name = fields.Char(readonly=True, help="The file name the platform gave, if any.")
    state = fields.Selection(
        [
            ("pending", "To download"),
            ("done", "Downloaded"),
            ("refused", "Refused"),
            ("expired", "Expired"),
        ],
        required=True,
        default="pending",
        readonly=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(string="Next attempt", readonly=True)
    expires_at = fields.Datetime(
        string="Kept by the platform until",
        required=True,
        readonly=True,
        help="The platform deletes the file after this: it is not tried again afterwards.",
    )
    note = fields.Char(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", readonly=True, ondelete="set null")
    playable_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Playable copy",
        readonly=True,
        ondelete="set null",
        help="The voice message converted for the browser (the original is kept).",
    )

    _sql_constraints = [
        (
            "interaction_reference_unique",
            "unique(interaction_id, kind, reference)",
            "This media is already queued.",
        ),
    ]

    def init(self):
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS omnichannel_interaction_media_pending_idx
                ON omnichannel_interaction_media (next_attempt, id) WHERE state = 'pending'
            """
        )

    # ----------------------------------------------------------------------------------------------
    # Queueing
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _queue(self, interaction, contact):
        """The media of an inbound contact, to download after the commit (none queued twice)."""
        items = [
            item
            for item in contact.media
            if item.get("kind") in media_tools.MEDIA_KINDS and item.get("ref")
        ]
        if not items or interaction.sudo().media_ids:
            return self.browse()
        expires_at = (interaction.date or fields.Datetime.now()) + media_tools.PLATFORM_RETENTION
        queued = self.sudo().create(
            [
                {
                    "interaction_id": interaction.id,
                    "source": contact.source,
                    "kind": item["kind"],
                    "reference": item["ref"],
                    "file_name": item.get("name"),
                    "expires_at": expires_at,
                }
                for item in items
            ]
        )
        self.env.ref(MEDIA_CRON).sudo()._trigger()
        return queued

    @api.model
    def _link_stored(self, interaction, source, attachments):
        """Files the customer sent that are already attachments in Odoo (a live chat visitor's):
        linked to the timeline entry and shown on the ticket's message as they are, the same
        records, never copied nor downloaded."""
        if not attachments or interaction.sudo().media_ids:
            return self.browse()
        expires_at = interaction.date or fields.Datetime.now()
        linked = self.sudo().create(
            [
                {
                    "interaction_id": interaction.id,
                    "source": source,
                    "kind": media_tools.kind_of(attachment.mimetype),
                    "reference": f"{attachment._name},{attachment.id}",
                    "file_name": attachment.name,
                    "state": "done",
                    "attachment_id": attachment.id,
                    "expires_at": expires_at,
                }
                for attachment in attachments.sudo()
            ]
        )
        linked._show_on_ticket(attachments)
        return linked

    def _show_on_ticket(self, attachments):
        """`attachments` on the customer's message on the ticket (Odoo shows pictures inline and
        plays audio and video there)."""
        message = self.interaction_id.ticket_message_id
        if message:
            message.sudo().write(
                {"attachment_ids": [Command.link(attachment.id) for attachment in attachments]}
            )

    # ----------------------------------------------------------------------------------------------
    # Downloading
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _cron_fetch_media(self, batch_size=BATCH_SIZE):
        """Download a batch of due media; the job runs again at once while more are due."""
        items = self._claim(batch_size)
        items._fetch()
        remaining = self.sudo().search_count(
            [
                ("state", "=", "pending"),
                "|",
                ("next_attempt", "=", False),
                ("next_attempt", "<=", fields.Datetime.now()),
            ]
        )
        if remaining:
            self.env["ir.cron"]._notify_progress(done=len(items), remaining=remaining)

    @api.model
    def _claim(self, limit):
        """Lock up to `limit` due media no other worker holds."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM omnichannel_interaction_media
             WHERE state = 'pending' AND (next_attempt IS NULL OR next_attempt <= %s)
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            (fields.Datetime.now(), limit),
        )
        return self.sudo().browse(row[0] for row in self.env.cr.fetchall())

    def _fetch(self):
        """Download each item in a savepoint of its own: one that fails is noted and the others go
        on."""
        for item in self.sudo():
            lang = item.company_id._omnichannel_lang()
            item = item.with_context(lang=lang)  # noqa: PLW2901 -- the notes, in the company's language
            if item.expires_at <= fields.Datetime.now():
                item._expire()
                continue
            try:
                with self.env.cr.savepoint():
                    item._download(item._max_bytes())
            except media_tools.MediaRefused as error:
                item._refuse(error)
            except media_tools.MediaGone as error:
                _logger.info("media %s gone from the platform: %s", item.id, error)
                item._expire()
            except media_tools.MediaError as error:
                item._retry_later(error)

    def _download(self, limit):
        record = self.env["omnichannel.inbound.event"]._source_record(self)
        if not record or not hasattr(record, "_omnichannel_fetch_media"):
            raise media_tools.MediaGone(f"{self.source} cannot download media")
        data, name = record.with_company(self.company_id)._omnichannel_fetch_media(self, limit)
        if len(data) > limit:
            raise media_tools.MediaTooLarge(f"larger than {limit} bytes")
        mimetype = media_tools.checked_mimetype(data)
        attachment = self._attach(
            media_tools.file_name(name or self.file_name, self.reference, self.kind, mimetype),
            data,
            mimetype,
        )
        values = {
            "state": "done",
            "attachment_id": attachment.id,
            "next_attempt": False,
            "note": False,
        }
        if mimetype in media_tools.UNPLAYABLE_AUDIO:
            values.update(self._playable_copy(attachment, data))
        self.write(values)

    def _playable_copy(self, original, data):
        """The voice message as MP3 beside the original, or a note saying why there is none."""
        converter = voice.find_converter(
            self.env["ir.config_parameter"].sudo().get_param(CONVERTER_PARAM)
        )
        if not converter:
            return {
                "note": self.env._(
                    "No audio converter (ffmpeg) on the server: the voice message can be "
                    "downloaded, not played in the browser."
                )
            }
        try:
            mp3 = voice.to_mp3(data, converter)
        except voice.ConversionError as error:
            _logger.info("voice message %s not converted: %s", self.id, error)
            return {
                "note": self.env._(
                    "The voice message could not be converted for the browser: it can be "
                    "downloaded."
                )
            }
        stem = original.name.rsplit(".", 1)[0]
        return {"playable_attachment_id": self._attach(f"{stem}.mp3", mp3, "audio/mpeg").id}

    def _attach(self, name, data, mimetype):
        """The file as an attachment of the ticket, on the customer's message there (Odoo shows
        pictures inline and plays audio and video), else of the timeline entry: it is read by
        whoever may read the ticket or the entry."""
        interaction = self.interaction_id
        record = interaction.ticket_id or interaction
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": record._name,
                    "res_id": record.id,
                    "company_id": interaction.company_id.id,
                }
            )
        )
        if mimetype.startswith("audio/") and mimetype not in media_tools.UNPLAYABLE_AUDIO:
            # Odoo's chatter plays a voice message in its own player, where the browser can.
            attachment._set_voice_metadata()
        self._show_on_ticket(attachment)
        return attachment

    def _refuse(self, error):
        _logger.info("media %s refused: %s", self.id, error)
        if isinstance(error, media_tools.MediaTooLarge):
            note = self.env._(
                "Not downloaded: the file is larger than %(size)s MB (Settings › Omnichannel).",
                size=round(self._max_bytes() / 1024 / 1024, 2),
            )
        elif isinstance(error, media_tools.MediaAddressRefused):
            note = self.env._(
                "Not downloaded: %(host)s is not the platform's API, so the file was not "
                "requested from it.",
                host=str(error),
            )
        else:
            note = self.env._(
                "Not kept: files of type %(type)s are not accepted from customers.", type=str(error)
            )
        self.write({"state": "refused", "note": note, "next_attempt": False})
        self._note_on_ticket()

    def _expire(self):
        self.write(
            {
                "state": "expired",
                "next_attempt": False,
                "note": self.env._("The media expired on the platform before it was downloaded."),
            }
        )
        self._note_on_ticket()

    def _note_on_ticket(self):
        """The agent on the ticket learns that the customer's file will not come, and why, in an
        internal note under the customer's message (the customer does not see it)."""
        ticket = self.interaction_id.ticket_id
        if ticket:
            ticket._message_log(
                body=self.env._(
                    "The %(kind)s the customer sent is not on the ticket: %(note)s",
                    kind=dict(self._fields["kind"]._description_selection(self.env))[
                        self.kind
                    ].lower(),
                    note=self.note,
                ),
                message_type="comment",
                author_id=self.env.ref("base.partner_root").id,
            )

    def _retry_later(self, error):
        """Tried again after a growing delay, at the latest just before the platform deletes it."""
        _logger.info("media %s not downloaded (attempt %s): %s", self.id, self.attempts + 1, error)
        attempts = self.attempts + 1
        # Whole seconds, as the job's clock compares them.
        due = fields.Datetime.now() + timedelta(seconds=round(retry_delay(attempts)))
        self.write(
            {
                "attempts": attempts,
                "next_attempt": min(due, self.expires_at),
                "note": self.env._(
                    "Not downloaded yet (%(error)s): tried again later.", error=str(error)
                ),
            }
        )
        self.env.ref(MEDIA_CRON).sudo()._trigger(at=self.next_attempt)

    def _max_bytes(self):
        """The size cap of the channel's downloads: omnichannel_crm.media_max_mb.<channel> when
        set, else the one of Settings."""
        parameters = self.env["ir.config_parameter"].sudo()
        channel = self[:1].channel
        configured = (channel and parameters.get_param(f"{MAX_MB_PARAM}.{channel}")) or (
            parameters.get_param(MAX_MB_PARAM)
        )
        return media_tools.max_bytes(configured)

    # ----------------------------------------------------------------------------------------------
    # Actions
    # ----------------------------------------------------------------------------------------------

    def action_retry(self):
        """Try refused or failed downloads again now (while the platform keeps them): with the
        user's own rights, so for managers only."""
        self.filtered(lambda item: item.state != "done").write(
            {"state": "pending", "next_attempt": False, "note": False}
        )
        self.env.ref(MEDIA_CRON).sudo()._trigger()
        return True
