"""Export files: the same selectors as the pages, written as CSV or XLSX by a background task.

Built from the summary tables (never a scan of raw orders), streamed row by row (openpyxl write-only
mode), with progress saved every few hundred rows so the waiting page can show it.
"""

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.core.spreadsheet import inert
from pasar.dashboards import selectors
from pasar.dashboards.models import Export
from pasar.dashboards.periods import Period
from pasar.markets.access import markets_for_officer, markets_operated_by, officer_reads_region
from pasar.markets.models import Market
from pasar.regions.models import Region

PROGRESS_EVERY = 500
EXPORT_KEEP_DAYS = 7
Cell = str | int | float | date | None


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: Sequence[Sequence[Cell]]


def scope_of(export: Export) -> selectors.Scope:
    if export.market_id is not None:
        return selectors.Scope(Market.objects.filter(pk=export.market_id))
    assert export.region is not None
    return selectors.Scope.of_region(export.region)


def _figure_header() -> list[str]:
    return [
        _("Orders"), _("Completed"), _("Cancelled"), _("Turnover (Rp)"), _("Items sold"), _("Kilograms sold"),
        _("Delivery"), _("Pickup"), _("Courier trips"),
    ]  # fmt: skip


def _figures(row: dict[str, Any]) -> list[Cell]:
    return [_number(row.get(name)) for name in selectors.FIGURES]


def _number(value: Any) -> Cell:
    if value is None:
        return None
    return float(value) if not isinstance(value, int) else value


def table_for(kind: str, scope: selectors.Scope, period: Period) -> Table:
    """The table of ``kind`` for the scope and period: exactly the figures the pages show."""
    markets = scope.markets
    if kind == Export.Kind.MARKETS:
        rows = selectors.per_market(markets, period)
        return Table([_("Market"), *_figure_header()], [[r["name"], *_figures(r)] for r in rows])
    if kind == Export.Kind.DAYS:
        days = selectors.trend(scope, period)
        return Table([_("Date"), *_figure_header()], [[r["date"], *_figures(r)] for r in days])
    if kind == Export.Kind.COMMODITIES:
        found = selectors.commodities(scope, period, limit=0)
        return Table(
            [_("Commodity"), _("Turnover (Rp)"), _("Kilograms sold"), _("Items sold")],
            [[r["name"], r["turnover"], _number(r["kg_sold"]), r["items_sold"]] for r in found],
        )
    if kind == Export.Kind.STALLS:
        stalls = [row for market in markets for row in selectors.per_stall(market, period)]
        return Table(
            [_("Stall"), _("Trader"), _("Orders"), _("Completed"), _("Turnover (Rp)"), _("Items sold"),
             _("Kilograms sold")],
            [[r["name"], r["trader"], r["orders"], r["completed"], r["turnover"], r["items_sold"],
              _number(r["kg_sold"])] for r in stalls],
        )  # fmt: skip
    traders = selectors.trained_not_live(markets, limit=None)
    return Table(
        [_("Trader"), _("Phone"), _("Market"), _("Stall"), _("Status"), _("Last training")],
        [[t.user.name, t.user.phone, t.market_name, t.stall_name, t.get_status_display(), t.last_training]  # type: ignore[attr-defined]
         for t in traders],
    )  # fmt: skip


def export_request(
    *,
    user: User,
    kind: str,
    file_format: str,
    period: Period,
    market: Market | None = None,
    region: Region | None = None,
) -> Export:
    """Queue an export of a scope the user may read (checked again here, not only in the view)."""
    if kind not in Export.Kind.values or file_format not in Export.Format.values:
        raise DomainError(_("Choose what to export and a file format."), code="export_invalid")
    if (market is None) == (region is None):
        raise DomainError(_("Choose one market or one region to export."), code="export_scope")
    if market is not None:
        allowed = markets_operated_by(user).filter(pk=market.pk).exists() or (
            markets_for_officer(user).filter(pk=market.pk).exists()
        )
    else:
        assert region is not None
        allowed = officer_reads_region(user, region)
    if not allowed:
        raise DomainError(_("You may not export this data."), code="export_refused")
    if kind == Export.Kind.STALLS and market is None:
        raise DomainError(_("Figures per stall are exported one market at a time."), code="export_scope")
    export = Export.objects.create(
        requested_by=user, market=market, region=region, kind=kind, format=file_format,
        date_from=period.start, date_to=period.end,
    )  # fmt: skip
    from pasar.dashboards.tasks import build_export

    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def _progress(export: Export) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        Export.objects.filter(pk=export.pk).update(progress=percent, rows=done)

    return report


def export_build(export_id: int) -> None:
    """Build the file of one export (idempotent: a finished export is left as it is)."""
    export = Export.objects.select_related("region").get(pk=export_id)
    if export.state == Export.State.DONE:
        return
    Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, progress=0)
    try:
        period = Period("custom", export.date_from, export.date_to)
        table = table_for(export.kind, scope_of(export), period)
        writer = write_xlsx if export.format == Export.Format.XLSX else write_csv
        content = writer(table, _progress(export))
    except Exception as exc:  # a failed export says so on its page instead of spinning forever
        Export.objects.filter(pk=export.pk).update(state=Export.State.FAILED, error=str(exc)[:250])
        raise
    name = f"pasar-{export.kind}-{export.date_from}-{export.date_to}.{export.format}"
    export.file.save(name, ContentFile(content), save=False)
    export.state, export.progress, export.rows = Export.State.DONE, 100, len(table.rows)
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "state", "progress", "rows", "finished_at"])


def exports_expire(*, keep_days: int = EXPORT_KEEP_DAYS) -> int:
    """Delete exports (rows and files) requested more than ``keep_days`` ago; the nightly job calls this.

    Files hold traders' names and phone numbers: they are not kept longer than someone needs to download
    them. A file is removed only after its row's deletion committed, so a failed run loses nothing.
    """
    old = list(Export.objects.filter(created_at__lt=timezone.now() - timedelta(days=keep_days)))
    with transaction.atomic():
        Export.objects.filter(pk__in=[e.pk for e in old]).delete()
        for export in old:
            if export.file.name:
                transaction.on_commit(partial(export.file.storage.delete, export.file.name))
    return len(old)


def _rows_with_progress(table: Table, report: Callable[[int, int], None]) -> Iterator[Sequence[Cell]]:
    total = len(table.rows)
    for i, row in enumerate(table.rows, start=1):
        yield row
        if i % PROGRESS_EVERY == 0:
            report(i, total)


def _csv_cell(cell: Cell) -> Cell:
    # Text a spreadsheet would run as a formula (a trader's name "=HYPERLINK(…)") is written inert.
    return "" if cell is None else inert(cell) if isinstance(cell, str) else cell


def write_csv(table: Table, report: Callable[[int, int], None]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_csv_cell(cell) for cell in table.header])
    for row in _rows_with_progress(table, report):
        writer.writerow([_csv_cell(cell) for cell in row])
    # A BOM so spreadsheet programs on Windows read the UTF-8 names right.
    return ("\ufeff" + out.getvalue()).encode()


def write_xlsx(table: Table, report: Callable[[int, int], None]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()

    def cells(row: Sequence[Cell]) -> list[Any]:
        out: list[Any] = []
        for value in row:
            if isinstance(value, str):
                # openpyxl turns any text starting with "=" into a formula: type every text cell as a
                # string, and write formula-like text inert as in the CSV.
                cell = WriteOnlyCell(sheet, value=inert(value))
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(value)
        return out

    sheet.append(cells(table.header))
    for row in _rows_with_progress(table, report):
        sheet.append(cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
