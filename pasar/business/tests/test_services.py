"""Business buyers: terms, tempo at checkout under the credit limit, invoices, credit notes, payments, ledger."""

from datetime import timedelta

import pytest
from django.db.models import Sum

from pasar.business import selectors, services
from pasar.business.models import Invoice, InvoiceOrder, PaymentTerms
from pasar.business.tests.scenario import delivered_tempo, hotel, member, operator_of, tempo_order
from pasar.core.errors import DomainError
from pasar.orders.models import Order, OrderLine
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.payments.models import Account, Entry
from pasar.payments.selectors import ledger_imbalances
from pasar.payments.tests.scenario import courier_of, deliver, make_ready, two_stall_order
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def assert_ledger_balanced():
    for entry in Entry.objects.all():
        assert entry.postings.aggregate(total=Sum("amount"))["total"] == 0, entry
    assert ledger_imbalances() == []


def issue(order) -> Invoice:
    invoice = services.invoice_issue_for_order(order=order)
    assert invoice is not None
    return invoice


def receivable(market, business) -> int:
    account = Account.objects.filter(code=f"receivable:{market.pk}:{business.pk}").first()
    return int(account.postings.aggregate(s=Sum("amount"))["s"] or 0) if account else 0


def test_terms_are_cash_or_complete_tempo(market):
    business, _chef = hotel(market)
    operator = operator_of(market, name="Op2")
    with pytest.raises(DomainError) as refused:
        services.terms_set(
            business=business, market=market, kind="tempo", days=10, credit_limit=5, invoicing="order", actor=operator
        )
    assert refused.value.code == "terms_days"
    cash = services.terms_set(
        business=business, market=market, kind="cash", days=14, credit_limit=9, invoicing="order", actor=operator
    )
    assert (cash.days, cash.credit_limit) == (None, 0)
    assert PaymentTerms.objects.filter(business=business).count() == 1


def test_members_are_existing_users_and_the_owner_stays(market):
    business, chef = hotel(market)
    cook = factories.user(name="Juru Masak", phone="+6281299990001")
    with pytest.raises(DomainError):
        services.member_add(business=business, phone="0812 0000 0000")
    added = services.member_add(business=business, phone="0812-9999-0001")
    assert added.user == cook
    owner = business.memberships.get(user=chef)
    with pytest.raises(DomainError):
        services.member_remove(business=business, member_id=owner.pk)
    services.member_remove(business=business, member_id=added.pk)
    assert list(business.members.all()) == [chef]


def test_tempo_is_only_for_members_with_terms(market):
    stranger = factories.user(name="Bukan Anggota")
    with pytest.raises(DomainError) as refused:
        two_stall_order(market, method=Order.PaymentMethod.TEMPO, buyer=stranger)
    assert refused.value.code == "tempo_unavailable"
    assert not Order.objects.exists()


def test_a_tempo_order_above_the_credit_limit_is_refused_and_changes_nothing(market):
    business, chef = hotel(market, limit=40_000)
    first = tempo_order(market, chef, key="a")  # 16.000 + 8.000 fee = 24.000
    assert first.business == business
    assert first.payment_state == Order.PaymentState.UNPAID
    stall = factories.stall(market=market)
    product = factories.product(stall=stall, price=10000, stock=5)
    from decimal import Decimal

    cart_set(buyer=chef, product=product, quantity=Decimal(1))  # 10.000 + 8.000 = 18.000: 42.000 > 40.000
    checkout = Checkout(
        market=market,
        fulfilment="delivery",
        payment_method="tempo",
        idempotency_key="b",
        address="Jl. Braga 1",
        latitude=market.latitude + 0.01,
        longitude=market.longitude,
    )
    with pytest.raises(DomainError) as refused:
        order_place(buyer=chef, checkout=checkout)
    assert refused.value.code == "credit_limit"
    assert "batas kredit" in refused.value.message
    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 5  # nothing taken
    assert chef.carts.get(market=market).lines.count() == 1  # the cart is kept for another payment


def test_tempo_order_delivered_invoiced_then_paid_keeps_the_ledger_balanced(market):
    business, chef = hotel(market, days=14)
    order = delivered_tempo(market, chef)
    assert order.state == Order.State.DELIVERED
    assert order.payment_state == Order.PaymentState.UNPAID
    invoice = issue(order)
    assert invoice is not None
    assert services.invoice_issue_for_order(order=order) == invoice  # once
    assert invoice.total == 24_000
    assert invoice.tempo_days == 14
    assert invoice.due_on == invoice.issued_on + timedelta(days=14)
    assert [line["amount"] for line in invoice.lines] == [10000, 6000]
    assert receivable(market, business) == 24_000
    assert_ledger_balanced()
    assert selectors.outstanding(business=business, market=market) == 24_000
    operator = operator_of(market, name="Kasir")
    services.payment_record(invoice=invoice, amount=4_000, reference="TRF1", paid_on=invoice.issued_on, actor=operator)
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.UNPAID
    with pytest.raises(DomainError):
        services.payment_record(
            invoice=invoice, amount=20_001, reference="TRF2", paid_on=invoice.issued_on, actor=operator
        )
    services.payment_record(invoice=invoice, amount=20_000, reference="TRF2", paid_on=invoice.issued_on, actor=operator)
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PAID
    assert receivable(market, business) == 0
    assert selectors.balance(invoice) == 0
    assert selectors.outstanding(business=business, market=market) == 0
    assert Entry.objects.filter(kind=Entry.Kind.RECEIPT).count() == 2
    assert_ledger_balanced()


