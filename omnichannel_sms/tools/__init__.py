from . import gateways
from . import keywords
from . import outbox
