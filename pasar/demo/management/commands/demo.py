import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pasar.core.phone import display_phone
from pasar.demo.services import DEMO_PASSWORD, ROLE_LOGINS, demo_is_loaded, demo_load
from pasar.runtime import supervisor
from pasar.runtime.management.commands.serve import start_collect_static


class Command(BaseCommand):
    help = (
        "Run Pasar Daring on SQLite with demo data, the way production runs: migrate, load the demo data "
        "if the database is empty, collect static files, then serve web, worker and scheduler."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # --data-dir is read by pasar.cli before settings load; declared here for --help.
        parser.add_argument("--data-dir", default="var", help="folder for the database and uploads (default ./var)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2, help="web server processes")
        parser.add_argument("--no-serve", action="store_true", help="prepare the database and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        # Static files are compressed on the other core while the demo data loads on this one.
        collecting = None if options["no_serve"] else start_collect_static()
        call_command("migrate", verbosity=0, interactive=False)
        if demo_is_loaded():
            self.stdout.write(f"Demo data already present in {settings.DATA_DIR}")
        else:
            self.stdout.write("Loading demo data (regions, 12 markets, stalls, products, two weeks of orders)...")
            demo_load(defer=not options["no_serve"])
            self.stdout.write("Price history and past orders are summed up in the background by the worker.")
        if collecting is None:
            self._logins(options)
            return
        if collecting.wait() != 0:
            raise CommandError("collecting static files failed (see above)")
        self._logins(options)
        self.stdout.flush()
        bind = f"{options['host']}:{options['port']}"
        passthrough = ["--bind", bind, "--workers", str(options["workers"]), "--no-collectstatic"]
        sys.exit(supervisor.supervise(supervisor.ROLES, passthrough))

    def _logins(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"\nPasar Daring demo: http://{options['host']}:{options['port']}/")
        self.stdout.write(f"Logins (phone / password {DEMO_PASSWORD}):")
        for role, phone, name in ROLE_LOGINS:
            self.stdout.write(f"  {role:9} {display_phone(phone)}  {name}")
        secret = settings.PASAR_WHATSAPP_APP_SECRET
        self.stdout.write(
            f"WhatsApp (fake provider): POST /webhooks/whatsapp/, app secret {secret!r} (demo value), "
            "Pasar Cikurubuk's phone_number_id 'demo-cikurubuk'; sent messages: /pengelola/kotak-keluar/ "
            "and `pasar messages --json`."
        )
        self.stdout.write("Health: /healthz, /readyz. Stop with Ctrl-C.")
