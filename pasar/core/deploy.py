"""What a serving process checks before it starts (the web server, the worker, the supervisor)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to serve with the built-in development key unless DEBUG is on.

    Sessions, CSRF tokens and password-reset links are signed with the key: the development key is in the
    source code, so anyone could forge them. Development tools (migrations, messages, type checks, tests)
    import the settings too and keep working without a key; only serving needs a real one.
    """
    if not settings.DEBUG and settings.SECRET_KEY == settings.PASAR_DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "PASAR_SECRET_KEY is not set: refusing to start with the built-in development key. Set it to a "
            'long random value, e.g. python -c "import secrets; print(secrets.token_urlsafe(50))", '
            "or set PASAR_DEBUG=1 on a development machine."
        )
