"""Bulk notification benchmark (omnichannel_crm + omnichannel_sms): 10,000 customers notified by SMS
through a loopback provider, against Odoo's own mass SMS (sms.composer in mass mode) on the same
customers and provider, both timed from the click to the last message accepted by the provider.
Prints the throughputs, their ratio, and the process's resident memory along the bulk send.

Each path runs in its own transaction on the same data, rolled back afterwards: rows that one
transaction writes and deletes weigh on the next statements of that transaction, which would slow
whichever path came second."""

import os
import threading
import time

from odoo import SUPERUSER_ID, Command, api

from odoo.addons.omnichannel_sms.tests.fake_sms_providers import HTTP_TOKEN, FakeSmsProviders

from .common import insert_partners

RECIPIENTS = int(os.environ.get("OMNI_BENCH_RECIPIENTS", "10000"))
CHUNK = 500
BODY = "{{ object.name }}: flight HU7181 now leaves at 18:40. Reply TD to unsubscribe."


def _rss_mb():
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 1e6


def _send_queue(env):
    """Odoo's SMS queue job, until every message went to the provider."""
    SmsSms = env["sms.sms"]
    while SmsSms.search_count([("state", "=", "outgoing")], limit=1):
        SmsSms._process_queue()


def _setup(env, fake):
    """The company's provider (the loopback gateway), the customers, the template and scenario."""
    env.company.country_id = env.ref("base.cn")
    env["omnichannel.sms.provider"].create(
        {
            "name": "Bench gateway",
            "provider_type": "http",
            "endpoint": f"{fake.url}/gateway/send",
            "http_auth_header": f"Authorization: {HTTP_TOKEN}",
            "http_id_path": "data.id",
            "rate_limit": 0,
            "is_default": True,
        }
    )
    first_id = insert_partners(env, RECIPIENTS, "Traveller", mobile_prefix="+86137")
    env.cr.execute("ANALYZE res_partner")
    partners = env["res.partner"].search([("id", ">", first_id)])
    template = env["sms.template"].create(
        {"name": "Flight delay", "model_id": env.ref("base.model_res_partner").id, "body": BODY}
    )
    scenario = env["omnichannel.scenario"].create(
        {
            "name": "Flight delay",
            "urgent": True,
            "channel_ids": [Command.create({"channel": "sms", "sms_template_id": template.id})],
        }
    )
    env.flush_all()
    env.invalidate_all()
    return partners, template, scenario


def _odoo_mass_sms(env, partners, template, _scenario):
    """Odoo: the list's "Send SMS" action in mass mode, then the SMS queue."""
    start = time.perf_counter()
    composer = (
        env["sms.composer"]
        .with_context(
            default_composition_mode="mass",
            default_res_model="res.partner",
            default_res_ids=partners.ids,
            default_template_id=template.id,
        )
        .create({})
    )
    composer.action_send_sms()
    queued = time.perf_counter() - start
    _send_queue(env)
    return time.perf_counter() - start, queued, []


def _bulk_notification(env, partners, _template, scenario):
    """Ours: the bulk notification, its job in chunks, then the same SMS queue."""
    rss = [_rss_mb()]
    start = time.perf_counter()
    batch = env["omnichannel.notification.batch"].create(
        {"name": "Flight HU7181", "scenario_id": scenario.id}
    )
    batch._add_recipients(partners.ids)
    batch.action_start()
    while env["omnichannel.notification"]._cron_process(batch_size=CHUNK, max_batches=1):
        rss.append(_rss_mb())
    queued = time.perf_counter() - start
    _send_queue(env)
    return time.perf_counter() - start, queued, rss


def _measure(registry, path):
    """(seconds, seconds to queue, messages the provider took, memory samples) of one path, in
    its own transaction, rolled back."""
    fake = FakeSmsProviders().__enter__()
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            data = _setup(env, fake)
            seconds, queued, rss = path(env, *data)
            cr.rollback()
    finally:
        fake.__exit__(None, None, None)
    return seconds, queued, len(fake.accepted), rss


def bench_bulk_sms(env):
    # The queue jobs commit as they go outside tests; these transactions are rolled back.
    threading.current_thread().testing = True
    try:
        odoo_seconds, odoo_queued, odoo_sent, _rss = _measure(env.registry, _odoo_mass_sms)
        ours_seconds, ours_queued, ours_sent, rss = _measure(env.registry, _bulk_notification)
    finally:
        threading.current_thread().testing = False
    odoo_rate = odoo_sent / odoo_seconds
    ours_rate = ours_sent / ours_seconds
    print(f"\n9. Bulk SMS to {RECIPIENTS:,} customers through a loopback provider")
    print(
        f"  Odoo sms.composer, mass mode: {odoo_sent:,} sent in {odoo_seconds:.1f} s "
        f"(queued in {odoo_queued:.1f} s), {odoo_rate:.0f} SMS/s"
    )
    print(
        f"  bulk notification (scenario, consent, timeline): {ours_sent:,} sent in "
        f"{ours_seconds:.1f} s (queued in {ours_queued:.1f} s), {ours_rate:.0f} SMS/s"
    )
    print(f"  throughput ratio {ours_rate / odoo_rate:.2f} (target >= 1.0)")
    quarter = max(len(rss) // 4, 1)
    print(
        f"  resident memory over {len(rss) - 1} chunks of {CHUNK}: {rss[0]:.0f} MB before, "
        f"{rss[quarter]:.0f} MB after a quarter, {rss[-1]:.0f} MB at the end"
    )
    return ours_rate / odoo_rate


BENCHMARKS = [bench_bulk_sms]
