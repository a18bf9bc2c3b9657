from . import test_wechat_account
from . import test_wechat_callback
from . import test_wechat_tools
from . import test_wechat_replies
from . import test_wechat_notifications
from . import test_wechat_translation
from . import test_wecom
from . import test_wechat_secrets
