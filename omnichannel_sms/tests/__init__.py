from . import test_sms_provider
