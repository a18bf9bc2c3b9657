from . import omnichannel_sms_provider
