"""Forward-only state machines for orders and their stall parts."""

from pasar.orders.models import Order, StallOrder

OS = Order.State
ORDER_NEXT: dict[str, frozenset[str]] = {
    OS.PLACED: frozenset({OS.CONFIRMED, OS.CANCELLED}),
    OS.CONFIRMED: frozenset({OS.READY, OS.CANCELLED}),
    OS.READY: frozenset({OS.PICKED_UP, OS.DELIVERED, OS.CANCELLED}),  # pickup orders go straight to delivered
    OS.PICKED_UP: frozenset({OS.DELIVERED}),
    OS.DELIVERED: frozenset(),
    OS.CANCELLED: frozenset(),
}

PS = StallOrder.State
PART_NEXT: dict[str, frozenset[str]] = {
    PS.PENDING: frozenset({PS.ACCEPTED, PS.CANCELLED}),
    PS.ACCEPTED: frozenset({PS.READY, PS.CANCELLED}),
    PS.READY: frozenset({PS.PICKED_UP, PS.CANCELLED}),
    PS.PICKED_UP: frozenset(),
    PS.CANCELLED: frozenset(),
}

ORDER_RANK = {state: rank for rank, state in enumerate([OS.PLACED, OS.CONFIRMED, OS.READY, OS.PICKED_UP, OS.DELIVERED])}


def can_move(table: dict[str, frozenset[str]], current: str, new: str) -> bool:
    return new in table.get(current, frozenset())
