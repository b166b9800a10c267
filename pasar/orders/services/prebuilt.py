"""Statements without the ORM's compiler, for the ones every order placement runs.

Why: the ORM rebuilds a statement's SQL from its queryset on every call (cloning the query, compiling
it, one model instance per joined row), and that was about two thirds of a placement's Python CPU;
on a 2-core server Python CPU is what bounds placement throughput (bench/README.md, Orders). Here a
statement's text is built once per process from the models' metadata (no table or column name typed
by hand) and every value is a parameter. Values cross through the fields' own conversions, ``pre_save``
and ``get_db_prep_save`` on the way in, the backend's and the field's converters on the way out, so
SQLite and PostgreSQL read and write exactly what the ORM would.
"""

# S608 (SQL built from strings) is answered for the whole module: the strings are table and column names
# from the models' metadata, quoted by the backend, and the number of placeholders; values are parameters.
# ruff: noqa: S608

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model
from django.db.models.expressions import Col
from django.db.models.signals import post_save, pre_save

from pasar.catalog.models import Product
from pasar.orders.models import Cart, CartLine, CartRequest, Order
from pasar.traders.models import Stall

Converter = Callable[[Any, Col, Any], Any]


def quote(name: str | None) -> str:
    assert name, "a column without a name"
    return connection.ops.quote_name(name)


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    """``"table"."column"`` of the field ``name`` (a foreign key by its name, e.g. ``cart``)."""
    return f"{table(model)}.{bare(model, name)}"


def bare(model: type[Model], name: str) -> str:
    """The field's column unqualified, as an UPDATE's SET clause needs it."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return quote(field.column)


def lock_clause(*, no_key: bool = False) -> str:
    """``FOR [NO KEY] UPDATE`` where the backend has it, nothing elsewhere, as ``select_for_update`` does.

    On SQLite the placement's IMMEDIATE transaction already holds the database's write lock.
    """
    if not connection.features.has_select_for_update:
        return ""
    return " FOR NO KEY UPDATE" if no_key and connection.features.has_select_for_no_key_update else " FOR UPDATE"


@dataclass(frozen=True)
class Columns[M: Model]:
    """Some fields of one model in concrete-field order, so ``Model.from_db`` takes a row of them as is."""

    model: type[M]
    attnames: tuple[str, ...]
    sql: str
    # (position in the row, the converters the ORM would apply, the column they are given)
    converters: tuple[tuple[int, tuple[Converter, ...], Col], ...]

    def values(self, row: Sequence[Any]) -> list[Any]:
        values = list(row)
        db = connections[DEFAULT_DB_ALIAS]
        for i, functions, col in self.converters:
            for function in functions:
                values[i] = function(values[i], col, db)
        return values

    def instance(self, row: Sequence[Any]) -> M:
        """A model instance as the ORM builds it; fields not selected are deferred (read on access)."""
        return self.model.from_db(DEFAULT_DB_ALIAS, self.attnames, self.values(row))


def columns[M: Model](model: type[M], *names: str) -> Columns[M]:
    """The fields ``names`` of ``model`` (every concrete field when none is named), with their converters."""
    return _columns(model, names, connection.vendor)


@cache
def _columns[M: Model](model: type[M], names: tuple[str, ...], vendor: str) -> Columns[M]:
    wanted = {model._meta.get_field(name) for name in names}
    fields = [f for f in model._meta.concrete_fields if not names or f in wanted]
    if names and len(fields) != len(names):
        raise ValueError(f"not concrete fields of {model.__name__}: {names}")
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        functions = tuple(connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        if functions:
            converters.append((i, functions, col))
    sql = ", ".join(column(model, f.name) for f in fields)
    return Columns(model, tuple(f.attname for f in fields), sql, tuple(converters))


def insert(objs: Sequence[Model]) -> None:
    """INSERT new rows of one model in one statement and set their primary keys, as ``bulk_create`` does.

    ``pre_save`` fills ``auto_now`` fields and ``get_db_prep_save`` adapts each value, as the ORM's insert
    does. A model with save signal receivers goes through ``save()`` so that they still run.
    """
    if not objs:
        return
    model = type(objs[0])
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        for obj in objs:
            obj.save(force_insert=True)
        return
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: each attribute read through the proxy costs
    plan = _insert_plan(model, db.vendor)
    size = max(1, db.ops.bulk_batch_size(plan.fields, objs))
    for start in range(0, len(objs), size):
        batch = objs[start : start + size]
        rows = [[f.get_db_prep_save(f.pre_save(obj, True), db) for f in plan.fields] for obj in batch]
        with db.cursor() as cursor:
            cursor.execute(*plan.statement(rows))
            pks = [pk for (pk,) in cursor.fetchall()]
        for obj, pk in zip(batch, pks, strict=True):
            setattr(obj, plan.pk_attname, pk)
            obj._state.adding, obj._state.db = False, db.alias


@dataclass(frozen=True)
class _InsertPlan:
    fields: tuple[Field[Any, Any], ...]
    head: str
    returning: str
    pk_attname: str
    # PostgreSQL: ``SELECT * FROM UNNEST(%s::type[], …)``, one array per column, as the ORM's bulk_create
    # does there; the text is the same for any number of rows, so psycopg parses it once (it re-parses a
    # statement of more than 50 parameters on every call).
    unnest: str | None

    def statement(self, rows: list[list[Any]]) -> tuple[str, list[Any]]:
        if self.unnest and len(rows) > 1:
            return f"{self.head} {self.unnest}{self.returning}", [list(c) for c in zip(*rows, strict=True)]
        row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        values = ", ".join([row] * len(rows))
        return f"{self.head} VALUES {values}{self.returning}", [v for r in rows for v in r]


@cache
def _insert_plan(model: type[Model], vendor: str) -> _InsertPlan:
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError(f"{vendor} cannot return the keys of a multi-row INSERT")
    pk = model._meta.pk
    assert pk is not None
    fields = tuple(f for f in model._meta.concrete_fields if f is not pk and not f.generated)
    if any(f.has_db_default() for f in fields):
        # The ORM leaves such a field out of the INSERT when the value is the default; not needed here.
        raise NotImplementedError(f"{model.__name__} has database defaults")
    names = ", ".join(quote(f.column) for f in fields)
    head, returning = f"INSERT INTO {table(model)} ({names})", f" RETURNING {bare(model, pk.name)}"
    return _InsertPlan(fields, head, returning, pk.attname, _unnest(fields) if vendor == "postgresql" else None)


def _unnest(fields: tuple[Field[Any, Any], ...]) -> str | None:
    """The ORM's conditions for UNNEST (postgresql/compiler.py): plain column types, one placeholder each."""
    targets = [f.target_field if f.is_relation else f for f in fields]  # type: ignore[attr-defined]
    if any(hasattr(f, "get_placeholder_sql") for f in fields) or any(
        t.get_internal_type() not in connection.data_types for t in targets
    ):
        return None
    # Without the type's parameters, as the ORM does: varchar[], not varchar(50)[].
    casts = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)  # type: ignore[union-attr]
    return f"SELECT * FROM UNNEST({casts})"


