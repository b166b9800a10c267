import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from pasar.accounts.validators import common_pin_reason


@pytest.mark.parametrize(
    "pin",
    ["123456", "000000", "111111", "121212", "123123", "654321", "112233", "012345", "987654", "159753",
     "170845", "010190", "199001", "081990", "17081945", "19900101", "12341234"],
)  # fmt: skip
def test_easy_pins_are_refused(pin):
    assert common_pin_reason(pin) is not None


@pytest.mark.parametrize("pin", ["583920", "740163", "29481736", "kopi-tubruk-99", "a1b2c3"])
def test_other_pins_and_passwords_pass(pin):
    assert common_pin_reason(pin) is None


def test_a_pin_inside_the_phone_number_is_refused():
    assert common_pin_reason("567890", phone="+6281234567890")
    assert common_pin_reason("583920", phone="+6281234567890") is None


@pytest.mark.django_db
def test_the_configured_validators_refuse_common_passwords_and_pins():
    for weak in ["password", "qwerty123", "121212", "080808"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("583920")
