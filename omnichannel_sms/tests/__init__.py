from . import test_sms_gateways
from . import test_sms_provider
from . import test_sms_sending
from . import test_sms_webhooks
from . import test_sms_orchestration
from . import test_sms_translation
from . import test_sms_secrets
from . import test_sms_outbox
