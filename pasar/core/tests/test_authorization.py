"""Who may open or change what: every page and endpoint × every role.

Each row is one request; its string holds the expected outcome for each role, in the order of
``ROLES``. Outcomes: a status code, ``login`` (302 to the login page, with ``next``) or ``302``
(a redirect anywhere else). Paths and bodies name fixture objects in braces: ``{market}`` (the
market ``operator``, ``courier`` and both traders work in), ``{other_market}`` (run by
``other_operator``), ``{stall}`` and ``{product}`` (held by ``trader``).

Every cell also checks the database: a request leaves every table as it was, except for the
roles in the row's ``writes``, whose request must change something.

A URL pattern without a row fails ``test_every_url_pattern_has_a_row``: a new page needs its row
(one line in ``ROWS``; a new placeholder goes in the ``objects`` fixture and in ``SAMPLE``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from pasar.catalog.models import Product
from pasar.complaints.models import Complaint
from pasar.dashboards.exports import export_build, export_request
from pasar.dashboards.periods import parse_period
from pasar.orders.models import Order, OrderLine, SearchLine, StallOrder
from pasar.orders.services import search
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.orders.tests import staff_scenarios
from pasar.testing import factories
from pasar.traders.models import Stall, Trader
from pasar.traders.services import trader_import_prepare
from pasar.training.models import TrainingEvent

ROLES = ("anonymous", "buyer", "trader", "other_trader", "operator", "other_operator", "courier", "officer", "admin")

# The screen saves every row of the trader's stalls at once: {product} and the bargained {offer_product}.
PRICE_FORM = {
    "price-{product}": "4.500", "available-{product}": "on",
    "price-{offer_product}": "40.000", "available-{offer_product}": "on",
}  # fmt: skip
PRODUCT_FORM = {"stall": "{stall}", "name": "Kangkung Segar", "unit": "ikat", "price": "3500", "available": "on"}
REGISTRATION_FORM = {
    "name": "Imas Rohaeti", "phone": "0812-7777-0002", "consent": "on", "number": "C7", "kind": "lapak",
    "category": "{category}", "products-TOTAL_FORMS": "1", "products-INITIAL_FORMS": "0",
    "products-0-name": "Kangkung", "products-0-unit": "ikat", "products-0-price": "3.000",
}  # fmt: skip
EXPORT_FORM = {"market": "{market}", "kind": "markets", "format": "csv", "periode": "30"}
EVENT_FORM = {"date": "2025-03-01", "place": "Balai pasar", "topic": "QRIS", "organiser_kind": "bank"}
TRADER_LIST_CSV = "nama,telepon,nomor,kategori\nIbu Imas,0812-7777-0001,B12,sayur\n"
PRICE_CEILING_CSV = "komoditas,het,berlaku mulai\nCabai Rawit Merah,45.000,2025-01-01\n"
# A standing order every Wednesday from today (TEST_NOW), delivered and paid in cash.
STANDING_FORM = {
    "name": "Dapur", "every": "weekdays", "weekdays": "3", "starts_on": "2026-12-02", "fulfilment": "delivery",
    "address": "Jl. Braga 10", "lat": "-6,915", "lng": "107,61", "payment_method": "cod",
}  # fmt: skip
# A checkout whose market day went stale: every role is told the new day before paying; nothing is written.
CHECKOUT_FORM = {
    "fulfilment": "delivery", "payment_method": "cod", "address": "Jl. Cihapit 1", "lat": "-6.9", "lng": "107.6227",
    "idempotency_key": "matrix", "prepared_for": "2000-01-01", "action": "place",
}  # fmt: skip


@dataclass(frozen=True)
class Upload:
    """A file field in a row's form data."""

    name: str
    content: str


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expected: str
    data: Mapping[str, str | Upload] = field(default_factory=dict)
    writes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        assert len(self.expected.split()) == len(ROLES), f"{self.method} {self.path}: one outcome per role"


def writes(*roles: str) -> frozenset[str]:
    return frozenset(roles)


SHOPPERS = frozenset(ROLES) - {"anonymous"}


