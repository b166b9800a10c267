"""The pages: public boards, the operator's reference prices, the officer's flags."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pasar.pricing.models import CeilingBreach, ReferenceImport, ReferencePrice
from pasar.pricing.services import prices_aggregate_day
from pasar.testing import factories

pytestmark = pytest.mark.django_db
HEAD = "komoditas,het,berlaku mulai\n"


@pytest.fixture
def priced(market, other_market, roles):
    """Rawit in two stalls of ``market`` and one of ``other_market``, summarised for the last 3 days."""
    rawit = factories.commodity()
    products = [
        factories.product(stall=factories.stall(market=m), name="Cabe Rawit", unit="kg", price=p, commodity_obj=rawit)
        for m, p in ((market, 40_000), (market, 50_000), (other_market, 30_000))
    ]
    today = timezone.localdate()
    for back in (2, 1, 0):
        prices_aggregate_day(day=today - timedelta(days=back))
    return rawit, products


def test_market_board_shows_median_range_and_trend(client, market, priced, settings):
    settings.LANGUAGE_CODE = "en"
    response = client.get(f"/harga/{market.slug}/")

    assert response.status_code == 200
    html = response.text
    assert "Cabai Rawit Merah" in html
    assert "Rp45.000" in html  # median of 40,000 and 50,000
    assert "Rp40.000–Rp50.000" in html
    assert 'class="spark"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_board_without_data_says_no_data_not_zero(client, market, settings):
    response = client.get(f"/harga/{market.slug}/")

    assert response.status_code == 200
    assert 'id="no-data"' in response.text
    assert "Rp0" not in response.text


def test_board_of_a_day_without_data_says_no_data(client, market, priced):
    response = client.get(f"/harga/{market.slug}/?tanggal=2001-01-01")

    assert 'id="no-data"' in response.text


def test_region_and_installation_boards(client, market, priced):
    province = market.region.parent

    index = client.get("/harga/")
    regional = client.get(f"/harga/wilayah/{province.code}/")
    regency = client.get(f"/harga/wilayah/{market.region.code}/")

    assert index.status_code == regional.status_code == regency.status_code == 200
    assert "Rp37.500" in index.text  # mean of the provinces' 45,000 and 30,000
    assert "Rp45.000" in regional.text
    assert f"/harga/wilayah/{province.code}/" in index.text
    assert market.name in regency.text
    assert client.get("/harga/wilayah/99.99/").status_code == 404
    assert client.get("/harga/tidak-ada/").status_code == 404


def test_board_queries_do_not_grow_with_commodities(client, market, django_assert_max_num_queries):
    for index in range(12):
        commodity = factories.commodity(name=f"Komoditas {index}")
        factories.product(stall=factories.stall(market=market), unit="kg", price=1000 + index, commodity_obj=commodity)
    for back in range(5):
        prices_aggregate_day(day=timezone.localdate() - timedelta(days=back))

    with django_assert_max_num_queries(6):
        response = client.get(f"/harga/{market.slug}/")

    assert response.text.count('class="spark"') == 12


def _upload(client, market, content, kind="het", name="het.csv"):
    return client.post(
        f"/pengelola/{market.slug}/harga-acuan/", {"kind": kind, "file": SimpleUploadedFile(name, content.encode())}
    )


def test_operator_imports_a_ceiling_and_sees_the_stalls_above_it(client, market, roles, priced):
    rawit, _ = priced
    client.force_login(roles.operator)
    today = timezone.localdate()

    response = _upload(client, market, HEAD + f"Cabai Rawit Merah,45.000,{today - timedelta(days=3)}\n")

    upload = ReferenceImport.objects.get()
    assert response.status_code == 302
    assert not ReferencePrice.objects.exists()
    report = client.get(f"/pengelola/{market.slug}/harga-acuan/{upload.pk}/")
    assert 'id="ok-count">1<' in report.text
    confirm = client.post(f"/pengelola/{market.slug}/harga-acuan/{upload.pk}/konfirmasi/")
    assert confirm.status_code == 302
    assert ReferencePrice.objects.get().price == 45_000

    prices_aggregate_day(day=today)

    breach = CeilingBreach.objects.get()
    assert (breach.price, breach.ceiling) == (50_000, 45_000)
    page = client.get(f"/pengelola/{market.slug}/harga-acuan/")
    assert "Rp50.000" in page.text
    assert 'id="breaches"' in page.text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("nama,harga\nCabai Rawit Merah,45000\n", "Columns missing"),
        (HEAD + "Cabai Rawit Merah,45000,2025-01-01\nDurian Montong,90000,2025-01-01\n", "Unknown commodity"),
        (HEAD + "Cabai Rawit Merah,empat puluh,2025-01-01\n", "is not a price"),
        (HEAD + "Cabai Rawit Merah,45000,2025-01-01\ncabe rawit,46000,2025-01-01\n", "Same commodity and day as row 2"),
        (HEAD + "Cabai Rawit Merah,0,2025-01-01\n", "ceiling price of 0"),
        (HEAD + "Cabai Rawit Merah,45000,kemarin\n", "is not a date"),
    ],
)  # fmt: skip
def test_bad_reference_files_are_reported_and_nothing_is_imported(client, market, roles, settings, content, reason):
    settings.LANGUAGE_CODE = "en"
    factories.commodity()
    client.force_login(roles.operator)

    response = _upload(client, market, content)
    if response.status_code == 302:
        upload = ReferenceImport.objects.get()
        response = client.get(response["Location"])
        confirm = client.post(f"/pengelola/{market.slug}/harga-acuan/{upload.pk}/konfirmasi/", follow=True)
        assert "Nothing was imported" in confirm.text
        assert ReferenceImport.objects.get().status == ReferenceImport.Status.PENDING

    assert reason in response.text
    assert not ReferencePrice.objects.exists()


def test_operator_cannot_import_into_another_market(client, other_market, roles):
    factories.commodity()
    client.force_login(roles.operator)

    response = _upload(client, other_market, HEAD + "Cabai Rawit Merah,45000,2025-01-01\n")

    assert response.status_code == 404
    assert not ReferenceImport.objects.exists()


def test_an_upload_is_confirmed_only_by_its_uploader_in_its_market(client, market, roles):
    factories.commodity()
    client.force_login(roles.operator)
    _upload(client, market, HEAD + "Cabai Rawit Merah,45000,2025-01-01\n")
    upload = ReferenceImport.objects.get()
    client.force_login(roles.other_operator)

    response = client.post(f"/pengelola/{market.slug}/harga-acuan/{upload.pk}/konfirmasi/")

    assert response.status_code == 404
    assert not ReferencePrice.objects.exists()


def test_officer_reads_flags_of_own_province_only(client, market, other_market, roles, priced):
    client.force_login(roles.officer)  # assigned to market's province (32), not other_market's (34)

    own = client.get(f"/dinas/harga/{market.slug}/")
    other = client.get(f"/dinas/harga/{other_market.slug}/")
    overview = client.get("/dinas/harga/")

    assert own.status_code == 200
    assert other.status_code == 404
    assert overview.status_code == 200


def test_non_officers_get_no_officer_page(client, roles):
    client.force_login(roles.operator)

    assert client.get("/dinas/harga/").status_code == 404


def test_a_national_ceiling_is_listed_on_the_operators_reference_page(client, market, roles, priced):
    """The demo's Minyakita HET is national (no market): the page listed its breaches but said none was imported."""
    rawit, _ = priced
    ReferencePrice.objects.create(
        kind=ReferencePrice.Kind.CEILING, market=None, commodity=rawit, unit="kg", price=45_000,
        valid_from=timezone.localdate() - timedelta(days=30),
    )  # fmt: skip
    client.force_login(roles.operator)

    page = client.get(f"/pengelola/{market.slug}/harga-acuan/")

    assert "Rp45.000" in page.text
    assert "No ceiling imported." not in page.text
    assert "Belum ada HET yang diimpor." not in page.text
