"""The inbox: a person's own notifications, newest first."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pasar.accounts.models import User
from pasar.notifications.selectors import inbox_for
from pasar.notifications.services import notifications_mark_read


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    notes = list(inbox_for(user))
    unread = sum(1 for n in notes if n.read_at is None)
    return render(request, "notifications/inbox.html", {"notes": notes, "unread": unread})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    notifications_mark_read(user=user)
    return redirect("notifications:inbox")
