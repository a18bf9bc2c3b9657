from .aliyun import AliyunGateway
from .http_gateway import HttpGateway
from .tencent import TencentGateway
from .twilio import TwilioGateway

# provider_type of omnichannel.sms.provider -> gateway class. Odoo IAP has none: it keeps Odoo's
# own sending path.
GATEWAYS = {
    "twilio": TwilioGateway,
    "aliyun": AliyunGateway,
    "tencent": TencentGateway,
    "http": HttpGateway,
}
