import base64
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pasar.payments import qris
from pasar.payments.providers import midtrans
from pasar.payments.providers.base import (
    ChargeNotFound,
    ForgedNotification,
    PaymentProvider,
    PaymentStatus,
    ProviderError,
)
from pasar.payments.providers.fake import DEMO_MERCHANT
from pasar.payments.providers.midtrans import MidtransProvider
from pasar.payments.providers.transport import HttpRequest, HttpResponse

# The inputs of Midtrans' own documentation example and the digest reliability.md records for them.
DOC_KEY = "askvnoibnosifnboseofinbofinfgbiufglnbfg"
DOC_SIGNATURE = (
    "edc076b21793ebe3e17926350f5b8ae67d902fe657b3d0aa31b932d5c127e237"
    "5d308a2bc94f3265ac2d80a1f181a79b997ac178a236fcff35af263fc4d4c231"
)
SERVER_KEY = "SB-Mid-server-TEST"
AUTH = "Basic " + base64.b64encode(b"SB-Mid-server-TEST:").decode()


class FakeTransport:
    """Records every request and answers from a queue, so no test reaches the network."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[HttpRequest] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        status, body = self.answers.pop(0)
        return HttpResponse(status=status, body=body if isinstance(body, bytes) else json.dumps(body).encode())


def provider(*answers, **kwargs):
    transport = FakeTransport(*answers)
    return MidtransProvider(server_key=SERVER_KEY, transport=transport, **kwargs), transport


def doc_notification(**changes):
    body = {
        "transaction_time": "2021-07-06 17:23:49",
        "transaction_status": "settlement",
        "transaction_id": "01bf5e23-7183-4cfe-862c-58a3f6e8f0a2",
        "status_message": "midtrans payment notification",
        "status_code": "200",
        "signature_key": DOC_SIGNATURE,
        "payment_type": "qris",
        "order_id": "1111",
        "merchant_id": "G490526303",
        "gross_amount": "100000.00",
        "fraud_status": "accept",
        "currency": "IDR",
    }
    return json.dumps({**body, **changes}).encode()


def charge_answer(order_id="PD-1-1", amount=25000, **changes):
    body = {
        "status_code": "201",
        "status_message": "QRIS transaction is created",
        "transaction_id": "01bf5e23-7183-4cfe-862c-58a3f6e8f0a2",
        "order_id": order_id,
        "merchant_id": "G490526303",
        "gross_amount": f"{amount}.00",
        "currency": "IDR",
        "payment_type": "qris",
        "transaction_time": "2021-07-06 17:23:49",
        "transaction_status": "pending",
        "fraud_status": "accept",
        "qr_string": qris.dynamic_payload(DEMO_MERCHANT, amount, order_id),
        "acquirer": "gopay",
        "expiry_time": "2021-07-06 17:38:49",
    }
    return {**body, **changes}


def status_answer(order_id="PD-1-1", **changes):
    body = {
        "status_code": "200",
        "status_message": "Success, transaction is found",
        "transaction_id": "01bf5e23-7183-4cfe-862c-58a3f6e8f0a2",
        "order_id": order_id,
        "gross_amount": "25000.00",
        "currency": "IDR",
        "payment_type": "qris",
        "transaction_time": "2021-07-06 17:23:49",
        "transaction_status": "settlement",
        "fraud_status": "accept",
    }
    return {**body, **changes}


# --- signature ------------------------------------------------------------------------------------------


def test_signature_matches_the_documented_known_answer():
    assert midtrans.signature("1111", "200", "100000.00", DOC_KEY) == DOC_SIGNATURE


def test_documented_notification_verifies():
    notification = MidtransProvider(server_key=DOC_KEY).verify_notification({}, doc_notification())
    assert notification.provider == "midtrans"
    assert notification.order_ref == "1111"
    assert notification.transaction_id == "01bf5e23-7183-4cfe-862c-58a3f6e8f0a2"
    assert notification.claimed_status is PaymentStatus.PAID
    assert notification.gross_amount == 100000
    assert notification.raw["merchant_id"] == "G490526303"


@pytest.mark.parametrize(
    "changes",
    [
        {"gross_amount": "100001.00"},
        {"gross_amount": "100000"},  # the signature is over the string as sent, not the number
        {"gross_amount": "1.00"},
        {"status_code": "201"},
        {"order_id": "1112"},
        {"signature_key": DOC_SIGNATURE.upper()},
        {"signature_key": DOC_SIGNATURE[:-1] + "0"},
        {"signature_key": DOC_SIGNATURE[:64]},
        {"signature_key": "é" * 128},
        {"signature_key": ""},
        {"signature_key": None},
        {"order_id": 1111},
        {"gross_amount": 100000},
    ],
)
def test_tampered_notifications_are_forged(changes):
    provider_ = MidtransProvider(server_key=DOC_KEY)
    with pytest.raises(ForgedNotification):
        provider_.verify_notification({}, doc_notification(**changes))


def test_notification_signed_with_another_key_is_forged():
    with pytest.raises(ForgedNotification):
        MidtransProvider(server_key=DOC_KEY + "x").verify_notification({}, doc_notification())


@pytest.mark.parametrize("body", [b"", b"not json", b"\xff\xfe", b"[]", b'"1111"', b"null", b"{}"])
def test_malformed_notification_bodies_are_forged(body):
    with pytest.raises(ForgedNotification):
        MidtransProvider(server_key=DOC_KEY).verify_notification({}, body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"order_id": "\\ud800", "status_code": "200", "gross_amount": "1.00", "signature_key": "ab"}',
        b'{"order_id": "1111", "status_code": "200", "gross_amount": "1.00", "signature_key": "\\udfff"}',
        doc_notification(status_code="\u0662\u0660\u0660"),  # Arabic-Indic digits
    ],
)
def test_non_ascii_or_surrogate_fields_are_forged_not_a_crash(body):
    with pytest.raises(ForgedNotification):
        MidtransProvider(server_key=DOC_KEY).verify_notification({}, body)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_cleanly(body):
    with pytest.raises((ForgedNotification, ProviderError)):
        MidtransProvider(server_key=DOC_KEY).verify_notification({}, body)


_json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))


@given(
    st.fixed_dictionaries(
        dict.fromkeys(("order_id", "status_code", "gross_amount", "signature_key"), _json_scalars),
        optional={"transaction_status": _json_scalars, "fraud_status": _json_scalars, "transaction_id": _json_scalars},
    )
)
def test_arbitrary_notification_objects_are_refused_cleanly(payload):
    with pytest.raises((ForgedNotification, ProviderError)):
        MidtransProvider(server_key=DOC_KEY).verify_notification({}, json.dumps(payload).encode())


def test_unsigned_status_can_be_changed_without_breaking_the_signature():
    """Midtrans does not sign transaction_status: a verified notification's status is only a claim."""
    body = doc_notification(transaction_status="pending", fraud_status="challenge")
    notification = MidtransProvider(server_key=DOC_KEY).verify_notification({}, body)
    assert notification.claimed_status is PaymentStatus.PENDING


