"""Shared fixtures: one object of each kind, and one user per role."""

import os
from pathlib import Path

import pytest
import time_machine

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from hypothesis import settings as hypothesis_settings  # noqa: E402

from pasar.testing import factories  # noqa: E402
from pasar.testing.clock import TEST_NOW  # noqa: E402

# No per-example deadline: on a shared 2-core CI box an example's time says nothing about the code (speed is
# measured in bench/), and a deadline turns load into "flaky" failures.
hypothesis_settings.register_profile("pasar", deadline=None)
hypothesis_settings.load_profile("pasar")

# Test modules whose behaviour hangs on the time of day or the date (cut-offs, pickup slots, "today",
# nightly aggregation, export expiry): marked `clock`, so `make test-clock` runs them again at 00:30 and
# 23:50 WIB. A new module of that kind goes here (or marks itself with `pytestmark = pytest.mark.clock`).
CLOCK_MODULES = {
    "pasar/dashboards/tests/test_today.py",
    "pasar/dashboards/tests/test_aggregation.py",
    "pasar/dashboards/tests/test_exports.py",
    "pasar/dashboards/tests/test_views.py",
    "pasar/dashboards/tests/test_api.py",
    "pasar/dashboards/tests/test_rollup.py",
    "pasar/pricing/tests/test_services.py",
    "pasar/pricing/tests/test_aggregation.py",
    "pasar/pricing/tests/test_views.py",
    "pasar/pricing/tests/test_api.py",
    "pasar/orders/tests/test_slots.py",
    "pasar/orders/tests/test_pickup.py",
    "pasar/orders/tests/test_fulfilment.py",
    "pasar/orders/tests/test_selectors.py",
    "pasar/payments/tests/test_ledger.py",
    "pasar/payments/tests/test_selectors.py",
    "pasar/training/tests/test_services.py",
    "pasar/traders/tests/test_services.py",
    "pasar/delivery/tests/test_fairness.py",
    "pasar/runtime/tests/test_periodic.py",
    "pasar/runtime/tests/test_scheduler.py",
}


@pytest.fixture(autouse=True)
def _default_language():
    """A request through the test client activates its language in this thread (the locale middleware never
    deactivates it); without this a test that asked for English would leave the next test speaking it."""
    from django.utils import translation

    before = translation.get_language()  # a module's own override (e.g. English for msgid asserts) stays
    yield
    translation.activate(before)


def pytest_collection_modifyitems(config, items):
    root = Path(config.rootpath)
    for item in items:
        if Path(item.fspath).relative_to(root).as_posix() in CLOCK_MODULES:
            item.add_marker(pytest.mark.clock)


@pytest.fixture(autouse=True)
def _test_clock(request):
    """Every test starts at the same instant (``PASAR_TEST_NOW``, default a Wednesday 10:00 WIB) and
    the clock then ticks on, so no test depends on the hour CI happens to run at. CI runs the tests
    marked ``clock`` again at 00:30 and 23:50 WIB (`make test-clock`). A test that needs another
    instant travels there itself (``time_machine`` fixture or ``time_machine.travel``)."""
    if request.node.get_closest_marker("wall_clock"):
        yield
        return
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage():
    """Tests run with DEBUG off; the manifest storage would need collectstatic first.

    Overridden once for the whole session, not per test: a per-test override is undone between tests,
    and a browser's late request to the live server in that window could cache the manifest storage
    for the next test ("Missing staticfiles manifest entry").
    """
    from django.conf import settings
    from django.test.utils import override_settings

    plain = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    plain.enable()
    yield
    plain.disable()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The production hasher costs ~0.5 s per user on a small machine; role fixtures make nine users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a WAL file like production, not Django's shared-cache in-memory database.

    The shared cache locks per table and answers a second connection with SQLITE_LOCKED ("database
    table is locked") at once, ignoring the busy timeout and the IMMEDIATE transaction mode, so the
    thread races in orders/tests/test_concurrency.py could not queue as they do on the real file.
    The file lives in this run's pytest temp dir, so parallel runs never share it (unless a name is set).
    """
    from django.db import connections

    for alias in connections:
        db = connections[alias].settings_dict
        if db["ENGINE"] == "django.db.backends.sqlite3" and not db["TEST"].get("NAME"):
            db["TEST"]["NAME"] = str(tmp_path_factory.mktemp("sqlite") / f"test_{alias}.sqlite3")


@pytest.fixture(autouse=True)
def _fake_payments(settings):
    # Tests pay through the fake provider (its secret is public: never enabled by default).
    settings.PASAR_PAYMENT_PROVIDER = "fake"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # Tasks run as soon as they are enqueued (still after commit: services enqueue with on_commit).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASAR_PRIVATE_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def vocabulary(db):
    from pasar.catalog.services import vocabulary_load

    vocabulary_load()


@pytest.fixture
def market(db):
    return factories.market()


@pytest.fixture
def other_market(db):
    return factories.market(name="Pasar Lain", regency_code="34.71")


@pytest.fixture
def stall(market):
    return factories.stall(market=market)


@pytest.fixture
def product(stall):
    return factories.product(stall=stall)


@pytest.fixture
def roles(market, other_market, stall):
    """One user per role, scoped to ``market`` (and a second trader, operator elsewhere)."""
    return factories.role_users(market=market, other_market=other_market, stall=stall)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser downloaded by ``playwright install``."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); CI installs it")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }
