"""Trip planning: a travel-time matrix and VROOM (pyvroom) over the waiting drop-offs and the idle couriers.

Every trip starts at the market: the courier walks the stalls in market-layout order (block, row, number;
inside the market, so no road cost), rides to the drop-offs in the order VROOM found, and comes back to
the pangkalan to queue again. So the road problem is a capacitated VRP with time windows from one depot:
each drop-off is a VROOM job delivering one order (its size counts against the courier's capacity), each
idle courier a vehicle with their own capacity, and each drop-off must happen before the order's promise
(ready time + ``PASAR_DELIVERY_PROMISE_MINUTES``). Older orders get a higher VROOM priority, so when not
everything fits the oldest go first. Orders going the same way end up in one trip because that is what
minimises the total travel time.

The matrix is the haversine distance × ``PASAR_DELIVERY_ROAD_FACTOR`` at ``PASAR_DELIVERY_SPEED_KMH``; with
``PASAR_DELIVERY_ROUTER=osrm`` and ``PASAR_OSRM_URL`` it comes from an OSRM server's table service instead
(not used by the tests, which must not call the network).
"""

import json
import re
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import vroom  # type: ignore[import-untyped]
from django.conf import settings

SERVICE_SECONDS = 120  # handing over at the door
MAX_PRIORITY = 100
QUEUE_COST = 120  # seconds of riding per place in line: see ``build_input``


@dataclass(frozen=True)
class Drop:
    """A drop-off: the order's id, where, how much room it takes, and the latest arrival (s from now)."""

    key: int
    lat: float
    lng: float
    size: int = 1
    due_s: int | None = None
    age_s: int = 0
    from_s: int = 0  # not before (a buyer's chosen hour), s from now


@dataclass(frozen=True)
class Rider:
    """An idle courier. ``strict``: they already had an offer while someone now ahead of them waited, so
    they may not be offered again before everyone ahead of them is."""

    key: int
    capacity: int
    strict: bool = False


@dataclass
class Route:
    rider: int
    drops: list[int]
    duration_s: int = 0
    distance_m: int = 0

    @property
    def load(self) -> int:
        return len(self.drops)


@dataclass
class Plan:
    routes: list[Route] = field(default_factory=list)
    unassigned: list[int] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return sum(route.duration_s for route in self.routes)


@dataclass(frozen=True)
class Matrix:
    durations: Any  # numpy uint32 square arrays, index 0 = the market
    distances: Any


def _haversine_m(lats: Any, lngs: Any) -> Any:
    lat, lng = np.radians(lats), np.radians(lngs)
    dlat = lat[:, None] - lat[None, :]
    dlng = lng[:, None] - lng[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlng / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(a))


def haversine_matrix(points: Sequence[tuple[float, float]]) -> Matrix:
    """Road metres (straight line × road factor) and seconds at the configured speed."""
    factor = float(settings.PASAR_DELIVERY_ROAD_FACTOR)
    speed = float(settings.PASAR_DELIVERY_SPEED_KMH) / 3.6  # m/s
    lats = np.array([p[0] for p in points], dtype=float)
    lngs = np.array([p[1] for p in points], dtype=float)
    metres = _haversine_m(lats, lngs) * factor
    return Matrix(durations=np.rint(metres / speed).astype("uint32"), distances=np.rint(metres).astype("uint32"))


def osrm_matrix(points: Sequence[tuple[float, float]]) -> Matrix:  # pragma: no cover - needs an OSRM server
    """The OSRM table service (``/table/v1/driving/lng,lat;...?annotations=duration,distance``)."""
    coords = ";".join(f"{lng:.6f},{lat:.6f}" for lat, lng in points)
    url = f"{settings.PASAR_OSRM_URL.rstrip('/')}/table/v1/driving/{coords}?annotations=duration,distance"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a configured server URL
        data = json.load(response)
    return Matrix(
        durations=np.rint(np.array(data["durations"], dtype=float)).astype("uint32"),
        distances=np.rint(np.array(data["distances"], dtype=float)).astype("uint32"),
    )


def travel_matrix(points: Sequence[tuple[float, float]]) -> Matrix:
    if settings.PASAR_DELIVERY_ROUTER == "osrm" and settings.PASAR_OSRM_URL:  # pragma: no cover
        return osrm_matrix(points)
    return haversine_matrix(points)


