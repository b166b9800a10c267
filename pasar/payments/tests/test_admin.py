"""Platform staff read payments in the admin and cannot change them."""

import pytest

from pasar.orders.models import Order
from pasar.payments.models import Entry
from pasar.payments.services import ledger_post_order
from pasar.payments.tests.scenario import courier_of, deliver, make_ready, two_stall_order

pytestmark = pytest.mark.django_db


def test_staff_read_an_entry_with_its_postings_but_cannot_change_it(client, market, roles):
    order = deliver(make_ready(two_stall_order(market, method=Order.PaymentMethod.COD)), courier_of(market))
    entry = ledger_post_order(order)
    assert entry is not None
    client.force_login(roles.admin)

    pages = [
        client.get("/admin/payments/entry/"),
        client.get(f"/admin/payments/entry/{entry.pk}/change/"),
        client.get("/admin/payments/account/"),
        client.get("/admin/payments/paymentattempt/"),
        client.get("/admin/payments/providernotification/"),
    ]
    delete = client.post(f"/admin/payments/entry/{entry.pk}/delete/", {"post": "yes"})

    assert [page.status_code for page in pages] == [200, 200, 200, 200, 200]
    assert order.number in pages[1].text
    assert delete.status_code == 403
    assert Entry.objects.filter(pk=entry.pk).exists()
