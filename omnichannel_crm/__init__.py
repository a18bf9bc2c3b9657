import logging

from . import controllers
from . import models
from . import report
from . import wizard
from .hooks import post_init_hook, uninstall_hook
from .tools.redact import ACCESS_LOG_FILTER

# Odoo's access log holds every request line, query string included: the webhook tokens of
# providers that can only prove themselves with a token in their URL are masked there.
logging.getLogger("werkzeug").addFilter(ACCESS_LOG_FILTER)
