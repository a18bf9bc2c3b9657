from . import test_security, test_settings, test_webclient_menus
