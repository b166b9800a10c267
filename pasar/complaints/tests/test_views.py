"""The complaint pages as plain forms: complain, answer, decide; errors shown on the form, nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pasar.complaints.models import Complaint
from pasar.complaints.tests.scenario import delivered
from pasar.complaints.tests.test_services import photo_upload
from pasar.payments.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def d(market):
    return delivered(market)


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_order_page_links_to_the_complaint_form_once_delivered(en, d):
    en.force_login(d.buyer)
    page = en.get(d.order.get_absolute_url())
    assert f"/pesanan/{d.order.number}/komplain/" in page.text


def test_complain_answer_decide_through_the_pages(en, d, media_root):
    en.force_login(d.buyer)
    url = f"/pesanan/{d.order.number}/komplain/"
    form = {"line": d.line.pk, "reason": "short", "remedy": "refund_part", "amount": "4.000", "description": "Kurang"}

    response = en.post(url, {**form, "photo": photo_upload((400, 300))})

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.amount_asked, complaint.reason, bool(complaint.photo)) == (4000, "short", True)

    en.force_login(d.trader)
    part_page = en.get(f"/pedagang/pesanan/{d.line.part_id}/")
    assert f"/pedagang/komplain/{complaint.pk}/" in part_page.text
    assert en.post(f"/pedagang/komplain/{complaint.pk}/", {"agree": "0", "note": "Timbangan pas"}).status_code == 302

    en.force_login(d.operator)
    listing = en.get(f"/pengelola/{d.order.market.slug}/komplain/")
    assert d.line.name in listing.text
    decide = f"/pengelola/{d.order.market.slug}/komplain/{complaint.pk}/"
    assert en.post(decide, {"amount": "2.000", "method": "credit", "note": "Separuh"}).status_code == 302
    complaint.refresh_from_db()
    assert (complaint.state, complaint.refund_amount, complaint.refund_method) == ("decided", 2000, "credit")

    settlement = en.get(f"/pengelola/{d.order.market.slug}/setoran/?tanggal={timezone.localdate():%Y-%m-%d}")
    assert "−Rp2.000" in settlement.text
    assert 'id="settlement-reconciles"' in settlement.text


def test_a_refund_above_the_line_is_shown_on_the_form_and_nothing_changes(en, d):
    en.force_login(d.buyer)
    form = {"line": d.line.pk, "reason": "short", "remedy": "refund_part", "amount": "10.001"}

    response = en.post(f"/pesanan/{d.order.number}/komplain/", form)

    assert response.status_code == 200
    assert "Ask for an amount between Rp1 and Rp10.000" in response.text
    assert not Complaint.objects.exists()


def test_after_the_window_the_buyer_is_told_and_nothing_is_written(en, d, time_machine):
    time_machine.move_to(timezone.now() + timedelta(days=2))
    en.force_login(d.buyer)
    form = {"line": d.line.pk, "reason": "spoiled", "remedy": "refund_full"}

    response = en.post(f"/pesanan/{d.order.number}/komplain/", form)

    assert response.status_code == 200
    assert "The time to complain has passed: 24 hours after delivery." in response.text
    assert not Complaint.objects.exists()


def test_the_operator_cannot_refund_more_than_the_line(en, d, time_machine):
    en.force_login(d.buyer)
    en.post(f"/pesanan/{d.order.number}/komplain/", {"line": d.line.pk, "reason": "missing", "remedy": "refund_full"})
    complaint = Complaint.objects.get()
    time_machine.move_to(timezone.now() + timedelta(hours=25))
    en.force_login(d.operator)

    response = en.post(
        f"/pengelola/{d.order.market.slug}/komplain/{complaint.pk}/", {"amount": "20.000", "method": "cash"}
    )

    assert response.status_code == 200
    assert "A refund cannot be more than the line cost: Rp10.000." in response.text
    assert Complaint.objects.get().state == "open"
    assert not Entry.objects.filter(kind=Entry.Kind.REFUND).exists()
