"""The soak's load generator: real HTTP against ``pasar serve`` with a logged-in session per person.

Open loop: every visit (a buyer browsing or ordering, a trader saving prices, an officer reading a
dashboard) is scheduled at a Poisson instant decided before the run, and its first request's latency
is measured from that instant, not from when a thread got round to it (no coordinated omission).
What a visit starts — the trader preparing the order's parts, the buyer's live order page, the
courier's queue screen — is scheduled from the moment it follows from, the way the people would.
"""

from __future__ import annotations

import heapq
import http.client
import itertools
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, urlencode

CSRF = "soakcsrf" + "0" * 24  # any 32 characters: Django compares the cookie with the header
SEARCH_WORDS = ("cabe", "bawang merah", "telur", "tomat", "beras", "ayam", "kangkung", "tahu", "ikan", "bawang merh")
INPUT = re.compile(r"<input\b([^>]*)>")
ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')
OFFER = re.compile(r'name="offer" value="(\d+)"')
PICKUP = re.compile(r'name="trip" value="(\d+)"><input type="hidden" name="stall" value="(\d+)"')
DROPOFF = re.compile(r'name="trip" value="(\d+)"><input type="hidden" name="order" value="(\d+)"')
PART_LINK = re.compile(r'href="/pedagang/pesanan/(\d+)/"')
LINE = re.compile(r'name="line" value="(\d+)"')
ORDER_URL = re.compile(r"^/pesanan/([\w-]+)/$")


def inputs(html: str) -> dict[str, dict[str, str]]:
    """Every ``<input>`` of a page by name: its attributes (``checked`` present when ticked)."""
    out: dict[str, dict[str, str]] = {}
    for tag in INPUT.findall(html):
        attrs = {k: v or "" for k, v in ATTR.findall(tag)}
        if "name" in attrs:
            out[attrs["name"]] = attrs
    return out


def cash_due(html: str, order_id: int) -> int | None:
    """The cash the courier's screen says to collect for one drop-off (``Rp12.500`` → 12500)."""
    card = html.split(f'id="drop-{order_id}"', 1)
    if len(card) < 2:
        return None
    price = re.search(r'class="price"[^>]*>[^<]*?Rp\s?([\d.]+)', card[1])
    return int(price.group(1).replace(".", "")) if price else None


@dataclass
class Response:
    status: int
    location: str
    body: str


