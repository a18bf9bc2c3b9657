from . import test_livechat
