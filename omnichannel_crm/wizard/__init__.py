from . import base_partner_merge_automatic_wizard
from . import omnichannel_compensation_wizard
from . import omnichannel_log_call
from . import omnichannel_notify_wizard
from . import omnichannel_kpi_targets
