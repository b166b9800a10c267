"""Background jobs of the dashboards: the day's aggregation and export files (django.tasks)."""

from datetime import date

from django.tasks import task

from pasar.dashboards import aggregation, exports


@task()
def aggregate_day(day: str, market_ids: list[int] | None = None) -> None:
    """Rebuild the summary rows of ``day`` (ISO date); enqueued nightly and by "refresh today"."""
    aggregation.aggregate_day(date.fromisoformat(day), market_ids)


@task()
def aggregate_range(first: str, last: str) -> None:
    """Rebuild the summary rows of every day from ``first`` to ``last`` (ISO dates): the nightly job."""
    aggregation.aggregate_days(date.fromisoformat(first), date.fromisoformat(last))


@task()
def build_export(export_id: int) -> None:
    exports.export_build(export_id)
