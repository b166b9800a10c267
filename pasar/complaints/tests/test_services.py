"""Complaints: the window, who may complain, answers, the operator's decision, refunds in the ledger."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone
from PIL import Image

from pasar.complaints.models import Complaint
from pasar.complaints.services import (
    ComplaintInput,
    complaint_answer,
    complaint_decide,
    complaint_open,
    complaints_escalate_overdue,
)
from pasar.complaints.tests.scenario import delivered
from pasar.core.errors import DomainError
from pasar.notifications.models import Notification
from pasar.orders.models import Order, OrderEvent
from pasar.payments.models import Entry, Posting
from pasar.payments.selectors import ledger_imbalances, settlement_for
from pasar.testing import factories

pytestmark = pytest.mark.django_db

CS = Complaint.State


def ask(line, remedy=Complaint.Remedy.REFUND_PART, amount=4000, reason=Complaint.Reason.SPOILED):
    return ComplaintInput(line_id=line.pk, reason=reason, remedy=remedy, amount=amount, description="Busuk")


def photo_upload(size=(2000, 1500)):
    buffer = BytesIO()
    Image.new("RGB", size, "red").save(buffer, "JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def postings_of(complaint):
    assert complaint.refund_entry is not None
    return sorted((p.account.code, p.amount) for p in complaint.refund_entry.postings.select_related("account"))


def kinds(order):
    return list(OrderEvent.objects.filter(order=order, kind__startswith="complaint").values_list("kind", flat=True))


def assert_ledger_sums_to_zero():
    assert Posting.objects.aggregate(total=Sum("amount"))["total"] == 0
    assert ledger_imbalances() == []


@pytest.fixture
def d(market):
    return delivered(market)


def test_a_buyer_complains_about_a_line_with_a_photo_resized_like_product_photos(d, media_root):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line), photo=photo_upload())

    assert (complaint.state, complaint.amount_asked, complaint.stall_id) == (CS.OPEN, 4000, d.line.part.stall_id)
    assert complaint.market_id == d.order.market_id
    with Image.open(complaint.photo.path) as stored:
        assert (stored.format, max(stored.size)) == ("WEBP", 1280)
    assert abs(complaint.answer_due_at - complaint.created_at - timedelta(hours=24)) < timedelta(seconds=1)
    assert kinds(d.order) == ["complaint_opened"]


def test_opening_notifies_the_stalls_trader_and_the_operator_not_the_other_trader(d):
    complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    event = OrderEvent.objects.get(order=d.order, kind="complaint_opened")

    from pasar.orders.notify import notify_for_event

    notify_for_event(event)
    told = set(Notification.objects.filter(key=f"order-event:{event.pk}").values_list("user_id", flat=True))
    assert told == {d.trader.pk, d.operator.pk}


def test_a_double_tap_returns_the_first_complaint(d):
    first = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    again = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line, amount=9000))

    assert again.pk == first.pk
    assert again.amount_asked == 4000
    assert Complaint.objects.count() == 1
    assert kinds(d.order) == ["complaint_opened"]


def test_a_whole_line_refund_asks_what_the_line_cost(d):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line, Complaint.Remedy.REFUND_FULL, None))
    assert complaint.amount_asked == d.line.amount == 10000


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"amount": 10001}, "amount_range"),
        ({"amount": 0}, "amount_range"),
        ({"amount": None}, "amount_range"),
        ({"reason": "bau"}, "reason"),
        ({"remedy": "uang"}, "remedy"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(d, change, code):
    data = ask(d.line, **{"amount": 4000, **change})
    with pytest.raises(DomainError) as error:
        complaint_open(buyer=d.buyer, order=d.order, data=data)
    assert error.value.code == code
    assert not Complaint.objects.exists()
    assert kinds(d.order) == []


def test_another_buyers_order_is_refused(d):
    stranger = factories.user(name="Orang lain")
    with pytest.raises(DomainError) as error:
        complaint_open(buyer=stranger, order=d.order, data=ask(d.line))
    assert error.value.code == "not_your_order"
    assert not Complaint.objects.exists()


def test_a_line_of_another_order_is_refused(d, market):
    other = delivered(market, key="k2")
    with pytest.raises(DomainError) as error:
        complaint_open(buyer=d.buyer, order=d.order, data=ask(other.line))
    assert error.value.code == "unknown_line"


def test_the_window_closes_after_the_markets_hours(d, time_machine):
    time_machine.move_to(timezone.now() + timedelta(hours=24, minutes=1))
    with pytest.raises(DomainError) as error:
        complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    assert error.value.code == "window_closed"
    assert not Complaint.objects.exists()


def test_the_window_is_the_markets_own(d, time_machine, market):
    market.complaint_window_hours = 48
    market.save()
    time_machine.move_to(timezone.now() + timedelta(hours=47))
    assert complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line)).state == CS.OPEN


def test_an_order_not_yet_delivered_cannot_be_complained_about(market):
    from pasar.payments.tests.scenario import make_ready, two_stall_order

    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD))
    line = order.parts.order_by("pk")[0].lines.get()
    with pytest.raises(DomainError) as error:
        complaint_open(buyer=order.buyer, order=order, data=ask(line))
    assert error.value.code == "not_delivered"


def test_the_trader_agrees_and_the_refund_moves_from_their_account_as_credit(d, settings):
    settings.PASAR_OPERATOR_FEE_PERCENT = 5
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))

    complaint = complaint_answer(complaint=complaint, trader=d.trader, agree=True)

    assert (complaint.state, complaint.refund_amount, complaint.refund_method) == (CS.AGREED, 4000, "credit")
    m = d.order.market_id
    assert Entry.objects.get(kind=Entry.Kind.REFUND) == complaint.refund_entry
    assert postings_of(complaint) == sorted(
        [(f"trader:{m}:{d.trader.pk}", 3800), (f"operator:{m}", 200), (f"buyer:{d.buyer.pk}", -4000)]
    )
    assert_ledger_sums_to_zero()
    assert kinds(d.order) == ["complaint_opened", "complaint_answered"]


def test_another_trader_cannot_answer_and_a_replayed_answer_changes_nothing(d):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    complaint_answer(complaint=complaint, trader=d.trader, agree=False, note="Masih segar waktu dikirim")

    again = complaint_answer(complaint=complaint, trader=d.trader, agree=False, note="lagi")

    assert again.state == CS.DISAGREED
    assert again.trader_note == "Masih segar waktu dikirim"
    with pytest.raises(DomainError) as error:
        complaint_answer(complaint=complaint, trader=d.trader, agree=True)
    assert error.value.code == "already_answered"
    assert kinds(d.order) == ["complaint_opened", "complaint_answered"]
    assert not Entry.objects.filter(kind=Entry.Kind.REFUND).exists()


def test_disagreeing_needs_a_reason(d):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    with pytest.raises(DomainError) as error:
        complaint_answer(complaint=complaint, trader=d.trader, agree=False, note=" ")
    assert error.value.code == "note_required"
    assert Complaint.objects.get().state == CS.OPEN


def test_silence_past_the_deadline_goes_to_the_operator(d, time_machine):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    assert complaints_escalate_overdue() == 0

    time_machine.move_to(timezone.now() + timedelta(hours=24, seconds=1))
    with pytest.raises(DomainError) as error:
        complaint_answer(complaint=complaint, trader=d.trader, agree=True)
    assert error.value.code == "answer_late"

    assert complaints_escalate_overdue() == 1
    assert complaints_escalate_overdue() == 0
    assert Complaint.objects.get().state == CS.ESCALATED
    assert kinds(d.order) == ["complaint_opened", "complaint_escalated"]


def test_the_operator_waits_for_the_traders_deadline(d):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    with pytest.raises(DomainError) as error:
        complaint_decide(complaint=complaint, operator=d.operator, refund=1000)
    assert error.value.code == "trader_may_answer"


def test_the_operator_grants_a_partial_cash_refund_and_the_settlement_shows_it(d):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line, amount=6000))
    complaint_answer(complaint=complaint, trader=d.trader, agree=False, note="Tidak busuk")

    decided = complaint_decide(complaint=complaint, operator=d.operator, refund=2500, method="cash", note="Separuh")

    assert (decided.state, decided.refund_amount, decided.decided_by) == (CS.DECIDED, 2500, d.operator)
    m = d.order.market_id
    assert postings_of(decided) == [
        (f"courier_cash:{m}:{d.courier.pk}", -2500),
        (f"trader:{m}:{d.trader.pk}", 2500),
    ]
    assert_ledger_sums_to_zero()
    settlement = settlement_for(market=d.order.market, day=timezone.localdate())
    trader_line = next(t for t in settlement.traders if t.name == d.trader.name)
    assert (trader_line.refunded, trader_line.owed) == (2500, 10000 - 2500)
    assert settlement.reconciles
    # A replayed decision returns it; a different one is refused; the money moved once.
    assert complaint_decide(complaint=complaint, operator=d.operator, refund=2500, method="cash").pk == decided.pk
    with pytest.raises(DomainError):
        complaint_decide(complaint=complaint, operator=d.operator, refund=3000, method="cash")
    assert Entry.objects.filter(kind=Entry.Kind.REFUND).count() == 1


def test_a_refund_above_what_the_line_cost_is_refused_and_changes_nothing(d):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    complaint_answer(complaint=complaint, trader=d.trader, agree=False, note="Tidak")

    with pytest.raises(DomainError) as error:
        complaint_decide(complaint=complaint, operator=d.operator, refund=10001, method="credit")

    assert error.value.code == "refund_above_paid"
    assert Complaint.objects.get().state == CS.DISAGREED
    assert not Entry.objects.filter(kind=Entry.Kind.REFUND).exists()


def test_a_cash_order_is_not_refunded_through_the_provider(d):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    complaint_answer(complaint=complaint, trader=d.trader, agree=False, note="Tidak")
    with pytest.raises(DomainError) as error:
        complaint_decide(complaint=complaint, operator=d.operator, refund=1000, method="provider")
    assert error.value.code == "refund_method"
    assert Complaint.objects.get().state == CS.DISAGREED


def test_rejecting_moves_no_money(d, time_machine):
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    time_machine.move_to(timezone.now() + timedelta(days=2))

    decided = complaint_decide(complaint=complaint, operator=d.operator, refund=0, note="Foto tidak jelas")

    assert (decided.state, decided.refund_entry) == (CS.DECIDED, None)
    assert kinds(d.order) == ["complaint_opened", "complaint_escalated", "complaint_decided"]


def test_an_online_order_is_refunded_from_the_markets_bank(market):
    d = delivered(market, method=Order.PaymentMethod.QRIS)
    complaint = complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line, Complaint.Remedy.REFUND_FULL, None))

    complaint = complaint_answer(complaint=complaint, trader=d.trader, agree=True)

    assert complaint.refund_method == "provider"
    assert (f"bank:{market.pk}", -10000) in postings_of(complaint)
    assert_ledger_sums_to_zero()
    assert settlement_for(market=market, day=timezone.localdate()).reconciles


def test_a_replacement_is_resolved_without_money(d):
    complaint = complaint_open(
        buyer=d.buyer, order=d.order, data=ask(d.line, Complaint.Remedy.REPLACEMENT, None, Complaint.Reason.WRONG_ITEM)
    )
    complaint = complaint_answer(complaint=complaint, trader=d.trader, agree=True)
    assert (complaint.state, complaint.refund_amount, complaint.refund_entry) == (CS.AGREED, 0, None)


def test_the_scheduler_escalates_every_five_minutes(d, time_machine):
    from pasar.complaints.schedule import escalate
    from pasar.runtime import periodic

    assert periodic.discover()["complaints.escalate"].seconds == 300
    complaint_open(buyer=d.buyer, order=d.order, data=ask(d.line))
    time_machine.move_to(timezone.now() + timedelta(hours=25))
    assert escalate(None) == "1 escalated"  # type: ignore[arg-type]
