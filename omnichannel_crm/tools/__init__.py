from . import contact_window
from . import identity
from . import inbound
from . import text_signals