# fmt: off
#   method  path                                          anon  buyer trader o_trd oper  o_op  cour  offi  admin
ROWS = [
    # Buyer pages: public.
    Row("GET",  "/",                                      "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/?q=cihapit&lat=abc&lng=1",              "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/tentang/",                              "200   200   200   200   200   200   200   200   200"),
    # The service worker (offline pages for traders and couriers): public, like the static files.
    Row("GET",  "/sw.js",                                 "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/pasar/{market}/",                       "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/pasar/tidak-ada/",                      "404   404   404   404   404   404   404   404   404"),
    Row("GET",  "/pasar/{market}/cari/?q=kangkung",       "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/lapak/{stall}/",                        "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/lapak/999999/",                         "404   404   404   404   404   404   404   404   404"),
    Row("GET",  "/produk/{product}/",                     "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/produk/999999/",                        "404   404   404   404   404   404   404   404   404"),
    # Probes for the load balancer and the supervisor: public, never a login. Tests run no worker and no
    # scheduler, so readiness says 503.
    Row("GET",  "/healthz",                               "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/readyz",                                "503   503   503   503   503   503   503   503   503"),
    # Accounts and language.
    Row("GET",  "/akun/masuk/",                           "200   200   200   200   200   200   200   200   200"),
    # A wrong password is counted (django-axes), whoever sends it.
    Row("POST", "/akun/masuk/",                           "200   200   200   200   200   200   200   200   200",
        data={"username": "081299999999", "password": "salah"}, writes=frozenset(ROLES)),
    Row("GET",  "/akun/pin/",                             "login 200   200   200   200   200   200   200   200"),
    # A wrong current PIN: a field error, counted like a wrong login.
    Row("POST", "/akun/pin/",                             "login 400   400   400   400   400   400   400   400",
        data={"old_password": "salah", "new_password1": "583920", "new_password2": "583920"}, writes=SHOPPERS),
    Row("GET",  "/akun/keluar/",                          "405   405   405   405   405   405   405   405   405"),
    Row("POST", "/akun/keluar/",                          "302   302   302   302   302   302   302   302   302"),
    Row("GET",  "/akun/saya/",                            "login 200   302   302   302   302   200   200   200"),
    # Personal data: the notice is public; "Data saya" is every person's own (a download is a recorded request).
    Row("GET",  "/privasi/",                              "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/akun/data/",                            "login 200   200   200   200   200   200   200   200"),
    Row("GET",  "/akun/data/unduh.json",                  "login 200   200   200   200   200   200   200   200",
        writes=SHOPPERS),
    Row("GET",  "/akun/data/unduh.csv",                   "login 200   200   200   200   200   200   200   200",
        writes=SHOPPERS),
    Row("GET",  "/akun/data/ubah/",                       "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/akun/data/ubah/",                       "login 400   400   400   400   400   400   400   400",
        data={"name": " ", "email": ""}),
    Row("GET",  "/akun/data/permintaan/",                 "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/akun/data/permintaan/",                 "login 400   400   400   400   400   400   400   400",
        data={"kind": "deletion"}),
    Row("GET",  "/akun/data/persetujuan/",                "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/akun/data/persetujuan/",                "login 302   302   302   302   302   302   302   302",
        data={"action": "unknown"}),
    Row("GET",  "/notifikasi/",                           "login 200   200   200   200   200   200   200   200"),
    Row("POST", "/notifikasi/baca/",                      "login 302   302   302   302   302   302   302   302"),
    Row("GET",  "/notifikasi/whatsapp/",                  "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/notifikasi/whatsapp/",                  "login 302   302   302   302   302   302   302   302",
        data={"whatsapp": "on"}, writes=SHOPPERS),
    # WhatsApp webhook: no verify token or app secret in the tests, so every handshake and POST is refused.
    Row("GET",  "/webhooks/whatsapp/?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1",
        "403   403   403   403   403   403   403   403   403"),
    Row("POST", "/webhooks/whatsapp/",                    "401   401   401   401   401   401   401   401   401",
        data={"object": "whatsapp_business_account"}),
    # Logging in by one-time code: public; a number that is not a number is a field error, nothing written.
    Row("GET",  "/akun/masuk/kode/",                      "200   200   200   200   200   200   200   200   200"),
    Row("POST", "/akun/masuk/kode/",                      "200   200   200   200   200   200   200   200   200",
        data={"phone": "halo"}),
    Row("GET",  "/akun/masuk/kode/cek/",                  "302   302   302   302   302   302   302   302   302"),
    Row("POST", "/i18n/setlang/",                         "302   302   302   302   302   302   302   302   302",
        data={"language": "en", "next": "/"}),
    # Trader screens: only one's own stalls and products.
    Row("GET",  "/pedagang/harga/",                       "login 404   200   200   404   404   404   404   404"),
    Row("POST", "/pedagang/harga/",                       "login 404   302   302   404   404   404   404   404",
        data=PRICE_FORM, writes=writes("trader")),
    Row("GET",  "/pedagang/produk/baru/",                 "login 404   200   200   404   404   404   404   404"),
    Row("POST", "/pedagang/produk/baru/",                 "login 404   302   200   404   404   404   404   404",
        data=PRODUCT_FORM, writes=writes("trader")),
    Row("GET",  "/pedagang/produk/{product}/",            "login 404   200   404   404   404   404   404   404"),
    Row("POST", "/pedagang/produk/{product}/",            "login 404   302   404   404   404   404   404   404",
        data=PRODUCT_FORM, writes=writes("trader")),
    Row("POST", "/pedagang/produk/{product}/varian/",     "login 404   302   404   404   404   404   404   404",
        data={"variant-size": "M", "variant-price": "5000"}, writes=writes("trader")),
    # Market operator screens: only the markets one runs (platform staff: all).
    Row("GET",  "/pengelola/{market}/",                   "login 404   404   404   200   404   404   404   200"),
    Row("GET",  "/pengelola/{market}/kotak-keluar/",      "login 404   404   404   200   404   404   404   200"),
    Row("POST", "/pengelola/{market}/kotak-keluar/",      "login 404   404   404   302   404   404   404   302",
        data={"text": "Sabtu pasar tutup jam 12."}, writes=writes("operator", "admin")),
    Row("GET",  "/pengelola/kotak-keluar/",               "login 404   404   404   404   404   404   404   200"),
    Row("GET",  "/pengelola/wilayah/32/pengumuman/",      "login 404   404   404   404   404   404   200   200"),
    Row("POST", "/pengelola/wilayah/32/pengumuman/",      "login 404   404   404   404   404   404   302   302",
        data={"text": "Pelatihan QRIS hari Senin."}, writes=writes("officer", "admin")),
    Row("GET",  "/pengelola/{other_market}/",             "login 404   404   404   404   200   404   404   200"),
    Row("GET",  "/pengelola/tidak-ada/",                  "login 404   404   404   404   404   404   404   404"),
    Row("GET",  "/pengelola/{market}/daftar/",            "login 404   404   404   200   404   404   404   200"),
    Row("POST", "/pengelola/{market}/daftar/",            "login 404   404   404   200   404   404   404   200",
        data=REGISTRATION_FORM, writes=writes("operator", "admin")),
    Row("GET",  "/pengelola/{market}/lapak/{stall}/status/", "login 405 405  405   405   405   405   405   405"),
    Row("POST", "/pengelola/{market}/lapak/{stall}/status/", "login 404 404  404   302   404   404   404   302",
        data={"status": "dilatih"}, writes=writes("operator", "admin")),
    Row("POST", "/pengelola/{other_market}/lapak/{stall}/status/", "login 404 404 404 404 404 404   404   404",
        data={"status": "dilatih"}),
    # A forgotten PIN (a new one shown once) and the unlock after too many wrong PINs: the market's operator.
    Row("GET",  "/pengelola/{market}/lapak/{stall}/pin/", "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/pengelola/{market}/lapak/{stall}/pin/", "login 404   404   404   200   404   404   404   200",
        writes=writes("operator", "admin")),
    Row("POST", "/pengelola/{other_market}/lapak/{stall}/pin/", "login 404 404 404   404   404   404   404   404"),
    Row("GET",  "/pengelola/{market}/lapak/{stall}/buka-kunci/", "login 405 405 405  405   405   405   405   405"),
    Row("POST", "/pengelola/{market}/lapak/{stall}/buka-kunci/", "login 404 404 404  302   404   404   404   302"),
    Row("GET",  "/pengelola/{market}/impor/",             "login 404   404   404   200   404   404   404   200"),
    Row("POST", "/pengelola/{market}/impor/",             "login 404   404   404   302   404   404   404   302",
        data={"file": Upload("pedagang.csv", TRADER_LIST_CSV)}, writes=writes("operator", "admin")),
    # A list is seen and confirmed only by the operator who uploaded it.
    Row("GET",  "/pengelola/{market}/impor/{import}/",    "login 404   404   404   200   404   404   404   404"),
    Row("GET",  "/pengelola/{market}/impor/{import}/konfirmasi/", "login 405 405 405 405   405   405   405   405"),
    Row("POST", "/pengelola/{market}/impor/{import}/konfirmasi/", "login 404 404 404 200   404   404   404   404",
        data={"consent": "on"}, writes=writes("operator")),
    # Buyer's carts and orders: every logged-in person can shop; an order is seen only by its buyer.
    Row("GET",  "/keranjang/",                            "login 200   200   200   200   200   200   200   200"),
    Row("GET",  "/keranjang/tambah/{product}/",           "405   405   405   405   405   405   405   405   405"),
    Row("POST", "/keranjang/tambah/{product}/",           "login 302   302   302   302   302   302   302   302",
        data={"quantity": "2", "note": "yang segar"}, writes=SHOPPERS),
    Row("GET",  "/keranjang/{market}/",                   "login 200   200   200   200   200   200   200   200"),
    Row("GET",  "/keranjang/tidak-ada/",                  "login 404   404   404   404   404   404   404   404"),
    Row("POST", "/keranjang/{market}/baris/{product}/",   "login 302   302   302   302   302   302   302   302",
        data={"quantity": "3"}, writes=SHOPPERS),
    Row("GET",  "/keranjang/{market}/checkout/",          "login 200   200   200   200   200   200   200   200"),
    Row("POST", "/keranjang/{market}/checkout/",          "login 200   200   200   200   200   200   200   200",
        data=CHECKOUT_FORM),
    # Shopping lists (titip belanja): a preview writes nothing; "put in the cart" writes one's own cart;
    # a cari-di-pasar line's cap is changed only by its buyer (others are told it is not in their cart).
    Row("GET",  "/keranjang/{market}/daftar/",            "login 200   200   200   200   200   200   200   200"),
    Row("POST", "/keranjang/{market}/daftar/",            "login 200   200   200   200   200   200   200   200",
        data={"text": "kemangi 3rb", "action": "preview"}),
    Row("GET",  "/keranjang/{market}/cari/{request}/",    "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/keranjang/{market}/cari/{request}/",    "login 302   302   302   302   302   302   302   302",
        data={"cap": "9.000"}, writes=writes("buyer")),
    Row("POST", "/pesanan/{order}/cari/{search_line}/keputusan/", "login 302 404 404 404 404   404   404   404",
        data={"approve": "1"}),
    Row("GET",  "/pesanan/",                              "login 200   200   200   200   200   200   200   200"),
    Row("GET",  "/pesanan/{order}/",                      "login 200   404   404   404   404   404   404   404"),
    Row("GET",  "/pesanan/{order}/bayar/",                "login 200   404   404   404   404   404   404   404"),
    # A cash order has no QRIS to show: the buyer is sent back with a message, nothing is written.
    Row("POST", "/pesanan/{order}/bayar/",                "login 302   404   404   404   404   404   404   404",
        data={"action": "qris"}),
    Row("GET",  "/pesanan/tidak-ada/",                    "login 404   404   404   404   404   404   404   404"),
    Row("GET",  "/pesanan/{order}/baris/{line}/keputusan/", "login 405 405   405   405   405   405   405   405"),
    Row("POST", "/pesanan/{order}/baris/{line}/keputusan/", "login 302 404   404   404   404   404   404   404",
        data={"approve": "1"}, writes=writes("buyer")),
    # Staff order screens: a trader sees only their stalls' parts, a courier their market's deliveries,
    # an operator the markets they run.
    Row("GET",  "/pedagang/pesanan/",                     "login 404   200   200   404   404   404   404   404"),
    Row("GET",  "/pedagang/pesanan/{part}/",              "login 404   200   404   404   404   404   404   404"),
    Row("POST", "/pedagang/pesanan/{part}/",              "login 404   302   404   404   404   404   404   404",
        data={"action": "accept"}, writes=writes("trader")),
    Row("GET",  "/kurir/",                                "login 404   404   404   404   404   200   404   404"),
    Row("POST", "/kurir/",                                "login 404   404   404   404   404   302   404   404",
        data={"action": "take", "order": "{ready_order}"}, writes=writes("courier")),
    Row("GET",  "/pengelola/{market}/pesanan/",           "login 404   404   404   200   404   404   404   200"),
    Row("GET",  "/pengelola/{other_market}/pesanan/",     "login 404   404   404   404   200   404   404   200"),
    # The courier queue: a courier's own screen (check-in writes); an operator's live queue of their market.
    Row("GET",  "/kurir/antrian/",                        "login 404   404   404   404   404   200   404   404"),
    Row("POST", "/kurir/antrian/",                        "login 404   404   404   404   404   302   404   404",
        data={"action": "checkin", "market": "{market}", "capacity": "3"}, writes=writes("courier")),
    Row("GET",  "/pengelola/{market}/antrian/",           "login 404   404   404   200   404   404   404   200"),
    Row("GET",  "/pengelola/{other_market}/antrian/",     "login 404   404   404   404   200   404   404   200"),
    Row("POST", "/pengelola/{market}/antrian/",           "login 404   404   404   302   404   404   404   302",
        data={"action": "tick"}, writes=writes("operator", "admin")),
    Row("GET",  "/pengelola/{market}/pesanan/{order_id}/batal/", "login 405 405 405 405   405   405   405   405"),
    Row("POST", "/pengelola/{market}/pesanan/{order_id}/batal/", "login 404 404 404 302   404   404   404   302",
        data={"reason": "Pembeli minta batal"}, writes=writes("operator", "admin")),
    Row("POST", "/pengelola/{other_market}/pesanan/{order_id}/batal/", "login 404 404 404 404 404 404 404 404",
        data={"reason": "Pembeli minta batal"}),
    # A delivery order: the operator's handover is refused with a message, nothing changes.
    Row("GET",  "/pengelola/{market}/pesanan/{order_id}/serah/", "login 405 405 405 405   405   405   405   405"),
    Row("POST", "/pengelola/{market}/pesanan/{order_id}/serah/", "login 404 404 404 302   404   404   404   302",
        data={"code": "0000"}),
    Row("POST", "/pengelola/{other_market}/pesanan/{order_id}/serah/", "login 404 404 404 404 404 404 404 404",
        data={"code": "0000"}),
    # Payments: the day's settlement, transfers to match against the bank, the provider webhook.
    Row("GET",  "/pengelola/{market}/setoran/",           "login 404 404 404 200 404 404 404 200"),
    Row("POST", "/pengelola/{market}/setoran/",           "login 404 404 404 302 404 404 404 302"),
    Row("GET",  "/pengelola/{other_market}/setoran/",     "login 404 404 404 404 200 404 404 200"),
    Row("GET",  "/pengelola/{market}/transfer/",          "login 404 404 404 200 404 404 404 200"),
    Row("GET",  "/pengelola/{market}/transfer/{order}/",  "login 404 404 404 200 404 404 404 200"),
    Row("POST", "/pengelola/{market}/transfer/{order}/",  "login 404 404 404 200 404 404 404 200",
        data={"amount": "1", "reference": "MUT-1"}),
    Row("POST", "/pengelola/{other_market}/transfer/{order}/", "login 404 404 404 404 404 404 404 404",
        data={"amount": "1", "reference": "MUT-1"}),
    Row("POST", "/api/v1/payments/notifications/fake",    "400 400 400 400 400 400 400 400 400",
        data={"order_id": "x"}),
    # Complaints: the buyer's own order; the trader of the line's stall answers; the market's operator decides.
    # The matrix's order is not delivered and its one line is complained about already, so the buyer's form
    # and the operator's early decision are refused with a message (200) and write nothing.
    Row("GET",  "/pesanan/{order}/komplain/",             "login 200   404   404   404   404   404   404   404"),
    Row("POST", "/pesanan/{order}/komplain/",             "login 200   404   404   404   404   404   404   404",
        data={"line": "{line}", "reason": "spoiled", "remedy": "refund_full"}),
    Row("GET",  "/pedagang/komplain/{complaint}/",        "login 404   200   404   404   404   404   404   404"),
    Row("POST", "/pedagang/komplain/{complaint}/",        "login 404   302   404   404   404   404   404   404",
        data={"agree": "0", "note": "Masih segar"}, writes=writes("trader")),
    Row("GET",  "/pengelola/{market}/komplain/",          "login 404   404   404   200   404   404   404   200"),
    Row("GET",  "/pengelola/{other_market}/komplain/",    "login 404   404   404   404   200   404   404   200"),
    Row("GET",  "/pengelola/{market}/komplain/{complaint}/", "login 404 404   404   200   404   404   404   200"),
    Row("POST", "/pengelola/{market}/komplain/{complaint}/", "login 404 404   404   200   404   404   404   200",
        data={"amount": "1000", "method": "credit"}),
    Row("POST", "/pengelola/{other_market}/komplain/{complaint}/", "login 404 404 404 404 404   404   404   404",
        data={"amount": "1000", "method": "credit"}),
    # Business buyers: ``buyer`` owns {business} (tempo at {market}); members only, the market's operator sets terms.
    Row("GET",  "/usaha/",                                "login 200   200   200   200   200   200   200   200"),
    Row("POST", "/usaha/",                                "login 302   302   302   302   302   302   302   302",
        data={"name": "Warung Baru", "kind": "warung", "address": "Jl. Baru 1"}, writes=SHOPPERS),
    Row("GET",  "/usaha/{business}/",                     "login 200   404   404   404   404   404   404   404"),
    Row("POST", "/usaha/{business}/",                     "login 302   404   404   404   404   404   404   404",
        data={"action": "address", "label": "Dapur", "address": "Jl. Dapur 2"}, writes=writes("buyer")),
    Row("POST", "/usaha/{business}/kontak/{member}/hapus/", "login 302 404   404   404   404   404   404   404",
        writes=writes("buyer")),
    Row("GET",  "/usaha/{business}/faktur/{invoice}/",    "login 200   404   404   404   404   404   404   404"),
    Row("GET",  "/usaha/{business}/faktur/{invoice}/pdf/", "login 200  404   404   404   404   404   404   404"),
    Row("GET",  "/usaha/{business}/tagihan/",             "login 200   404   404   404   404   404   404   404"),
    Row("GET",  "/usaha/{business}/tagihan/xlsx/",        "login 200   404   404   404   404   404   404   404"),
    Row("GET",  "/pengelola/{market}/usaha/",             "login 404   404   404   200   404   404   404   200"),
    Row("GET",  "/pengelola/{other_market}/usaha/",       "login 404   404   404   404   200   404   404   200"),
    Row("GET",  "/pengelola/{market}/usaha/{business}/",  "login 404   404   404   200   404   404   404   200"),
    Row("POST", "/pengelola/{market}/usaha/{business}/",  "login 404   404   404   302   404   404   404   302",
        data={"kind": "tempo", "days": "30", "credit_limit": "900000", "invoicing": "order"},
        writes=writes("operator", "admin")),
    Row("POST", "/pengelola/{other_market}/usaha/{business}/", "login 404 404 404  404   404   404   404   404",
        data={"kind": "cash", "invoicing": "order"}),
    Row("GET",  "/pengelola/{market}/faktur/{invoice}/",  "login 404   404   404   200   404   404   404   200"),
    Row("POST", "/pengelola/{market}/faktur/{invoice}/",  "login 404   404   404   302   404   404   404   302",
        data={"amount": "1000", "reference": "BCA 1", "paid_on": "2026-12-02"}, writes=writes("operator", "admin")),
    Row("GET",  "/pengelola/{other_market}/faktur/{invoice}/", "login 404 404 404  404   404   404   404   404"),
    # Tawar: a buyer offers on a line of their own cart (``buyer`` has an open offer {offer} at {market}, on
    # another product of {stall}: nobody has a {product} line, so every offer below is refused with a message);
    # only the buyer who made it answers or withdraws it; only the stall's trader answers it or sets a threshold.
    Row("GET",  "/keranjang/{market}/tawar/{product}/",   "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/keranjang/{market}/tawar/{product}/",   "login 302   302   302   302   302   302   302   302",
        data={"price": "2500"}),
    Row("POST", "/keranjang/tidak-ada/tawar/{product}/",  "login 404   404   404   404   404   404   404   404",
        data={"price": "2500"}),
    Row("GET",  "/keranjang/{market}/tawaran/{offer}/",   "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/keranjang/{market}/tawaran/{offer}/",   "login 302   404   404   404   404   404   404   404",
        data={"action": "withdraw"}, writes=writes("buyer")),
    Row("POST", "/keranjang/{other_market}/tawaran/{offer}/", "login 404 404   404   404   404   404   404   404",
        data={"action": "withdraw"}),
    Row("GET",  "/pedagang/tawaran/",                     "login 404   200   200   404   404   404   404   404"),
    Row("GET",  "/pedagang/tawaran/{offer}/",             "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/pedagang/tawaran/{offer}/",             "login 404   302   404   404   404   404   404   404",
        data={"action": "accept"}, writes=writes("trader")),
    Row("GET",  "/pedagang/tawaran/batas/{product}/",     "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/pedagang/tawaran/batas/{product}/",     "login 404   302   404   404   404   404   404   404",
        data={"bargain_from": "5"}, writes=writes("trader")),
    # Standing orders (pesanan rutin): everyone may make one from their own cart (only ``buyer`` has a line
    # at {market}, so only theirs is saved); {standing} (with its draft {run}) is seen and changed only by
    # ``buyer``; {other_run} is a draft of another buyer's standing order, never reached through {standing}.
    Row("GET",  "/rutin/",                                "login 200   200   200   200   200   200   200   200"),
    Row("GET",  "/rutin/baru/{market}/",                  "login 200   200   200   200   200   200   200   200"),
    Row("POST", "/rutin/baru/{market}/",                  "login 302   200   200   200   200   200   200   200",
        data=STANDING_FORM, writes=writes("buyer")),
    # From a past order: only its buyer's.
    Row("GET",  "/rutin/baru/{market}/?pesanan={order}",  "login 200   404   404   404   404   404   404   404"),
    Row("GET",  "/rutin/baru/tidak-ada/",                 "login 404   404   404   404   404   404   404   404"),
    Row("GET",  "/rutin/{standing}/",                     "login 200   404   404   404   404   404   404   404"),
    Row("GET",  "/rutin/{standing}/jadwal/",              "login 200   404   404   404   404   404   404   404"),
    Row("POST", "/rutin/{standing}/jadwal/",              "login 302   404   404   404   404   404   404   404",
        data={"every": "days", "interval_days": "2", "starts_on": "2026-12-02"}, writes=writes("buyer")),
    Row("GET",  "/rutin/{standing}/jeda/",                "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/rutin/{standing}/jeda/",                "login 302   404   404   404   404   404   404   404",
        data={"paused": "1"}, writes=writes("buyer")),
    Row("GET",  "/rutin/{standing}/tanggal/{run}/baris/", "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/rutin/{standing}/tanggal/{run}/baris/", "login 302   404   404   404   404   404   404   404",
        data={"product": "{product}", "quantity": "3"}, writes=writes("buyer")),
    Row("POST", "/rutin/{standing}/tanggal/{other_run}/baris/", "login 404 404 404 404   404   404   404   404",
        data={"product": "{product}", "quantity": "3"}),
    Row("GET",  "/rutin/{standing}/tanggal/{run}/lewati/", "login 405  405   405   405   405   405   405   405"),
    Row("POST", "/rutin/{standing}/tanggal/{run}/lewati/", "login 302  404   404   404   404   404   404   404",
        data={"skip": "1"}, writes=writes("buyer")),
    Row("POST", "/rutin/{standing}/tanggal/{other_run}/lewati/", "login 404 404 404 404  404   404   404   404",
        data={"skip": "1"}),
    # Dashboards: officers read their region (province 32 here; 34 is another province), operators their
    # market; exports and "recalculate today" are refused outside one's scope; a file only for its requester.
    Row("GET",  "/dinas/",                                "login 404   404   404   404   404   404   302   200"),
    Row("GET",  "/dinas/wilayah/32/",                     "login 404   404   404   404   404   404   200   200"),
    Row("GET",  "/dinas/wilayah/34/",                     "login 404   404   404   404   404   404   404   200"),
    Row("GET",  "/dinas/pasar/{market}/",                 "login 404   404   404   404   404   404   200   200"),
    Row("GET",  "/dinas/pasar/{other_market}/",           "login 404   404   404   404   404   404   404   200"),
    Row("GET",  "/dinas/lapak/{stall}/",                  "login 404   404   404   404   404   404   200   200"),
    Row("GET",  "/pengelola/{market}/dasbor/",            "login 404   404   404   200   404   404   404   200"),
    Row("GET",  "/pengelola/{other_market}/dasbor/",      "login 404   404   404   404   200   404   404   200"),
    Row("GET",  "/pengelola/{market}/hari-ini/",          "login 404   404   404   200   404   404   404   200"),
    Row("GET",  "/dasbor/segarkan/",                      "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/dasbor/segarkan/",                      "login 404   404   404   302   404   404   302   302",
        data={"market": "{market}"}, writes=writes("operator", "officer", "admin")),
    Row("GET",  "/ekspor/",                               "login 405   405   405   405   405   405   405   405"),
    Row("POST", "/ekspor/",                               "login 404   404   404   302   404   404   302   302",
        data=EXPORT_FORM, writes=writes("operator", "officer", "admin")),
    Row("POST", "/ekspor/?lain",                          "login 404   404   404   404   302   404   404   302",
        data={**EXPORT_FORM, "market": "{other_market}"}, writes=writes("other_operator", "admin")),
    Row("GET",  "/ekspor/{export}/",                      "login 404   404   404   200   404   404   404   404"),
    Row("GET",  "/ekspor/{export}/unduh/",                "login 404   404   404   200   404   404   404   404"),
    Row("GET",  "/api/v1/dashboards/markets/{market}",    "401   404   404   404   200   404   404   200   200"),
    Row("GET",  "/api/v1/dashboards/markets/{other_market}", "401 404   404   404   404   200   404   404   200"),
    Row("GET",  "/api/v1/dashboards/regions/32",          "401   404   404   404   404   404   404   200   200"),
    Row("GET",  "/api/v1/dashboards/regions/34",          "401   404   404   404   404   404   404   404   200"),
    # Training: the market's operator, the region's officer; ticking attendance writes.
    Row("GET",  "/pengelola/{market}/pelatihan/",         "login 404   404   404   200   404   404   404   200"),
    Row("POST", "/pengelola/{market}/pelatihan/",         "login 404   404   404   302   404   404   404   302",
        data=EVENT_FORM, writes=writes("operator", "admin")),
    Row("GET",  "/pengelola/{other_market}/pelatihan/",   "login 404   404   404   404   200   404   404   200"),
    Row("GET",  "/dinas/pelatihan/",                      "login 404   404   404   404   404   404   200   200"),
    Row("POST", "/dinas/pelatihan/",                      "login 404   404   404   404   404   404   302   302",
        data={**EVENT_FORM, "scope": "m:{market}"}, writes=writes("officer", "admin")),
    Row("GET",  "/pelatihan/{event}/",                    "login 404   404   404   200   404   404   200   200"),
    Row("POST", "/pelatihan/{event}/",                    "login 404   404   404   302   404   404   302   302",
        data={"shown": "{trader_id}", "present": "{trader_id}"}, writes=writes("operator", "officer", "admin")),
    # Django admin: platform staff only; everyone else is sent to the admin's own login.
    Row("GET",  "/admin/",                                "302   302   302   302   302   302   302   302   200"),
    # Public read-only JSON API.
    Row("GET",  "/api/v1/",                               "404   404   404   404   404   404   404   404   404"),
    Row("GET",  "/api/v1/openapi.json",                   "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/docs",                           "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/regions",                        "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/markets",                        "200   200   200   200   200   200   200   200   200"),
    Row("POST", "/api/v1/markets",                        "405   405   405   405   405   405   405   405   405"),
    Row("GET",  "/api/v1/markets/{market}",               "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/markets/{market}/stalls",        "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/markets/{market}/search?q=kangkung", "200 200 200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/stalls/{stall}",                 "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/products/{product}",             "200   200   200   200   200   200   200   200   200"),
    Row("PUT",  "/api/v1/products/{product}",             "405   405   405   405   405   405   405   405   405",
        data={"price": "1"}),
    # The buyer's JSON API (session auth): 401 without a login; another buyer's order is 404.
    Row("GET",  "/api/v1/cart/{market}",                  "401   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/cart/{market}/lines/{product}",  "401   404   404   404   404   404   404   404   404"),
    Row("PUT",  "/api/v1/cart/{market}/lines/{product}",  "401   200   200   200   200   200   200   200   200",
        data={"quantity": "2", "note": "yang segar"}, writes=SHOPPERS),
    Row("DELETE", "/api/v1/cart/{market}/lines/{product}", "401  404   404   404   404   404   404   404   404"),
    Row("POST", "/api/v1/checkout",                       "401   422   422   422   422   422   422   422   422",
        data={"market": "{market}", "fulfilment": "pickup", "payment_method": "qris"}),
    Row("GET",  "/api/v1/orders",                         "401   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/orders/{order}",                 "401   200   404   404   404   404   404   404   404"),
    Row("POST", "/api/v1/orders/{order}/lines/{line}/decision", "401 200 404 404   404   404   404   404   404",
        data={"approve": "true"}, writes=writes("buyer")),
    # Shopping list over JSON: a preview writes nothing. The order is not with a courier yet: a decision is 400.
    Row("POST", "/api/v1/cart/{market}/list",             "401   200   200   200   200   200   200   200   200",
        data={"text": "kemangi 3rb", "preview": "true"}),
    Row("POST", "/api/v1/orders/{order}/search-lines/{search_line}/decision",
        "401 400 404 404 404 404 404 404 404", data={"approve": "true"}),
    # The staff's order API (session auth): 401 without a login, 404 for a role or object not one's own.
    Row("GET",  "/api/v1/trader/parts",                   "401   404   200   200   404   404   404   404   404"),
    Row("GET",  "/api/v1/trader/parts/{part}",            "401   404   200   404   404   404   404   404   404"),
    Row("POST", "/api/v1/trader/parts/{part}/accept",     "401   404   200   404   404   404   404   404   404",
        writes=writes("trader")),
    Row("POST", "/api/v1/trader/parts/{part}/lines/{line}/mark", "401 404 200 404   404   404   404   404   404",
        data={"available": "true"}, writes=writes("trader")),
    Row("POST", "/api/v1/trader/parts/{part}/lines/{line}/weigh", "401 404 400 404   404   404   404   404   404",
        data={"quantity": "1"}),
    Row("POST", "/api/v1/trader/parts/{part}/lines/{line}/substitute", "401 404 400 404 404 404  404   404   404",
        data={"product_id": "{product}", "quantity": "1"}),
    Row("POST", "/api/v1/trader/parts/{part}/ready",      "401   404   400   404   404   404   404   404   404"),
    Row("GET",  "/api/v1/courier/orders",                 "401   404   404   404   404   404   200   404   404"),
    Row("POST", "/api/v1/courier/orders/{ready_order}/take", "401 404   404   404   404   404   200   404   404",
        writes=writes("courier")),
    Row("POST", "/api/v1/courier/orders/{taken_order}/parts/{taken_part}/pick-up",
        "401 404 404 404 404 404 200 404 404",
        writes=writes("courier")),
    Row("POST", "/api/v1/courier/orders/{taken_order}/deliver", "401 404 404 404   404   404   400   404   404",
        data={"code": "0000"}),
    # Another order's cari-di-pasar line: the courier is refused (400), nothing changes.
    Row("POST", "/api/v1/courier/orders/{taken_order}/search-lines/{search_line}/bought",
        "401 404 404 404 404 404 400 404 404", data={"amount": "1000"}),
    Row("POST", "/api/v1/courier/orders/{taken_order}/search-lines/{search_line}/not-found",
        "401 404 404 404 404 404 400 404 404"),
    Row("GET",  "/api/v1/operator/markets/{market}/orders", "401 404   404   404   200   404   404   404   200"),
    Row("POST", "/api/v1/operator/markets/{market}/orders/{order_id}/cancel", "401 404 404 404 200 404 404 404 200",
        data={"reason": "Pembeli minta batal"}, writes=writes("operator", "admin")),
    Row("POST", "/api/v1/operator/markets/{other_market}/orders/{order_id}/cancel",
        "401 404 404 404 404 404 404 404 404",
        data={"reason": "Pembeli minta batal"}),
    # The courier queue's API: only a courier of the market; another's (or a missing) offer or trip is 404.
    Row("GET",  "/api/v1/courier/queue",                  "401   404   404   404   404   404   200   404   404"),
    Row("POST", "/api/v1/courier/queue/check-in",         "401   404   404   404   404   404   200   404   404",
        data={"market": "{market}", "capacity": "3"}, writes=writes("courier")),
    Row("POST", "/api/v1/courier/queue/check-out",        "401   404   404   404   404   404   400   404   404"),
    Row("POST", "/api/v1/courier/offers/999999/accept",   "401   404   404   404   404   404   404   404   404"),
    Row("POST", "/api/v1/courier/offers/999999/decline",  "401   404   404   404   404   404   404   404   404"),
    Row("POST", "/api/v1/courier/trips/999999/stalls/1/pick-up", "401 404 404 404 404 404   404   404   404"),
    Row("POST", "/api/v1/courier/trips/999999/orders/1/deliver", "401 404 404 404 404 404   404   404   404",
        data={"code": "0000"}),
    Row("GET",  "/api/v1/operator/markets/{market}/queue", "401  404   404   404   200   404   404   404   200"),
    Row("GET",  "/api/v1/operator/markets/{other_market}/queue", "401 404 404 404 404  200   404   404   200"),
    # The complaints API: the buyer's own order, the trader of the line's stall, the market's operator. The
    # matrix's order is not delivered (400 for its buyer); the operator may not decide before the deadline.
    Row("GET",  "/api/v1/orders/{order}/complaints",      "401   200   404   404   404   404   404   404   404"),
    Row("POST", "/api/v1/orders/{order}/complaints",      "401   200   404   404   404   404   404   404   404",
        data={"line_id": "{line}", "reason": "spoiled", "remedy": "refund_full"}),
    Row("POST", "/api/v1/trader/complaints/{complaint}/answer", "401 404 200 404   404   404   404   404   404",
        data={"agree": "false", "note": "Masih segar"}, writes=writes("trader")),
    Row("GET",  "/api/v1/operator/markets/{market}/complaints", "401 404 404 404   200   404   404   404   200"),
    Row("POST", "/api/v1/operator/markets/{market}/complaints/{complaint}/decide",
        "401 404 404 404 400 404 404 404 400", data={"amount": "1000", "method": "credit"}),
    Row("POST", "/api/v1/operator/markets/{other_market}/complaints/{complaint}/decide",
        "401 404 404 404 404 404 404 404 404", data={"amount": "1000", "method": "credit"}),
    # Commodity prices: public boards; operators import reference prices for their own market only
    # (the upload is seen and confirmed by its uploader); officers read flags inside their regions only.
    Row("GET",  "/harga/",                                "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/harga/wilayah/32/",                     "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/harga/{market}/",                       "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/harga/tidak-ada/",                      "404   404   404   404   404   404   404   404   404"),
    Row("GET",  "/pengelola/{market}/harga-acuan/",       "login 404   404   404   200   404   404   404   200"),
    Row("POST", "/pengelola/{market}/harga-acuan/",       "login 404   404   404   302   404   404   404   302",
        data={"kind": "het", "file": Upload("het.csv", PRICE_CEILING_CSV)}, writes=writes("operator", "admin")),
    Row("POST", "/pengelola/{other_market}/harga-acuan/", "login 404   404   404   404   302   404   404   302",
        data={"kind": "het", "file": Upload("het.csv", PRICE_CEILING_CSV)}, writes=writes("other_operator", "admin")),
    Row("GET",  "/pengelola/{market}/harga-acuan/{price_import}/", "login 404 404 404 200   404   404   404   404"),
    Row("GET",  "/pengelola/{market}/harga-acuan/{price_import}/konfirmasi/", "login 405 405 405 405 405 405 405 405"),
    Row("POST", "/pengelola/{market}/harga-acuan/{price_import}/konfirmasi/", "login 404 404 404 302 404 404 404 404",
        writes=writes("operator")),
    Row("GET",  "/dinas/harga/",                          "login 404   404   404   404   404   404   200   200"),
    Row("GET",  "/dinas/harga/{market}/",                 "login 404   404   404   404   404   404   200   200"),
    Row("GET",  "/dinas/harga/{other_market}/",           "login 404   404   404   404   404   404   404   200"),
    Row("GET",  "/api/v1/prices",                         "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/prices/regions/32",              "200   200   200   200   200   200   200   200   200"),
    Row("GET",  "/api/v1/prices/markets/{market}",        "200   200   200   200   200   200   200   200   200"),
]
# fmt: on

