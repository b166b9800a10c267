"""The buyer's payment page of an order: the exact transfer, or a QRIS code from the provider."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pasar.core.errors import DomainError
from pasar.orders.access import order_for_buyer_or_404
from pasar.payments import selectors
from pasar.payments.gateway import ProviderNotConfigured, payment_provider
from pasar.payments.providers.base import PaymentError
from pasar.payments.providers.fake import FakeProvider
from pasar.payments.services import notification_handle, qris_charge_create


def _fake_enabled() -> bool:
    return bool(FakeProvider.name == settings.PASAR_PAYMENT_PROVIDER)


@never_cache
@login_required
def order_payment(request: HttpRequest, number: str) -> HttpResponse:
    """GET shows how to pay; POST ``qris`` asks the provider for a QR code of the exact amount.

    With the fake provider (demo, tests) POST ``simulate`` pays the live charge through the same
    signed-notification path a real provider uses, so the demo shows the whole flow.
    """
    order = order_for_buyer_or_404(user=request.user, number=number)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "qris":
                qris_charge_create(order, payment_provider())
            elif action == "simulate" and _fake_enabled():
                provider = payment_provider()
                assert isinstance(provider, FakeProvider)
                attempt = selectors.qris_attempt_live(order, order.amount_due or 0)
                if attempt is None:
                    raise Http404
                body = provider.pay(attempt.provider_ref)
                notification_handle(provider, {}, body)
                messages.success(request, _("Payment received."))
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        except PaymentError:
            messages.error(request, _("The payment service did not answer; try again."))
        except ProviderNotConfigured:
            messages.error(request, _("QRIS is not available here yet: pay by transfer or cash."))
        return redirect("payments_buyer:order-payment", number=order.number)
    context = {"order": order, "panel": selectors.payment_panel_for(order), "fake": _fake_enabled()}
    return render(request, "payments/order_payment.html", context)
