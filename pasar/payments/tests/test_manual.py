"""Manual transfer confirmation: the market's own operator, the exact amount, one bank reference per order."""

import pytest

from pasar.core.errors import DomainError
from pasar.orders.models import Order, OrderEvent
from pasar.payments.models import PaymentAttempt
from pasar.payments.services import transfer_confirm_manual
from pasar.payments.tests.scenario import make_ready, two_stall_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def transfer_order(market):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.TRANSFER))
    assert order.amount_due is not None
    return order


def unchanged(order):
    return (
        Order.objects.get(pk=order.pk).payment_state,
        OrderEvent.objects.filter(order=order, kind="paid").count(),
        PaymentAttempt.objects.count(),
    )


def test_the_operator_records_the_bank_mutation(transfer_order, roles):
    order = transfer_order

    paid = transfer_confirm_manual(order=order, amount=order.amount_due, operator=roles.operator, reference=" MUT-1 ")

    assert paid.payment_state == Order.PaymentState.PAID
    event = order.events.get(kind="paid")
    assert (event.actor, event.data) == (roles.operator, {"amount": order.amount_due, "source": "manual:MUT-1"})
    attempt = PaymentAttempt.objects.get()
    assert (attempt.provider, attempt.method, attempt.amount, attempt.provider_ref, attempt.state) == (
        "manual",
        "transfer",
        order.amount_due,
        "MUT-1",
        "paid",
    )


@pytest.mark.parametrize(
    ("operator_role", "amount_delta", "reference", "code"),
    [
        ("other_operator", 0, "MUT-1", "not_operator"),
        ("courier", 0, "MUT-1", "not_operator"),
        ("operator", -1, "MUT-1", "amount_mismatch"),
        ("operator", 1, "MUT-1", "amount_mismatch"),
        ("operator", 0, "  ", "reference_required"),
    ],
)
def test_refusals_change_nothing(transfer_order, roles, operator_role, amount_delta, reference, code):
    order = transfer_order
    before = unchanged(order)

    with pytest.raises(DomainError) as refused:
        transfer_confirm_manual(
            order=order,
            amount=order.amount_due + amount_delta,
            operator=getattr(roles, operator_role),
            reference=reference,
        )

    assert refused.value.code == code
    assert unchanged(order) == before


def test_a_second_confirmation_is_refused(transfer_order, roles):
    order = transfer_order
    transfer_confirm_manual(order=order, amount=order.amount_due, operator=roles.operator, reference="MUT-1")
    before = unchanged(order)

    with pytest.raises(DomainError) as refused:
        transfer_confirm_manual(order=order, amount=order.amount_due, operator=roles.operator, reference="MUT-2")

    assert refused.value.code == "not_awaiting_payment"
    assert unchanged(order) == before


def test_one_bank_mutation_cannot_pay_two_orders(transfer_order, market, roles):
    other = make_ready(two_stall_order(market, method=Order.PaymentMethod.TRANSFER, key="k2"))
    assert other.amount_due is not None
    transfer_confirm_manual(
        order=transfer_order, amount=transfer_order.amount_due, operator=roles.operator, reference="MUT-1"
    )
    before = unchanged(other)

    with pytest.raises(DomainError) as refused:
        transfer_confirm_manual(order=other, amount=other.amount_due, operator=roles.operator, reference="MUT-1")

    assert refused.value.code == "reference_used"
    assert unchanged(other) == before


def test_a_qris_order_is_not_confirmed_by_hand(market, roles):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    assert order.amount_due is not None
    before = unchanged(order)

    with pytest.raises(DomainError) as refused:
        transfer_confirm_manual(order=order, amount=order.amount_due, operator=roles.operator, reference="MUT-1")

    assert refused.value.code == "not_transfer"
    assert unchanged(order) == before
