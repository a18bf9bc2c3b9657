from . import omnichannel_wechat_account
from . import omnichannel_identity
from . import helpdesk_ticket
