from . import test_livechat
from . import test_livechat_identity
from . import test_visitor_identity_tools
from . import test_livechat_attachments
from . import test_livechat_attachment_access
