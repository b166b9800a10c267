"""Who viewed or exported other people's personal data (UU PDP art. 31 and 32: a record of processing).

Staff pages that show names, phone numbers or addresses are wrapped in ``@audited(...)``: each full page
a logged-in person opens is one ``PersonalDataAccess`` row (htmx refreshes of the same page are not).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from pasar.accounts.models import Actor, PersonalDataAccess, User

type Subject = Callable[[HttpRequest, dict[str, Any]], User | int | None]


def record(
    *, actor: Actor, action: str, what: str, subject: User | int | None = None, path: str = ""
) -> PersonalDataAccess | None:
    """One row, unless the actor is anonymous or looks at their own data."""
    if not isinstance(actor, User):
        return None
    subject_id = subject.pk if isinstance(subject, User) else subject
    if subject_id == actor.pk:
        return None
    return PersonalDataAccess.objects.create(
        actor=actor, subject_id=subject_id, action=action, what=what[:120], path=path[:200]
    )


def audited(
    what: str, *, action: str = PersonalDataAccess.Action.VIEW, subject: Subject | None = None
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Record a successful GET of the wrapped view: ``what`` with the URL's arguments (ids, slugs)."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if (
                request.method == "GET"
                and response.status_code == 200
                and request.user.is_authenticated
                and not request.headers.get("HX-Request")
            ):
                label = " ".join([what, *(f"{k}={v}" for k, v in sorted(kwargs.items()))])
                found = subject(request, kwargs) if subject else None
                record(actor=request.user, action=action, what=label, subject=found, path=request.get_full_path())
            return response

        return wrapper

    return decorate
