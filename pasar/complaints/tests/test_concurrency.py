"""Complaint steps under real concurrency (meaningful on PostgreSQL; SQLite serialises writers)."""

from collections import Counter

import pytest

from pasar.complaints.models import Complaint
from pasar.complaints.services import ComplaintInput, complaint_answer, complaint_decide, complaint_open
from pasar.complaints.tests.scenario import delivered
from pasar.orders.models import OrderEvent
from pasar.payments.models import Entry
from pasar.testing.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def test_deciding_together_refunds_once(market):
    d = delivered(market)
    data = ComplaintInput(line_id=d.line.pk, reason="spoiled", remedy="refund_full")
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=data)
    complaint_answer(complaint=complaint, trader=d.trader, agree=False, note="Tidak")

    results = race(
        THREADS,
        lambda i: complaint_decide(complaint=complaint, operator=d.operator, refund=4000, method="cash").state,
    )

    assert Counter(results) == Counter({("ok", "decided"): THREADS})
    assert Entry.objects.filter(kind=Entry.Kind.REFUND).count() == 1
    assert OrderEvent.objects.filter(order=d.order, kind="complaint_decided").count() == 1
    assert Complaint.objects.get().refund_amount == 4000


def test_complaining_together_opens_one_complaint(market):
    d = delivered(market)
    data = ComplaintInput(line_id=d.line.pk, reason="short", remedy="refund_part", amount=2000)

    results = race(THREADS, lambda i: complaint_open(buyer=d.buyer, order=d.order, data=data).pk)

    assert len({value for outcome, value in results if outcome == "ok"}) == 1, results
    assert Complaint.objects.count() == 1
    assert OrderEvent.objects.filter(order=d.order, kind="complaint_opened").count() == 1
