"""The layout check: every page of every role fits a 360-px phone.

Logs in as each role of the demo (loaded with a short history, so tables hold demo-like rows) and opens
every page the role may open: the routes come from the URLconf (``url_routes``), their arguments and who
may open them from the authorization matrix's GET rows (every route has one, ``test_every_url_pattern_has_a_row``).
A page fails when the document is wider than the viewport (``scrollWidth > 360``); wide tables must stack or
scroll inside their own box. One run reports every failing page at once.
"""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver, resolve
from django.utils import timezone
from playwright.sync_api import Browser, ViewportSize
from playwright.sync_api import Error as PlaywrightError

from pasar.accounts.models import User
from pasar.complaints.models import Complaint
from pasar.core.tests.test_authorization import (
    PRICE_CEILING_CSV,
    ROLES,
    ROWS,
    TRADER_LIST_CSV,
    _business_for,
    _offer_for,
    _standing_for,
    in_matrix,
    url_routes,
)
from pasar.dashboards.exports import export_build, export_request
from pasar.dashboards.periods import parse_period
from pasar.demo.services import ROLE_LOGINS
from pasar.markets.models import Market, MarketRole
from pasar.orders.models import Order, OrderLine, SearchLine
from pasar.orders.services import search
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.pricing.services import reference_import_prepare
from pasar.traders.models import Stall
from pasar.traders.services import trader_import_prepare
from pasar.training.models import TrainingEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}
DEMO_ROLES = [role for role, _phone, _name in ROLE_LOGINS]  # the matrix's other_trader/other_operator have none
SKIP = ("api/", "healthz", "readyz")  # JSON and probes: no layout
# The innermost elements sticking out on the right, to name the culprit in the failure message.
CULPRITS = """() => {
  const out = e => e.getBoundingClientRect().right > innerWidth + 0.5;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '');
  return [...document.querySelectorAll('main *, header *')]
    .filter(e => out(e) && ![...e.children].some(out)).slice(0, 3)
    .map(e => name(e) + ' "' + (e.textContent || '').trim().slice(0, 30) + '"');
}"""


def _demo_objects() -> tuple[dict[str, object], dict[str, User]]:
    """The matrix's placeholders, filled from the demo: the operator's market, the demo trader's stall, ..."""
    users = {role: User.objects.get(phone=phone) for role, phone, _name in ROLE_LOGINS}
    market = MarketRole.objects.get(user=users["operator"], role=MarketRole.Role.OPERATOR).market
    other_market = Market.objects.exclude(pk=market.pk).order_by("pk").first()
    assert other_market is not None
    stall = Stall.objects.filter(trader__user=users["trader"], market=market).order_by("pk").first()
    assert stall is not None
    product = stall.products.filter(available=True).order_by("pk").first()
    assert product is not None
    buyer = users["buyer"]
    cart_set(buyer=buyer, product=product, quantity=product.quantity_min or Decimal(1))
    order = order_place(
        buyer=buyer,
        checkout=Checkout(
            market=market, fulfilment=Order.Fulfilment.DELIVERY, payment_method=Order.PaymentMethod.COD,
            idempotency_key="layout", address="Jl. Cihapit 1 RT 02/RW 05, Kel. Cihapit, Kec. Bandung Wetan",
            landmark="Pagar hijau depan masjid", latitude=market.latitude + 0.005, longitude=market.longitude,
        ),
    )  # fmt: skip
    OrderLine.objects.filter(part__order=order).update(needs_approval=True)
    search.cart_request_add(buyer=buyer, market=market, text="Kemangi", price_cap=5000)
    operator = users["operator"]
    export = export_request(
        user=operator, kind="markets", file_format="csv", market=market,
        period=parse_period({}, market.created_at.date())[0],
    )  # fmt: skip
    export_build(export.pk)
    event = TrainingEvent.objects.create(
        date=market.created_at.date(), place="Balai pasar", topic="Harga harian dan QRIS", organiser_kind="dinas",
        market=market, created_by=operator,
    )  # fmt: skip
    line = order.parts.get().lines.get()
    complaint = Complaint.objects.create(
        order=order, line=line, market=market, stall=stall, buyer=buyer, reason="spoiled",
        remedy="refund_full", amount_asked=line.estimate, answer_due_at=timezone.now() + timedelta(hours=24),
    )  # fmt: skip
    # The matrix's helpers take its roles; the demo's operator sets the buyer's tempo terms.
    business, member, invoice = _business_for(SimpleNamespace(buyer=buyer, operator=operator), market)
    offer = _offer_for(buyer, stall)  # after the business: a business buyer may bargain on any line
    standing, run = _standing_for(buyer, product)
    objects = {
        "business": business,
        "member": member,
        "invoice": invoice,
        "offer": offer.pk,
        "offer_product": offer.product_id,
        "standing": standing.pk,
        "run": run.pk,
        "other_run": run.pk,
        "complaint": complaint.pk,
        "market": market.slug,
        "other_market": other_market.slug,
        "stall": stall.pk,
        "product": product.pk,
        "category": stall.category_id,
        "trader_id": stall.trader_id,
        "order": order.number,
        "order_id": order.pk,
        "part": order.parts.get().pk,
        "line": order.parts.get().lines.get().pk,
        "search_line": SearchLine.objects.create(order=order, text="Kemangi", price_cap=5000).pk,
        "request": 0,
        "ready_order": order.pk,
        "taken_order": order.pk,
        "taken_part": order.parts.get().pk,
        "event": event.pk,
        "export": export.pk,
        "import": trader_import_prepare(
            market=market, by=operator, filename="pedagang.csv", data=TRADER_LIST_CSV.encode()
        ).pk,
        "price_import": reference_import_prepare(
            market=market, by=operator, kind="het", filename="het.csv", data=PRICE_CEILING_CSV.encode()
        ).pk,
    }
    return objects, users


