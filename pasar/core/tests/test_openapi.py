import pytest

PATHS = {
    "/api/v1/regions": "regions_list",
    "/api/v1/markets": "markets_list",
    "/api/v1/markets/{slug}": "markets_detail",
    "/api/v1/markets/{slug}/stalls": "stalls_list",
    "/api/v1/markets/{slug}/search": "products_search",
    "/api/v1/stalls/{stall_id}": "stalls_detail",
    "/api/v1/products/{product_id}": "products_detail",
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
    assert {path: item["get"]["operationId"] for path, item in document["paths"].items()} == PATHS


def test_every_operation_is_read_only_and_fully_described(document):
    ids = []
    for path, method, op in operations(document):
        assert method == "get", path
        assert op["summary"], path
        assert op["tags"] in (["regions"], ["markets"], ["catalog"]), path
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert resolve(document, ok), path
        assert "422" in op["responses"], path
        ids.append(op["operationId"])
    assert len(ids) == len(set(ids)) == len(PATHS)


def test_lookups_by_id_or_slug_document_their_404(document):
    for path, _method, op in operations(document):
        if "{" in path:
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
