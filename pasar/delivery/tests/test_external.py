from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from pasar.core.errors import DomainError
from pasar.delivery import external, services
from pasar.delivery.models import ExternalDispatch, Job
from pasar.delivery.providers import Status, configured_provider
from pasar.delivery.tests.scenarios import couriers, product, ready_order
from pasar.orders.models import Order
from pasar.payments.models import Entry
from pasar.payments.services import ledger_post_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings):
    settings.PASAR_DELIVERY_PROVIDER = "fake"
    return configured_provider()


def test_an_order_nobody_took_goes_to_an_external_courier_and_is_delivered_on_its_report(market, roles, fake):
    couriers(market, 1)
    order = ready_order(market, product(market))
    services.dispatch(market)
    job = Job.objects.get(order=order)
    later = job.ready_at + timedelta(minutes=21)

    booking = external.external_hand_off(market=market, job_id=job.pk, operator=roles.operator, now=later)

    order.refresh_from_db()
    assert order.courier == roles.operator  # off the pangkalan's list
    assert Job.objects.get(pk=job.pk).state == Job.State.EXTERNAL
    assert booking.fee_quoted > 0
    assert booking.external_id.startswith("FAKE-")
    assert external.external_poll(market) == 0  # nothing new yet
    fake.advance(booking.external_id, Status.DELIVERED)
    call_command("dispatch_tick", stdout=StringIO())
    ledger_post_order(Order.objects.get(pk=order.pk))  # the task the handover enqueues on commit

    order.refresh_from_db()
    booking.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    assert order.cash_collected == (order.goods_total or 0) + order.delivery_fee
    assert booking.state == ExternalDispatch.State.DELIVERED
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE
    assert Entry.objects.filter(order=order, kind=Entry.Kind.DELIVERED).count() == 1


def test_handing_off_too_early_or_without_a_provider_is_refused_and_changes_nothing(market, roles, settings):
    order = ready_order(market, product(market))
    couriers(market, 1)
    services.dispatch(market)
    job = Job.objects.get(order=order)

    with pytest.raises(DomainError) as none:
        external.external_hand_off(market=market, job_id=job.pk, operator=roles.operator)
    settings.PASAR_DELIVERY_PROVIDER = "fake"
    with pytest.raises(DomainError) as early:
        external.external_hand_off(
            market=market, job_id=job.pk, operator=roles.operator, now=job.ready_at + timedelta(minutes=5)
        )

    assert none.value.code == "no_provider"
    assert early.value.code == "too_early"
    order.refresh_from_db()
    assert order.courier is None
    assert not ExternalDispatch.objects.exists()
