import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pasar.notifications.models import OutboundMessage


class Command(BaseCommand):
    help = "Print the messages the product sent (or, with the fake provider, would have sent), oldest first."

    def add_arguments(self, parser: CommandParser) -> None:
        # --data-dir is read by pasar.cli before settings load; declared here for --help.
        parser.add_argument("--data-dir", default="var", help="folder of the database (default ./var)")
        parser.add_argument("--json", action="store_true", help="one JSON array")
        parser.add_argument("--to", default="", help="only messages to this number (E.164)")
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        messages = OutboundMessage.objects.order_by("-created_at", "-pk")
        if options["to"]:
            messages = messages.filter(to=options["to"])
        rows = [_row(m) for m in reversed(messages[: options["limit"]])]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['created_at']}  {row['to']}  {row['status']:9}  {row['template'] or row['kind']}")
            self.stdout.write("    " + row["text"].replace("\n", "\n    "))


def _row(m: OutboundMessage) -> dict[str, Any]:
    return {
        "to": m.to,
        "text": m.text,
        "template": m.template,
        "params": m.params,
        "kind": m.kind,
        "buttons": [b.get("title") for b in m.buttons],
        "channel": m.channel,
        "category": m.category,
        "status": m.status,
        "created_at": m.created_at.isoformat(),
        "provider_message_id": m.provider_message_id,
        "market_id": m.market_id,
    }
