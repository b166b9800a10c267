"""The complaints API: the same flow and refusals as the pages, in the OpenAPI schema."""

import pytest

from pasar.complaints.models import Complaint
from pasar.complaints.tests.scenario import delivered
from pasar.payments.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def d(market):
    return delivered(market)


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_complain_disagree_decide_over_json(client, d):
    client.force_login(d.buyer)
    body = {"line_id": d.line.pk, "reason": "short", "remedy": "refund_part", "amount": 3000}

    opened = post(client, f"/api/v1/orders/{d.order.number}/complaints", body)
    again = post(client, f"/api/v1/orders/{d.order.number}/complaints", body)

    assert opened.status_code == 200
    assert again.json()["id"] == opened.json()["id"]
    cid = opened.json()["id"]
    assert opened.json()["state"] == "open"
    assert opened.json()["amount_asked"] == 3000
    assert [c["id"] for c in client.get(f"/api/v1/orders/{d.order.number}/complaints").json()] == [cid]

    client.force_login(d.other_trader)
    assert post(client, f"/api/v1/trader/complaints/{cid}/answer", {"agree": True}).status_code == 404
    client.force_login(d.trader)
    answered = post(client, f"/api/v1/trader/complaints/{cid}/answer", {"agree": False, "note": "Pas"})
    assert answered.json()["state"] == "disagreed"

    client.force_login(d.operator)
    slug = d.order.market.slug
    too_much = post(client, f"/api/v1/operator/markets/{slug}/complaints/{cid}/decide", {"amount": 10001})
    assert (too_much.status_code, too_much.json()["code"]) == (400, "refund_above_paid")
    decided = post(client, f"/api/v1/operator/markets/{slug}/complaints/{cid}/decide", {"amount": 1500})
    assert decided.status_code == 200
    assert (decided.json()["state"], decided.json()["refund_amount"], decided.json()["refund_method"]) == (
        "decided",
        1500,
        "credit",
    )
    assert Entry.objects.filter(kind=Entry.Kind.REFUND).count() == 1
    assert client.get(f"/api/v1/operator/markets/{slug}/complaints").json()[0]["refund_amount"] == 1500


def test_another_buyer_gets_404_and_nothing_is_written(client, d):
    from pasar.testing import factories

    client.force_login(factories.user(name="Lain"))
    body = {"line_id": d.line.pk, "reason": "short", "remedy": "refund_full"}
    assert post(client, f"/api/v1/orders/{d.order.number}/complaints", body).status_code == 404
    assert not Complaint.objects.exists()


def test_the_schema_names_every_complaint_operation(client):
    operations = {
        op["operationId"]
        for path in client.get("/api/v1/openapi.json").json()["paths"].values()
        for op in path.values()
    }
    assert {
        "complaints_of_order",
        "complaints_open",
        "complaints_answer",
        "complaints_of_market",
        "complaints_decide",
    } <= operations
