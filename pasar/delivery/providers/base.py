"""What an external ride-hailing courier adapter implements (interface only; the fake is in ``fake.py``).

The operator hands a job to an external courier when no pangkalan courier took it in time. The queue
talks to a provider through four calls and polls for progress (no webhooks needed; a webhook can later
call the same ``status`` path as a trigger):

- ``quote(pickup, dropoff, cod_amount)`` → ``Quote(fee, eta_minutes)``: the price before booking.
- ``create(reference, pickup, dropoff, cod_amount)`` → ``Booking(external_id, fee, tracking_url)``; the
  ``reference`` (our order number) must be sent as the provider's idempotency key / merchant order id, so
  a retried request books once.
- ``status(external_id)`` → one of ``Status``: requested, picked_up, delivered, cancelled.
- ``cancel(external_id)``: before pickup only; raise ``ProviderError`` when the provider refuses.

Adapters for the providers used by Indonesian markets must implement, over HTTPS with their keys from
settings (never in code), and with a 5-10 s timeout and ``ProviderError`` on any non-2xx answer (the
endpoint and status names below are a guide from the providers' partner documentation: check them
against the documentation that comes with the contract before writing an adapter):

- **GoSend (Gojek) Business API**: ``POST /gokilat/v10/calculate/price`` (quote, shipment method
  "Instant"/"SameDay", origin and destination "lat,lng"), ``POST /gokilat/v10/booking`` (create, with
  ``storeOrderId`` = our reference; answer ``orderNo``), ``GET /gokilat/v10/booking/storeOrderId/{id}``
  (status: map ``Finding Driver``/``Driver Allocated`` → requested, ``Enroute Drop``/``Item Picked`` →
  picked_up, ``Completed`` → delivered, ``Cancelled``/``No Driver`` → cancelled), ``PUT
  /gokilat/v10/booking/cancel``. Client-Id and Pass-Key headers. GoSend does not collect cash: refuse a
  cash-on-delivery order (``collects_cash = False``).
- **GrabExpress Delivery API** (OAuth2 client credentials): ``POST /v1/deliveries/quotes``, ``POST
  /v1/deliveries`` (``merchantOrderID`` = our reference), ``GET /v1/deliveries/{deliveryID}`` (status
  ``ALLOCATING``/``PENDING_PICKUP`` → requested, ``PICKING_UP``/``IN_DELIVERY`` → picked_up,
  ``COMPLETED`` → delivered, ``CANCELED``/``FAILED`` → cancelled), ``DELETE /v1/deliveries/{id}``. Cash
  on delivery only where the merchant account has it enabled (``collects_cash`` from settings).
- **Maxim** (courier "Delivery" order through its partner API, per-city contract): quote, create, poll
  and cancel as above, mapped to the same four states; whether cash is collected depends on the contract.

Prices are integer rupiah. The tests never call a real provider: they use ``FakeProvider``.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class ProviderError(Exception):
    """The provider refused or could not be reached; nothing was booked on our side."""


class Status(StrEnum):
    REQUESTED = "requested"
    PICKED_UP = "picked_up"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float
    address: str = ""


@dataclass(frozen=True)
class Quote:
    fee: int
    eta_minutes: int


@dataclass(frozen=True)
class Booking:
    external_id: str
    fee: int
    tracking_url: str = ""


class CourierProvider(Protocol):
    name: str
    collects_cash: bool

    def quote(self, *, pickup: Point, dropoff: Point, cod_amount: int) -> Quote: ...

    def create(self, *, reference: str, pickup: Point, dropoff: Point, cod_amount: int) -> Booking: ...

    def status(self, external_id: str) -> Status: ...

    def cancel(self, external_id: str) -> None: ...
