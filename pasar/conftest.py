"""Shared fixtures: one object of each kind, and one user per role."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from pasar.testing import factories  # noqa: E402


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off; the manifest storage would need collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
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
