"""Running work in threads released together, for tests of what only a real database guarantees."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def race(n: int, work: Callable[[int], Any]) -> list[tuple[str, Any]]:
    """Run ``work(i)`` in ``n`` threads released together; ("ok", result) or ("error", exception) each.

    Each thread uses its own database connection and closes it at the end.
    """
    barrier = threading.Barrier(n)
    results: list[tuple[str, Any]] = [("missing", None)] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", work(i))
        except BaseException as exc:  # noqa: BLE001 - every outcome is reported to the test
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results
