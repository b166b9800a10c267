"""SQL per page, in process: how many queries a GET costs, whether it writes, and whether the
count stays the same when the page shows more rows (a small probe page against a large one)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

WRITE_PREFIXES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass
class PageQueries:
    """``queries`` counts a repeat visit; ``first_queries`` the first (cold caches, no cookies)."""

    path: str
    status: int
    queries: int
    first_queries: int
    writes: list[str] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def page_queries(path: str) -> PageQueries:
    """Queries of an anonymous visitor's first and second GET; writes of either are listed."""
    client = Client()
    with CaptureQueriesContext(connection) as first:
        client.get(path)
    with CaptureQueriesContext(connection) as second:
        response = client.get(path)
    sql = [q["sql"] for q in second.captured_queries]
    every = [q["sql"] for q in first.captured_queries] + sql
    writes = [s for s in every if s.lstrip().upper().startswith(WRITE_PREFIXES)]
    return PageQueries(path, response.status_code, len(sql), len(first.captured_queries), writes, sql)


@dataclass
class Comparison:
    """One page kind at two sizes: ``constant`` when the larger page costs no more queries."""

    page: str
    small: PageQueries
    large: PageQueries

    @property
    def constant(self) -> bool:
        return self.small.queries == self.large.queries

    @property
    def writes(self) -> int:
        return len(self.small.writes) + len(self.large.writes)

    def as_dict(self) -> dict[str, object]:
        return {
            "page": self.page,
            "constant": self.constant,
            "writes": self.writes,
            "small": self.small.as_dict(),
            "large": self.large.as_dict(),
        }


def compare(page: str, small: str, large: str) -> Comparison:
    return Comparison(page, page_queries(small), page_queries(large))
