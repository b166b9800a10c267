"""Everything the platform holds about one person, as plain data (UU PDP art. 7 and 13: access and a copy
in a machine-readable form). The same dictionary gives the JSON file and the CSV file."""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pasar.accounts.models import Consent, PersonalDataAccess, User
from pasar.markets.models import MarketRole
from pasar.notifications.models import Notification
from pasar.orders.models import Cart, Order, OrderEvent, OrderLine, SearchLine
from pasar.payments.models import PaymentAttempt, Posting
from pasar.privacy.models import DataRequest
from pasar.traders.models import Stall, Trader
from pasar.training.models import Attendance

type Record = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(qs: QuerySet[Any], *fields: str) -> list[Record]:
    return [{k: _plain(v) for k, v in row.items()} for row in qs.values(*fields)]


def person_data(user: User) -> dict[str, Any]:
    """Sections of records, each a list of flat dicts; ids let the person match rows across sections."""
    orders = Order.objects.filter(buyer=user).order_by("pk")
    trader = Trader.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "exported_at": _plain(timezone.now()),
        "account": [
            {
                "id": user.pk,
                "phone": user.phone,
                "name": user.name,
                "email": user.email,
                "date_joined": _plain(user.date_joined),
                "last_login": _plain(user.last_login),
                "active": user.is_active,
            }
        ],
        "consents": _rows(Consent.objects.filter(user=user), "version", "how", "given_at", "withdrawn_at"),
        "market_roles": _rows(MarketRole.objects.filter(user=user), "market__name", "role"),
        "officer_regions": _rows(user.officer_assignments.all(), "region__code", "region__name", "agency"),
        "orders": _rows(
            orders,
            "id",
            "number",
            "market__name",
            "created_at",
            "for_date",
            "state",
            "fulfilment",
            "address",
            "latitude",
            "longitude",
            "delivery_fee",
            "payment_method",
            "payment_state",
            "goods_estimate",
            "goods_total",
            "amount_due",
            "note",
        ),  # fmt: skip
        "order_lines": _rows(
            OrderLine.objects.filter(part__order__buyer=user).order_by("pk"),
            "part__order__number",
            "part__stall__name",
            "name",
            "unit",
            "quantity",
            "unit_price",
            "estimate",
            "final_quantity",
            "final_amount",
            "state",
            "note",
        ),  # fmt: skip
        "search_lines": _rows(
            SearchLine.objects.filter(order__buyer=user).order_by("pk"),
            "order__number",
            "text",
            "quantity",
            "price_cap",
            "state",
            "bought_amount",
            "note",
        ),
        "order_events": _rows(
            OrderEvent.objects.filter(order__buyer=user).order_by("pk"), "order__number", "kind", "created_at"
        ),
        "payments": _rows(
            PaymentAttempt.objects.filter(order__buyer=user).order_by("pk"),
            "order__number",
            "method",
            "amount",
            "state",
            "created_at",
        ),  # fmt: skip
        "ledger_postings": _rows(
            Posting.objects.filter(account__user=user).order_by("pk"),
            "entry__day",
            "entry__kind",
            "entry__memo",
            "account__kind",
            "amount",
        ),  # fmt: skip
        "carts": _rows(
            Cart.objects.filter(buyer=user).order_by("pk"), "market__name", "lines__product__name", "lines__quantity"
        ),
        "notifications": [
            {"created_at": _plain(n.created_at), "text": n.text, "read_at": _plain(n.read_at)}
            for n in Notification.objects.filter(user=user).order_by("pk")
        ],
        "trader": [],
        "stalls": [],
        "training": [],
        "data_requests": _rows(
            DataRequest.objects.filter(user=user).order_by("pk"), "kind", "status", "created_at", "due_at", "answer"
        ),
        # Processing history (art. 32): when staff viewed or exported records about this person.
        "viewed_by_staff": _rows(
            PersonalDataAccess.objects.filter(subject=user).order_by("pk"), "at", "action", "what"
        ),
    }
    if trader is not None:
        data["trader"] = [
            {
                "status": trader.status,
                "registered_at": _plain(trader.created_at),
                "consent_at": _plain(trader.consent_at),
                "trained_at": _plain(trader.trained_at),
            }
        ]
        data["stalls"] = _rows(
            Stall.objects.filter(trader=trader).order_by("pk"), "market__name", "name", "block", "row", "number", "kind"
        )
        data["training"] = _rows(
            Attendance.objects.filter(trader=trader).order_by("pk"), "event__date", "event__topic", "event__place"
        )
    return data


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def csv_rows(data: dict[str, Any]) -> Iterator[list[str]]:
    """One long table: section, record number, field, value (every section fits, any spreadsheet reads it)."""
    yield ["section", "record", "field", "value"]
    for section, records in data.items():
        if not isinstance(records, list):
            yield [section, "", "", str(records)]
            continue
        for n, rec in enumerate(records, start=1):
            for field, value in rec.items():
                yield [section, str(n), field, _inert("" if value is None else str(value))]


def _inert(text: str) -> str:
    """A cell that a spreadsheet would run as a formula is written as text (OWASP CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(csv_rows(data))
    return out.getvalue()
