"""Training pages: operators record events of their market, officers of their region; attendance ticks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.access import market_for_operator_or_404, markets_for_officer, region_for_officer_or_404
from pasar.markets.models import Market
from pasar.regions.models import Region
from pasar.training.access import event_for_user_or_404, events_visible_to, traders_of_event
from pasar.training.forms import EventForm, OfficerEventForm
from pasar.training.services import attendance_record, event_create

LIST_LIMIT = 100


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def operator_events(request: HttpRequest, slug: str) -> HttpResponse:
    """The market's training events, and a form to record a new one."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(by=_user(request), data=form.event_input(), market=market)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Event saved. Now tick who attended."))
            return redirect("training:event", pk=event.pk)
    events = events_visible_to(request.user).filter(market=market).select_related("market", "region")[:LIST_LIMIT]
    return render(request, "training/events.html", {"form": form, "events": events, "market": market})


def _officer_scopes(user: User) -> list[tuple[str, str]]:
    if user.is_staff:
        regions = list(Region.objects.filter(level=Region.Level.PROVINCE))
    else:
        regions = [a.region for a in user.officer_assignments.select_related("region")]
    markets = markets_for_officer(user).order_by("name")[:300]
    return [(f"r:{r.code}", r.name) for r in regions] + [(f"m:{m.slug}", m.name) for m in markets]


@login_required
def officer_events(request: HttpRequest) -> HttpResponse:
    """An officer's training events across their region; record one for the region or a market."""
    user = _user(request)
    scopes = _officer_scopes(user)
    if not user.is_staff and not user.officer_assignments.exists():
        raise Http404
    form = OfficerEventForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        kind, _sep, key = form.cleaned_data["scope"].partition(":")
        market: Market | None = None
        region: Region | None = None
        if kind == "m":
            market = markets_for_officer(user).filter(slug=key).first()
            if market is None:
                raise Http404
        else:
            region = region_for_officer_or_404(user=user, code=key)
        try:
            event = event_create(by=user, data=form.event_input(), market=market, region=region)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Event saved. Now tick who attended."))
            return redirect("training:event", pk=event.pk)
    events = events_visible_to(user).select_related("market", "region")[:LIST_LIMIT]
    return render(request, "training/events.html", {"form": form, "events": events})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick the traders who attended; a search narrows a long list (works without JavaScript)."""
    event = event_for_user_or_404(user=request.user, pk=pk)
    query = request.GET.get("q", "").strip()
    if request.method == "POST":
        try:
            shown = [int(v) for v in request.POST.getlist("shown")]
            present = [int(v) for v in request.POST.getlist("present")]
        except ValueError:
            raise Http404 from None
        try:
            change = attendance_record(event=event, by=_user(request), present=present, shown=shown)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Attendance saved: %(added)d added, %(removed)d removed, %(trained)d now marked trained.")
                % {"added": change.added, "removed": change.removed, "trained": change.now_trained},
            )
        return redirect(request.get_full_path())
    traders = traders_of_event(event).select_related("user").order_by("user__name")
    if query:
        traders = traders.filter(user__name__icontains=query)
    listed = list(traders[:LIST_LIMIT])
    attended = set(event.attendances.values_list("trader_id", flat=True))
    context = {
        "event": event,
        "rows": [(t, t.pk in attended) for t in listed],
        "query": query,
        "attended_count": len(attended),
        "more": len(listed) == LIST_LIMIT,
    }
    return render(request, "training/event.html", context)
