from . import discuss_channel
from . import discuss_channel_visitor
from . import im_livechat_channel
from . import omnichannel_inbound_event
from . import omnichannel_demo