def test_signed_notification_with_fractional_amount_is_refused_not_rounded():
    body = {"order_id": "1111", "status_code": "200", "gross_amount": "100000.50", "transaction_status": "settlement"}
    body["signature_key"] = midtrans.signature("1111", "200", "100000.50", DOC_KEY)
    body["transaction_id"] = "t-1"
    with pytest.raises(ProviderError, match="not a whole number"):
        MidtransProvider(server_key=DOC_KEY).verify_notification({}, json.dumps(body).encode())


# --- amounts and statuses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"), [("100000.00", 100000), ("100000", 100000), ("100000.0", 100000), ("1.00", 1), ("0.00", 0)]
)
def test_gross_amount_is_parsed_to_exact_rupiah(text, amount):
    assert midtrans.parse_gross_amount(text) == amount


@pytest.mark.parametrize(
    "value",
    ["100000.50", "100000.01", "100000.001", "1e5", "-100.00", " 100", "100,000.00", "", "\u0661\u0660\u0660", "."],
)
def test_gross_amount_refuses_fractions_and_junk(value):
    with pytest.raises(ProviderError):
        midtrans.parse_gross_amount(value)


@pytest.mark.parametrize("value", [100000, 100000.0, None, True])
def test_gross_amount_must_be_the_string_midtrans_sends(value):
    with pytest.raises(ProviderError):
        midtrans.parse_gross_amount(value)