CELLS = [
    pytest.param(row, role, outcome, id=f"{row.method} {row.path} {role}")
    for row in ROWS
    for role, outcome in zip(ROLES, row.expected.split(), strict=True)
]

# The login session changes on every request of a logged-in user; permissions and content types are static;
# the audit log gains a row whenever staff open a page with personal data (pasar/privacy/tests checks it).
UNWATCHED = {"sessions.session", "auth.permission", "contenttypes.contenttype", "accounts.personaldataaccess"}


def snapshot():
    """Every row of every watched table, to compare before and after a request."""
    state = {}
    for model in apps.get_models():
        if model._meta.label_lower not in UNWATCHED:
            state[model._meta.label_lower] = list(model._default_manager.order_by("pk").values())
    return state


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


def _order_for(buyer, product):
    """The buyer's order of one product, with a weight to approve (so approving writes)."""
    cart_set(buyer=buyer, product=product, quantity=Decimal(1))
    market = product.market
    checkout = Checkout(
        market=market, fulfilment=Order.Fulfilment.DELIVERY, payment_method=Order.PaymentMethod.COD,
        idempotency_key="matrix", address="Jl. Cihapit 1", latitude=market.latitude, longitude=market.longitude,
    )  # fmt: skip
    order = order_place(buyer=buyer, checkout=checkout)
    OrderLine.objects.filter(part__order=order).update(needs_approval=True)
    return order


