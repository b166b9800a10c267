"""Shapes of the trader's, courier's and operator's order API."""

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from pasar.catalog.schemas import MarketRef, StallRef
from pasar.core.schemas import LocalDatetime
from pasar.orders.models import Order, OrderLine, SearchLine, StallOrder
from pasar.orders.schemas import OrderLineOut, OrderState, OrderSummaryOut, SearchLineOut, SlotRef, StallOrderState

MAX_AMOUNT = 100_000_000


class TraderOrderRef(Schema):
    number: str
    state: OrderState
    fulfilment: Order.Fulfilment
    for_date: date = Field(description="The market day the order is prepared on.")
    pickup_slot: SlotRef | None
    note: str = Field(description="The buyer's note for the whole order.")
    created_at: LocalDatetime


class TraderPartOut(Schema):
    """The part of an order one stall prepares, with every line (substitutes point at the line they replace)."""

    id: int
    state: StallOrderState
    stall: StallRef
    order: TraderOrderRef
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(obj: StallOrder) -> list[OrderLine]:
        return list(obj.lines.all())


class MarkIn(Schema):
    available: bool = Field(description="False drops the line (its stock goes back to the product).")


class WeighIn(Schema):
    quantity: Decimal = Field(
        gt=0, le=500, max_digits=9, decimal_places=3, description='The weighed quantity, e.g. `"0.300"` (kg).'
    )
    amount: int | None = Field(
        None,
        ge=1,
        le=MAX_AMOUNT,
        description="Integer rupiah for the weighed quantity; omitted: the listed price × `quantity`. It must "
        "match that within 1 % (or Rp100). Beyond ±10 % of the estimate the buyer must approve.",
    )


class SubstituteIn(Schema):
    product_id: int = Field(ge=1, description="Another available product of the same stall.")
    quantity: Decimal = Field(
        gt=0, le=500, max_digits=9, decimal_places=3, description="In that product's unit and steps."
    )


class PickupPartOut(Schema):
    id: int
    stall: StallRef
    state: StallOrderState = Field(description="`ready`: collect it now; `picked_up`: ticked off.")


class CourierOrderOut(Schema):
    id: int
    number: str
    market: MarketRef
    state: OrderState
    payment_method: Order.PaymentMethod
    payment_state: Order.PaymentState
    address: str
    latitude: float | None
    longitude: float | None
    distance_km: Decimal | None
    map_url: str = Field(description="The drop-off on OpenStreetMap.")
    delivery_fee: int = Field(description="Integer rupiah the courier earns.")
    cash_due: int | None = Field(description="Cash on delivery: the exact rupiah to collect; else null.")
    parts: list[PickupPartOut]

    @staticmethod
    def resolve_map_url(obj: Order) -> str:
        return f"https://www.openstreetmap.org/?mlat={obj.latitude:.5f}&mlon={obj.longitude:.5f}"

    @staticmethod
    def resolve_cash_due(obj: Order) -> int | None:
        if obj.payment_method != Order.PaymentMethod.COD or obj.goods_total is None:
            return None
        return obj.goods_total + obj.delivery_fee

    @staticmethod
    def resolve_parts(obj: Order) -> list[StallOrder]:
        return list(obj.parts.all())


class CourierOwnOrderOut(CourierOrderOut):
    """An order the courier has taken: with the buyer's name and phone for the handover."""

    buyer_name: str
    buyer_phone: str
    cash_collected: int | None
    total: int = Field(description="Integer rupiah the buyer owes now: goods, approved cari-di-pasar prices, fee.")
    search_lines: list[SearchLineOut] = Field(description="Cari-di-pasar lines to buy anywhere in the market.")

    @staticmethod
    def resolve_search_lines(obj: Order) -> list[SearchLine]:
        return list(obj.search_lines.all())

    @staticmethod
    def resolve_buyer_name(obj: Order) -> str:
        return obj.buyer.name

    @staticmethod
    def resolve_buyer_phone(obj: Order) -> str:
        return obj.buyer.phone


class DeliveredOut(Schema):
    number: str
    delivery_fee: int
    cash_collected: int | None


class CourierBoardOut(Schema):
    available: list[CourierOrderOut] = Field(description="Ready delivery orders of the courier's markets to take.")
    current: list[CourierOwnOrderOut] = Field(description="Taken, not yet handed over.")
    delivered_today: list[DeliveredOut]
    fees_today: int = Field(description="Integer rupiah earned in delivery fees today.")
    cash_today: int = Field(description="Integer rupiah of cash collected today.")


class DeliverIn(Schema):
    code: str = Field(min_length=1, max_length=6, description="The handover code the buyer shows.")
    cash: int | None = Field(
        None, ge=0, le=MAX_AMOUNT, description="Cash on delivery: exactly `cash_due`; otherwise omitted."
    )


class OperatorPartOut(Schema):
    id: int
    stall: StallRef
    state: StallOrderState


class OperatorOrderOut(OrderSummaryOut):
    id: int
    buyer_name: str
    courier_name: str | None
    cancel_reason: str
    parts: list[OperatorPartOut]

    @staticmethod
    def resolve_buyer_name(obj: Order) -> str:
        return obj.buyer.name

    @staticmethod
    def resolve_courier_name(obj: Order) -> str | None:
        return obj.courier.name if obj.courier is not None else None

    @staticmethod
    def resolve_parts(obj: Order) -> list[StallOrder]:
        return list(obj.parts.all())


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=250, description="Shown to the buyer and kept in the order's history.")


class BoughtIn(Schema):
    amount: int = Field(gt=0, le=100_000_000, description="Integer rupiah the courier paid.")
