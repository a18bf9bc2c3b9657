from . import discuss_channel
from . import omnichannel_inbound_event
