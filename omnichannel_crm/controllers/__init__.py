from . import phone_webhook
