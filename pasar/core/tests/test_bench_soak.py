"""The soak's pure parts (bench/soak_plan.py, the HTML readers of bench/soak_load.py). No timings asserted."""

import random
import statistics
from typing import Any

import pytest

from bench import soak_plan
from bench.soak_load import Scheduler, cash_due, inputs
from bench.soak_plan import Ledger, Mix, Peak, arrivals, invariant_problems, percentile, rates, rss_growth, summarize


def test_peak_rate_follows_from_the_field_figures():
    peak = Peak()
    # 40 markets × 30 orders a day × 25 % in the peak hour.
    assert peak.orders_per_hour == 300
    r = rates(peak, Mix(), multiplier=10, traders=960)
    assert r.orders_per_s == pytest.approx(3000 / 3600)
    assert sum(r.views_per_s.values()) == pytest.approx(r.orders_per_s * 8)
    assert r.price_saves_per_s == pytest.approx(960 * 0.10 * 10 / 3600)
    assert r.dashboard_reads_per_s == pytest.approx(60 / 3600)
    assert rates(peak, Mix(), multiplier=1, traders=960).orders_per_s == pytest.approx(r.orders_per_s / 10)
    with pytest.raises(ValueError, match="positive"):
        rates(peak, Mix(), multiplier=0, traders=1)


def test_view_shares_add_up_to_one():
    assert sum(share for _name, share in Mix().view_shares) == pytest.approx(1.0)


def test_arrivals_are_poisson_within_the_window_and_seeded():
    times = arrivals(2.0, 1000, random.Random(1))
    assert times == sorted(times)
    assert all(0 <= t < 1000 for t in times)
    assert 1800 < len(times) < 2200  # 2/s for 1000 s, a few standard deviations (√2000 ≈ 45) either side
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert statistics.mean(gaps) == pytest.approx(0.5, rel=0.1)
    assert statistics.pstdev(gaps) == pytest.approx(0.5, rel=0.15)  # exponential: sd = mean
    assert arrivals(2.0, 1000, random.Random(1)) == times
    assert arrivals(0, 10, random.Random(1)) == []
    assert all(5 <= t < 15 for t in arrivals(3, 10, random.Random(2), start=5))


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7
    assert percentile([], 95) == 0


def test_summarize_counts_errors_per_action():
    stats = summarize([("a", 10.0, True), ("a", 30.0, False), ("b", 5.0, True)])
    assert stats["a"].count == 2
    assert stats["a"].errors == 1
    assert stats["a"].max_ms == 30
    assert stats["b"].p95_ms == 5
    assert stats["b"].errors == 0


def _ledger(**changes: Any) -> Ledger:
    base: dict[str, Any] = {
        "orders_placed_reported": 3,
        "orders_in_database": 3,
        "delivered": [1, 2],
        "with_entry": [1, 2],
        "entries_unbalanced": 0,
        "postings_total": 0,
        "stock_before": {10: 500, 11: 500},
        "stock_after": {10: 497, 11: 500},
        "stock_taken": {10: 3},
    }
    return Ledger(**(base | changes))


def test_invariants_hold_on_a_consistent_day():
    assert invariant_problems(_ledger()) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"orders_in_database": 2}, "3 placed (HTTP) but 2 in the database"),
        ({"with_entry": [1]}, "1 delivered orders without a ledger entry: [2]"),
        ({"with_entry": [1, 2, 3]}, "ledger entries for orders not delivered: [3]"),
        ({"entries_unbalanced": 1}, "do not sum to zero"),
        ({"postings_total": 500}, "the ledger sums to 500"),
        ({"stock_after": {10: 500, 11: 500}}, "stock not conserved on 1 products: product 10: 500 - 3 = 497, is 500"),
        ({"stock_after": {10: 497, 11: None}}, "product 11: 500 - 0 = 500, is None"),
    ],
)
def test_each_broken_invariant_is_named(changes, words):
    problems = invariant_problems(_ledger(**changes))
    assert len(problems) == 1
    assert words in problems[0]


def test_rss_growth_per_role():
    growth = rss_growth({"worker": 100, "web": 50}, {"worker": 130, "scheduler": 10})
    assert growth["worker"] == {"start_kb": 100, "end_kb": 130, "change_kb": 30}
    assert growth["web"]["change_kb"] is None
    assert growth["scheduler"]["start_kb"] is None


def test_page_readers_find_what_people_see():
    html = (
        '<input type="hidden" name="line" value="7"><input name="w7-quantity" value="0,5" inputmode="decimal">'
        '<input type="checkbox" name="available-3" checked><input name="price-3" value="12.500">'
        '<div class="card" id="drop-42"><p><strong>1. X</strong> <span class="price" style="float:right">'
        "tagih Rp27.000</span></p></div>"
    )
    found = inputs(html)
    assert found["w7-quantity"]["value"] == "0,5"
    assert "checked" in found["available-3"]
    assert found["price-3"]["value"] == "12.500"
    assert cash_due(html, 42) == 27000
    assert cash_due(html, 43) is None


def test_scheduler_runs_jobs_at_their_instants_in_order():
    scheduler = Scheduler(threads=1)
    ran: list[str] = []
    scheduler.at(0.05, lambda t: ran.append(f"b{t}"))
    scheduler.at(0.0, lambda t: ran.append(f"a{t}"))
    scheduler.run_until(0.3, done=lambda: len(ran) == 2)
    assert scheduler.idle()
    scheduler.close()
    assert ran == ["a0.0", "b0.05"]
    assert scheduler.unstarted_at_close == 0


def test_module_has_no_django_import():
    assert "django" not in soak_plan.__dict__
