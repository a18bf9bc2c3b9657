from . import contact_window
from . import identity
from . import text_signals
