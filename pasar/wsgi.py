import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pasar.settings")
application = get_wsgi_application()

from pasar.core.deploy import require_secret_key  # noqa: E402 - needs the settings loaded above

require_secret_key()
# Import the URLconf (and with it the API's routers and schemas, ~4 s of CPU) here, not on a worker's first
# request: under gunicorn --preload the workers fork with it loaded, so a fresh or recycled worker answers at
# once instead of spending its first request's timeout on imports (the soak saw a loaded machine kill every
# new worker at the 30 s timeout before it had served anything: bench/README.md, "Soak").
get_resolver().url_patterns  # noqa: B018 - evaluated for its import side effect
