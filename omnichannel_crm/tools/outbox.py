# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the connectors' outboxes share: how long a platform's API is waited for, and when a message
it could not take now is tried again."""

import random

RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 3600
# Seconds a connector waits for a platform's API to connect, and then between the bytes of its
# answer (an ir.config_parameter; each client has its own default). Well under the time limit of
# the jobs that call them, so that a platform that hangs costs a job one wait, not the job.
API_TIMEOUT_PARAM = "omnichannel_crm.api_timeout"


def retry_delay(attempt, rng=random.random):
    """Seconds to wait before attempt `attempt + 1`: exponential (30 s, 60 s, 2 min, ... capped at
    1 h) with full jitter on its upper half, so that messages failed together do not all come back
    at once."""
    ceiling = min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0))
    return ceiling / 2 + rng() * ceiling / 2


def api_timeout(value, default):
    """The timeout configured (`value`, the parameter's text) in seconds, or `default` when it is
    not a positive number."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return default
    return seconds if seconds > 0 else default