def _staff_orders(roles, product):
    """A ready delivery order for a courier to take, and one ``courier`` holds with its part to pick up.

    Moved to "ready" by plain updates: running every trader step here would double the matrix's time.
    """
    orders = [staff_scenarios.place(market=product.market, items=[(product, "1")], buyer=roles.buyer) for _ in range(2)]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(state=Order.State.READY, goods_total=3000)
    StallOrder.objects.filter(order__in=orders).update(state=StallOrder.State.READY)
    Order.objects.filter(pk=orders[1].pk).update(courier=roles.courier)
    return orders


@pytest.fixture
def objects(market, other_market, stall, product, roles, media_root):
    trader_list = trader_import_prepare(
        market=market, by=roles.operator, filename="pedagang.csv", data=TRADER_LIST_CSV.encode()
    )
    order = _order_for(roles.buyer, product)
    ready_order, taken_order = _staff_orders(roles, product)
    event = TrainingEvent.objects.create(
        date=market.created_at.date(), place="Balai", topic="Harga harian", organiser_kind="dinas",
        market=market, created_by=roles.operator,
    )  # fmt: skip
    export = export_request(
        user=roles.operator, kind="markets", file_format="csv", market=market,
        period=parse_period({}, market.created_at.date())[0],
    )  # fmt: skip
    export_build(export.pk)  # queued on commit, which a test transaction never reaches
    from pasar.pricing.services import reference_import_prepare

    factories.commodity()  # Cabai Rawit Merah, named by PRICE_CEILING_CSV
    price_import = reference_import_prepare(
        market=market, by=roles.operator, kind="het", filename="het.csv", data=PRICE_CEILING_CSV.encode()
    )
    line = order.parts.get().lines.get()
    complaint = Complaint.objects.create(
        order=order, line=line, market=market, stall=stall, buyer=roles.buyer, reason="spoiled",
        remedy="refund_full", amount_asked=line.estimate, answer_due_at=timezone.now() + timedelta(hours=24),
    )  # fmt: skip
    business, member, invoice = _business_for(roles, market)
    offer = _offer_for(roles.buyer, stall)
    standing, run = _standing_for(roles.buyer, product)
    _, other_run = _standing_for(factories.user(name="Pembeli Lain"), product)
    return {
        "offer": offer.pk,
        "offer_product": offer.product_id,
        "standing": standing.pk,
        "run": run.pk,
        "other_run": other_run.pk,
        "business": business,
        "member": member,
        "invoice": invoice,
        "complaint": complaint.pk,
        "event": event.pk,
        "export": export.pk,
        "trader_id": stall.trader_id,
        "order": order.number,
        "line": order.parts.get().lines.get().pk,
        "market": market.slug,
        "other_market": other_market.slug,
        "stall": stall.pk,
        "product": product.pk,
        "category": stall.category_id,
        "import": trader_list.pk,
        "part": order.parts.get().pk,
        "order_id": order.pk,
        "ready_order": ready_order.pk,
        "taken_order": taken_order.pk,
        "taken_part": taken_order.parts.get().pk,
        "request": search.cart_request_add(buyer=roles.buyer, market=market, text="Kemangi", price_cap=5000).pk,
        "search_line": SearchLine.objects.create(order=order, text="Kemangi", price_cap=5000).pk,
        "price_import": price_import.pk,
    }


