import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pasar.regions.models import Region

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions"


@pytest.fixture
def client(client, settings):
    """A client that chose English (the site answers in Indonesian unless a visitor picks a language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def jabar(db):
    province = Region.objects.create(code="32", name="Jawa Barat", level=1, kind="provinsi")
    bandung = Region.objects.create(code="32.73", name="Kota Bandung", level=2, kind="kota", parent=province)
    Region.objects.create(code="32.04", name="Kabupaten Bandung", level=2, kind="kabupaten", parent=province)
    Region.objects.create(code="32.73.01", name="Sukasari", level=3, kind="kecamatan", parent=bandung)
    Region.objects.create(code="32.73.02", name="Coblong", level=3, kind="kecamatan", parent=bandung)
    return province


def test_without_parent_lists_provinces_by_name(client, jabar):
    Region.objects.create(code="11", name="Aceh", level=1, kind="provinsi")

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == [
        {"code": "11", "name": "Aceh", "level": 1, "kind": "provinsi"},
        {"code": "32", "name": "Jawa Barat", "level": 1, "kind": "provinsi"},
    ]


def test_empty_parent_means_provinces_as_a_form_sends_it(client, jabar):
    response = client.get(URL, {"parent": ""})

    assert response.json() == [{"code": "32", "name": "Jawa Barat", "level": 1, "kind": "provinsi"}]


def test_parent_province_lists_its_kab_kota(client, jabar):
    response = client.get(URL, {"parent": "32"})

    assert response.json() == [
        {"code": "32.04", "name": "Kabupaten Bandung", "level": 2, "kind": "kabupaten"},
        {"code": "32.73", "name": "Kota Bandung", "level": 2, "kind": "kota"},
    ]


def test_parent_kab_kota_lists_its_kecamatan(client, jabar):
    response = client.get(URL, {"parent": "32.73"})

    assert response.json() == [
        {"code": "32.73.02", "name": "Coblong", "level": 3, "kind": "kecamatan"},
        {"code": "32.73.01", "name": "Sukasari", "level": 3, "kind": "kecamatan"},
    ]


@pytest.mark.parametrize("extra", [0, 20])
def test_query_count_does_not_grow_with_the_list(client, jabar, django_assert_num_queries, extra):
    for n in range(extra):
        Region.objects.create(code=f"{50 + n}", name=f"Provinsi {n}", level=1, kind="provinsi")
        Region.objects.create(code=f"32.{50 + n}", name=f"Kota {n}", level=2, kind="kota", parent=jabar)

    with django_assert_num_queries(1):
        assert len(client.get(URL).json()) == 1 + extra
    with django_assert_num_queries(2):  # the parent, then its children
        assert len(client.get(URL, {"parent": "32"}).json()) == 2 + extra


def test_unknown_parent_is_422_and_only_reads(client, jabar):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"parent": "99"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"type": "unknown_region", "loc": ["query", "parent"], "msg": "No region has this code."}]
    }
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]


@pytest.mark.parametrize("parent", ["jabar", "32.", "3", "32.73.01.01", "32\x00"])
def test_malformed_parent_is_422_without_a_query(client, django_assert_num_queries, parent):
    with django_assert_num_queries(0):
        response = client.get(URL, {"parent": parent})

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert issue["loc"] == ["query", "parent"]
    assert issue["type"] == "string_pattern_mismatch"
