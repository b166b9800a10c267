"""Operator screens: registration, status, import; other markets and other roles get 404 and change nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pasar.accounts.models import User
from pasar.catalog.models import Commodity, Product
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


def form_data(**changes):
    data = {
        "name": "Bu Euis",
        "phone": "0812-7777-0001",
        "consent": "on",
        "block": "B",
        "row": "2",
        "number": "5",
        "kind": "kios",
        "category": str(Category.objects.get(slug="sayur").pk),
        "stall_name": "",
        "products-TOTAL_FORMS": "5",
        "products-INITIAL_FORMS": "0",
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "5",
    }
    return data | changes


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def operator_client(client, roles):
    client.force_login(roles.operator)
    return client


def test_register_page_renders_for_the_operator(operator_client, market, vocabulary):
    response = operator_client.get(url("register", market))
    assert response.status_code == 200
    assert b'name="products-4-price"' in response.content
    assert "Cabai Rawit Merah" in response.text


def test_register_success_shows_the_pin_once(operator_client, market, vocabulary, roles):
    rawit = Commodity.objects.get(name="Cabai Rawit Merah")
    data = form_data(
        **{
            "products-0-commodity": str(rawit.pk),
            "products-0-price": "Rp 60.000",
            "products-1-name": "Kangkung",
            "products-1-unit": "ikat",
            "products-1-price": "3.000",
        }
    )
    response = operator_client.post(url("register", market), data)
    assert response.status_code == 200
    pin = found(r'id="login-pin"[^>]*>(\d{6})<', response.text)
    assert "0812-7777-0001" in response.text
    assert response.headers["Cache-Control"].startswith("max-age=0")
    stall = Stall.objects.get(market=market, number="5")
    assert (stall.trader.user.phone, stall.kind, stall.block, stall.row) == ("+6281277770001", "kios", "B", "2")
    assert stall.trader.user.check_password(pin)
    assert stall.trader.registered_by == roles.operator
    assert list(stall.products.order_by("pk").values_list("name", "unit", "price")) == [
        ("Cabai Rawit Merah", "kg", 60000),
        ("Kangkung", "ikat", 3000),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "0812"}, "phone", "Not a valid Indonesian phone number (e.g. 0812-3456-7890)."),
        ({"consent": ""}, "consent", "Ask the trader first: their consent must be recorded."),
        ({"number": ""}, "number", "This field is required."),
        ({"name": ""}, "name", "This field is required."),
        (
            {"products-0-name": "Bayam", "products-0-unit": "ikat", "products-0-price": "12,50"},
            "products-0-price",
            "Write the price in whole rupiah, e.g. 12500 or 12.500.",
        ),
        ({"products-0-name": "Bayam", "products-0-price": "3000"}, "products-0-unit", "Choose a unit."),
        ({"products-0-price": "3000"}, "products-0-name", "Pick a commodity or type a product name."),
    ],
)
def test_register_errors_are_shown_per_field_and_nothing_is_written(
    operator_client, market, vocabulary, changes, field, message
):
    before = counts()
    response = operator_client.post(url("register", market), form_data(**changes))
    assert response.status_code == 200
    assert f'id="id_{field}-errors"><li>{message}</li>' in response.text
    assert "Nothing was saved" in response.text
    assert counts() == before


def test_register_taken_stall_shows_the_service_message(operator_client, market, vocabulary):
    operator_client.post(url("register", market), form_data())
    before = counts()
    response = operator_client.post(url("register", market), form_data(phone="0812-7777-0002"))
    assert 'id="id_number-errors"><li>This stall location is already registered.</li>' in response.text
    assert counts() == before


def test_accepts_every_common_phone_spelling(operator_client, market, vocabulary):
    for number, phone in enumerate(["0812-7777-0001", "6281277770002", "+62 812 7777 0003"], start=1):
        operator_client.post(url("register", market), form_data(phone=phone, number=str(number)))
    assert sorted(Stall.objects.filter(market=market, block="B").values_list("trader__user__phone", flat=True)) == [
        "+6281277770001",
        "+6281277770002",
        "+6281277770003",
    ]


def post_everywhere(client, market, stall, trader_import_pk):
    """Every write endpoint of ``market``, each must answer 404 or a login redirect."""
    upload = SimpleUploadedFile("a.csv", CSV)
    return [
        client.get(url("operator-market", market)),
        client.post(url("register", market), form_data()),
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
    assert [r.status_code for r in responses] == [404] * 6
    assert counts() == before
    assert Trader.objects.get(pk=stall.trader.pk).status == "terdata"
    assert TraderImport.objects.get(pk=pending_import.pk).status == "pending"


def test_anonymous_is_sent_to_login(client, roles, market, stall, pending_import):
    before = counts()
    responses = post_everywhere(client, market, stall, pending_import.pk)
    assert [r.status_code for r in responses] == [302] * 6
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
    assert url("register", market) in page.text
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


def test_one_submit_shows_person_and_product_errors_together(operator_client, market, vocabulary):
    data = form_data(phone="0812", **{"products-2-name": "Bayam", "products-2-unit": "ikat", "products-2-price": "x"})
    response = operator_client.post(url("register", market), data)
    assert 'id="id_phone-errors"' in response.text
    assert 'id="id_products-2-price-errors"' in response.text
