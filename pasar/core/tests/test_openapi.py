import pytest

PUBLIC_TAGS = (["regions"], ["markets"], ["catalog"])
PATHS = {
    "/api/v1/regions": "regions_list",
    "/api/v1/markets": "markets_list",
    "/api/v1/markets/{slug}": "markets_detail",
    "/api/v1/markets/{slug}/stalls": "stalls_list",
    "/api/v1/markets/{slug}/search": "products_search",
    "/api/v1/stalls/{stall_id}": "stalls_detail",
    "/api/v1/products/{product_id}": "products_detail",
}
# The buyer's cart, checkout and orders (session auth): (path, method) → operationId.
BUYER_OPERATIONS = {
    ("/api/v1/cart/{market_slug}", "get"): "cart_detail",
    ("/api/v1/cart/{market_slug}/lines/{product_id}", "get"): "cart_line_detail",
    ("/api/v1/cart/{market_slug}/lines/{product_id}", "put"): "cart_line_set",
    ("/api/v1/cart/{market_slug}/lines/{product_id}", "delete"): "cart_line_delete",
    ("/api/v1/checkout", "post"): "checkout",
    ("/api/v1/orders", "get"): "orders_list",
    ("/api/v1/orders/{number}", "get"): "orders_detail",
    ("/api/v1/orders/{number}/lines/{line_id}/decision", "post"): "orders_line_decision",
    ("/api/v1/cart/{market_slug}/list", "post"): "cart_shopping_list",
    ("/api/v1/orders/{number}/search-lines/{line_id}/decision", "post"): "orders_search_line_decision",
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    return [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()]


def resolve(document, schema):
    """Follow a ``$ref`` into ``components``."""
    ref = schema.get("$ref")
    if ref is None:
        return schema
    name = ref.removeprefix("#/components/schemas/")
    return document["components"]["schemas"][name]


def test_document_is_openapi_3_1_with_every_public_path(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Pasar Daring API"
    assert document["info"]["version"] == "1"
    public = {path: op["operationId"] for path, _method, op in operations(document) if op["tags"] in PUBLIC_TAGS}
    assert public == PATHS
    buyer = {(path, method): op["operationId"] for path, method, op in operations(document) if op["tags"] == ["orders"]}
    assert buyer == BUYER_OPERATIONS


def test_operation_ids_are_unique(document):
    ids = [op["operationId"] for _path, _method, op in operations(document)]
    assert len(ids) == len(set(ids))


def test_every_public_operation_is_read_only_and_fully_described(document):
    ids = []
    for path, method, op in operations(document):
        if op["tags"] not in PUBLIC_TAGS:
            continue
        assert method == "get", path
        assert op["summary"], path
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert resolve(document, ok), path
        assert "422" in op["responses"], path
        ids.append(op["operationId"])
    assert len(ids) == len(set(ids)) == len(PATHS)


def test_buyer_operations_need_the_session_and_document_every_outcome(document):
    for (path, method), _operation_id in BUYER_OPERATIONS.items():
        op = document["paths"][path][method]
        assert op["summary"], path
        assert op["security"] == [{"SessionAuth": []}], path
        assert {"401", "422"} <= set(op["responses"]), path
        ok = next(code for code in ("200", "201", "204") if code in op["responses"])
        if ok != "204":
            assert resolve(document, op["responses"][ok]["content"]["application/json"]["schema"]), path
        if method in ("put", "post"):
            refusal = resolve(document, op["responses"]["400"]["content"]["application/json"]["schema"])
            assert refusal["required"] == ["detail", "code"], path
    checkout = document["paths"]["/api/v1/checkout"]["post"]
    assert [p["name"] for p in checkout["parameters"] if p["in"] == "header"] == ["Idempotency-Key"]
    assert {"200", "201"} <= set(checkout["responses"])


def test_lookups_by_id_or_slug_document_their_404(document):
    for path, _method, op in operations(document):
        if "{" in path and op["tags"] in (*PUBLIC_TAGS, ["orders"]):
            error = resolve(document, op["responses"]["404"]["content"]["application/json"]["schema"])
            assert error["properties"]["detail"]["type"] == "string", path


def test_lists_with_limit_are_paginated_up_to_100(document):
    for path in ("/api/v1/markets", "/api/v1/markets/{slug}/stalls"):
        op = document["paths"][path]["get"]
        limit = next(p for p in op["parameters"] if p["name"] == "limit")
        assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)
        page = resolve(document, op["responses"]["200"]["content"]["application/json"]["schema"])
        assert page["required"] == ["items", "count"]


def test_money_is_integer_and_decimal_quantities_are_strings(document):
    product = document["components"]["schemas"]["ProductOut"]["properties"]
    assert product["price"]["type"] == "integer"
    assert product["quantity_step"]["type"] == "string"
    assert product["price_updated_at"]["anyOf"][0]["format"] == "date-time"


def test_docs_page_loads(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def _properties_named(document, name):
    """(component, property schema) for every property ``name`` in the components."""
    for component, schema in document["components"]["schemas"].items():
        prop = schema.get("properties", {}).get(name)
        if prop is not None:
            yield component, prop


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_each_kind_is_validated_against_its_own_enum(document):
    """Region, market and stall ``Kind`` once shared one component name: /regions was checked against lapak/kios/los."""
    from pasar.markets.models import Market
    from pasar.regions.models import Region
    from pasar.traders.models import Stall

    expected = {"RegionOut": Region.Kind, "RegionWithProvinceOut": Region.Kind, "StallOut": Stall.Kind}
    expected |= {"MarketOut": Market.Kind, "MarketSummaryOut": Market.Kind, "StallSummaryOut": Stall.Kind}
    kinds = dict(_properties_named(document, "kind"))
    for component, choices in expected.items():
        assert resolve(document, kinds[component])["enum"] == list(choices.values), component
    assert resolve(document, kinds["RegionOut"])["enum"] == ["provinsi", "kabupaten", "kota", "kecamatan"]
    assert "Kind" not in document["components"]["schemas"]
    # Two choices classes of one name (Order.State, StallOrder.State): pydantic's module-path names show it.
    assert [name for name in document["components"]["schemas"] if "__" in name] == []


@pytest.mark.django_db
def test_regions_answer_kinds_their_schema_allows(client, document, market):
    allowed = resolve(document, dict(_properties_named(document, "kind"))["RegionOut"])["enum"]
    regions = client.get("/api/v1/regions").json()
    assert regions
    assert {r["kind"] for r in regions} <= set(allowed)


@pytest.mark.django_db
def test_times_of_day_are_declared_as_wall_clock_strings_and_answered_so(client, document, market):
    import re

    assert [node for node in _walk(document) if node.get("format") == "time"] == []
    opens = document["components"]["schemas"]["MarketOut"]["properties"]["opens_at"]
    answer = client.get(f"/api/v1/markets/{market.slug}").json()
    for field in ("opens_at", "closes_at", "order_cutoff"):
        assert re.fullmatch(opens["pattern"], answer[field]), answer[field]


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_400_with_a_code(client, roles, market):
    client.force_login(roles.buyer)
    for method, path in [("post", "/api/v1/checkout"), ("put", f"/api/v1/cart/{market.slug}/lines/1")]:
        response = getattr(client, method)(path, data=b"{not json", content_type="application/json")
        assert response.status_code == 400
        assert response.json() == {"detail": "Cannot parse request body", "code": "body_unparsable"}
