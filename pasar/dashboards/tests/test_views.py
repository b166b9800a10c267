import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pasar.accounts.models import OfficerAssignment
from pasar.dashboards.aggregation import aggregate_day
from pasar.dashboards.tests import builders
from pasar.testing import factories
from pasar.traders.models import Trader


@pytest.fixture
def province_data(db):
    """Two markets in kab/kota 32.73, one in 32.04 (same province 32), one in province 34; a week of orders."""
    rng = random.Random(5)
    world = builders.world(rng, markets=4, stalls=2, regency_codes=("32.73", "32.73", "32.04", "34.71"))
    today = timezone.localdate()
    days = builders.day_list(today - timedelta(days=6), 7)
    builders.orders(rng, world, days=days, n=40)
    for day in days:
        aggregate_day(day)
    return world


def officer_of(code):
    officer = factories.user(name=f"Petugas {code}")
    OfficerAssignment.objects.create(user=officer, region=factories.region(code))
    return officer


def test_province_officer_sees_kab_kota_breakdown_and_drills_down(client, province_data):
    client.force_login(officer_of("32"))
    response = client.get("/dinas/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/dinas/wilayah/32/"
    assert "Kota 32.73" in page
    assert "Kota 32.04" in page
    assert "Kota 34.71" not in page
    assert "<svg" in page

    page = client.get("/dinas/wilayah/32.73/").content.decode()
    names = [m.name for m in province_data.markets]
    assert names[0] in page
    assert names[1] in page
    assert names[2] not in page

    market = province_data.markets[0]
    assert client.get(f"/dinas/pasar/{market.slug}/").status_code == 200
    stall = province_data.stalls[0]
    assert client.get(f"/dinas/lapak/{stall.pk}/").status_code == 200


def test_officer_of_one_province_is_refused_another(client, province_data):
    client.force_login(officer_of("32"))
    other = province_data.markets[3]
    assert client.get("/dinas/wilayah/34/").status_code == 404
    assert client.get("/dinas/wilayah/34.71/").status_code == 404
    assert client.get(f"/dinas/pasar/{other.slug}/").status_code == 404
    other_stall = next(s for s in province_data.stalls if s.market_id == other.pk)
    assert client.get(f"/dinas/lapak/{other_stall.pk}/").status_code == 404


def test_kab_kota_officer_sees_only_their_kab_kota(client, province_data):
    client.force_login(officer_of("32.73"))
    assert client.get("/dinas/wilayah/32/").status_code == 404
    assert client.get("/dinas/wilayah/32.04/").status_code == 404
    assert client.get(f"/dinas/pasar/{province_data.markets[2].slug}/").status_code == 404
    assert client.get(f"/dinas/pasar/{province_data.markets[0].slug}/").status_code == 200


def test_a_period_without_data_says_so(client, province_data):
    client.force_login(officer_of("32"))
    page = client.get("/dinas/wilayah/32/?periode=custom&dari=2020-01-01&sampai=2020-01-31").content.decode()
    assert "belum ada data" in page.lower()
    assert "Rp0" not in page


def test_bad_custom_period_is_explained_and_falls_back(client, province_data):
    client.force_login(officer_of("32"))
    page = client.get("/dinas/wilayah/32/?periode=custom&dari=2025-02-10&sampai=2025-01-01").content.decode()
    assert "must not be after its end" in page or "tidak boleh" in page
    assert client.get("/dinas/wilayah/32/?periode=custom&dari=kemarin").status_code == 200


def test_trained_but_never_live_list(client, market, roles):
    quiet = factories.stall(market=market)
    Trader.objects.filter(pk=quiet.trader_id).update(status=Trader.Status.TRAINED)
    busy = factories.stall(market=market)
    Trader.objects.filter(pk=busy.trader_id).update(status=Trader.Status.TRAINED)
    product = factories.product(stall=busy)
    product.price_updated_at = timezone.now()
    product.save()
    client.force_login(roles.officer)

    page = client.get(f"/dinas/pasar/{market.slug}/").content.decode()

    assert quiet.trader.user.name in page
    listed = page.split('id="trained-not-live"')[-1]
    assert quiet.name in listed
    assert busy.name not in listed


def test_operator_dashboard_and_day(client, market, roles):
    client.force_login(roles.operator)
    assert client.get(f"/pengelola/{market.slug}/dasbor/").status_code == 200
    page = client.get(f"/pengelola/{market.slug}/hari-ini/").content.decode()
    assert f"/pengelola/{market.slug}/antrian/" in page


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_data(client):
    """The same pages over 1 market/1 day and over 6 markets/7 days cost the same number of queries."""
    counts = []
    for size in (1, 6):
        rng = random.Random(size)
        code = f"3{size}.01"
        world = builders.world(rng, markets=size, stalls=size, regency_codes=(code,))
        today = timezone.localdate()
        for day in builders.day_list(today - timedelta(days=size), size + 1):
            builders.orders(rng, world, days=[day], n=3 * size)
            aggregate_day(day, [m.pk for m in world.markets])
        client.force_login(officer_of(code.split(".")[0]))
        paths = [f"/dinas/wilayah/{code.split('.')[0]}/", f"/dinas/wilayah/{code}/"]
        paths.append(f"/dinas/pasar/{world.markets[0].slug}/")
        counts.append([_queries(client, p) for p in paths])
    assert counts[0] == counts[1]
    assert max(counts[1]) <= 14
