"""Random strings in every field of every role's forms and JSON writes: a refusal or a field error, never a 500.

The rows are the authorization matrix's (``test_authorization.ROWS``): each POST/PUT row is sent as the first
role allowed to use it, with one field (a field of the matrix's data or any ``name=`` on the page's own form)
replaced by text hypothesis draws, or by one of the inputs that once broke a form (``²`` passes
``str.isdigit()`` and fails ``int()``; 25 nines overflow SQLite's integer). The Django test client
re-raises a view's exception, so a 500 fails the example with its traceback.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pasar.core.tests.test_authorization import ROLES, ROWS, Row, form_data, objects, send  # noqa: F401

REFUSED = {"login", "401", "404", "405"}
NASTY = [
    "²", "³5", "٣", "１２", "9" * 25, "9" * 5000, "-1", "-0", "1e9", "1E400", "NaN", "inf", "-inf", "0x10", "1_000",
    "1,5", "1.5", "12.50", " ", "", "\x00", "0" * 40, "=1+1", "null", "true", "[]", "{}", "2026-02-30", "25:61",
]  # fmt: skip
VALUES = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


def _first_allowed(row: Row) -> str | None:
    for role, outcome in zip(ROLES, row.expected.split(), strict=True):
        if outcome not in REFUSED:
            return role
    return None


WRITES = [
    pytest.param(row, role, id=f"{row.method} {row.path} {role}")
    for row in ROWS
    if row.method in ("POST", "PUT") and (role := _first_allowed(row)) is not None
]
_FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


def _field_names(client, path: str, data: dict[str, object]) -> list[str]:
    names = set(data)
    if not path.startswith("/api/"):
        page = client.get(path)
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            names |= set(_FIELD.findall(page.content.decode()))
    return sorted(names - SKIPPED_FIELDS)


def test_every_write_of_the_matrix_is_fuzzed():
    assert len(WRITES) >= 40


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), WRITES)
def test_random_strings_in_any_field_never_give_a_500(client, roles, objects, row, role):  # noqa: F811
    user = roles.as_dict()[role]
    if user is not None:
        client.force_login(user)
    path = row.path.format(**objects)
    names = _field_names(client, path, form_data(row, objects))
    if not names:
        names = ["x"]

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(name=st.sampled_from(names), value=VALUES, second=st.sampled_from(names), other=VALUES)
    def fuzz(name, value, second, other):
        data = form_data(row, objects)  # fresh uploads each time: a file is read once
        data[name] = value
        data[second] = other
        response = send(client, row.method, path, data)
        assert response.status_code < 500

    fuzz()