def _priority(age_s: int) -> int:
    """One priority step per two minutes waited, so the oldest orders are kept when not all fit."""
    return min(MAX_PRIORITY, age_s // 120)


def build_input(
    origin: tuple[float, float],
    drops: Sequence[Drop],
    riders: Sequence[Rider],
    matrix: Matrix,
    *,
    queue_cost: int = 0,
) -> vroom.Input:
    """The VROOM problem: location 0 is the market, location i + 1 is ``drops[i]``.

    ``queue_cost``: a fixed cost per vehicle growing with its place in line, so that when VROOM leaves a
    courier without a trip it is one at the back (the queue's rule), not one who waited longest.
    """
    problem = vroom.Input()
    problem.set_durations_matrix("car", matrix.durations)
    problem.set_distances_matrix("car", matrix.distances)
    for index, rider in enumerate(riders):
        costs = vroom.VehicleCosts(fixed=queue_cost * (index + 1))
        problem.add_vehicle(
            vroom.Vehicle(index + 1, start=0, end=0, capacity=vroom.Amount([rider.capacity]), costs=costs)
        )
    for index, drop in enumerate(drops):
        late = drop.due_s is None or drop.due_s <= drop.from_s  # already late: no deadline, deliver first
        windows = (
            [] if late and not drop.from_s else [vroom.TimeWindow(drop.from_s, drop.due_s if not late else 86_400)]
        )
        problem.add_job(
            vroom.Job(
                index + 1,
                location=index + 1,
                default_service=SERVICE_SECONDS,
                delivery=vroom.Amount([drop.size]),
                priority=_priority(drop.age_s),
                time_windows=windows,
            )
        )
    return problem


def solve(
    origin: tuple[float, float],
    drops: Sequence[Drop],
    riders: Sequence[Rider],
    *,
    matrix: Matrix | None = None,
    exploration: int | None = None,
    threads: int = 2,
    timeout_ms: int | None = None,
    queue_cost: int = 0,
) -> Plan:
    """Plain VROOM on the instance: routes per rider (in ``riders`` order) and the drop-offs left over."""
    if not drops or not riders:
        return Plan(unassigned=[drop.key for drop in drops])
    matrix = matrix or travel_matrix([origin, *((d.lat, d.lng) for d in drops)])
    problem = build_input(origin, drops, riders, matrix, queue_cost=queue_cost)
    level = exploration if exploration is not None else int(settings.PASAR_DELIVERY_VROOM_EXPLORATION)
    timeout_ms = timeout_ms if timeout_ms is not None else int(settings.PASAR_DELIVERY_VROOM_TIMEOUT_MS)
    timeout = timedelta(milliseconds=timeout_ms) if timeout_ms > 0 else None
    answer = problem.solve(exploration_level=level, nb_threads=threads, timeout=timeout).to_dict()
    plan = Plan(unassigned=[drops[job["id"] - 1].key for job in answer.get("unassigned", [])])
    for route in answer["routes"]:
        keys = [drops[step["id"] - 1].key for step in route["steps"] if step["type"] == "job"]
        plan.routes.append(
            Route(
                rider=riders[route["vehicle"] - 1].key,
                drops=keys,
                duration_s=int(route["duration"]),
                distance_m=int(route.get("distance", 0)),
            )
        )
    return plan


def route_cost(matrix: Matrix, indexes: Sequence[int]) -> tuple[int, int]:
    """Travel seconds and metres of market → ``indexes`` (matrix positions) → market."""
    path = [0, *indexes, 0]
    pairs = list(zip(path, path[1:], strict=False))
    return (
        int(sum(int(matrix.durations[a, b]) for a, b in pairs)),
        int(sum(int(matrix.distances[a, b]) for a, b in pairs)),
    )


def fair_plan(
    origin: tuple[float, float],
    drops: Sequence[Drop],
    riders: Sequence[Rider],
    *,
    matrix: Matrix | None = None,
    exploration: int | None = None,
    timeout_ms: int | None = None,
) -> Plan:
    """VROOM's routes handed out in queue order: ``riders`` are the idle couriers, longest waiting first.

    VROOM may leave the first courier's vehicle empty and load the fifth's. So: when the routes fit the
    couriers at the head of the line, they go there (each route costs the same whoever rides it); else
    VROOM's own assignment stands if it passes over nobody twice (``_out_of_turn``); else the routes,
    oldest order first, go to the couriers in line: each takes the first route within their capacity,
    or, when none fits, the first route cut to their capacity. Drop-offs cut off are planned again over
    the couriers still free, until everyone has a trip or nothing is left. Travel times
    (service excluded, as VROOM reports them) of moved or cut routes are recomputed from the matrix.
    """
    if not drops or not riders:
        return Plan(unassigned=[drop.key for drop in drops])
    matrix = matrix or travel_matrix([origin, *((d.lat, d.lng) for d in drops)])
    position = {drop.key: index + 1 for index, drop in enumerate(drops)}
    by_key = {drop.key: drop for drop in drops}
    plan, pending, free = Plan(), list(drops), list(riders)
    while pending and free:
        sub = _submatrix(matrix, [position[d.key] for d in pending])
        solved = solve(
            origin, pending, free, matrix=sub, exploration=exploration, timeout_ms=timeout_ms, queue_cost=QUEUE_COST
        )
        routes = sorted((r for r in solved.routes if r.drops), key=lambda r: -max(by_key[k].age_s for k in r.drops))
        if not routes:
            break
        matched = _match(routes, free[: len(routes)]) or _out_of_turn(routes, free)
        left: list[int] = []
        if matched is not None:  # VROOM's routes stand as they are: nothing to cut
            for rider, route in matched:
                plan.routes.append(
                    Route(rider=rider.key, drops=route.drops, duration_s=route.duration_s, distance_m=route.distance_m)
                )
                free.remove(rider)
            routes = []
        for rider in list(free):
            if not routes:
                break
            chosen = next((r for r in routes if r.load <= rider.capacity), routes[0])
            routes.remove(chosen)
            kept, left_here = chosen.drops[: rider.capacity], chosen.drops[rider.capacity :]
            left.extend(left_here)
            duration, distance = route_cost(matrix, [position[k] for k in kept])
            plan.routes.append(Route(rider=rider.key, drops=kept, duration_s=duration, distance_m=distance))
            free.remove(rider)
        # Drop-offs VROOM could not fit (a promise no route keeps) are planned again too: late beats never.
        pending = [by_key[k] for k in [*left, *solved.unassigned]]
    for rider in free:  # nothing VROOM would route is left for a free courier: oldest first, as they come
        if not pending:
            break
        pending.sort(key=lambda d: -d.age_s)
        batch, pending = pending[: rider.capacity], pending[rider.capacity :]
        duration, distance = route_cost(matrix, [position[d.key] for d in batch])
        keys = [d.key for d in batch]
        plan.routes.append(Route(rider=rider.key, drops=keys, duration_s=duration, distance_m=distance))
    plan.unassigned.extend(d.key for d in pending)
    return plan


def _match(routes: list[Route], riders: list[Rider]) -> list[tuple[Rider, Route]] | None:
    """Each of ``riders`` (as many as routes) gets a route within their capacity, or None if impossible.

    Every courier starts and ends at the market, so a route costs the same whoever rides it: moving
    VROOM's routes between couriers keeps its cost. Kuhn's augmenting paths; a dozen couriers at most.
    """
    owner: dict[int, int] = {}  # route index → rider index

    def assign(rider: int, seen: set[int]) -> bool:
        for index, route in enumerate(routes):
            if index in seen or route.load > riders[rider].capacity:
                continue
            seen.add(index)
            if index not in owner or assign(owner[index], seen):
                owner[index] = rider
                return True
        return False

    if len(riders) < len(routes) or not all(assign(rider, set()) for rider in range(len(riders))):
        return None
    return sorted(((riders[r], routes[i]) for i, r in owner.items()), key=lambda pair: riders.index(pair[0]))


def _out_of_turn(routes: list[Route], riders: list[Rider]) -> list[tuple[Rider, Route]] | None:
    """VROOM's own assignment, when it skips only couriers it may: someone behind may ride first once.

    The issue's rule is "no courier offered twice while another waits longer": a courier left without a
    trip keeps the head of the line, and whoever rode past them re-joins at the back. A ``strict`` courier
    (who already rode past someone still waiting ahead) may not pass anyone again.
    """
    by_rider = {route.rider: route for route in routes}
    skipped = False
    for rider in riders:
        if rider.key not in by_rider:
            skipped = True
        elif skipped and rider.strict:
            return None
    return [(rider, by_rider[rider.key]) for rider in riders if rider.key in by_rider]


def _submatrix(matrix: Matrix, indexes: Sequence[int]) -> Matrix:
    """The matrix restricted to the market and ``indexes`` (in that order)."""
    keep = np.array([0, *indexes])
    return Matrix(durations=matrix.durations[np.ix_(keep, keep)], distances=matrix.distances[np.ix_(keep, keep)])


_NUMBER = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """ "A2" < "A10": digits compare as numbers, so stall numbers sort as people walk them."""
    return tuple((0, int(part)) if part.isdecimal() else (1, part.lower()) for part in _NUMBER.split(text) if part)


def layout_key(block: str, row: str, number: str) -> tuple[Any, ...]:
    """A stall's place in the market's walk: block, then row (los), then number."""
    return (natural_key(block), natural_key(row), natural_key(number))