def _business_for(roles, market):
    """``buyer`` owns a hotel with tempo terms at ``market``, a second contact person, one tempo invoice."""
    from pasar.accounts.models import Business, BusinessMember
    from pasar.business.models import Invoice, PaymentTerms

    business = Business.objects.create(name="Hotel Matriks", kind="hotel", address="Jl. Braga 1")
    BusinessMember.objects.create(business=business, user=roles.buyer, is_owner=True)
    member = BusinessMember.objects.create(business=business, user=factories.user(name="Juru Masak"))
    PaymentTerms.objects.create(
        business=business, market=market, kind="tempo", days=14, credit_limit=500_000, set_by=roles.operator
    )
    today = timezone.localdate()
    invoice = Invoice.objects.create(
        market=market, number=1, business=business, issued_on=today, due_on=today + timedelta(days=14),
        tempo_days=14, total=24_000, goods_total=16_000, delivery_fee=8_000,
    )  # fmt: skip
    return business.pk, member.pk, invoice.pk


def _offer_for(buyer, stall):
    """An open offer of ``buyer`` (a business buyer: may bargain on any line) on a second product of the stall.

    Not on ``{product}``: a line of it in the buyer's cart would change the cart-line rows of the matrix.
    """
    from pasar.orders.services import bargain

    cabai = factories.product(stall=stall, name="Cabai Merah", unit="kg", price=40000)
    cart_set(buyer=buyer, product=cabai, quantity=Decimal(2))
    return bargain.offer_propose(buyer=buyer, product=cabai, price=35000)


