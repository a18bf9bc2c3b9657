"""Bulk notification benchmark (omnichannel_crm + omnichannel_sms): 10,000 customers notified by SMS
through a loopback provider, against Odoo's own mass SMS (sms.composer in mass mode) on the same
customers and provider, both timed from the click to the last message accepted by the provider.
Prints the throughputs, their ratio, and the process's resident memory along the bulk send."""

import cProfile
import os
import pstats
import threading
import time

from odoo.addons.omnichannel_sms.tests.fake_sms_providers import (
    HTTP_TOKEN,
    FakeSmsProviders,
)

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


def _odoo_mass_sms(env, partners, template):
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
    return time.perf_counter() - start, queued


def _bulk_notification(env, partners, scenario):
    """Ours: the bulk notification, its job in chunks, then the same SMS queue."""
    rss = [_rss_mb()]
    start = time.perf_counter()
    batch = env["omnichannel.notification.batch"].create(
        {"name": "Flight HU7181", "scenario_id": scenario.id}
    )
    batch._add_recipients(partners.ids)
    batch.action_start()
    profile = cProfile.Profile() if os.environ.get("OMNI_BENCH_PROFILE") else None
    if profile:
        profile.enable()
    while env["omnichannel.notification"]._cron_process(batch_size=CHUNK, max_batches=1):
        rss.append(_rss_mb())
    queued = time.perf_counter() - start
    _send_queue(env)
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
    return time.perf_counter() - start, queued, rss


def bench_bulk_sms(env):
    # The queue jobs commit as they go outside tests; this benchmark's transaction is rolled back.
    threading.current_thread().testing = True
    try:
        _bench_bulk_sms(env)
    finally:
        threading.current_thread().testing = False


def _bench_bulk_sms(env):
    fake = FakeSmsProviders().__enter__()
    try:
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
                "channel_ids": [(0, 0, {"channel": "sms", "sms_template_id": template.id})],
            }
        )
        env.flush_all()
        env.invalidate_all()

        odoo_seconds, odoo_queued = _odoo_mass_sms(env, partners, template)
        odoo_sent = len(fake.accepted)
        env.invalidate_all()
        fake.accepted.clear()
        ours_seconds, ours_queued, rss = _bulk_notification(env, partners, scenario)
        ours_sent = len(fake.accepted)
    finally:
        fake.__exit__(None, None, None)
    odoo_rate = odoo_sent / odoo_seconds
    ours_rate = ours_sent / ours_seconds
    print(f"\n9. Bulk SMS to {RECIPIENTS:,} customers through a loopback provider")
    print(
        f"  Odoo sms.composer, mass mode: {odoo_sent:,} sent in {odoo_seconds:.1f} s, "
        f"{odoo_rate:.0f} SMS/s"
    )
    print(
        f"  bulk notification (scenario, consent, timeline): {ours_sent:,} sent in "
        f"{ours_seconds:.1f} s, {ours_rate:.0f} SMS/s"
    )
    print(f"  queued in {odoo_queued:.1f} s (Odoo) and {ours_queued:.1f} s (ours)")
    print(f"  throughput ratio {ours_rate / odoo_rate:.2f} (target >= 1.0)")
    quarter = max(len(rss) // 4, 1)
    print(
        f"  resident memory over {len(rss) - 1} chunks of {CHUNK}: {rss[0]:.0f} MB before, "
        f"{rss[quarter]:.0f} MB after a quarter, {rss[-1]:.0f} MB at the end"
    )
    return ours_rate / odoo_rate


BENCHMARKS = [bench_bulk_sms]
