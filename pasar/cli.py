"""The ``pasar`` console script: every ``manage.py`` command plus the product's own
(``demo``, ``serve``, ``load_regions``, ``load_demo``), which are management commands, and
``parse-list`` (stdin → JSON), which runs without Django settings."""

import os
import sys
from pathlib import Path

DEMO_WHATSAPP_SECRET = "demo-whatsapp-secret"  # noqa: S105 - public, the demo only


def _option(argv: list[str], name: str, default: str) -> str:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
    return default


def _data_dir(argv: list[str]) -> None:
    """``--data-dir DIR`` sets the data folder before settings are imported (default ``./var``)."""
    os.environ["PASAR_DATA_DIR"] = str(Path(_option(argv, "--data-dir", "var")).resolve())


def _demo_environment(argv: list[str]) -> None:
    """The demo needs its data folder and its fake providers before settings are imported."""
    _data_dir(argv)
    os.environ.setdefault("PASAR_SECRET_KEY", _demo_secret_key(Path(os.environ["PASAR_DATA_DIR"])))
    # The demo runs like production (gunicorn, worker, scheduler, hashed and compressed static files);
    # only the uploads are served by the app, as no web server sits in front of it.
    os.environ.setdefault("PASAR_SERVE_MEDIA", "1")
    os.environ.setdefault("PASAR_PAYMENT_PROVIDER", "fake")  # public secret: the demo only
    os.environ.setdefault("PASAR_DELIVERY_PROVIDER", "fake")  # external couriers that never leave the demo
    # Messages are recorded, never sent ("Kotak keluar", `pasar messages --json`); the webhook secret is a
    # public demo value, printed at start, never a production default (settings leave it empty).
    os.environ.setdefault("PASAR_WHATSAPP_PROVIDER", "fake")
    os.environ.setdefault("PASAR_SMS_PROVIDER", "fake")
    os.environ.setdefault("PASAR_WHATSAPP_APP_SECRET", DEMO_WHATSAPP_SECRET)
    os.environ.setdefault("PASAR_WHATSAPP_VERIFY_TOKEN", "demo-verify-token")
    os.environ.setdefault("PASAR_WHATSAPP_PHONE_NUMBER_ID", "demo-platform")
    os.environ.setdefault(
        "PASAR_SITE_URL", f"http://{_option(argv, '--host', '127.0.0.1')}:{_option(argv, '--port', '8000')}"
    )


def _demo_secret_key(data_dir: Path) -> str:
    """The demo's own random key, made once and kept in its data folder (serving refuses the built-in one)."""
    import secrets

    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def main(argv: list[str] | None = None) -> int:
    argv = list(argv if argv is not None else sys.argv)
    if len(argv) > 1 and argv[1] == "parse-list":
        # Pure text in, JSON out: no settings or database, so it starts in a fraction of a second.
        from pasar.catalog.shopping_list.cli import main as parse_list_main

        return parse_list_main(argv[2:])
    if len(argv) > 1 and argv[1] == "demo":
        _demo_environment(argv)
    elif len(argv) > 1 and argv[1] == "messages":
        _data_dir(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pasar.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":  # `python -m pasar.cli`: how the supervisor starts each role
    sys.exit(main())