@dataclass
class Person:
    user_id: int
    cookie: str
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Sample:
    action: str
    ms: float
    ok: bool
    at: float  # seconds since the run started (scheduled instant)
    measured: bool  # inside the timed window (arrivals), not the drain


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.failures: list[str] = []
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, sample: Sample, failure: str = "") -> None:
        with self._lock:
            self.samples.append(sample)
            if failure and len(self.failures) < 200:
                self.failures.append(failure)

    def count(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.counts[name] = self.counts.get(name, 0) + n


class Http:
    """One request per connection, as gunicorn's sync workers answer (they close after each response)."""

    def __init__(self, port: int, recorder: Recorder, clock: Callable[[], float], window: float) -> None:
        self.port, self.recorder, self.clock, self.window = port, recorder, clock, window

    def call(
        self,
        action: str,
        person: Person,
        method: str,
        path: str,
        *,
        data: dict[str, str] | None = None,
        htmx: bool = False,
        expect: Callable[[Response], bool] | None = None,
        since: float | None = None,
    ) -> Response:
        """Send one request and record its latency from ``since`` (the scheduled instant) or from now."""
        start = self.clock() if since is None else since
        headers = {"Cookie": f"{person.cookie}; csrftoken={CSRF}", "Accept-Encoding": "gzip"}
        body = None
        if method == "POST":
            headers |= {"X-CSRFToken": CSRF, "Content-Type": "application/x-www-form-urlencoded"}
            body = urlencode(data or {})
        if htmx:
            headers["HX-Request"] = "true"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            payload = raw.read()
            connection.close()
            if raw.getheader("Content-Encoding") == "gzip":
                import gzip

                payload = gzip.decompress(payload)
            response = Response(raw.status, raw.getheader("Location") or "", payload.decode("utf-8", "replace"))
        except (OSError, http.client.HTTPException) as exc:
            response = Response(0, "", f"{type(exc).__name__}: {exc}")
        ms = (self.clock() - start) * 1000
        ok = response.status in (200, 302) if expect is None else expect(response)
        failure = (
            "" if ok else f"{action} {method} {path} -> {response.status} {response.location} {response.body[:160]!r}"
        )
        self.recorder.add(Sample(action, ms, ok, start, start < self.window), failure)
        return response


class Scheduler:
    """Jobs at instants (seconds since the start) run on a thread pool; the pool is sized so that the
    client is never what makes a visit wait (a wait shows as latency, since it is timed from the instant)."""

    def __init__(self, threads: int = 48) -> None:
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="soak")
        self.heap: list[tuple[float, int, Callable[[float], None]]] = []
        self.seq = itertools.count()
        self.cv = threading.Condition()
        self.t0 = time.monotonic()
        self.closed = False
        self.waiting = 0  # handed to the pool, not started yet (all threads busy)
        self.unstarted_at_close = 0

    def now(self) -> float:
        return time.monotonic() - self.t0

    def at(self, instant: float, job: Callable[[float], None]) -> None:
        with self.cv:
            if not self.closed:
                heapq.heappush(self.heap, (instant, next(self.seq), job))
                self.cv.notify()

    def run_until(self, deadline: float, done: Callable[[], bool] = lambda: False) -> None:
        """Hand out jobs as they fall due until ``deadline`` or ``done()``."""
        while self.now() < deadline and not done():
            with self.cv:
                if not self.heap:
                    self.cv.wait(timeout=0.5)
                    continue
                instant, _seq, job = self.heap[0]
                wait = instant - self.now()
                if wait > 0:
                    self.cv.wait(timeout=min(wait, 0.5))
                    continue
                heapq.heappop(self.heap)
                self.waiting += 1
            self.pool.submit(self._safe, job, instant)

    def idle(self) -> bool:
        """No job waiting for a free thread."""
        with self.cv:
            return self.waiting == 0

    def _safe(self, job: Callable[[float], None], instant: float) -> None:
        with self.cv:
            self.waiting -= 1
        try:
            job(instant)
        except Exception as exc:  # a bug in the generator must not stop the run silently
            import traceback

            traceback.print_exc()
            print(f"soak job failed: {exc!r}", flush=True)

    def close(self) -> None:
        with self.cv:
            self.closed = True
            self.heap.clear()
            self.unstarted_at_close = self.waiting  # visits that never ran: reported, not hidden
        self.pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class MarketPlan:
    """One market as the load generator knows it (ids from the dataset, sessions made beforehand)."""

    slug: str
    stalls: list[int]
    products: dict[int, list[tuple[int, str]]]  # stall → [(product id, minimum quantity)]
    traders: dict[int, Person]  # stall → its trader's session
    buyers: list[Person]
    couriers: list[Person]
    lat: str = ""  # the buyers' delivery point, inside the market's radius
    lng: str = ""


