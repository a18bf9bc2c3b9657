from . import mail_thread
from . import omnichannel_sms_provider
from . import omnichannel_sms_template_code
from . import omnichannel_sms_template_param
from . import res_company
from . import res_config_settings
from . import sms_sms
