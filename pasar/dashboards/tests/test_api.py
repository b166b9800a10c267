import random
from datetime import timedelta

import pytest
from django.utils import timezone

from pasar.accounts.models import OfficerAssignment
from pasar.dashboards import selectors
from pasar.dashboards.aggregation import aggregate_day
from pasar.dashboards.periods import preset
from pasar.dashboards.tests import builders
from pasar.markets.models import Market
from pasar.testing import factories


@pytest.fixture
def world(db):
    rng = random.Random(21)
    made = builders.world(rng, markets=2, stalls=2, regency_codes=("32.73", "34.71"))
    today = timezone.localdate()
    for day in builders.day_list(today - timedelta(days=2), 3):
        builders.orders(rng, made, days=[day], n=8)
        aggregate_day(day)
    return made


def test_region_summary_matches_the_selectors(client, world):
    officer = factories.user(name="Petugas")
    OfficerAssignment.objects.create(user=officer, region=factories.region("32"))
    client.force_login(officer)

    body = client.get("/api/v1/dashboards/regions/32?periode=7").json()

    expected = selectors.totals(
        selectors.Scope(Market.objects.filter(pk=world.markets[0].pk)), preset("7", timezone.localdate())
    )
    assert expected is not None
    assert body["sales"]["turnover"] == expected["turnover"]
    assert body["sales"]["orders"] == expected["orders"]
    assert body["adoption"]["registered"] == 2
    assert client.get("/api/v1/dashboards/regions/34").status_code == 404
    assert client.get(f"/api/v1/dashboards/markets/{world.markets[1].slug}").status_code == 404


def test_empty_period_is_null_not_zero_and_bad_period_is_400(client, world):
    officer = factories.user(name="Petugas")
    OfficerAssignment.objects.create(user=officer, region=factories.region("32"))
    client.force_login(officer)
    body = client.get(
        f"/api/v1/dashboards/markets/{world.markets[0].slug}?periode=custom&dari=2020-01-01&sampai=2020-01-02"
    ).json()
    assert body["sales"] is None
    assert body["adoption"] is None
    bad = client.get(f"/api/v1/dashboards/markets/{world.markets[0].slug}?periode=custom&dari=x")
    assert bad.status_code == 400


def test_anonymous_is_401(client, world):
    assert client.get("/api/v1/dashboards/regions/32").status_code == 401
