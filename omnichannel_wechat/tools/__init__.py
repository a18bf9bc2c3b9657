from . import crypto
from . import message_xml
from . import signature
