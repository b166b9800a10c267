"""The 404 and 500 pages speak Indonesian inside the site's layout (not Django's raw English page)."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

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
