"""API plumbing shared by the apps' routers: pagination, parameter formats, error helpers."""

from typing import Annotated

from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.params.functions import Path
from pydantic import BeforeValidator

MAX_PAGE_SIZE = 100
# Deep offsets cost a scan each; nobody pages 10,000 rows into a list of markets or stalls.
MAX_OFFSET = 10_000
# Bigger ids than PostgreSQL's bigint would fail in the database instead of meaning "not found".
MAX_ID = 2**63 - 1

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
REGION_CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}){0,2}$"


def _blank_is_none(value: object) -> object:
    # HTML forms submit empty fields, and on the pages an empty filter means "no filter".
    return None if value == "" else value


BlankIsNone = BeforeValidator(_blank_is_none)

SlugPath = Annotated[
    str, Path(max_length=140, pattern=SLUG_PATTERN, description="The market's slug, e.g. `pasar-cihapit`.")
]


class Pagination(LimitOffsetPagination):
    """``limit`` (1–100, default 20) and ``offset``; the response carries ``items`` and the total ``count``."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Items per page, at most 100.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip, at most 10000.")


def not_found(message: str) -> HttpError:
    """A 404 whose body is ``{"detail": message}``."""
    return HttpError(404, message)


def invalid_parameter(name: str, message: str, *, code: str = "invalid", source: str = "query") -> ValidationError:
    """A 422 shaped like ninja's own validation errors, for checks that need the database."""
    return ValidationError([{"type": code, "loc": [source, name], "msg": message}])
