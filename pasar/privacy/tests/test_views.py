"""The notice, "Data saya" and the admin's inbox of requests; the audit log of staff pages."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pasar.accounts.models import Consent, PersonalDataAccess
from pasar.orders.models import Order
from pasar.orders.tests import staff_scenarios
from pasar.privacy.models import DataRequest
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_client(client):
    user = factories.user(name="Dewi Lestari", phone="+6281377778888")
    client.force_login(user)
    client.user = user
    return client


def test_the_notice_is_public_in_indonesian_and_linked_from_every_footer(client):
    notice = client.get("/privasi/")
    assert notice.status_code == 200
    body = notice.content.decode()
    assert "Pemberitahuan Privasi Pasar Daring" in body
    assert "3 × 24 jam" in body
    for page in ["/", "/akun/masuk/", "/harga/", "/tentang/"]:
        assert 'href="/privasi/"' in client.get(page).content.decode(), page


def test_registration_shows_the_notice_and_records_the_consent(client, roles, market, vocabulary):
    client.force_login(roles.operator)
    form = client.get(f"/pengelola/{market.slug}/daftar/").content.decode()
    assert 'id="consent-notice"' in form
    assert 'href="/privasi/"' in form
    from pasar.traders.services import Registration, StallInput, trader_register

    stall = StallInput(market=market, category=factories.category(), number="9")
    result = trader_register(data=Registration(name="Bu Euis", phone="0812-7777-0009", stall=stall, consent=True),
                             by=roles.operator)  # fmt: skip
    consent = Consent.objects.get(user=result.trader.user)
    assert (consent.how, consent.recorded_by, consent.version) == ("operator", roles.operator, "2026-12-03")


def test_my_data_needs_a_login(client):
    assert client.get("/akun/data/")["Location"].startswith("/akun/masuk/")
    assert client.get("/akun/data/unduh.json")["Location"].startswith("/akun/masuk/")


def test_download_everything_as_json_and_csv(buyer_client, market, product):
    order = staff_scenarios.place(market=market, items=[(product, "2")], buyer=buyer_client.user)
    response = buyer_client.get("/akun/data/unduh.json")
    assert response["Content-Disposition"].startswith('attachment; filename="data-saya-')
    data = json.loads(response.content)
    assert data["account"][0]["phone"] == "+6281377778888"
    assert [o["number"] for o in data["orders"]] == [order.number]
    assert data["orders"][0]["address"] == "Jl. Cihapit 1"
    assert data["order_lines"][0]["name"] == product.name
    rows = list(csv.reader(io.StringIO(buyer_client.get("/akun/data/unduh.csv").content.decode())))
    assert rows[0] == ["section", "record", "field", "value"]
    assert ["account", "1", "name", "Dewi Lestari"] in rows
    assert ["orders", "1", "number", order.number] in rows
    assert ["account", "1", "phone", "'+6281377778888"] in rows  # inert in a spreadsheet
    assert DataRequest.objects.filter(user=buyer_client.user, kind="access", status="done").count() == 2


def test_a_formula_in_ones_own_name_is_inert_in_the_csv(buyer_client):
    buyer_client.post("/akun/data/ubah/", {"name": '=HYPERLINK("http://evil.example")', "email": ""})
    rows = list(csv.reader(io.StringIO(buyer_client.get("/akun/data/unduh.csv").content.decode())))
    assert ["account", "1", "name", '\'=HYPERLINK("http://evil.example")'] in rows


def test_correct_name_and_email(buyer_client):
    ok = buyer_client.post("/akun/data/ubah/", {"name": "Dewi L.", "email": "dewi@example.id"})
    assert ok.status_code == 302
    buyer_client.user.refresh_from_db()
    assert (buyer_client.user.name, buyer_client.user.email) == ("Dewi L.", "dewi@example.id")
    for bad in [{"name": "  ", "email": ""}, {"name": "x" * 121, "email": ""}, {"name": "Dewi", "email": "bukan"}]:
        refused = buyer_client.post("/akun/data/ubah/", bad)
        assert refused.status_code == 400
        buyer_client.user.refresh_from_db()
        assert buyer_client.user.name == "Dewi L."


def test_ask_for_deletion_needs_a_tick_and_opens_one_request_with_the_clock(buyer_client):
    refused = buyer_client.post("/akun/data/permintaan/", {"kind": "deletion"})
    assert refused.status_code == 400
    assert not DataRequest.objects.exists()
    for _ in range(2):
        assert buyer_client.post("/akun/data/permintaan/", {"kind": "deletion", "confirm": "on"}).status_code == 302
    request = DataRequest.objects.get()
    assert (request.kind, request.status) == ("deletion", "open")
    assert request.due_at - request.created_at == timedelta(hours=72)
    page = buyer_client.get("/akun/data/").content.decode()
    assert 'id="data-requests"' in page
    for bad in [{"kind": "correction"}, {"kind": "hapus-semua"}, {"kind": "correction", "detail": "x" * 1001}]:
        assert buyer_client.post("/akun/data/permintaan/", bad).status_code == 400
    assert DataRequest.objects.count() == 1


def test_give_and_withdraw_consent(buyer_client):
    buyer_client.post("/akun/data/persetujuan/", {"action": "give"})
    consent = Consent.objects.get(user=buyer_client.user)
    assert (consent.how, consent.withdrawn_at) == ("web", None)
    buyer_client.post("/akun/data/persetujuan/", {"action": "withdraw"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert DataRequest.objects.get(user=buyer_client.user).kind == "withdrawal"
    assert buyer_client.post("/akun/data/persetujuan/", {"action": "lain"}).status_code == 302
    assert Consent.objects.count() == 1


def test_the_admin_inbox_shows_the_clock_and_erases(client, market):
    admin = factories.user(is_staff=True, is_superuser=True)
    person = factories.user(name="Rudi Hartono")
    late = DataRequest.objects.create(user=person, kind="deletion", created_at=timezone.now() - timedelta(hours=80),
                                      due_at=timezone.now() - timedelta(hours=8))  # fmt: skip
    client.force_login(admin)
    inbox = client.get("/admin/privacy/datarequest/").content.decode()
    assert "terlambat 8 jam" in inbox
    done = client.post("/admin/privacy/datarequest/", {"action": "erase_person", "_selected_action": [late.pk]})
    assert done.status_code == 302
    late.refresh_from_db()
    person.refresh_from_db()
    assert late.status == "done"
    assert person.name.startswith("Pengguna terhapus")


def test_staff_pages_with_personal_data_are_logged(client, market, product, roles):
    order = staff_scenarios.place(market=market, items=[(product, "1")], buyer=roles.buyer)
    part = order.parts.get()
    client.force_login(roles.operator)
    assert client.get(f"/pengelola/{market.slug}/pesanan/").status_code == 200
    assert client.get(f"/pengelola/{market.slug}/pesanan/", HTTP_HX_REQUEST="true").status_code == 200
    assert client.get(f"/pengelola/{market.slug}/").status_code == 200
    trader = Client()
    trader.force_login(roles.trader)
    assert trader.get(f"/pedagang/pesanan/{part.pk}/").status_code == 200
    rows = list(PersonalDataAccess.objects.order_by("pk").values_list("actor", "action", "what", "subject"))
    assert rows == [
        (roles.operator.pk, "view", f"market orders slug={market.slug}", None),
        (roles.operator.pk, "view", f"traders of market slug={market.slug}", None),
        (roles.trader.pk, "view", f"trader order part part_id={part.pk}", roles.buyer.pk),
    ]
    # The buyer sees who looked at their data (when and which page), in "Data saya" and in the download.
    me = Client()
    me.force_login(roles.buyer)
    assert me.get("/akun/data/unduh.json").json()["viewed_by_staff"][0]["what"].startswith("trader order part")
    assert Order.objects.count() == 1


def test_the_audit_log_is_read_only_in_the_admin(client):
    admin = factories.user(is_staff=True, is_superuser=True)
    PersonalDataAccess.objects.create(actor=admin, action="view", what="x")
    client.force_login(admin)
    assert client.get("/admin/accounts/personaldataaccess/").status_code == 200
    assert client.get("/admin/accounts/personaldataaccess/add/").status_code == 403
