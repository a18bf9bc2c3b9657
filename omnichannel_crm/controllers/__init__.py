from . import webhook
from . import phone_webhook
from . import rating
from . import nps
from . import unavailable
