"""The WSGI module gunicorn preloads: the URLconf is imported before the workers fork."""

import os
import subprocess
import sys


def test_loading_the_wsgi_application_imports_the_urlconf(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PASAR_", "DJANGO_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "pasar.settings", "PASAR_DATA_DIR": str(tmp_path), "PASAR_SECRET_KEY": "x" * 50}
    probe = (
        "import sys; import pasar.wsgi; from django.urls import get_resolver; from django.db import connections; "
        "print('pasar.urls' in sys.modules, 'pasar.api' in sys.modules, 'url_patterns' in vars(get_resolver()), "
        "all(c.connection is None for c in connections.all(initialized_only=True)))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    # Loaded, and no database connection opened: gunicorn's workers must not inherit the master's socket.
    assert done.stdout.split() == ["True", "True", "True", "True"]
