"""The day's settlement, told to each trader (payments/schedule.py, after the markets close)."""

from datetime import date

from django.utils.formats import date_format

from pasar.accounts.models import User
from pasar.core.money import format_rupiah
from pasar.markets.models import Market
from pasar.notifications.services import notify
from pasar.orders.notify import DAILY_SETTLEMENT
from pasar.payments.selectors import settlement_for


def settlement_notify(*, day: date) -> int:
    """One notice per trader with money owed for ``day``; a re-run sends nothing new."""
    sent = 0
    for market in Market.objects.filter(is_active=True):
        owed = [line for line in settlement_for(market=market, day=day).traders if line.user_id and line.owed > 0]
        users = User.objects.in_bulk({line.user_id for line in owed})
        for line in owed:
            sent += notify(
                user=users[line.user_id],
                key=f"settlement:{day:%Y%m%d}:{market.pk}",
                template=DAILY_SETTLEMENT,
                params={"day": date_format(day, "j F Y"), "amount": format_rupiah(line.owed)},
                market_id=market.pk,
            )
    return sent