def test_invoice_numbers_run_per_market_without_gaps(market, other_market):
    business, chef = hotel(market, limit=1_000_000)
    numbers = []
    for key in ("a", "b", "c"):
        numbers.append(issue(delivered_tempo(market, chef, key=key)).number)
    assert numbers == [1, 2, 3]
    _other, other_chef = hotel(other_market, limit=1_000_000, chef=factories.user(name="Chef 2"))
    assert issue(delivered_tempo(other_market, other_chef, key="d")).number == 1


def test_invoices_are_immutable(market):
    _business, chef = hotel(market)
    invoice = issue(delivered_tempo(market, chef))
    invoice.total = 1
    with pytest.raises(TypeError):
        invoice.save()
    with pytest.raises(TypeError):
        Invoice.objects.filter(pk=invoice.pk).update(total=1)
    with pytest.raises(TypeError):
        invoice.delete()
    with pytest.raises(TypeError):
        InvoiceOrder.objects.all().delete()
    invoice.refresh_from_db()
    assert invoice.total == 24_000


def test_a_cash_business_order_gets_a_paid_receipt_invoice(market):
    business, chef = hotel(market)
    services.terms_set(
        business=business,
        market=market,
        kind="cash",
        days=None,
        credit_limit=0,
        invoicing="order",
        actor=operator_of(market, name="Op3"),
    )
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD, buyer=chef))
    order.business = business
    order.save(update_fields=["business"])
    invoice = issue(deliver(order, courier_of(market)))
    assert invoice.tempo_days is None
    assert invoice.due_on == invoice.issued_on
    assert selectors.outstanding(business=business, market=market) == 0  # paid with the order


def test_weekly_invoicing_groups_last_weeks_deliveries(market):
    business, chef = hotel(market, invoicing="weekly", limit=1_000_000)
    first = delivered_tempo(market, chef, key="a")
    second = delivered_tempo(market, chef, key="b")
    assert services.invoice_issue_for_order(order=first) is None
    today = first.for_date
    assert services.invoices_issue_weekly(today=today) == 0  # this week is not over
    next_monday = today + timedelta(days=7 - today.weekday())
    assert services.invoices_issue_weekly(today=next_monday) == 1
    assert services.invoices_issue_weekly(today=next_monday) == 0
    invoice = Invoice.objects.get()
    assert set(invoice.invoice_orders.values_list("order_id", flat=True)) == {first.pk, second.pk}
    assert invoice.total == 48_000
    assert invoice.due_on == next_monday + timedelta(days=14)
    assert invoice.period_end == next_monday - timedelta(days=1)
    assert receivable(market, business) == 48_000
    assert_ledger_balanced()


def test_a_refund_on_a_tempo_order_issues_a_credit_note_and_lowers_the_receivable(market):
    from pasar.complaints.models import Complaint
    from pasar.complaints.services import ComplaintInput, complaint_answer, complaint_open

    business, chef = hotel(market)
    order = delivered_tempo(market, chef)
    invoice = issue(order)
    line = OrderLine.objects.filter(part__order=order).order_by("pk").first()
    assert line is not None
    complaint = complaint_open(
        buyer=chef,
        order=order,
        data=ComplaintInput(
            line_id=line.pk,
            reason=Complaint.Reason.SPOILED,
            remedy=Complaint.Remedy.REFUND_PART,
            amount=4000,
            description="Layu",
        ),
        photo=None,
    )
    complaint_answer(complaint=complaint, trader=line.part.stall.trader.user, agree=True)
    complaint.refresh_from_db()
    note = services.credit_note_for_complaint(complaint=complaint)
    assert note is not None
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.credits == invoice
    assert note.total == 4000
    assert note.number == invoice.number + 1
    assert services.credit_note_for_complaint(complaint=complaint) == note  # once per refund
    assert services.credit_notes_catch_up() == 0
    assert selectors.balance(invoice) == 20_000
    assert receivable(market, business) == 20_000
    assert_ledger_balanced()


def test_statement_splits_due_and_overdue(market):
    business, chef = hotel(market, days=7, limit=1_000_000)
    invoice = issue(delivered_tempo(market, chef))
    on_time = selectors.statement(business=business, on=invoice.due_on)
    assert (on_time.due, on_time.overdue) == (24_000, 0)
    late = selectors.statement(business=business, on=invoice.due_on + timedelta(days=1))
    assert (late.due, late.overdue) == (24_000, 24_000)


def test_a_member_orders_on_the_business_terms(market):
    business, _chef = hotel(market)
    cook = factories.user(name="Juru Masak")
    member(business, cook)
    order = tempo_order(market, cook, key="m")
    assert order.business == business


def test_dashboards_split_business_from_household_turnover_and_show_receivables(market):
    from pasar.dashboards.aggregation import aggregate_days
    from pasar.dashboards.models import DailyMarketStats
    from pasar.dashboards.periods import Period
    from pasar.dashboards.selectors import Scope, receivables, totals
    from pasar.markets.models import Market

    business, chef = hotel(market)
    tempo = delivered_tempo(market, chef)
    household = deliver(
        make_ready(two_stall_order(market, method="cod", key="h", prices=(5000, 3000))),
        courier_of(market, name="Kurir H"),
    )
    aggregate_days(tempo.for_date, tempo.for_date)
    row = DailyMarketStats.objects.get(market=market, date=household.for_date)
    assert (row.turnover, row.business_turnover) == (24_000, 16_000)
    scope = Scope(Market.objects.filter(pk=market.pk))
    found = totals(scope, Period(key="1", start=tempo.for_date, end=tempo.for_date))
    assert found is not None
    assert found["household_turnover"] == 8_000
    invoice = issue(tempo)  # the receivable is posted with it (after the handover's commit, in production)
    assert receivables(scope) == 24_000
    services.payment_record(
        invoice=invoice,
        amount=24_000,
        reference="T",
        paid_on=tempo.for_date,
        actor=operator_of(market, name="Kasir D"),
    )
    assert receivables(scope) == 0
