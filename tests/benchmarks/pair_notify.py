"""Bulk notification at carrier scale: customers notified by SMS, from the click to the last
message taken by the provider. Ours: a bulk notification of a scenario (consent, preferences,
timeline), its job in chunks, then Odoo's SMS queue through the company's provider: Aliyun (SendSms,
up to 1,000 numbers a call), Tencent Cloud (SendSms, up to 200) or Twilio (one message a call), the
loopback fakes of omnichannel_sms's tests. Stock: Odoo's mass SMS (`sms.composer` in mass mode, from
the customers' list, its chatter log on as by default) and the same queue through Odoo's SMS
service, a loopback of its IAP endpoint. The notice is the same for every customer (a flight's new
time), as a carrier's approved template carries it. Both stand-ins run in a process of their own
and answer every call after the same latency (./setup/bench --latency-ms, 50 ms by default); the
table gives the number of calls and the peak memory of the process doing the work (Python's
allocations, traced in one more repetition of each side)."""

import json
import threading
import time

from odoo import Command

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackApi

from .common import ApiProcess, insert_partners
from .pairs import Pair

SIZES = {"reduced": 1_000, "full": 10_000}
CHUNK = 500
BODY = "Flight HU7181 now leaves at 18:40. Reply TD to unsubscribe."


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
    from odoo.addons.omnichannel_sms.tests import fake_sms_providers as fake  # noqa: PLC0415

    server = ApiProcess(fake.FakeSmsProviders).__enter__()
    common = {"sender": "海岛旅行", "rate_limit": 0}
    providers = {
        "aliyun": {
            "provider_type": "aliyun",
            "account": fake.ALIYUN_KEY_ID,
            "secret": fake.ALIYUN_SECRET,
            "endpoint": f"{server.url}/aliyun/",
            "default_template_code": "SMS_100000001",
        },
        "tencent": {
            "provider_type": "tencent",
            "account": fake.TENCENT_ID,
            "secret": fake.TENCENT_KEY,
            "app_id": fake.TENCENT_APP,
            "endpoint": f"{server.url}/tencent",
            "default_template_code": "1110",
        },
        "twilio": {
            "provider_type": "twilio",
            "sender": "+15005550006",
            "account": fake.TWILIO_SID,
            "secret": fake.TWILIO_TOKEN,
            "endpoint": server.url,
            "opt_out_confirmation": False,
        },
    }
    Provider = env["omnichannel.sms.provider"]
    Provider.search([]).write({"is_default": False})
    state["providers"] = {
        kind: Provider.create({**common, "name": f"Bench {kind}", **values}).id
        for kind, values in providers.items()
    }
    scenario = env["omnichannel.scenario"].create(
        {
            "name": "Flight delay",
            "urgent": True,
            "channel_ids": [Command.create({"channel": "sms", "sms_template_id": template.id})],
        }
    )
    state.update(scenario=scenario.id, server=server)
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


def _measure(env, state, stock, provider=None):
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
            .create({"mass_keep_log": True})
        )
        composer.action_send_sms()
    else:
        # The company's default provider for this pair (rolled back with the repetition).
        env["omnichannel.sms.provider"].browse(state["providers"][provider]).is_default = True
        batch = env["omnichannel.notification.batch"].create(
            {"name": "Flight HU7181", "scenario_id": state["scenario"]}
        )
        batch._add_recipients(partners.ids)
        batch.action_start()
        while env["omnichannel.notification"]._cron_process(batch_size=CHUNK, max_batches=1):
            pass
    _send_queue(env)
    return time.perf_counter() - start


def _pair(provider, goal):
    return Pair(
        key=f"notify-{provider}",
        title=f"Bulk SMS notification through {provider.capitalize()}",
        ours_label=f"bulk notification, scenario, {provider.capitalize()}",
        stock_label="sms.composer mass mode, IAP, chatter log on",
        prepare=_prepare,
        measure=lambda env, state, stock: _measure(env, state, stock, provider),
        goal=goal,
        speedup=True,
        reps=3,
        dataset="notify",
        memory=True,
        finish=lambda state: state["server"].__exit__(),
        notes="1,000 (reduced) or 10,000 (full) customers, whole runs until the provider took "
        "the last message.",
    )


# Aliyun and Tencent take a batch a call as IAP does: at least as fast. Twilio takes one message a
# call: within 1.5x.
PAIRS = [_pair("aliyun", 1.0), _pair("tencent", 1.0), _pair("twilio", 1 / 1.5)]
