"""The public JSON API, ``/api/v1/``: one router per app, all reading through the apps' selectors."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.openapi.schema import OpenAPISchema

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
- Errors: 404 `{"detail": "..."}` for an unknown market, stall or product; 400 `{"detail", "code"}` for a
  refused request (`code` `body_unparsable` when the body is not JSON); 422
  `{"detail": [{"type", "loc", "msg"}]}` for a malformed or out-of-range parameter.
"""

CSRF_REFUSAL = {
    "description": "CSRF check failed: a session-authenticated write must send the `csrftoken` cookie's value "
    "in the `X-CSRFToken` header.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}


class PasarAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        """ninja's document, with the 403 that its session auth answers to a write without the CSRF token."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in schema["paths"].values():
            for method, operation in item.items():
                if method != "get" and {"SessionAuth": []} in operation.get("security", []):
                    operation["responses"].setdefault(403, CSRF_REFUSAL)
        return schema


api = PasarAPI(title="Pasar Daring API", version="1", description=DESCRIPTION, urls_namespace="api")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals (``{"detail"}``), with a ``code`` on a 400 as every declared 400 body has one.

    A body that is not JSON is refused by ninja before any endpoint runs ("Cannot parse request body"):
    the endpoints' 400 schemas (``RefusalOut``) require ``code``, so it gets ``body_unparsable``.
    """
    body: dict[str, str] = {"detail": str(exc)}
    if exc.status_code == 400:
        body["code"] = "body_unparsable" if str(exc).startswith("Cannot parse request body") else "bad_request"
    return api.create_response(request, body, status=exc.status_code)


api.add_router("", regions_router)
api.add_router("", markets_router)
api.add_router("", catalog_router)
api.add_router("", payments_router)
api.add_router("", "pasar.orders.api.router")  # cart, checkout, orders: session auth, see pasar/orders/api.py
api.add_router("", "pasar.orders.staff_api.router")  # trader, courier, operator actions: see pasar/orders/staff_api.py
for _app in ("notifications", "training", "pricing", "delivery", "complaints", "dashboards"):
    api.add_router("", f"pasar.{_app}.api.router")
