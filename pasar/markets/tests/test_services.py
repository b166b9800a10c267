from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pasar.markets.models import Market, MarketRole
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def add(*args):
    out = StringIO()
    call_command("add_market", *args, stdout=out)
    return out.getvalue()


ARGS = [
    "Pasar Cikurubuk", "--region", "Kota Tasikmalaya", "--lat", "-7.3274", "--lng", "108.2207",
    "--operator-phone", "0811-2222-3333", "--operator-name", "Koperasi Pasar Cikurubuk",
]  # fmt: skip


def test_add_market_makes_the_market_and_an_operator_who_can_log_in():
    factories.region("32.78", name="Kota Tasikmalaya")

    out = add(*ARGS)

    market = Market.objects.get(slug="pasar-cikurubuk")
    assert market.region.code == "32.78"
    role = MarketRole.objects.get(market=market)
    assert (role.role, role.user.phone, role.user.name) == ("operator", "+6281122223333", "Koperasi Pasar Cikurubuk")
    password = out.split("operator's first password: ")[1].strip()
    assert role.user.check_password(password)


def test_the_same_market_again_changes_nothing():
    factories.region("32.78", name="Kota Tasikmalaya")
    add(*ARGS)

    out = add(*ARGS)

    assert "exists already" in out
    assert (Market.objects.count(), MarketRole.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--region": "Kota Entah"}, "no kab/kota"),
        ({"--operator-phone": "12345"}, "not an Indonesian mobile number"),
        ({"--lat": "45"}, "latitude"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(change, message):
    factories.region("32.78", name="Kota Tasikmalaya")
    args = list(ARGS)
    for flag, value in change.items():
        args[args.index(flag) + 1] = value

    with pytest.raises(CommandError, match=message):
        add(*args)

    assert Market.objects.count() == 0
