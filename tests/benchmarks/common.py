"""Benchmark helpers: time operations in one process, one database, and print ratios against an
Odoo baseline measured in the same run. Never used as a pass/fail test."""

import dataclasses
import functools
import multiprocessing
import statistics
import time


@dataclasses.dataclass
class Sample:
    """One repetition of one side: its seconds (per operation, or of the whole run), the seconds
    of its named parts (itemised, per operation) and its counts (SQL queries, provider calls)."""

    seconds: float
    parts: dict = dataclasses.field(default_factory=dict)
    counts: dict = dataclasses.field(default_factory=dict)


class Stopwatch:
    """Seconds spent in some methods of the registry's models, per operation: the benchmark
    wraps them while it measures (the code measured is unchanged). `methods`: label -> (model,
    method name); a method the database does not have (a stock one) is left out. A method
    entered again from within itself is counted once."""

    def __init__(self, env, methods):
        self.env = env
        self.methods = methods
        self.totals = {}
        self._patched = []

    def __enter__(self):
        for label, (model, name) in self.methods.items():
            if model not in self.env or not hasattr(type(self.env[model]), name):
                continue
            cls = type(self.env[model])
            original = cls.__dict__.get(name)
            cls_method = getattr(cls, name)
            setattr(cls, name, self._timed(label, cls_method))
            self._patched.append((cls, name, original))
            self.totals[label] = 0.0
        return self

    def __exit__(self, *_exc):
        for cls, name, original in reversed(self._patched):
            if original is None:
                delattr(cls, name)
            else:
                setattr(cls, name, original)
        self._patched = []

    def _timed(self, label, method):
        depth = [0]

        @functools.wraps(method)
        def timed(*args, **kwargs):
            depth[0] += 1
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    self.totals[label] += time.perf_counter() - start

        return timed

    def reset(self):
        self.totals = dict.fromkeys(self.totals, 0.0)


def time_each(operation, items, warmup=10):
    """Median seconds per call of operation(item) over items (after `warmup` untimed calls)."""
    return sample_each(operation, items, warmup).seconds


def sample_each(operation, items, warmup=10, cr=None, stopwatch=None):
    """time_each as a Sample, with the median SQL queries per call (given the cursor) and the
    median seconds of the stopwatch's parts per call."""
    items = list(items)
    for item in items[:warmup]:
        operation(item)
    durations, queries, parts = [], [], []
    for item in items[warmup:]:
        if stopwatch:
            stopwatch.reset()
        before = cr.sql_log_count if cr else 0
        start = time.perf_counter()
        operation(item)
        durations.append(time.perf_counter() - start)
        if cr:
            queries.append(cr.sql_log_count - before)
        if stopwatch:
            parts.append(dict(stopwatch.totals))
    sample = Sample(statistics.median(durations))
    if queries:
        sample.counts["queries"] = statistics.median(queries)
    if parts:
        sample.parts = {label: statistics.median(p[label] for p in parts) for label in parts[0]}
    return sample


def insert_partners(env, count, name, mobile_prefix=None):
    """Insert `count` partners in one statement (name + number, and a mobile number made of
    `mobile_prefix` and 8 digits when given); return the id below the first one inserted."""
    cr = env.cr
    env.flush_all()
    cr.execute("SELECT COALESCE(max(id), 0) FROM res_partner")
    first_id = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO res_partner (name, mobile, active, type, is_company, create_uid, write_uid,
                                 create_date, write_date, autopost_bills)
        SELECT %s || ' ' || g, %s || lpad(g::text, 8, '0'), TRUE, 'contact', FALSE, 1, 1,
               now(), now(), 'ask'
          FROM generate_series(1, %s) g
        """,
        (name, mobile_prefix, count),
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id > %s", (first_id,))
    return first_id


def report(title, ours_label, ours, baseline_label, baseline, target=1.0):
    ratio = ours / baseline if baseline else float("inf")
    verdict = "within target" if ratio <= target else "OVER target"
    print(f"\n{title}")
    print(f"  {ours_label:<58} {ours * 1000:9.3f} ms")
    print(f"  {baseline_label:<58} {baseline * 1000:9.3f} ms")
    print(f"  ratio {ratio:.3f} (target <= {target:.1f}): {verdict}")
    return ratio


# Set by ./setup/bench --latency-ms: what every provider call waits before its answer.
PROVIDER_LATENCY = {"seconds": 0.05}


def _serve(factory, latency, calls, ready):
    api = factory()
    api.latency = latency
    answer = api.answer

    def counted(request):
        with calls.get_lock():
            calls.value += 1
        return answer(request)

    api.answer = counted
    ready.send(api.url)
    ready.close()
    api.server.serve_forever()


class ApiProcess:
    """A loopback provider API (a LoopbackApi of the tests) in a process of its own, so that its
    work is not done by the process measured, answering every call after the same latency, as
    a distant provider does; `calls` counts the calls it answered."""

    def __init__(self, factory):
        self.factory = factory
        self.url = None
        self._process = None
        self._calls = None

    def __enter__(self):
        # Forked: the child only serves HTTP, it never touches the parent's database connections.
        context = multiprocessing.get_context("fork")
        self._calls = context.Value("l", 0)
        receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve,
            args=(self.factory, PROVIDER_LATENCY["seconds"], self._calls, sender),
            daemon=True,
        )
        self._process.start()
        self.url = receiver.recv()
        return self

    def __exit__(self, *_exc):
        self._process.terminate()
        self._process.join()

    @property
    def calls(self):
        return self._calls.value
