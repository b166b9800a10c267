from datetime import timedelta

import pytest
from django.utils import timezone

from pasar.pricing.services import prices_aggregate_day
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(market):
    rawit = factories.commodity()
    product = factories.product(
        stall=factories.stall(market=market), name="Rawit", unit="kg", price=40_000, commodity_obj=rawit
    )
    today = timezone.localdate()
    prices_aggregate_day(day=today - timedelta(days=1))
    product.price = 44_000
    product.save()
    prices_aggregate_day(day=today)
    return today


def test_market_prices(client, market, priced):
    body = client.get(f"/api/v1/prices/markets/{market.slug}").json()

    assert body["date"] == priced.isoformat()
    (item,) = body["items"]
    assert (item["commodity"], item["price"], item["count"], item["unit"]) == ("Cabai Rawit Merah", 44_000, 1, "kg")
    assert item["change_day"] == pytest.approx(10.0)
    assert item["change_week"] is None
    assert item["trend"][-2:] == [40_000, 44_000]
    assert item["trend"][0] is None


def test_region_and_installation_prices(client, market, priced):
    regency = client.get(f"/api/v1/prices/regions/{market.region.code}").json()
    everything = client.get("/api/v1/prices").json()

    assert regency["items"][0]["price"] == everything["items"][0]["price"] == 44_000


def test_no_data_is_null_not_zero(client, market):
    assert client.get(f"/api/v1/prices/markets/{market.slug}").json() == {"date": None, "items": []}
    assert client.get(f"/api/v1/prices/markets/{market.slug}?date=2001-01-01").json()["items"] == []


def test_unknown_and_malformed(client):
    assert client.get("/api/v1/prices/markets/tidak-ada").status_code == 404
    assert client.get("/api/v1/prices/regions/99.99").status_code == 404
    assert client.get("/api/v1/prices/regions/abc").status_code == 422
    assert client.get("/api/v1/prices?date=kemarin").status_code == 422
