"""Writes for traders and stalls: registration on a trader's behalf, list imports, status changes.

Registering with the stall's first products is ``pasar.onboarding.services.trader_onboard``: products
belong to catalog, which sits above this app.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts import lockout
from pasar.accounts.consent import consent_give, consent_give_many
from pasar.accounts.models import Consent, User
from pasar.core.errors import DomainError
from pasar.core.phone import normalize_phone
from pasar.markets.models import Category, Market
from pasar.traders import importer
from pasar.traders.models import Stall, Trader, TraderImport

# First-login PINs of a bulk import are hashed with fewer PBKDF2 rounds: the full 1.5 million
# take 0.4 s each, over half an hour for a 5,000-row list inside one request. The work factor
# cannot protect a 6-digit PIN anyway (a GPU tries all 10^6 in minutes even at full strength);
# Django re-hashes it at full strength on the trader's first login, because the stored
# iteration count differs from the default.
IMPORT_PIN_ITERATIONS = 2_000


@dataclass(frozen=True)
class StallInput:
    market: Market
    category: Category
    number: str
    block: str = ""
    row: str = ""
    name: str = ""
    kind: str = Stall.Kind.LAPAK


@dataclass(frozen=True)
class Registration:
    name: str
    phone: str
    stall: StallInput
    consent: bool


@dataclass(frozen=True)
class RegistrationResult:
    trader: Trader
    stall: Stall
    pin: str | None  # the first login PIN, shown once to the operator; None for an existing user


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def check_registration(data: Registration) -> str:
    """Validate what needs no database lock; returns the normalised phone."""
    if not data.name.strip():
        raise DomainError(_("Name is required."), code="name_required", field="name")
    phone = normalize_phone(data.phone)
    if phone is None:
        raise DomainError(
            _("Not a valid Indonesian phone number (e.g. 0812-3456-7890)."), code="phone_invalid", field="phone"
        )
    if not data.consent:
        raise DomainError(_("The trader's consent must be recorded."), code="consent_required", field="consent")
    if not data.stall.number.strip():
        raise DomainError(_("Stall number is required."), code="stall_number_required", field="number")
    if data.stall.kind not in Stall.Kind.values:
        raise DomainError(_("Unknown stall type."), code="stall_kind_unknown", field="kind")
    return phone


def stall_location_taken(*, market: Market, block: str, row: str, number: str) -> bool:
    return Stall.objects.filter(market=market, block=block, row=row, number=number).exists()


def _default_stall_name(user: User) -> str:
    return _("%(name)s's stall") % {"name": user.get_short_name()}


def _stall_taken() -> DomainError:
    return DomainError(_("This stall location is already registered."), code="stall_taken", field="number")


@transaction.atomic
def trader_register(*, data: Registration, by: User) -> RegistrationResult:
    """Register a trader (or add a stall to an existing one): user with a first PIN, trader, stall.

    All or nothing: a refusal or a taken stall location writes nothing.
    """
    phone = check_registration(data)
    s = data.stall
    block, row, number = s.block.strip().upper(), s.row.strip().upper(), s.number.strip().upper()
    if stall_location_taken(market=s.market, block=block, row=row, number=number):
        raise _stall_taken()
    user = User.objects.filter(phone=phone).first()
    pin = None
    if user is None:
        pin = new_pin()
        user = User.objects.create_user(phone, pin, name=data.name.strip(), must_change_password=True)
    trader, _created = Trader.objects.get_or_create(
        user=user, defaults={"registered_by": by, "consent_at": timezone.now(), "consent_recorded_by": by}
    )
    consent_give(user=user, how=Consent.How.OPERATOR, by=by)
    try:
        with transaction.atomic():
            stall = Stall.objects.create(
                market=s.market,
                trader=trader,
                category=s.category,
                kind=s.kind,
                name=s.name.strip() or _default_stall_name(user),
                block=block,
                row=row,
                number=number,
            )
    except IntegrityError as exc:  # a concurrent registration took the location first
        raise _stall_taken() from exc
    return RegistrationResult(trader=trader, stall=stall, pin=pin)


def trader_reset_pin(*, trader: Trader, by: User) -> str:
    """A forgotten PIN: the operator hands over a new first PIN (shown once); the trader must replace it.

    The phone's failed logins are forgotten too, so the new PIN works at once.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=trader.user_id)
        pin = new_pin()
        user.set_password(pin)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
    lockout.unlock(user.phone)
    trader.user = user
    return pin


def trader_unlock(*, trader: Trader, by: User) -> bool:
    """Lift the lock on a trader's phone after too many wrong PINs; True when it was locked."""
    return lockout.unlock(trader.user.phone) > 0


@transaction.atomic
def trader_set_status(*, trader: Trader, status: str, at: datetime | None = None) -> Trader:
    """Move a trader along terdata → dilatih → aktif (never backwards).

    The first move past terdata stamps ``trained_at`` (``at``: when the training took place, default now).
    """
    order = list(Trader.Status.values)
    if status not in order:
        raise DomainError(_("Unknown status."), code="status_unknown")
    if order.index(status) < order.index(trader.status):
        raise DomainError(_("Onboarding status cannot go backwards."), code="status_backwards")
    trader.status = status
    if status != Trader.Status.REGISTERED and trader.trained_at is None:
        trader.trained_at = at or timezone.now()
    trader.save(update_fields=["status", "trained_at", "updated_at"])
    return trader


# --- Importing a trader list -------------------------------------------------------------


@dataclass(frozen=True)
class ImportedTrader:
    """One imported row for the printable PIN table; ``pin`` is None for an existing account."""

    line: int
    name: str
    phone: str
    location: str
    pin: str | None


