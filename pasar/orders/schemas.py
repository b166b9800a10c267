"""Shapes of the cart, checkout and order API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from pasar.catalog.schemas import MarketRef, StallRef
from pasar.catalog.units import Unit
from pasar.core.schemas import LocalDatetime, WallTime, inline_enum
from pasar.orders.models import MAX_PRICE_CAP, Order, OrderLine, SearchLine, StallOrder

# Every model's choices are called ``State``: inlined, so the OpenAPI components cannot overwrite each other.
OrderState = Annotated[Order.State, inline_enum(Order.State)]
StallOrderState = Annotated[StallOrder.State, inline_enum(StallOrder.State)]
OrderLineState = Annotated[OrderLine.State, inline_enum(OrderLine.State)]
SearchLineState = Annotated[SearchLine.State, inline_enum(SearchLine.State)]


class RefusalOut(Schema):
    """400: the request is well-formed but refused (off-step quantity, outside the radius, full slot, ...)."""

    detail: str = Field(examples=["Ikan Nila is sold in steps of 0.25 kg."])
    code: str = Field(description="Machine-readable reason, e.g. `quantity_off_step`, `outside_radius`, `slot_full`.")


class CartLineIn(Schema):
    quantity: Decimal = Field(
        description='In the product\'s unit and steps, as a decimal string, e.g. `"0.25"` (kg) or `"3"`.',
        max_digits=9,
        decimal_places=3,
    )
    note: str = Field("", max_length=200, description="For the trader, e.g. `ikan dibersihkan`.")


class CartProductOut(Schema):
    id: int
    name: str
    unit: Unit
    price: int = Field(description="Integer rupiah per `unit`.")
    weighed: bool = Field(description="Sold by weight: the line's amount is an estimate until weighed.")
    quantity_step: Decimal
    quantity_min: Decimal
    stall: StallRef


class CartLineOut(Schema):
    product: CartProductOut
    quantity: Decimal = Field(description='Decimal string, e.g. `"0.250"`.')
    note: str
    estimate: int = Field(description="Integer rupiah: price × quantity, rounded half up.")


class SlotOut(Schema):
    starts_at: LocalDatetime
    ends_at: LocalDatetime
    free: int = Field(description="Places left in this pickup window.")


class CartOut(Schema):
    market: MarketRef
    lines: list[CartLineOut]
    estimate: int = Field(description="Sum of the line estimates, integer rupiah.")
    has_weighed: bool = Field(description="True when weighed lines make `estimate` provisional.")
    prepared_for: date = Field(
        description="The market day an order placed now is prepared on (after the cut-off: the next one)."
    )
    order_cutoff: WallTime = Field(description="The market's cut-off, local time in the market's time zone.")
    pickup_slots: list[SlotOut] = Field(description="Pickup windows of `prepared_for` that still have room.")


class CheckoutIn(Schema):
    market: str = Field(max_length=140, pattern=r"^[-a-zA-Z0-9_]+$", description="The market's slug.")
    fulfilment: Order.Fulfilment
    payment_method: Order.PaymentMethod = Field(description="`cod` only with delivery.")
    address: str = Field("", max_length=250, description="Delivery: the street address.")
    latitude: float | None = Field(None, ge=-11.5, le=6.5, description="Delivery: the map point.")
    longitude: float | None = Field(None, ge=94.5, le=141.5)
    pickup_starts_at: datetime | None = Field(
        None, description="Pickup: `starts_at` of one of the cart's `pickup_slots`."
    )
    note: str = Field("", max_length=250)


class SlotRef(Schema):
    starts_at: LocalDatetime
    ends_at: LocalDatetime


class OrderSummaryOut(Schema):
    number: str
    market: MarketRef
    state: OrderState
    fulfilment: Order.Fulfilment
    for_date: date = Field(description="The market day the order is prepared on.")
    payment_method: Order.PaymentMethod
    payment_state: Order.PaymentState
    goods_estimate: int = Field(description="Integer rupiah, sum of the line estimates at placement.")
    goods_total: int | None = Field(description="Integer rupiah, final once every part is weighed and ready.")
    delivery_fee: int
    created_at: LocalDatetime


class OrderLineOut(Schema):
    id: int
    name: str
    unit: Unit
    weighed: bool
    unit_price: int
    quantity: Decimal
    estimate: int
    final_quantity: Decimal | None = Field(description="Weighed quantity, once weighed.")
    final_amount: int | None = Field(description="Integer rupiah for the weighed quantity.")
    amount: int = Field(description="What the buyer pays for the line now: final, else estimate; 0 if dropped.")
    needs_approval: bool = Field(description="A substitute or an over-tolerance weight waits for the buyer's decision.")
    state: OrderLineState
    substitute_for: int | None = Field(description="The id of the line this one replaces.")
    note: str

    @staticmethod
    def resolve_substitute_for(obj: OrderLine) -> int | None:
        return obj.substitute_for_id


class StallOrderOut(Schema):
    id: int
    stall: StallRef
    state: StallOrderState
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(obj: StallOrder) -> list[OrderLine]:
        return list(obj.lines.all())


class OrderEventOut(Schema):
    kind: str = Field(description="e.g. `placed`, `order_confirmed`, `line_weighed`, `buyer_decided`.")
    created_at: LocalDatetime


class SearchLineOut(Schema):
    """A "cari di pasar" line: the courier buys it anywhere in the market; the buyer approves the price."""

    id: int
    text: str
    quantity: str = Field(description="As the buyer wrote it, e.g. `2 ikat` or `Rp5.000`.")
    note: str
    price_cap: int = Field(description="Integer rupiah: the most the buyer agreed to pay.")
    state: SearchLineState
    bought_amount: int | None = Field(description="Integer rupiah the courier paid, once bought.")
    over_cap: bool
    amount: int = Field(description="What the buyer pays for it: the approved price, else 0.")


class OrderOut(OrderSummaryOut):
    address: str
    latitude: float | None
    longitude: float | None
    distance_km: Decimal | None
    pickup_slot: SlotRef | None
    handover_code: str = Field(description="Give it to the courier (or at the pickup point) on handover.")
    amount_due: int | None = Field(description="Transfer/QRIS: the exact amount to pay, issued after weighing.")
    unique_code: int | None = Field(description="Transfer: the 1–999 rupiah included in `amount_due`.")
    parts: list[StallOrderOut]
    search_lines: list[SearchLineOut] = Field(description="Cari-di-pasar lines, bought by the courier.")
    search_cap: int = Field(description="Integer rupiah: sum of the cari-di-pasar caps at placement.")
    bought_total: int = Field(description="Integer rupiah: sum of the cari-di-pasar prices the buyer approved.")
    events: list[OrderEventOut]

    @staticmethod
    def resolve_parts(obj: Order) -> list[StallOrder]:
        return list(obj.parts.all())

    @staticmethod
    def resolve_search_lines(obj: Order) -> list[SearchLine]:
        return list(obj.search_lines.all())

    @staticmethod
    def resolve_events(obj: Order) -> list[object]:
        return list(obj.events.all())


class DecisionIn(Schema):
    approve: bool = Field(description="True accepts the substitute or the weight; false refuses the line.")


class ShoppingListIn(Schema):
    text: str = Field(max_length=20_000, description="The list as typed: one item per line, or commas, `dan`, `;`.")
    caps: dict[int, int] = Field(
        default_factory=dict, description="Price cap (integer rupiah) per line index for cari-di-pasar lines."
    )
    skip: list[int] = Field(default_factory=list, max_length=200, description="Line indexes not to put in the cart.")
    preview: bool = Field(False, description="True only matches the list; nothing is written.")


class ListProductOut(Schema):
    id: int
    name: str
    unit: Unit
    price: int
    stall: StallRef


class ListLineOut(Schema):
    index: int
    raw: str = Field(description="The line as the buyer wrote it.")
    kind: str = Field(description="`product` (matched), `search` (cari di pasar) or `flagged` (not added).")
    item: str | None = Field(description="The recognised commodity, lower case.")
    chatter: bool = Field(description="A greeting, thanks or heading (`flagged`, never added), not an item.")
    product: ListProductOut | None
    quantity: Decimal | None = Field(description="In the product's unit.")
    estimate: int | None
    cap: int | None = Field(description="Cari di pasar: the suggested (or given) price cap.", le=MAX_PRICE_CAP)
    asked: str = Field(description="The quantity as asked, e.g. `2 ikat`.")
    messages: list[str]

    @staticmethod
    def resolve_raw(obj: object) -> str:
        return obj.parsed.raw  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_item(obj: object) -> str | None:
        return obj.parsed.item  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_chatter(obj: object) -> bool:
        return obj.parsed.chatter  # type: ignore[attr-defined,no-any-return]


class ShoppingListOut(Schema):
    lines: list[ListLineOut]
    estimate: int = Field(description="Matched lines' estimates plus the cari-di-pasar caps.")
    written: bool = Field(description="False for a preview.")
