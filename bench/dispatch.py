"""The courier dispatch bar of issue 4: a market-day batch planned in ≤ 1 s, within 2 % of plain VROOM.

    uv run python -m bench.dispatch                 # 7 runs on the default instance
    uv run python -m bench.dispatch --runs 15 --seed 3

The instance: 100 drop-offs around Pasar Cihapit (Bandung, the demo's market) within its 4 km radius,
ready over the last 30 minutes, each due 90 minutes after it became ready, one in four with a buyer's
chosen hour (not before 20-40 minutes from now); 12 couriers in line with 6, 8, 10 or 12 orders per trip.

"Ours" is what the queue runs (``delivery.routing.fair_plan`` with the production settings): the travel
matrix (haversine × road factor), VROOM at the configured exploration level within its time budget, and
the hand-out of the routes to the couriers in queue order (cut to capacity and re-planned if needed).
"Plain VROOM" solves the very same problem (same matrix, jobs, windows, priorities, vehicles) at
exploration level 5 without a time limit and without the queue's hand-out. Cost = total travel seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench import environment

MARKET = (-6.9097, 107.6227)  # Pasar Cihapit, Bandung
RADIUS_KM = 4.0
CAPACITIES = [6, 8, 10, 12] * 3
RESULTS = Path(__file__).resolve().parent / "results" / "dispatch.json"
BAR_SECONDS, BAR_COST = 1.0, 0.02


def instance(seed: int):
    from pasar.delivery.routing import Drop, Rider

    rng = random.Random(seed)
    drops = []
    for i in range(100):
        distance, bearing = RADIUS_KM * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = MARKET[0] + distance / 111.32 * math.cos(bearing)
        lng = MARKET[1] + distance / (111.32 * math.cos(math.radians(MARKET[0]))) * math.sin(bearing)
        age = rng.randint(0, 30 * 60)
        chosen_hour = rng.random() < 0.25
        drops.append(
            Drop(
                key=i + 1, lat=lat, lng=lng, age_s=age, due_s=90 * 60 - age,
                from_s=rng.randint(20, 40) * 60 if chosen_hour else 0,
            )
        )  # fmt: skip
    riders = [Rider(key=k + 1, capacity=capacity) for k, capacity in enumerate(CAPACITIES)]
    return drops, riders


def run(runs: int, seed: int) -> dict[str, Any]:
    from django.conf import settings

    from pasar.delivery import routing

    drops, riders = instance(seed)
    ours_s, ours_cpu, plain_s, ours_cost, plain_cost, ours_left, plain_left = [], [], [], [], [], [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        plan = routing.fair_plan(MARKET, drops, riders)
        ours_s.append(time.perf_counter() - started)
        ours_cpu.append(time.process_time() - cpu)  # both VROOM threads: this process's CPU
        ours_cost.append(plan.cost)
        ours_left.append(len(plan.unassigned))
        matrix = routing.travel_matrix([MARKET, *((d.lat, d.lng) for d in drops)])
        started = time.perf_counter()
        plain = routing.solve(MARKET, drops, riders, matrix=matrix, exploration=5, timeout_ms=0)
        plain_s.append(time.perf_counter() - started)
        plain_cost.append(plain.cost)
        plain_left.append(len(plain.unassigned))
    ratios = [ours / plain - 1 for ours, plain in zip(ours_cost, plain_cost, strict=True)]
    p95 = sorted(ours_s)[max(0, math.ceil(0.95 * runs) - 1)]
    return {
        "instance": {"deliveries": len(drops), "couriers": len(riders), "capacities": CAPACITIES, "seed": seed},
        "settings": {
            "exploration": settings.PASAR_DELIVERY_VROOM_EXPLORATION,
            "timeout_ms": settings.PASAR_DELIVERY_VROOM_TIMEOUT_MS,
            "road_factor": settings.PASAR_DELIVERY_ROAD_FACTOR,
            "speed_kmh": settings.PASAR_DELIVERY_SPEED_KMH,
        },
        "runs": runs,
        "ours_seconds": {"median": statistics.median(ours_s), "p95": p95, "all": ours_s},
        "ours_cpu_seconds": {"median": statistics.median(ours_cpu), "all": ours_cpu},
        "plain_seconds": {"median": statistics.median(plain_s), "all": plain_s},
        "ours_cost": ours_cost,
        "plain_cost": plain_cost,
        "unassigned": {"ours": ours_left, "plain": plain_left},
        "cost_over_plain": {"median": statistics.median(ratios), "worst": max(ratios), "all": ratios},
        "bars": [
            {"bar": "dispatch p95 ≤ 1 s", "value": p95, "pass": p95 <= BAR_SECONDS},
            {
                "bar": "route cost within 2 % of plain VROOM (worst run)",
                "value": max(ratios),
                "pass": max(ratios) <= BAR_COST and max(ours_left) <= min(plain_left),
            },
        ],
    }


def report(results: dict[str, Any]) -> str:
    ours, plain, ratio = results["ours_seconds"], results["plain_seconds"], results["cost_over_plain"]
    lines = [
        f"dispatch of {results['instance']}: {results['runs']} runs",
        f"  ours:  median {ours['median']:.3f} s, p95 {ours['p95']:.3f} s"
        f" (CPU median {results['ours_cpu_seconds']['median']:.3f} s)",
        f"  plain VROOM (level 5, no limit): median {plain['median']:.3f} s",
        f"  cost over plain: median {ratio['median']:+.2%}, worst {ratio['worst']:+.2%}",
        f"  unassigned: {results['unassigned']}",
    ]
    for bar in results["bars"]:
        lines.append(f"  [{'PASS' if bar['pass'] else 'FAIL'}] {bar['bar']}: {bar['value']:.4g}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    environment.configure(data_dir=None, database_url=None)
    results = run(args.runs, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
