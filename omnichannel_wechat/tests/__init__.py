from . import test_wechat_account