def _standing_for(buyer, product):
    """A standing order of ``buyer`` on every open day from today, and its next draft (today's at TEST_NOW)."""
    from pasar.standing import services as standing

    schedule = standing.Schedule("weekdays", product.market.open_days, None, timezone.localdate(), None)
    fulfilment = standing.Fulfilment(
        fulfilment="delivery", payment_method="cod", address="Jl. Braga 10", latitude=-6.915, longitude=107.61
    )
    order = standing.standing_create(
        buyer=buyer, market=product.market, name="Dapur", schedule=schedule, fulfilment=fulfilment,
        lines=[standing.LineInput(product, Decimal(2))], now=timezone.now(),
    )  # fmt: skip
    run = standing.next_run(order, now=timezone.now())
    assert run is not None
    return order, run


def form_data(row, objects):
    data = {}
    for key, value in row.data.items():
        if isinstance(value, Upload):
            data[key] = SimpleUploadedFile(value.name, value.content.encode())
        else:
            data[key.format(**objects)] = value.format(**objects)
    return data


def outcome(response):
    if response.status_code in (301, 302):
        return "login" if response["Location"].startswith("/akun/masuk/?next=") else "302"
    return str(response.status_code)


def send(client, method, path, data):
    request = getattr(client, method.lower())
    if method == "GET":
        return request(path)
    if path.startswith("/api/"):
        return request(path, data, content_type="application/json")
    return request(path, data)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role", "expected"), CELLS)
