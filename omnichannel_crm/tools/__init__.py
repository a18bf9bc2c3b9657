from . import contact_window
from . import identity
