"""The instant every test starts at (see the ``_test_clock`` fixture in ``pasar/conftest.py``).

``PASAR_TEST_NOW`` (ISO 8601 with an offset, e.g. ``2026-12-02T00:30:00+07:00``) moves it, so the
tests that read the clock can be run just after midnight and just before it in Asia/Jakarta.
"""

import os
from datetime import datetime

DEFAULT_TEST_NOW = "2026-12-02T10:00:00+07:00"  # a Wednesday, markets open


def _test_now() -> datetime:
    value = os.environ.get("PASAR_TEST_NOW", DEFAULT_TEST_NOW)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"PASAR_TEST_NOW needs an offset, e.g. {DEFAULT_TEST_NOW}: {value!r}")
    return moment


TEST_NOW = _test_now()
