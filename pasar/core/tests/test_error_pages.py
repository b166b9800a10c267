"""The 404 and 500 pages speak Indonesian inside the site's layout (not Django's raw English page)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from pasar.markets.models import MarketRole
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def test_an_unknown_market_gets_the_indonesian_404_in_the_layout(client):
    response = client.get("/harga/pasar-tidak-ada/")

    assert response.status_code == 404
    text = response.content.decode()
    assert "Halaman tidak ditemukan" in text
    assert 'class="top"' in text
    assert 'name="viewport"' in text
    assert "Not Found" not in text


def test_the_500_page_is_indonesian_in_the_layout_and_needs_no_context():
    with translation.override("id"):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    text = response.content.decode()
    assert "Terjadi kesalahan" in text
    assert 'class="top"' in text
    assert "icon.svg" in text


def test_a_nul_character_in_a_form_field_gets_the_400_page(client):
    operator = factories.user(name="Pengelola")
    MarketRole.objects.create(user=operator, market=factories.market(), role=MarketRole.Role.OPERATOR)
    client.force_login(operator)

    response = client.post("/dasbor/segarkan/", {"market": "\x00"})

    assert response.status_code == 400
    text = response.content.decode()
    assert "Permintaan tidak dapat dibaca" in text
    assert 'class="top"' in text


def test_a_nul_character_in_the_address_gets_the_400_page(client):
    assert client.get("/harga/", {"q": "bawang\x00"}).status_code == 400
    assert client.get("/harga/pasar%00/").status_code == 404  # no slug holds NUL: no view is reached


def test_an_uploaded_file_holding_nul_bytes_is_not_refused(client):
    upload = SimpleUploadedFile("foto.jpg", b"\xff\xd8\x00\x00", content_type="image/jpeg")
    response = client.post("/masuk/", {"photo": upload})

    assert response.status_code != 400
