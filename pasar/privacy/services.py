"""Writes for a person's rights: requests with their clock, corrections, and erasure by anonymisation.

Erasure keeps the money records the law requires (orders, their lines, payments, the ledger, settlement)
and removes the person from them: name, phone, e-mail and addresses are replaced by a pseudonym
("Pengguna terhapus #…") and the market's own point; free-text notes are emptied; carts, inbox
notifications, failed-login records and the rows of imported trader lists go. The user row stays
(inactive, no password) because orders and ledger accounts point at it.
"""

import hashlib
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.audit import record
from pasar.accounts.consent import consent_withdraw
from pasar.accounts.models import OfficerAssignment, PersonalDataAccess, User
from pasar.core.errors import DomainError
from pasar.markets.models import MarketRole
from pasar.notifications.models import Notification
from pasar.orders.models import Cart, Order, OrderLine, SearchLine, StallOrder
from pasar.payments.models import Account
from pasar.privacy.models import ANSWER_WITHIN, DataRequest
from pasar.standing.models import StandingOrder
from pasar.traders.models import Stall, TraderImport

FINAL_ORDER_STATES = (Order.State.DELIVERED, Order.State.CANCELLED)
FINAL_PART_STATES = ("delivered", "cancelled", "refused", "picked_up")


def pseudonym(user: User) -> str:
    """A stable name that says nothing about the person (the same on every record and export)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:erased:{user.pk}".encode()).hexdigest()[:8]
    return f"Pengguna terhapus #{digest}"


def erased_phone(user: User) -> str:
    """Unique, ``+62…`` as the user table requires, and never a real number (no mobile starts +620)."""
    return f"+6200{user.pk:011d}"


def request_open(*, user: User, kind: str, detail: str = "") -> DataRequest:
    """Open a request (one open request per kind and person: asking twice returns the first)."""
    if kind not in DataRequest.Kind.values:
        raise DomainError(_("Unknown request."), code="request_kind", field="kind")
    detail = detail.strip()
    if len(detail) > 1000:
        raise DomainError(_("At most 1,000 characters."), code="detail_too_long", field="detail")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        found = DataRequest.objects.filter(user=user, kind=kind, status=DataRequest.Status.OPEN).first()
        if found is not None:
            return found
        now = timezone.now()
        return DataRequest.objects.create(
            user=user, kind=kind, detail=detail, created_at=now, due_at=now + ANSWER_WITHIN
        )


def request_close(*, data_request: DataRequest, by: User | None, status: str, answer: str = "") -> DataRequest:
    if status not in (DataRequest.Status.DONE, DataRequest.Status.REFUSED):
        raise DomainError(_("Unknown status."), code="status_unknown")
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
        if locked.status != DataRequest.Status.OPEN:
            return locked
        locked.status, locked.handled_by, locked.handled_at = status, by, timezone.now()
        locked.answer = answer[:250]
        locked.save(update_fields=["status", "handled_by", "handled_at", "answer"])
    return locked


def request_fulfilled(*, user: User, kind: str) -> DataRequest:
    """A request the person served themselves (a download, a correction): recorded and closed at once."""
    now = timezone.now()
    return DataRequest.objects.create(
        user=user, kind=kind, status=DataRequest.Status.DONE, handled_at=now, handled_by=user, created_at=now
    )


@dataclass(frozen=True)
class Correction:
    name: str
    email: str


def person_correct(*, user: User, data: Correction) -> User:
    """The person corrects their own name and e-mail (the phone is the login: a request to the admin)."""
    name = data.name.strip()
    if not name:
        raise DomainError(_("Name is required."), code="name_required", field="name")
    if len(name) > 120:
        raise DomainError(_("At most 120 characters."), code="name_too_long", field="name")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.name, locked.email = name, data.email.strip()
        locked.save(update_fields=["name", "email"])
        Account.objects.filter(user=locked, kind=Account.Kind.BUYER).update(name=name[:150])
        request_fulfilled(user=locked, kind=DataRequest.Kind.CORRECTION)
    user.name, user.email = locked.name, locked.email
    return locked


def consent_withdraw_request(*, user: User) -> DataRequest:
    """Withdrawn consent: stamped now; processing that rests on it must stop within 3×24 h (a request)."""
    with transaction.atomic():
        consent_withdraw(user=user)
        return request_open(user=user, kind=DataRequest.Kind.WITHDRAWAL)


def _unfinished(user: User) -> bool:
    buyer_open = Order.objects.filter(buyer=user).exclude(state__in=FINAL_ORDER_STATES).exists()
    courier_open = Order.objects.filter(courier=user).exclude(state__in=FINAL_ORDER_STATES).exists()
    stall_open = (
        StallOrder.objects.filter(stall__trader__user=user).exclude(order__state__in=FINAL_ORDER_STATES).exists()
    )
    return buyer_open or courier_open or stall_open


@transaction.atomic
def person_anonymise(*, user: User, by: User) -> User:
    """Erase a person: replace who they are by a pseudonym everywhere, keep the money records.

    Refused while one of their orders (as buyer, courier or trader) is still on its way: the courier
    needs the address until the handover.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_superuser:
        raise DomainError(_("A platform administrator cannot be erased."), code="erase_admin")
    if _unfinished(locked):
        raise DomainError(
            _("This person has orders still in progress. Erase them after the orders are finished."),
            code="erase_orders_open",
        )
    old_name, old_phone = locked.name, locked.phone
    name = pseudonym(locked)
    locked.name, locked.phone, locked.email = name, erased_phone(locked), ""
    locked.is_active, locked.is_staff, locked.must_change_password = False, False, False
    locked.set_unusable_password()  # also ends every session: their hash no longer matches
    locked.save()

    orders = Order.objects.filter(buyer=locked)
    for order in orders.select_related("market").only("pk", "market__latitude", "market__longitude"):
        # A delivery order must keep a point: the market's own, which says nothing about the person.
        Order.objects.filter(pk=order.pk, latitude__isnull=False).update(
            latitude=order.market.latitude, longitude=order.market.longitude
        )
    orders.update(address="", note="")
    OrderLine.objects.filter(part__order__buyer=locked).exclude(note="").update(note="")
    SearchLine.objects.filter(order__buyer=locked).exclude(note="").update(note="")
    Cart.objects.filter(buyer=locked).delete()
    # Their standing orders stop (and their addresses go): nothing is ordered in an erased person's name.
    StandingOrder.objects.filter(buyer=locked).delete()
    Notification.objects.filter(user=locked).delete()
    Account.objects.filter(user=locked).update(name=name)
    MarketRole.objects.filter(user=locked).delete()
    OfficerAssignment.objects.filter(user=locked).delete()
    AccessAttempt.objects.filter(username=old_phone).delete()
    consent_withdraw(user=locked)
    if old_name:
        for stall in Stall.objects.filter(trader__user=locked, name__icontains=old_name.split(" ")[0]):
            stall.name = stall.name.replace(old_name, name).replace(old_name.split(" ")[0], name)[:120]
            stall.save(update_fields=["name"])
    _scrub_imports(locked, old_phone)
    record(actor=by, action=PersonalDataAccess.Action.ERASE, what=f"user {locked.pk}", subject=locked)
    open_requests = DataRequest.objects.filter(
        user=locked, status=DataRequest.Status.OPEN, kind__in=[DataRequest.Kind.DELETION, DataRequest.Kind.WITHDRAWAL]
    )
    open_requests.update(status=DataRequest.Status.DONE, handled_by=by, handled_at=timezone.now())
    return locked


def _scrub_imports(user: User, phone: str) -> None:
    """Trader lists keep each uploaded row (name, phone): the erased person's rows, in the markets of
    their stalls, lose both."""
    wanted = phone.removeprefix("+62")
    markets = Stall.objects.filter(trader__user=user).values("market_id")
    for trader_import in TraderImport.objects.filter(market__in=markets).select_for_update():
        changed = False
        for row in trader_import.rows:
            digits = "".join(ch for ch in str(row.get("phone", "")) if ch.isdigit())
            if digits and digits.removeprefix("62").lstrip("0") == wanted:
                row["name"], row["phone"] = "", ""
                changed = True
        if changed:
            trader_import.save(update_fields=["rows"])
