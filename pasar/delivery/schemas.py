"""JSON shapes of the courier queue API."""

from datetime import datetime

from ninja import Field, Schema

from pasar.orders.staff_schemas import DeliverIn

__all__ = ["CheckinIn", "DeliverIn", "OfferOut", "OperatorQueueOut", "QueueOut", "TripOut"]


class CheckinIn(Schema):
    market: str = Field(max_length=140, pattern=r"^[-a-zA-Z0-9_]+$", description="The market's slug.")
    capacity: int = Field(3, ge=1, le=20, description="Orders the courier carries per trip.")


class PickupOut(Schema):
    stall_id: int
    stall: str
    location: str
    bags: int
    picked_up: bool


class DropoffOut(Schema):
    order_id: int
    number: str
    address: str
    latitude: float
    longitude: float
    maps_url: str
    state: str
    cash_due: int | None = Field(description="Cash to collect (cash on delivery), else null.")


class TripOut(Schema):
    id: int
    state: str
    distance_m: int
    duration_s: int
    pickups: list[PickupOut] = Field(description="Stalls in market-layout order (block, row, number).")
    dropoffs: list[DropoffOut] = Field(description="Drop-offs in route order.")


class OfferOut(Schema):
    id: int
    expires_at: datetime
    seconds_left: int
    trip: TripOut


class QueueOut(Schema):
    on_duty: bool
    market: str | None
    capacity: int | None
    position: int | None = Field(description="1 = next to be offered; null while riding or off duty.")
    offer: OfferOut | None
    trip: TripOut | None
    earned_today: int = Field(description="Delivery fees kept today (after the operator's share), rupiah.")
    cash_today: int


class LineOut(Schema):
    courier: str
    capacity: int
    queued_at: datetime | None


class WaitingOut(Schema):
    order_id: int
    number: str
    ready_at: datetime
    offered_to: list[str]


class OperatorQueueOut(Schema):
    line: list[LineOut]
    on_duty: list[LineOut]
    waiting: list[WaitingOut]
