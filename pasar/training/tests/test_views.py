import pytest

from pasar.testing import factories
from pasar.traders.models import Trader
from pasar.training.models import Attendance, TrainingEvent

FORM = {"date": "2025-03-01", "place": "Balai pasar", "topic": "Foto produk", "organiser_kind": "mitra"}


@pytest.mark.django_db
def test_operator_records_an_event_and_ticks_attendance_without_js(client, market, roles, stall):
    client.force_login(roles.operator)
    response = client.post(f"/pengelola/{market.slug}/pelatihan/", FORM)
    event = TrainingEvent.objects.get()
    assert response["Location"] == f"/pelatihan/{event.pk}/"
    assert event.market == market

    page = client.get(f"/pelatihan/{event.pk}/").content.decode()
    assert stall.trader.user.name in page
    client.post(f"/pelatihan/{event.pk}/", {"shown": [stall.trader_id], "present": [stall.trader_id]})

    assert Attendance.objects.filter(event=event, trader=stall.trader).exists()
    assert Trader.objects.get(pk=stall.trader_id).status == Trader.Status.TRAINED


@pytest.mark.django_db
def test_search_narrows_the_trader_list(client, market, roles, stall):
    other = factories.stall(market=market, trader_obj=factories.trader(name="Bu Tini"))
    event = TrainingEvent.objects.create(
        date="2025-03-01", place="Balai", topic="QRIS", organiser_kind="bank", market=market, created_by=roles.operator
    )
    client.force_login(roles.operator)
    page = client.get(f"/pelatihan/{event.pk}/?q=tini").content.decode()
    assert other.trader.user.name in page
    assert stall.trader.user.name not in page


@pytest.mark.django_db
def test_officer_records_a_region_event_and_another_province_cannot_see_it(client, market, roles):
    client.force_login(roles.officer)
    response = client.post("/dinas/pelatihan/", {**FORM, "scope": f"r:{market.region.parent.code}"})
    event = TrainingEvent.objects.get()
    assert response.status_code == 302
    assert event.region == market.region.parent

    stranger = factories.user(name="Petugas lain")
    from pasar.accounts.models import OfficerAssignment

    OfficerAssignment.objects.create(user=stranger, region=factories.region("34"))
    client.force_login(stranger)
    assert client.get(f"/pelatihan/{event.pk}/").status_code == 404
    assert event.topic not in client.get("/dinas/pelatihan/").content.decode()


@pytest.mark.django_db
def test_invalid_event_form_shows_errors_and_writes_nothing(client, market, roles):
    client.force_login(roles.operator)
    response = client.post(f"/pengelola/{market.slug}/pelatihan/", {**FORM, "date": "besok"})
    assert response.status_code == 200
    assert not TrainingEvent.objects.exists()
