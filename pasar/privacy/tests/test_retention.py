from datetime import timedelta

import pytest
from django.utils import timezone

from pasar.notifications.models import Notification
from pasar.orders.models import Order
from pasar.orders.tests import staff_scenarios
from pasar.privacy.retention import retention_apply
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def test_finished_orders_lose_their_address_after_90_days(market, product):
    buyer = factories.user()
    old, recent, running = (staff_scenarios.place(market=market, items=[(product, "1")], buyer=buyer) for _ in range(3))
    Order.objects.filter(pk__in=[old.pk, recent.pk]).update(state=Order.State.DELIVERED, note="pagar hijau")
    Order.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=91))
    Order.objects.filter(pk=running.pk).update(updated_at=timezone.now() - timedelta(days=91))
    Notification.objects.create(user=buyer, key="a", message="lama")
    Notification.objects.filter(key="a").update(created_at=timezone.now() - timedelta(days=366))
    Notification.objects.create(user=buyer, key="b", message="baru")

    done = retention_apply()

    assert done == {"addresses": 1, "notifications": 1, "failed_logins": 0}
    rows = {o.pk: (o.address, o.note, o.latitude) for o in Order.objects.all()}
    assert rows[old.pk] == ("", "", market.latitude)
    assert rows[recent.pk] == ("Jl. Cihapit 1", "pagar hijau", recent.latitude)
    assert rows[running.pk][0] == "Jl. Cihapit 1"  # not finished: the courier still needs it
    assert list(Notification.objects.values_list("key", flat=True)) == ["b"]
    assert retention_apply()["addresses"] == 0
