"""A bulk notification of 10,000 customers survives its job being killed: the job is started in a
separate Odoo process, killed with SIGKILL midway, started again, and every customer ends with
exactly one notification result and exactly one email.

Runs under pytest-odoo against the test database, with committed data cleaned up at the end."""

import signal
import time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .odoo_process import CommittedWork, run_in_odoo, start_in_odoo

RECIPIENTS = 10_000
CHUNK = 250
MARK = "Bulk resume traveller"


@tagged("post_install", "-at_install")
class TestBulkResume(CommittedWork, TransactionCase):
    def _counts(self, batch_id):
        def count(env):
            env.cr.execute(
                "SELECT state, count(*) FROM omnichannel_notification WHERE batch_id = %s "
                "GROUP BY state",
                (batch_id,),
            )
            return dict(env.cr.fetchall())

        return self._committed(count)

    def test_killed_job_resumes_without_skipping_or_repeating(self):
        batch_id = self._committed(_create_batch)
        db = self.env.cr.dbname
        try:
            job = _start_job(db)
            try:
                # Kill the job once a few chunks are committed and most recipients still wait.
                for _poll in range(600):
                    counts = self._counts(batch_id)
                    done = RECIPIENTS - counts.get("pending", RECIPIENTS)
                    if done >= 4 * CHUNK or job.poll() is not None:
                        break
                    time.sleep(0.1)
                job.send_signal(signal.SIGKILL)
                job.wait(timeout=60)
            finally:
                if job.poll() is None:
                    job.kill()
            counts = self._counts(batch_id)
            pending_at_kill = counts.get("pending", 0)
            self.assertGreater(pending_at_kill, 0, f"the job was killed midway: {counts}")
            self.assertGreater(RECIPIENTS - pending_at_kill, 0, f"chunks were committed: {counts}")

            run_in_odoo(db, f"env['omnichannel.notification']._cron_process(batch_size={CHUNK})")

            def outcome(env):
                cr = env.cr
                cr.execute(
                    "SELECT count(*), count(DISTINCT partner_id), "
                    "       count(*) FILTER (WHERE state = 'sent') "
                    "  FROM omnichannel_notification WHERE batch_id = %s",
                    (batch_id,),
                )
                rows, partners, sent = cr.fetchone()
                cr.execute(
                    """
                    SELECT count(*), count(DISTINCT rel.res_partner_id)
                      FROM mail_mail_res_partner_rel rel
                      JOIN res_partner partner ON partner.id = rel.res_partner_id
                     WHERE partner.name LIKE %s
                    """,
                    (f"{MARK}%",),
                )
                emails, emailed = cr.fetchone()
                cr.execute(
                    """
                    SELECT count(*), count(DISTINCT interaction.partner_id)
                      FROM omnichannel_interaction interaction
                      JOIN omnichannel_notification notification
                        ON notification.interaction_id = interaction.id
                     WHERE notification.batch_id = %s
                    """,
                    (batch_id,),
                )
                entries, customers = cr.fetchone()
                state = env["omnichannel.notification.batch"].browse(batch_id).state
                return rows, partners, sent, emails, emailed, entries, customers, state

            self.assertEqual(
                self._committed(outcome),
                (RECIPIENTS,) * 7 + ("done",),
                "one result, one email and one timeline entry per recipient",
            )
        finally:
            self._committed(lambda env: _cleanup(env, batch_id))


def _create_batch(env):
    """10,000 customers with an email address (inserted set-wise), an urgent email scenario, and a
    running bulk send to all of them."""
    # A required column added by an installed accounting app (it has a default in Odoo only).
    env.cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'res_partner' AND column_name = 'autopost_bills'"
    )
    accounting = ", autopost_bills" if env.cr.fetchone() else ""
    env.cr.execute(
        f"""
        INSERT INTO res_partner (name, complete_name, email, email_normalized, active, type, tz,
                                 lang, create_date, write_date{accounting})
        SELECT %s || ' ' || n, %s || ' ' || n, 'resume' || n || '@example.com',
               'resume' || n || '@example.com', TRUE, 'contact', 'Asia/Shanghai', 'en_US',
               now() at time zone 'UTC', now() at time zone 'UTC'{", 'ask'" if accounting else ""}
          FROM generate_series(1, %s) AS n
        RETURNING id
        """,
        (MARK, MARK, RECIPIENTS),
    )
    partner_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (partner_ids,)
    )
    template = env["mail.template"].create(
        {
            "name": f"{MARK} template",
            "model_id": env.ref("base.model_res_partner").id,
            "subject": "Flight HU7181, {{ object.name }}",
            "body_html": "<p>Your flight now leaves at 18:40.</p>",
            "email_from": "tours@example.com",
            "auto_delete": False,
        }
    )
    scenario = env["omnichannel.scenario"].create(
        {
            "name": f"{MARK} scenario",
            "urgent": True,
            "channel_ids": [Command.create({"channel": "email", "mail_template_id": template.id})],
        }
    )
    batch = env["omnichannel.notification.batch"].create({"name": MARK, "scenario_id": scenario.id})
    batch._add_recipients(partner_ids)
    batch.action_start()
    return batch.id


def _start_job(db):
    """The notification job in its own Odoo process, as a cron worker runs it."""
    return start_in_odoo(db, f"env['omnichannel.notification']._cron_process(batch_size={CHUNK})")


def _cleanup(env, batch_id):
    batch = env["omnichannel.notification.batch"].browse(batch_id)
    scenario = batch.scenario_id
    template = scenario.channel_ids.mail_template_id
    env.cr.execute("SELECT id FROM res_partner WHERE name LIKE %s", (f"{MARK}%",))
    partner_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        """
        DELETE FROM mail_message WHERE id IN (
            SELECT mail.mail_message_id FROM mail_mail mail
              JOIN mail_mail_res_partner_rel rel ON rel.mail_mail_id = mail.id
             WHERE rel.res_partner_id = ANY(%s))
        """,
        (partner_ids,),
    )
    env.cr.execute("DELETE FROM omnichannel_interaction WHERE partner_id = ANY(%s)", (partner_ids,))
    env.cr.execute("DELETE FROM omnichannel_notification WHERE batch_id = %s", (batch_id,))
    batch.unlink()
    scenario.unlink()
    template.unlink()
    env.cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", (partner_ids,))
