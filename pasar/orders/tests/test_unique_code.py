import pytest
from hypothesis import given
from hypothesis import strategies as st

from pasar.orders.unique_code import MAX_CODE, MIN_CODE, candidate_codes, transfer_amount


def test_codes_cover_1_to_999_each_exactly_once():
    codes = list(candidate_codes("PD-1"))
    assert len(codes) == 999
    assert sorted(codes) == list(range(1, 1000))
    assert (MIN_CODE, MAX_CODE) == (1, 999)


@given(st.one_of(st.integers(), st.text()))
def test_every_seed_gives_a_permutation(seed):
    assert sorted(candidate_codes(seed)) == list(range(1, 1000))


def test_order_is_fixed_by_the_seed():
    """SHA-256 ranks: the same on every Python and machine, so a retried allocation walks the same codes."""
    assert list(candidate_codes("PD-1"))[:8] == [69, 861, 753, 89, 785, 381, 6, 422]
    assert list(candidate_codes(1))[:8] == [613, 392, 766, 952, 948, 866, 799, 643]
    assert list(candidate_codes("PD-1")) == list(candidate_codes("PD-1"))


def test_different_seeds_give_different_orders():
    assert list(candidate_codes("PD-1")) != list(candidate_codes("PD-2"))
    assert list(candidate_codes(1)) != list(candidate_codes("1"))
    assert list(candidate_codes(1)) != list(range(1, 1000))


def test_codes_are_produced_lazily_as_an_iterator():
    codes = candidate_codes("PD-1")
    assert iter(codes) is codes
    assert next(codes) == 69


@pytest.mark.parametrize(("base", "code", "amount"), [(150_000, 123, 150_123), (1, 1, 2), (25_000, 999, 25_999)])
def test_transfer_amount_adds_the_code(base, code, amount):
    assert transfer_amount(base, code) == amount


@pytest.mark.parametrize(
    ("base", "code", "wrong"),
    [
        (150_000, 0, "code"),
        (150_000, 1000, "code"),
        (150_000, -5, "code"),
        (150_000, True, "code"),
        (150_000, 1.0, "code"),
        (0, 5, "base"),
        (-100, 5, "base"),
        (1.5, 5, "base"),
        (True, 5, "base"),
    ],
)
def test_transfer_amount_refuses_bad_input(base, code, wrong):
    with pytest.raises(ValueError, match=f"^{wrong} must be"):
        transfer_amount(base, code)
