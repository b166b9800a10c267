"""The public JSON API, ``/api/v1/``: one router per app, all reading through the apps' selectors."""

from ninja import NinjaAPI

from pasar.catalog.api import router as catalog_router
from pasar.markets.api import router as markets_router
from pasar.payments.api import router as payments_router
from pasar.regions.api import router as regions_router

DESCRIPTION = """Read-only public data of Pasar Daring: regions, markets, stalls and products.

Conventions:

- Money is integer rupiah (`price`, `base_fee`, ...): `12500` means Rp12.500.
- Exact decimal quantities (`quantity_step`, `quantity_min`, `delivery.radius_km`) are JSON strings,
  e.g. `"0.250"`; computed values (`latitude`, `longitude`, `distance_km`) are JSON numbers.
- Datetimes are ISO 8601 in Asia/Jakarta, e.g. `2025-03-01T07:30:00+07:00`; a market's opening hours and
  cut-off are times of day in that market's own `timezone`.
- Lists with `limit`/`offset` return `{"items": [...], "count": total}`; `limit` is at most 100.
- Errors: 404 `{"detail": "..."}` for an unknown market, stall or product; 422
  `{"detail": [{"type", "loc", "msg"}]}` for a malformed or out-of-range parameter.
"""

api = NinjaAPI(title="Pasar Daring API", version="1", description=DESCRIPTION, urls_namespace="api")
api.add_router("", regions_router)
api.add_router("", markets_router)
api.add_router("", catalog_router)
api.add_router("", payments_router)
api.add_router("", "pasar.orders.api.router")  # cart, checkout, orders: session auth, see pasar/orders/api.py
api.add_router("", "pasar.orders.staff_api.router")  # trader, courier, operator actions: see pasar/orders/staff_api.py
for _app in ("notifications", "training", "pricing", "delivery", "complaints", "dashboards"):
    api.add_router("", f"pasar.{_app}.api.router")
