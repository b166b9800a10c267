"""What the buyer's and the staff's order routers share: the acting user and the refusal answer."""

from django.http import HttpRequest
from ninja import Status

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.orders.schemas import RefusalOut


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a request that ``django_auth`` let in."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    return user


def refused(exc: DomainError, status: int = 400) -> Status[RefusalOut]:
    """A service's refusal as JSON: its translated message and machine-readable code."""
    return Status(status, RefusalOut(detail=exc.message, code=exc.code))
