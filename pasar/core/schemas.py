"""Shapes every app's API shares: error bodies, local datetimes, objects with computed extras."""

from datetime import datetime, time
from typing import Annotated, Any

from django.db import models
from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, Field, WithJsonSchema

# Stored in UTC; clients get the market's wall-clock time, e.g. ``2025-03-01T07:30:00+07:00``.
LocalDatetime = Annotated[datetime, AfterValidator(timezone.localtime)]

# A wall-clock time of day in the market's own time zone, e.g. ``07:30:00``. Not ``format: time``: that
# (RFC 3339 full-time) requires an offset, and a market's hours have none (its ``timezone`` says where).
WallTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "description": "Time of day HH:MM:SS in the market's time zone, without an offset.",
            "examples": ["07:30:00"],
        }
    ),
]


def inline_enum(choices: type[models.TextChoices]) -> WithJsonSchema:
    """An enum written into its field's schema, not a shared component: Django's choices classes are all
    called ``Kind`` or ``State``, and components of one name would overwrite each other in the OpenAPI."""
    return WithJsonSchema({"type": "string", "enum": [str(value) for value in choices.values]})


class ErrorOut(Schema):
    """A refusal with one human-readable message (404 and other non-validation errors)."""

    detail: str = Field(examples=["Market not found."])


class ValidationIssue(Schema):
    type: str = Field(description="Machine-readable error code, e.g. `less_than_equal` or `unknown_region`.")
    loc: list[str | int] = Field(description='Where the bad value is, e.g. `["query", "lat"]`.')
    msg: str = Field(description="What is wrong, for people.")


class ValidationErrorOut(Schema):
    """422: one or more parameters are malformed or out of range."""

    detail: list[ValidationIssue]


class Augmented:
    """A model instance seen with extra computed attributes, so one schema serialises both.

    The extras (a distance, a list read by another selector) win over the wrapped object's
    attributes; everything else is read from the object itself.
    """

    def __init__(self, obj: object, **extra: Any) -> None:
        self._obj = obj
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)