def pages_of(role: str, objects: dict[str, object]) -> list[str]:
    """Every GET page ``role`` may open (200 in the matrix), route by route as the URLconf lists them."""
    column = ROLES.index(role)
    by_route: dict[str, list[str]] = {}
    for row in ROWS:
        if row.method != "GET" or row.expected.split()[column] != "200":
            continue
        path = row.path.format(**objects)
        by_route.setdefault(resolve(urlsplit(path).path).route, []).append(path)
    routes = [r for r in url_routes(get_resolver().url_patterns) if in_matrix(r) and not r.startswith(SKIP)]
    return [path for route in dict.fromkeys(routes) for path in by_route.get(route, [])]


def test_every_page_of_every_role_fits_a_360_px_phone(live_server, browser: Browser):
    call_command("load_demo", history_days=2)
    objects, users = _demo_objects()
    too_wide: list[str] = []
    visited = 0
    for role in ["anonymous", *DEMO_ROLES]:
        context = browser.new_context(viewport=PHONE)
        context.set_default_timeout(15_000)
        if role != "anonymous":
            client = Client()
            client.force_login(users[role])
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        page = context.new_page()
        try:
            for path in pages_of(role, objects):
                try:
                    response = page.goto(live_server.url + path)
                except PlaywrightError as exc:
                    if "Download is starting" in str(exc):
                        continue  # a download (the export file)
                    raise
                assert response is not None
                if "text/html" not in (response.headers.get("content-type") or ""):
                    continue  # a download (CSV, XLSX)
                visited += 1
                width: int = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide.append(f"{role} {path}: {width} px {page.evaluate(CULPRITS)}")
        finally:
            context.close()
    assert visited > 60
    assert too_wide == [], "\n".join(too_wide)


def test_an_unknown_page_is_indonesian_in_the_layout_and_fits_a_phone(live_server, browser: Browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        response = page.goto(f"{live_server.url}/harga/pasar-tidak-ada/")
        assert response is not None
        assert response.status == 404
        assert page.locator("#error-title").inner_text() == "Halaman tidak ditemukan"
        assert page.locator("link[rel=icon]").count() == 1
        width: int = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
    finally:
        context.close()
