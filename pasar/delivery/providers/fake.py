"""An in-memory external courier for tests and the demo: books instantly, moves only when told to."""

from itertools import count

from pasar.core.geo import haversine_km
from pasar.delivery.providers.base import Booking, Point, ProviderError, Quote, Status


class FakeProvider:
    """Priced like an app ride (Rp 9.000 + Rp 2.500/km, to Rp 500); ``advance`` moves a booking on."""

    name = "fake"
    collects_cash = True

    def __init__(self) -> None:
        self._ids = count(1)
        self.bookings: dict[str, Status] = {}
        self.references: dict[str, str] = {}

    def quote(self, *, pickup: Point, dropoff: Point, cod_amount: int) -> Quote:
        km = haversine_km(pickup.lat, pickup.lng, dropoff.lat, dropoff.lng) * 1.35
        fee = int(round((9000 + 2500 * km) / 500) * 500)
        return Quote(fee=fee, eta_minutes=10 + int(km * 3))

    def create(self, *, reference: str, pickup: Point, dropoff: Point, cod_amount: int) -> Booking:
        if reference in self.references:  # the reference is the idempotency key
            external_id = self.references[reference]
        else:
            external_id = f"FAKE-{next(self._ids):05d}"
            self.references[reference] = external_id
            self.bookings[external_id] = Status.REQUESTED
        fee = self.quote(pickup=pickup, dropoff=dropoff, cod_amount=cod_amount).fee
        return Booking(external_id=external_id, fee=fee, tracking_url=f"https://kurir.example/lacak/{external_id}")

    def status(self, external_id: str) -> Status:
        if external_id not in self.bookings:
            raise ProviderError(f"unknown booking {external_id}")
        return self.bookings[external_id]

    def cancel(self, external_id: str) -> None:
        if self.status(external_id) != Status.REQUESTED:
            raise ProviderError("already picked up")
        self.bookings[external_id] = Status.CANCELLED

    def advance(self, external_id: str, to: Status) -> None:
        """Tests and the demo: the driver picked up or delivered."""
        self.status(external_id)
        self.bookings[external_id] = to