@pytest.mark.parametrize(
    ("transaction_status", "fraud_status", "status"),
    [
        ("settlement", "accept", PaymentStatus.PAID),
        ("capture", "accept", PaymentStatus.PAID),
        ("settlement", "challenge", PaymentStatus.PENDING),
        ("capture", "challenge", PaymentStatus.PENDING),
        ("capture", "deny", PaymentStatus.FAILED),
        ("settlement", None, PaymentStatus.PENDING),  # no fraud verdict: not counted as paid
        ("capture", "maybe", PaymentStatus.PENDING),
        ("pending", "accept", PaymentStatus.PENDING),
        ("pending", None, PaymentStatus.PENDING),
        ("authorize", "accept", PaymentStatus.PENDING),
        ("expire", None, PaymentStatus.EXPIRED),
        ("deny", "deny", PaymentStatus.FAILED),
        ("cancel", None, PaymentStatus.FAILED),
        ("failure", None, PaymentStatus.FAILED),
        ("refund", "accept", PaymentStatus.REFUNDED),
        ("chargeback", "accept", PaymentStatus.REFUNDED),
        ("partial_refund", "accept", PaymentStatus.PAID),
        ("partial_chargeback", "accept", PaymentStatus.PAID),
    ],
)
def test_status_mapping(transaction_status, fraud_status, status):
    assert midtrans.map_status(transaction_status, fraud_status) is status


@pytest.mark.parametrize("transaction_status", ["paid", "SETTLEMENT", "", None, 200])
def test_unknown_statuses_raise_instead_of_guessing(transaction_status):
    with pytest.raises(ProviderError):
        midtrans.map_status(transaction_status, "accept")


# --- create_qris ----------------------------------------------------------------------------------------


def test_create_qris_posts_the_exact_charge_request():
    midtrans_, transport = provider(
        (201, charge_answer()), notification_url="https://pasar.example/payments/midtrans", acquirer="gopay"
    )
    midtrans_.create_qris("PD-1-1", 25000)
    (request,) = transport.requests
    assert request.method == "POST"
    assert request.url == "https://api.sandbox.midtrans.com/v2/charge"
    assert dict(request.headers) == {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Authorization": AUTH,
        "Idempotency-Key": "qris-PD-1-1",
        "X-Override-Notification": "https://pasar.example/payments/midtrans",
    }
    assert json.loads(request.body) == {
        "payment_type": "qris",
        "transaction_details": {"order_id": "PD-1-1", "gross_amount": 25000},
        "custom_expiry": {"expiry_duration": 15, "unit": "minute"},
        "qris": {"acquirer": "gopay"},
    }


