"""Tasks for the runtime's tests: importable by path, as a worker process must import them."""

import time
from pathlib import Path

from django.tasks import task

from pasar.runtime.tasks import retry

CALLS: list[str] = []


@retry(max_attempts=3, base_delay=30)
@task()
def fails(message: str) -> None:
    CALLS.append(message)
    raise RuntimeError(message)


@task()
def succeeds(message: str) -> str:
    CALLS.append(message)
    return message


@task()
def sleeps_then_marks(seconds: float, marker: str) -> str:
    """Sleeps (so a test can kill its worker mid-task), then writes a line to ``marker``: each finished
    run adds one, so the test can tell that the task was run again after the kill and finished."""
    time.sleep(seconds)
    with Path(marker).open("a") as handle:
        handle.write("done\n")
    return "done"
