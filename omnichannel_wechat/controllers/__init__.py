from . import callback
from . import wecom_callback
