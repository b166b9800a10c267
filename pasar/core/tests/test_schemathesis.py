"""Schemathesis against /api/v1/openapi.json: no 500 and every answer as the schema documents it.

Bounded for CI: a few generated requests per operation, in-process over WSGI on the test database (the
schemathesis pytest plugin's lazy fixtures do not run on this pytest, so each operation's strategy is
drawn here). A market with a stall and products exists, so lookups find something as well as 404s; the
session endpoints answer 401 (documented) to an anonymous client.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from pasar.testing import factories

EXAMPLES = 6
# "Schema-valid request rejected": a well-formed code of a region that does not exist is a 422
# (`unknown_region`, documented), which this check would count as a failure. Server errors, status codes,
# content types, response bodies and headers are all checked.
EXCLUDED = [positive_data_acceptance]
PLAIN = {"Accept-Encoding": "identity"}  # the WSGI transport does not undo GZipMiddleware's compression


@pytest.fixture
def api_schema(db, market, product):
    factories.product(stall=product.stall, name="Bayam", unit="ikat", price=2500)
    # The WSGI handler closes the connection around each request (as Django's test client prevents too):
    # the test database lives in this test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_api_answers_as_documented(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    failures = []
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=PLAIN, excluded_checks=EXCLUDED)

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # every operation's failures, reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