def test_create_qris_returns_the_charge():
    midtrans_, _transport = provider((201, charge_answer()))
    charge = midtrans_.create_qris("PD-1-1", 25000)
    assert charge.order_ref == "PD-1-1"
    assert charge.transaction_id == "01bf5e23-7183-4cfe-862c-58a3f6e8f0a2"
    assert charge.amount == 25000
    assert charge.qr_string == qris.dynamic_payload(DEMO_MERCHANT, 25000, "PD-1-1")
    assert charge.expires_at == datetime(2021, 7, 6, 17, 38, 49, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert charge.raw["acquirer"] == "gopay"


def test_create_qris_minimal_request_in_production():
    midtrans_, transport = provider((200, charge_answer(expiry_time=None)), production=True, expiry_minutes=30)
    charge = midtrans_.create_qris("PD-1-1", 25000)
    (request,) = transport.requests
    assert request.url == "https://api.midtrans.com/v2/charge"
    assert "X-Override-Notification" not in request.headers
    assert json.loads(request.body) == {
        "payment_type": "qris",
        "transaction_details": {"order_id": "PD-1-1", "gross_amount": 25000},
        "custom_expiry": {"expiry_duration": 30, "unit": "minute"},
    }
    assert charge.expires_at is None


@pytest.mark.parametrize(
    "answer",
    [
        (406, {"status_code": "406", "status_message": "The request could not be completed due to a conflict"}),
        (401, {"status_code": "401", "status_message": "Access denied"}),
        (500, b"<html>Bad gateway</html>"),
        (201, [charge_answer()]),
        (201, charge_answer(gross_amount="25001.00")),
        (201, charge_answer(gross_amount="25000.50")),
        (201, charge_answer(order_id="PD-1-2")),
        (201, charge_answer(transaction_status="settlement")),
        (201, charge_answer(transaction_id="")),
        (201, charge_answer(qr_string="")),
        (201, charge_answer(qr_string=qris.dynamic_payload(DEMO_MERCHANT, 25000, "PD-1-1")[:-1] + "0")),
        (201, charge_answer(qr_string=qris.dynamic_payload(DEMO_MERCHANT, 25001, "PD-1-1"))),
        (201, charge_answer(qr_string=qris.encode_payload(DEMO_MERCHANT.payload_fields(dynamic=False)))),
    ],
)
def test_create_qris_refuses_unusable_answers(answer):
    midtrans_, _transport = provider(answer)
    with pytest.raises(ProviderError):
        midtrans_.create_qris("PD-1-1", 25000)


@pytest.mark.parametrize(
    ("order_ref", "amount", "wrong"),
    [
        ("PD 1", 25000, "order_ref"),
        ("", 25000, "order_ref"),
        ("x" * 51, 25000, "order_ref"),
        ("PD-1", 0, "amount"),
        ("PD-1", 10_000_001, "amount"),
        ("PD-1", 2.5, "amount"),
        ("PD-1", True, "amount"),
    ],
)
def test_create_qris_refuses_bad_requests_before_any_http(order_ref, amount, wrong):
    midtrans_, transport = provider()
    with pytest.raises(ValueError, match=f"^{wrong} must be"):
        midtrans_.create_qris(order_ref, amount)
    assert transport.requests == []


def test_a_server_key_is_required():
    with pytest.raises(ValueError, match="server key"):
        MidtransProvider(server_key="")


# --- fetch_status ---------------------------------------------------------------------------------------


def test_fetch_status_gets_the_status_url_with_auth():
    midtrans_, transport = provider((200, status_answer(order_id="PD-1~2.x")))
    status = midtrans_.fetch_status("PD-1~2.x")
    (request,) = transport.requests
    assert request.method == "GET"
    assert request.url == "https://api.sandbox.midtrans.com/v2/PD-1~2.x/status"
    assert request.headers["Authorization"] == AUTH
    assert request.body is None
    assert status.order_ref == "PD-1~2.x"
    assert status.status is PaymentStatus.PAID
    assert status.gross_amount == 25000
    assert status.transaction_id == "01bf5e23-7183-4cfe-862c-58a3f6e8f0a2"
    assert status.confirms(order_ref="PD-1~2.x", amount=25000) is True
    assert status.confirms(order_ref="PD-1~2.x", amount=25001) is False
    assert status.confirms(order_ref="PD-1~2.y", amount=25000) is False


@pytest.mark.parametrize("order_ref", ["../x", "a/b", "", "x" * 51, "PD 1", "PD-\u00e9"])
def test_fetch_status_refuses_references_that_could_leave_the_path_segment(order_ref):
    midtrans_, transport = provider()
    with pytest.raises(ValueError, match="^order_ref must be"):
        midtrans_.fetch_status(order_ref)
    assert transport.requests == []


@pytest.mark.parametrize(
    ("transaction_status", "fraud_status", "expected"),
    [
        ("pending", "accept", PaymentStatus.PENDING),
        ("expire", "accept", PaymentStatus.EXPIRED),
        ("settlement", "challenge", PaymentStatus.PENDING),
    ],
)
def test_fetch_status_that_is_not_paid_does_not_confirm(transaction_status, fraud_status, expected):
    midtrans_, _transport = provider(
        (200, status_answer(transaction_status=transaction_status, fraud_status=fraud_status))
    )
    status = midtrans_.fetch_status("PD-1-1")
    assert status.status is expected
    assert status.confirms(order_ref="PD-1-1", amount=25000) is False


@pytest.mark.parametrize(
    "answer",
    [(200, {"status_code": "404", "status_message": "Transaction doesn't exist."}), (404, {"status_code": "404"})],
)
def test_fetch_status_of_an_unknown_order(answer):
    midtrans_, _transport = provider(answer)
    with pytest.raises(ChargeNotFound):
        midtrans_.fetch_status("PD-1-1")


@pytest.mark.parametrize(
    "answer",
    [
        (401, {"status_code": "401", "status_message": "Access denied"}),
        (200, {"status_code": "500", "status_message": "Internal"}),
        (502, status_answer()),
        (200, b"oops"),
        (200, status_answer(order_id="PD-9-9")),
        (200, status_answer(gross_amount="25000.10")),
        (200, status_answer(transaction_status="mystery")),
        (200, status_answer(transaction_id=None)),
    ],
)
def test_fetch_status_refuses_unusable_answers(answer):
    midtrans_, _transport = provider(answer)
    with pytest.raises(ProviderError):
        midtrans_.fetch_status("PD-1-1")


def test_midtrans_is_a_payment_provider():
    assert isinstance(MidtransProvider(server_key=SERVER_KEY), PaymentProvider)
    assert MidtransProvider.name == "midtrans"
