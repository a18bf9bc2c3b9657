from . import omnichannel_wechat_account