def test_authorization(client, roles, objects, row, role, expected):
    user = roles.as_dict()[role]
    if user is not None:
        client.force_login(user)
    path = row.path.format(**objects)
    data = form_data(row, objects)
    before = snapshot()

    response = send(client, row.method, path, data)

    assert outcome(response) == expected
    after = snapshot()
    if role in row.writes:
        assert changed_tables(before, after), "the request should have saved something"
    else:
        assert changed_tables(before, after) == []


# Every route needs a row.

# The admin's own pages (models, history, ...) are Django's; "admin/" itself has a row.
NOT_IN_MATRIX = ("admin/.", "media/", "^media/", "static/", "^static/")
SAMPLE = {"order": "251124-ABC123", "line": 1}
SAMPLE |= {"part": 1, "order_id": 1, "ready_order": 1, "taken_order": 1, "taken_part": 1}
SAMPLE |= {"request": 1, "search_line": 1}
SAMPLE |= {"event": 1, "export": 1, "trader_id": 1}
SAMPLE |= {"price_import": 1, "complaint": 1}
SAMPLE |= {"business": 1, "member": 1, "invoice": 1}
SAMPLE |= {"offer": 1, "offer_product": 1, "standing": 1, "run": 1, "other_run": 1}
SAMPLE |= {"market": "pasar-x", "other_market": "pasar-y", "stall": 1, "product": 1, "category": 1, "import": 1}