@dataclass
class World:
    markets: list[MarketPlan]
    officer: Person
    officer_paths: list[str]
    handover_code: Callable[[str], tuple[int, str] | None]  # order number → (order id, code), what the buyer says
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    free_buyers: dict[str, list[Person]] = field(default_factory=dict)
    codes: dict[int, str] = field(default_factory=dict)
    parts_done: set[int] = field(default_factory=set)
    placed: list[str] = field(default_factory=list)
    delivered: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Soak:
    """The people of the market day, each visit a job on the scheduler."""

    TRADER_DELAY_S = 20.0  # mean time before a trader looks at a new order (exponential)
    COURIER_WAIT_POLL_S = 15.0  # the queue screen's htmx refresh while waiting (5 s while an offer stands)
    COURIER_STEP_S = 5.0  # riding, compressed: each next step (pick-ups, then hand-overs) 5 s later
    ORDER_POLL_S = 15.0

    def __init__(self, world: World, http_client: Http, scheduler: Scheduler, *, window: float, polls: int) -> None:
        self.w, self.http, self.s, self.window, self.polls = world, http_client, scheduler, window, polls
        for m in world.markets:
            world.free_buyers[m.slug] = list(m.buyers)

    # --- open-loop visits ------------------------------------------------------------------

    def browse(self, kind: str) -> Callable[[float], None]:
        def job(at: float) -> None:
            rng = self.w.rng
            market = rng.choice(self.w.markets)
            person = rng.choice(market.buyers)
            if kind == "market":
                path = f"/pasar/{market.slug}/"
            elif kind == "stall":
                path = f"/lapak/{rng.choice(market.stalls)}/"
            elif kind == "search":
                path = f"/pasar/{market.slug}/cari/?q={quote(rng.choice(SEARCH_WORDS))}"
            else:
                path = f"/produk/{rng.choice(market.products[rng.choice(market.stalls)])[0]}/"
            self.http.call(kind, person, "GET", path, since=at)

        return job

    def order(self, at: float) -> None:
        rng, w = self.w.rng, self.w
        market = rng.choice(w.markets)
        with w.lock:
            free = w.free_buyers[market.slug]
            buyer = free.pop(rng.randrange(len(free))) if free else None
        if buyer is None:
            self.http.recorder.count("order_skipped_no_free_buyer")
            return
        try:
            self._order(market, buyer, at)
        finally:
            with w.lock:
                w.free_buyers[market.slug].append(buyer)

    def _order(self, market: MarketPlan, buyer: Person, at: float) -> None:
        rng = self.w.rng
        stalls = rng.sample(market.stalls, k=min(len(market.stalls), rng.randint(1, 3)))
        since: float | None = at
        for stall in stalls:
            picks = rng.sample(market.products[stall], k=min(len(market.products[stall]), rng.randint(1, 3)))
            for product, minimum in picks:
                self.http.call(
                    "cart_add",
                    buyer,
                    "POST",
                    f"/keranjang/tambah/{product}/",
                    data={"quantity": minimum, "note": ""},
                    expect=lambda r: r.status == 302,
                    since=since,
                )
                since = None
        page = self.http.call("checkout", buyer, "GET", f"/keranjang/{market.slug}/checkout/")
        form = inputs(page.body)
        day = form.get("prepared_for", {}).get("value", "")
        data = {
            "action": "place",
            "fulfilment": "delivery",
            "address": "Jl. Pasar Baru No. 1",
            "lat": market.lat,
            "lng": market.lng,
            "payment_method": "cod",
            "idempotency_key": uuid.uuid4().hex,
            "prepared_for": day,
        }
        placed = self.http.call(
            "place_order",
            buyer,
            "POST",
            f"/keranjang/{market.slug}/checkout/",
            data=data,
            expect=lambda r: r.status == 302 and bool(ORDER_URL.match(r.location)),
        )
        found = ORDER_URL.match(placed.location) if placed.status == 302 else None
        if not found:
            return
        number = found.group(1)
        known = self.w.handover_code(number)
        with self.w.lock:
            self.w.placed.append(number)
            if known:
                self.w.codes[known[0]] = known[1]
        now = self.s.now()
        for stall in stalls:
            self.s.at(now + rng.expovariate(1 / self.TRADER_DELAY_S), self._visit_of(market.traders[stall]))
        for i in range(1, self.polls + 1):
            self.s.at(now + i * self.ORDER_POLL_S, self._poll_of(buyer, number))

    def _visit_of(self, trader: Person) -> Callable[[float], None]:
        return lambda t: self.trader_visit(trader, t)

    def _poll_of(self, buyer: Person, number: str) -> Callable[[float], None]:
        def poll(at: float) -> None:
            self.http.call("order_poll", buyer, "GET", f"/pesanan/{number}/", htmx=True, since=at)

        return poll

    PRICE_THINK_S = (10.0, 40.0)  # the trader reads the screen and types today's prices before saving

    def price_save(self, at: float) -> None:
        """Open the price screen, change a price, save it a little later with every other row as shown."""
        rng = self.w.rng
        market = rng.choice(self.w.markets)
        trader = market.traders[rng.choice(market.stalls)]
        if not trader.lock.acquire(blocking=False):
            self.http.recorder.count("price_save_skipped_busy_trader")
            return
        try:
            page = self.http.call("prices_page", trader, "GET", "/pedagang/harga/", since=at)
            fields = inputs(page.body)
            data: dict[str, str] = {}
            prices = [n for n in fields if n.startswith("price-")]
            for name in prices:
                data[name] = fields[name].get("value", "")
            for name, attrs in fields.items():
                if name.startswith(("stock-", "seen-")):
                    data[name] = attrs.get("value", "")
                if name.startswith("available-") and "checked" in attrs:
                    data[name] = "on"
            if prices:  # today's price of one product moves by Rp 500, as prices do in the morning
                name = rng.choice(prices)
                value = int(re.sub(r"\D", "", data[name]) or 1000)
                data[name] = str(max(500, value + rng.choice((-500, 500))))
        except BaseException:
            trader.lock.release()
            raise
        self.s.at(self.s.now() + rng.uniform(*self.PRICE_THINK_S), lambda t: self._price_post(trader, data))

    def _price_post(self, trader: Person, data: dict[str, str]) -> None:
        try:
            self.http.call(
                "prices_save", trader, "POST", "/pedagang/harga/", data=data, expect=lambda r: r.status == 302
            )
        finally:
            trader.lock.release()

    def dashboard(self, at: float) -> None:
        path = self.w.rng.choice(self.w.officer_paths)
        self.http.call("dashboard", self.w.officer, "GET", path, since=at)

    # --- what follows from an order ----------------------------------------------------------

    def trader_visit(self, trader: Person, at: float) -> None:
        """The trader opens today's orders and prepares every new part: accept, each line, ready."""
        if not trader.lock.acquire(blocking=False):
            self.s.at(self.s.now() + 5, lambda t: self.trader_visit(trader, t))
            return
        try:
            page = self.http.call("trader_orders", trader, "GET", "/pedagang/pesanan/", since=at)
            parts = [int(p) for p in dict.fromkeys(PART_LINK.findall(page.body))]
            for part in parts:
                with self.w.lock:
                    if part in self.w.parts_done:
                        continue
                if self._prepare(trader, part):
                    with self.w.lock:
                        self.w.parts_done.add(part)
        finally:
            trader.lock.release()

    def _prepare(self, trader: Person, part: int) -> bool:
        path = f"/pedagang/pesanan/{part}/"
        page = self.http.call("trader_part", trader, "GET", path)
        if 'value="accept"' not in page.body and 'value="ready"' not in page.body:
            return True  # already ready, collected or delivered
        redirect = lambda r: r.status == 302  # noqa: E731
        if 'value="accept"' in page.body:
            self.http.call("trader_accept", trader, "POST", path, data={"action": "accept"}, expect=redirect)
            page = self.http.call("trader_part", trader, "GET", path)
        fields = inputs(page.body)
        for line in dict.fromkeys(LINE.findall(page.body)):
            prefix = f"w{line}-"
            if prefix + "quantity" in fields:
                data = {
                    "action": "weigh",
                    "line": line,
                    prefix + "quantity": fields[prefix + "quantity"].get("value", ""),
                    prefix + "amount": fields.get(prefix + "prefill", {}).get("value", ""),
                    prefix + "prefill": fields.get(prefix + "prefill", {}).get("value", ""),
                }
            else:
                data = {"action": "available", "line": line}
            self.http.call("trader_line", trader, "POST", path, data=data, expect=redirect)
        done = self.http.call("trader_ready", trader, "POST", path, data={"action": "ready"}, expect=redirect)
        return done.status == 302

    def courier_start(self, courier: Person, market: MarketPlan, at: float) -> None:
        data = {"action": "checkin", "market": market.slug, "capacity": "3"}
        self.http.call(
            "courier_checkin", courier, "POST", "/kurir/antrian/", data=data, expect=lambda r: r.status == 302
        )
        self.s.at(self.s.now() + self.COURIER_WAIT_POLL_S, lambda t: self.courier_poll(courier, t))

    def courier_poll(self, courier: Person, at: float) -> None:
        """One look at the queue screen and what it asks for: accept the offer, pick up, hand over."""
        redirect = lambda r: r.status == 302  # noqa: E731
        page = self.http.call("courier_queue", courier, "GET", "/kurir/antrian/", since=at)
        body = page.body
        next_in = self.COURIER_WAIT_POLL_S
        offer = OFFER.search(body)
        pickups = PICKUP.findall(body)
        dropoffs = DROPOFF.findall(body)
        if offer:
            self.http.call(
                "courier_accept",
                courier,
                "POST",
                "/kurir/antrian/",
                data={"action": "accept", "offer": offer.group(1)},
                expect=redirect,
            )
            next_in = self.COURIER_STEP_S
        elif pickups:
            for trip, stall in pickups:
                data = {"action": "pick_up", "trip": trip, "stall": stall}
                self.http.call("courier_pickup", courier, "POST", "/kurir/antrian/", data=data, expect=redirect)
            next_in = self.COURIER_STEP_S
        elif dropoffs:
            for trip, order in dropoffs:
                order_id = int(order)
                with self.w.lock:
                    code = self.w.codes.get(order_id, "")
                cash = cash_due(body, order_id)
                data = {
                    "action": "deliver",
                    "trip": trip,
                    "order": order,
                    f"d{order}-code": code,
                    f"d{order}-cash": str(cash if cash is not None else ""),
                }
                done = self.http.call("courier_deliver", courier, "POST", "/kurir/antrian/", data=data, expect=redirect)
                if done.status == 302:
                    with self.w.lock:
                        self.w.delivered.add(order_id)
            next_in = self.COURIER_STEP_S
        self.s.at(self.s.now() + next_in, lambda t: self.courier_poll(courier, t))


def minimum_text(quantity: Decimal) -> str:
    return format(quantity.normalize(), "f")
