"""Choosing and changing one's PIN; the first PIN an operator chose must be replaced before anything else."""

import pytest
from django.urls import reverse

from pasar.accounts.models import User
from pasar.testing import factories

pytestmark = pytest.mark.django_db
PIN_URL = "/akun/pin/"


def test_a_user_changes_their_pin(client):
    user = factories.user()
    client.force_login(user)
    assert client.get(PIN_URL).status_code == 200
    response = client.post(
        PIN_URL, {"old_password": factories.PASSWORD, "new_password1": "583920", "new_password2": "583920"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("583920")
    assert client.get(reverse("notifications:inbox")).status_code == 200  # still logged in


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [("salah", "583920", "old_password"), (factories.PASSWORD, "123456", "new_password2"),
     (factories.PASSWORD, "12345", "new_password2"), (factories.PASSWORD, "password", "new_password2")],
)  # fmt: skip
def test_a_wrong_current_pin_or_an_easy_new_one_is_a_field_error(client, old, new, field):
    user = factories.user()
    client.force_login(user)
    response = client.post(PIN_URL, {"old_password": old, "new_password1": new, "new_password2": new})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)


def test_an_operator_chosen_pin_must_be_replaced_first(client):
    user = factories.user(must_change_password=True)
    client.force_login(user)
    page = client.get("/pesanan/")
    assert page.status_code == 302
    assert page["Location"] == f"{PIN_URL}?next=%2Fpesanan%2F"
    assert client.get("/api/v1/orders").status_code == 403
    form = client.get(PIN_URL)
    assert "old_password" not in form.context["form"].fields  # they just typed it at login
    done = client.post(PIN_URL, {"new_password1": "583920", "new_password2": "583920", "next": "/pesanan/"})
    assert done["Location"] == "/pesanan/"
    user.refresh_from_db()
    assert (user.must_change_password, user.check_password("583920")) == (False, True)
    assert client.get("/pesanan/").status_code == 200


def test_logging_out_stays_possible_before_choosing(client):
    client.force_login(factories.user(must_change_password=True))
    assert client.post("/akun/keluar/").status_code == 302


def test_an_unsafe_next_is_ignored(client):
    user = factories.user(must_change_password=True)
    client.force_login(user)
    done = client.post(PIN_URL, {"new_password1": "583920", "new_password2": "583920", "next": "https://evil.example/"})
    assert done["Location"] == reverse("my-page")
    assert User.objects.get(pk=user.pk).must_change_password is False