# --- placement's statements (placement.py keeps the rules: which rows, in which order, when) ---------


@dataclass(slots=True)
class CartItem:
    """A cart line as placement reads it: its product (only the fields placement reads) and the stall's state."""

    pk: int
    quantity: Decimal
    note: str
    bargaining: bool  # an offer on it waits for an answer (services/bargain.py)
    agreed_price: int | None  # the price per unit both sides agreed, if any
    product: Product
    stall_open: bool


# What placement reads of a product; any other field would be fetched on access (one query each).
PRODUCT_FIELDS = (
    *("id", "stall", "market", "name", "unit", "price", "weighed"),
    *("quantity_step", "quantity_min", "available", "stock"),
)


def cart_lock(*, buyer_id: int, market_id: int) -> int | None:
    """The id of the buyer's cart at the market, its row locked until the commit; ``None``: no cart."""
    row = _one("cart_lock", [buyer_id, market_id])
    return row[0] if row else None


def order_by_key(*, buyer_id: int, key: str) -> Order | None:
    """The buyer's order placed with this one-time key, if any (a replayed request)."""
    row = _one("order_by_key", [buyer_id, key])
    return columns(Order).instance(row) if row else None


def cart_items(cart_id: int | None) -> list[CartItem]:
    """The cart's lines with their products and stalls, in product-id order (the order stock is locked in)."""
    line, product, stall = _item_columns(connection.vendor)
    p, s = len(line.attnames), len(line.attnames) + len(product.attnames)
    items = []
    for row in _all("cart_items", [cart_id]):
        pk, quantity, note, bargaining, agreed_price = line.values(row[:p])
        [is_open] = stall.values(row[s:])
        items.append(CartItem(pk, quantity, note, bargaining, agreed_price, product.instance(row[p:s]), is_open))
    return items


def cart_requests(cart_id: int | None) -> list[CartRequest]:
    """The cart's cari-di-pasar lines, oldest first."""
    found = columns(CartRequest)
    return [found.instance(row) for row in _all("cart_requests", [cart_id])]


def number_taken(number: str) -> bool:
    return _one("number_taken", [number]) is not None


def empty_cart(cart_id: int, *, requests: bool) -> None:
    """Delete the cart's lines (and its cari-di-pasar lines): no signals or cascades, as the ORM's fast delete."""
    with connection.cursor() as cursor:
        cursor.execute(_sql("empty_cart_lines"), [cart_id])
        if requests:
            cursor.execute(_sql("empty_cart_requests"), [cart_id])


