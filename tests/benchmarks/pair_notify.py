"""Bulk notification: customers notified by SMS, from the click to the last message taken by the
provider. Ours: a bulk notification of a scenario (consent, preferences, timeline), its job in
chunks, then Odoo's SMS queue through the company's provider, a loopback HTTP gateway. Stock: Odoo's
mass SMS (`sms.composer` in mass mode, from the customers' list) and the same queue through Odoo's
SMS service, a loopback of its IAP endpoint; with the composer's chatter log on (its default) and
off. Both stand-ins run in a process of their own and answer every call after the same latency
(./setup/bench --latency-ms, 50 ms by default); the table gives the number of calls."""

import json
import threading
import time

from odoo import Command

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi

from .common import ApiProcess, insert_partners
from .pairs import Pair

SIZES = {"reduced": 1_000, "full": 10_000}
CHUNK = 500
BODY = "{{ object.name }}: flight HU7181 now leaves at 18:40. Reply TD to unsubscribe."


class FakeIapSms(LoopbackApi):
    """Odoo's SMS service (IAP) on 127.0.0.1: every message of a batch is taken."""

    def answer(self, request):
        payload = request.json
        results = [
            {"uuid": number["uuid"], "state": "success", "credit": 1}
            for message in payload["params"]["messages"]
            for number in message["numbers"]
        ]
        return (
            200,
            "application/json",
            json.dumps({"jsonrpc": "2.0", "id": payload["id"], "result": results}),
        )


def _prepare(env, size, stock):
    env.company.country_id = env.ref("base.cn")
    first_id = insert_partners(env, SIZES[size], "Traveller", mobile_prefix="+86137")
    template = env["sms.template"].create(
        {"name": "Flight delay", "model_id": env.ref("base.model_res_partner").id, "body": BODY}
    )
    state = {"first": first_id, "template": template.id}
    if stock:
        iap = ApiProcess(FakeIapSms).__enter__()
        env["ir.config_parameter"].set_param("sms.endpoint", iap.url)
        env["iap.account"].get("sms")
        state["server"] = iap
        return state
    from odoo.addons.omnichannel_sms.tests.fake_sms_providers import (  # noqa: PLC0415
        HTTP_TOKEN,
        FakeSmsProviders,
    )

    gateway = ApiProcess(FakeSmsProviders).__enter__()
    provider = {
        "name": "Bench gateway",
        "provider_type": "http",
        "endpoint": f"{gateway.url}/gateway/send",
        "http_auth_header": f"Authorization: {HTTP_TOKEN}",
        "http_id_path": "data.id",
        "rate_limit": 0,
        "is_default": True,
    }
    env["omnichannel.sms.provider"].create(provider)
    scenario = env["omnichannel.scenario"].create(
        {
            "name": "Flight delay",
            "urgent": True,
            "channel_ids": [Command.create({"channel": "sms", "sms_template_id": template.id})],
        }
    )
    state.update(scenario=scenario.id, server=gateway)
    return state


def _send_queue(env):
    """Odoo's SMS queue until every message went out, without committing (the runner rolls the
    repetition back). Odoo's own SMS service refuses calls from a thread marked as testing."""
    thread = threading.current_thread()
    testing, thread.testing = thread.testing, False
    try:
        SmsSms = env["sms.sms"]
        while outgoing := SmsSms.search([("state", "=", "outgoing")], limit=CHUNK):
            outgoing.send(auto_commit=False)
    finally:
        thread.testing = testing


def _measure(env, state, stock, keep_log=True):
    partners = env["res.partner"].search([("id", ">", state["first"])])
    start = time.perf_counter()
    if stock:
        composer = (
            env["sms.composer"]
            .with_context(
                default_composition_mode="mass",
                default_res_model="res.partner",
                default_res_ids=partners.ids,
                default_template_id=state["template"],
            )
            .create({"mass_keep_log": keep_log})
        )
        composer.action_send_sms()
    else:
        batch = env["omnichannel.notification.batch"].create(
            {"name": "Flight HU7181", "scenario_id": state["scenario"]}
        )
        batch._add_recipients(partners.ids)
        batch.action_start()
        while env["omnichannel.notification"]._cron_process(batch_size=CHUNK, max_batches=1):
            pass
    _send_queue(env)
    return time.perf_counter() - start


def _pair(keep_log):
    return Pair(
        key="notify" if keep_log else "notify-nolog",
        title="Bulk SMS notification "
        + ("(composer's chatter log on)" if keep_log else "(composer's chatter log off)"),
        ours_label="bulk notification, scenario",
        stock_label="sms.composer mass mode",
        prepare=_prepare,
        measure=lambda env, state, stock: _measure(env, state, stock, keep_log),
        goal=1.0,
        speedup=True,
        reps=3,
        dataset="notify",
        finish=lambda state: state["server"].__exit__(),
        notes="1,000 (reduced) or 10,000 (full) customers, whole runs until the provider took "
        "the last message.",
    )


PAIRS = [_pair(True), _pair(False)]
