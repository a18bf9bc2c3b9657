from . import visitor_identity