def stock_lock(product_ids: Collection[int]) -> dict[int, int | None]:
    """Lock the products' rows in id order (``FOR NO KEY UPDATE``) and read their stock counts."""
    marks = ", ".join(["%s"] * len(product_ids))
    return dict(_all("stock_lock", sorted(product_ids), marks=marks))


def stock_take_one(product_id: int, units: int) -> bool:
    """Take ``units`` if that many are left (one conditional UPDATE; PostgreSQL re-checks it after a wait)."""
    with connection.cursor() as cursor:
        cursor.execute(_sql("stock_take_one"), [units, product_id, units])
        taken: bool = cursor.rowcount == 1
    return taken


def stock_take(units: dict[int, int]) -> None:
    """Take ``units`` per product id in one UPDATE (rows already locked and checked by the caller)."""
    cases = " ".join(["WHEN %s THEN %s"] * len(units))
    marks = ", ".join(["%s"] * len(units))
    params = [v for pair in units.items() for v in pair] + list(units)
    with connection.cursor() as cursor:
        cursor.execute(_sql("stock_take", cases=cases, marks=marks), params)


def _one(name: str, params: list[Any]) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(_sql(name), params)
        row: tuple[Any, ...] | None = cursor.fetchone()
    return row


def _all(name: str, params: list[Any], **parts: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(_sql(name, **parts), params)
        return list(cursor.fetchall())


def _sql(name: str, **parts: str) -> str:
    """Statement ``name``; ``parts`` fill the ``{…}`` slots of those whose length varies with the rows."""
    text = _statements(connection.vendor)[name]
    return text.format(**parts) if parts else text


@cache
def _item_columns(vendor: str) -> tuple[Columns[CartLine], Columns[Product], Columns[Stall]]:
    return (
        columns(CartLine, "id", "quantity", "note", "bargaining", "agreed_price"),
        columns(Product, *PRODUCT_FIELDS),
        columns(Stall, "is_open"),
    )


@cache
def _statements(vendor: str) -> dict[str, str]:
    """Every fixed statement above, built once per backend. Table and column names come from the models."""
    line, product, stall = _item_columns(vendor)
    items_join = (
        f"INNER JOIN {table(Product)} ON {column(CartLine, 'product')} = {column(Product, 'id')} "
        f"INNER JOIN {table(Stall)} ON {column(Product, 'stall')} = {column(Stall, 'id')}"
    )
    stock, pk = bare(Product, "stock"), bare(Product, "id")
    by_cart = "WHERE {} = %s"
    statements = {
        "cart_lock": f"SELECT {column(Cart, 'id')} FROM {table(Cart)} "
        f"WHERE {column(Cart, 'buyer')} = %s AND {column(Cart, 'market')} = %s ORDER BY 1 LIMIT 1{lock_clause()}",
        "order_by_key": f"SELECT {columns(Order).sql} FROM {table(Order)} "
        f"WHERE {column(Order, 'buyer')} = %s AND {column(Order, 'idempotency_key')} = %s ORDER BY 1 LIMIT 1",
        "cart_items": f"SELECT {line.sql}, {product.sql}, {stall.sql} FROM {table(CartLine)} {items_join} "
        f"{by_cart.format(column(CartLine, 'cart'))} ORDER BY {column(CartLine, 'product')}",
        "cart_requests": f"SELECT {columns(CartRequest).sql} FROM {table(CartRequest)} "
        f"{by_cart.format(column(CartRequest, 'cart'))} ORDER BY 1",
        "number_taken": f"SELECT 1 FROM {table(Order)} WHERE {column(Order, 'number')} = %s LIMIT 1",
        "empty_cart_lines": f"DELETE FROM {table(CartLine)} {by_cart.format(column(CartLine, 'cart'))}",
        "empty_cart_requests": f"DELETE FROM {table(CartRequest)} {by_cart.format(column(CartRequest, 'cart'))}",
        # {marks}: one %s per product.
        "stock_lock": f"SELECT {column(Product, 'id')}, {column(Product, 'stock')} FROM {table(Product)} "
        f"WHERE {column(Product, 'id')} IN ({{marks}}) ORDER BY 1{lock_clause(no_key=True)}",
        "stock_take_one": f"UPDATE {table(Product)} SET {stock} = {stock} - %s WHERE {pk} = %s AND {stock} >= %s",
        # {cases}: one ``WHEN %s THEN %s`` (product id, units) per product; {marks}: one %s per product.
        "stock_take": f"UPDATE {table(Product)} SET {stock} = {stock} - CASE {pk} {{cases}} END "
        f"WHERE {pk} IN ({{marks}})",
    }
    return statements