def url_routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def in_matrix(route):
    return not (route.startswith(NOT_IN_MATRIX) or (route.startswith("admin/") and route != "admin/"))


def test_every_url_pattern_has_a_row():
    covered = {resolve(urlsplit(row.path.format(**SAMPLE)).path).route for row in ROWS}
    routes = [route for route in url_routes(get_resolver().url_patterns) if in_matrix(route)]

    assert [route for route in routes if route not in covered] == []
    assert len(routes) >= 29


def test_matrix_rows_are_unique():
    keys = [(row.method, row.path) for row in ROWS]
    assert len(keys) == len(set(keys))


# The refusals worth spelling out.


@pytest.mark.django_db
def test_trader_of_another_stall_cannot_price_a_product_that_is_not_theirs(client, roles, product, market, settings):
    """The price screen reads only the trader's own rows: a foreign product's field is ignored."""
    own = factories.product(stall=Stall.objects.get(trader__user=roles.other_trader), name="Tomat", price=12000)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(roles.other_trader)
    before = Product.objects.values().get(pk=product.pk)

    response = client.post(
        "/pedagang/harga/",
        {
            f"price-{product.pk}": "1",
            f"available-{product.pk}": "on",
            f"price-{own.pk}": "13000",
            f"available-{own.pk}": "on",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Saved. 1 products changed."]
    assert Product.objects.values().get(pk=product.pk) == before
    assert Product.objects.get(pk=own.pk).price == 13000
    assert f"price-{product.pk}" not in response.text


@pytest.mark.django_db
def test_operator_of_another_market_can_neither_see_nor_change_it(client, roles, stall, market):
    client.force_login(roles.other_operator)
    before = snapshot()

    responses = [
        client.get(f"/pengelola/{market.slug}/"),
        client.get(f"/pengelola/{market.slug}/daftar/"),
        client.post(f"/pengelola/{market.slug}/lapak/{stall.pk}/status/", {"status": "dilatih"}),
        client.post(
            f"/pengelola/{market.slug}/impor/", {"file": SimpleUploadedFile("a.csv", TRADER_LIST_CSV.encode())}
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert changed_tables(before, snapshot()) == []
    stall.trader.refresh_from_db()
    assert stall.trader.status == Trader.Status.REGISTERED
