import os

import django
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup(set_prefix=False)

from newsroom.startup import require_secret_key  # noqa: E402  (needs the settings configured above)

require_secret_key()
application = get_wsgi_application()
