from . import omnichannel_wechat_account
from . import omnichannel_wechat_template
from . import omnichannel_wechat_template_field
from . import omnichannel_identity
from . import omnichannel_interaction
from . import omnichannel_notification
from . import omnichannel_scenario_channel
from . import helpdesk_ticket
