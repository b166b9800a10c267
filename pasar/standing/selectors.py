"""Reading standing orders for the pages."""

from dataclasses import dataclass
from datetime import datetime

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.orders.pricing import line_estimate
from pasar.standing.access import standing_visible_to
from pasar.standing.dates import cutoff_of
from pasar.standing.models import Run, RunLine, StandingOrder
from pasar.standing.services import upcoming

HISTORY = 30


@dataclass(frozen=True)
class DraftLine:
    line: RunLine
    estimate: int
    price_now: int


@dataclass(frozen=True)
class Draft:
    run: Run
    cutoff: datetime
    lines: list[DraftLine]
    skipped: list[Run]  # dates ahead of it the buyer skipped (still open: they may be ordered after all)

    @property
    def estimate(self) -> int:
        return sum(line.estimate for line in self.lines)


def standing_list(*, user: User) -> list[StandingOrder]:
    return list(standing_visible_to(user).prefetch_related("lines"))


def draft_of(standing: StandingOrder, *, now: datetime) -> Draft | None:
    runs = upcoming(standing, now=now)
    if not runs:
        return None
    run = runs[-1]
    lines = [
        DraftLine(line, line_estimate(line.product.price, line.quantity), line.product.price)
        for line in run.lines.select_related("product__stall").order_by("product__stall__name", "product__name")
    ]
    skipped = [r for r in runs if r.state == Run.State.SKIPPED]
    return Draft(run=run, cutoff=cutoff_of(standing.market, run.date), lines=lines, skipped=skipped)


def history(standing: StandingOrder, *, now: datetime) -> list[Run]:
    """Settled dates, newest first (placed with their order; skipped, empty, missed with their reason)."""
    settled = standing.runs.exclude(state=Run.State.DRAFT).select_related("order").order_by("-date")[:HISTORY]
    return [run for run in settled if run.settled_at is not None or cutoff_of(standing.market, run.date) <= now]


def products_to_add(standing: StandingOrder) -> list[Product]:
    return list(
        Product.objects.filter(market=standing.market, available=True, stall__is_open=True)
        .select_related("stall")
        .order_by("name")[:300]
    )
