import random

import pytest

from pasar.delivery import routing
from pasar.delivery.routing import Drop, Rider

MARKET = (-6.9097, 107.6227)


def _drops(n, seed=1):
    rng = random.Random(seed)
    return [
        Drop(key=100 + i, lat=MARKET[0] + rng.uniform(-0.03, 0.03), lng=MARKET[1] + rng.uniform(-0.03, 0.03),
             age_s=rng.randint(0, 1800), due_s=3600)
        for i in range(n)
    ]  # fmt: skip


def test_orders_going_the_same_way_share_a_trip():
    north = [Drop(key=i, lat=MARKET[0] + 0.02 + i * 0.001, lng=MARKET[1]) for i in range(2)]
    south = [Drop(key=10 + i, lat=MARKET[0] - 0.02 - i * 0.001, lng=MARKET[1]) for i in range(2)]

    plan = routing.fair_plan(MARKET, north + south, [Rider(1, 2), Rider(2, 2)])

    trips = sorted(sorted(route.drops) for route in plan.routes)
    assert trips == [[0, 1], [10, 11]]
    assert plan.unassigned == []


def test_capacity_is_respected_and_every_drop_is_planned_once():
    drops = _drops(30)
    riders = [Rider(k, c) for k, c in enumerate([2, 3, 5, 4, 2, 3, 4, 5, 2])]

    plan = routing.fair_plan(MARKET, drops, riders)

    capacity = {r.key: r.capacity for r in riders}
    assert all(len(route.drops) <= capacity[route.rider] for route in plan.routes)
    planned = [k for route in plan.routes for k in route.drops] + plan.unassigned
    assert sorted(planned) == sorted(d.key for d in drops)


def test_the_first_courier_in_line_is_never_skipped():
    """One order, five couriers: it goes to the head of the line, whatever vehicle VROOM picked."""
    drops = _drops(1)
    plan = routing.fair_plan(MARKET, drops, [Rider(k, 3) for k in (7, 3, 9, 1, 5)])

    assert [(route.rider, route.drops) for route in plan.routes] == [(7, [100])]


def test_route_cost_starts_and_ends_at_the_market():
    drops = [Drop(key=1, lat=MARKET[0] + 0.01, lng=MARKET[1])]
    matrix = routing.haversine_matrix([MARKET, (drops[0].lat, drops[0].lng)])

    seconds, metres = routing.route_cost(matrix, [1])

    # 0.01° of latitude ≈ 1,112 m, × road factor 1.35, there and back.
    assert metres == pytest.approx(2 * 1112 * 1.35, rel=0.01)
    assert seconds == pytest.approx(metres / (20 / 3.6), rel=0.01)


def test_stalls_sort_in_market_layout_order():
    stalls = [("B", "", "2"), ("A", "2", "10"), ("A", "2", "9"), ("A", "1", "11")]

    ordered = sorted(stalls, key=lambda s: routing.layout_key(*s))

    assert ordered == [("A", "1", "11"), ("A", "2", "9"), ("A", "2", "10"), ("B", "", "2")]


def test_when_everything_fits_nothing_is_left_waiting():
    drops, riders = _drops(24, seed=7), [Rider(k, 4 + k % 3) for k in range(5)]

    plan = routing.fair_plan(MARKET, drops, riders)

    assert plan.unassigned == []
    assert sorted(k for route in plan.routes for k in route.drops) == sorted(d.key for d in drops)
    assert plan.cost == sum(route.duration_s for route in plan.routes) > 0