class ImportConflict(DomainError):
    """Rows that were valid at upload but are not any more; nothing was imported."""

    def __init__(self, rows: list[importer.ImportRow]) -> None:
        super().__init__(
            _("Nothing was imported: %(n)d rows are no longer valid. Fix them and upload the file again.")
            % {"n": len(rows)},
            code="import_conflict",
        )
        self.rows = rows


def market_state(*, market: Market, rows: list[importer.ImportRow]) -> importer.MarketState:
    """What the importer must know about the database now: categories, taken stalls, known phones."""
    taken = Stall.objects.filter(market=market).values_list("block", "row", "number")
    phones = importer.phones_of(rows)
    return importer.MarketState(
        categories=dict(Category.objects.values_list("slug", "name")),
        taken=frozenset((b.upper(), r.upper(), n.upper()) for b, r, n in taken),
        known_phones=frozenset(User.objects.filter(phone__in=phones).values_list("phone", flat=True)),
    )


def trader_import_prepare(*, market: Market, by: User, filename: str, data: bytes) -> TraderImport:
    """Read and check an uploaded list; keep it for confirmation. A refused file writes nothing."""
    table = importer.read_table(filename, data)
    if table.problem is not None:
        raise DomainError(table.problem.message, code=table.problem.code, field="file")
    checked = importer.check_rows(table.rows, state=market_state(market=market, rows=table.rows))
    return TraderImport.objects.create(
        market=market, uploaded_by=by, filename=filename[:200], rows=[r.as_dict() for r in checked]
    )


def _already_applied() -> DomainError:
    return DomainError(_("This list was already imported."), code="import_applied")


def trader_import_apply(*, trader_import: TraderImport, by: User, consent: bool) -> list[ImportedTrader]:
    """Insert every row that was valid at upload, in one transaction, after checking them again.

    If any of those rows is no longer valid (a stall or phone registered meanwhile), nothing is
    inserted and ``ImportConflict`` lists them. A second confirmation changes nothing.
    """
    if not consent:
        raise DomainError(_("Confirm that the traders agreed to be listed."), code="consent_required", field="consent")
    if trader_import.uploaded_by_id != by.pk:
        raise DomainError(_("Only the person who uploaded the list can confirm it."), code="not_owner")
    if trader_import.status != TraderImport.Status.PENDING:
        raise _already_applied()
    wanted = [row for row in map(importer.ImportRow.from_dict, trader_import.rows) if row.ok]
    if not wanted:
        raise DomainError(_("The list has no valid rows to import."), code="import_empty")
    # Hash before taking the write lock: hashing is the slow part.
    pins = {row.line: new_pin() for row in wanted}
    hashes = {line: _import_pin_hash(pin) for line, pin in pins.items()}
    with transaction.atomic(durable=True):
        locked = TraderImport.objects.select_for_update().get(pk=trader_import.pk)
        if locked.status != TraderImport.Status.PENDING:
            raise _already_applied()
        fresh = importer.check_rows(wanted, state=market_state(market=locked.market, rows=wanted))
        if failed := [row for row in fresh if not row.ok]:
            raise ImportConflict(failed)
        try:
            imported = _insert_rows(market=locked.market, rows=fresh, pins=pins, hashes=hashes, by=by)
        except IntegrityError as exc:  # a concurrent registration between the check and the insert
            raise DomainError(
                _("Nothing was imported: a stall or phone in the list was registered meanwhile. Try again."),
                code="import_conflict",
            ) from exc
        locked.status = TraderImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "applied_at"])
    trader_import.status, trader_import.applied_at = locked.status, locked.applied_at
    return imported


def _import_pin_hash(pin: str) -> str:
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(pin, hasher.salt(), iterations=IMPORT_PIN_ITERATIONS)
    return hasher.encode(pin, hasher.salt())


def _insert_rows(
    *, market: Market, rows: list[importer.ImportRow], pins: dict[int, str], hashes: dict[int, str], by: User
) -> list[ImportedTrader]:
    """Bulk-create the users, traders and stalls of checked rows (a few queries, not one per row)."""
    phone_of = {row.line: importer.e164(row.phone) or "" for row in rows}
    known = set(User.objects.filter(phone__in=phone_of.values()).values_list("phone", flat=True))
    User.objects.bulk_create(
        [
            User(phone=phone_of[r.line], name=r.name.strip(), password=hashes[r.line], must_change_password=True)
            for r in rows
            if phone_of[r.line] not in known
        ]
    )
    users = {u.phone: u for u in User.objects.filter(phone__in=phone_of.values())}
    now = timezone.now()
    with_trader = set(Trader.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    Trader.objects.bulk_create(
        [
            Trader(user=u, registered_by=by, consent_at=now, consent_recorded_by=by)
            for u in users.values()
            if u.pk not in with_trader
        ]
    )
    consent_give_many(users=list(users.values()), how=Consent.How.IMPORT, by=by)
    traders = {t.user_id: t for t in Trader.objects.filter(user__in=users.values())}
    categories = {c.slug: c for c in Category.objects.all()}
    names = {slug: c.name for slug, c in categories.items()}
    result, stalls = [], []
    for r in rows:
        user = users[phone_of[r.line]]
        block, row, number = r.location
        stall = Stall(
            market=market,
            trader=traders[user.pk],
            category=categories[importer.category_slug(r.category, names) or ""],
            kind=importer.stall_kind(r.kind) or Stall.Kind.LAPAK,
            name=r.stall_name.strip() or _default_stall_name(user),
            block=block,
            row=row,
            number=number,
        )
        stalls.append(stall)
        pin = None if user.phone in known else pins[r.line]
        result.append(ImportedTrader(line=r.line, name=user.name, phone=user.phone, location=stall.location, pin=pin))
    Stall.objects.bulk_create(stalls)
    return result
