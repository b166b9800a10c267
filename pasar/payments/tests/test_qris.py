import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from pasar.payments import qris
from pasar.payments.qris import MerchantAccount, MerchantConfig, QrisError

# The synthetic dynamic QRIS of reliability.md §3 (fake ids, Rp25.000, bill INV-0001, terminal K01).
SYNTHETIC = (
    "00020101021226680016ID.CO.CONTOH.WWW011893600000000000000102150000000000000010303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10000000000010303UMI5204541153033605405250005802ID5912PASAR CONTOH6007BANDUNG61054011162190108INV-0001"
    "0703K016304D1E7"
)
ACCOUNT = MerchantAccount(
    tag="26",
    fields=(("00", "ID.CO.CONTOH.WWW"), ("01", "936000000000000001"), ("02", "000000000000001"), ("03", "UMI")),
)
MERCHANT = MerchantConfig(
    accounts=(ACCOUNT,),
    nmid="ID1000000000001",
    criteria="UMI",
    name="PASAR CONTOH",
    city="BANDUNG",
    postal_code="40111",
)
STATIC = (
    "00020101021126680016ID.CO.CONTOH.WWW011893600000000000000102150000000000000010303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10000000000010303UMI5204541153033605802ID5912PASAR CONTOH6007BANDUNG6105401116304E9F1"
)


def merchant(**changes):
    values = {
        "accounts": (ACCOUNT,),
        "nmid": "ID1000000000001",
        "criteria": "UMI",
        "name": "PASAR CONTOH",
        "city": "BANDUNG",
        "postal_code": "40111",
    }
    return MerchantConfig(**{**values, **changes})


def refusal_code(call, *args, **kwargs):
    with pytest.raises(QrisError) as caught:
        call(*args, **kwargs)
    return caught.value.code


# --- CRC ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "crc"), [("123456789", "29B1"), ("", "FFFF"), ("A", "B915"), (SYNTHETIC[:-4], "D1E7")]
)
def test_crc16_ccitt_false_known_answers(data, crc):
    assert qris.crc16(data) == crc


# --- the synthetic payload ------------------------------------------------------------------------------


def test_synthetic_payload_decodes_to_its_fields():
    assert qris.decode(SYNTHETIC) == [
        ("00", "01"),
        ("01", "12"),
        ("26", [("00", "ID.CO.CONTOH.WWW"), ("01", "936000000000000001"), ("02", "000000000000001"), ("03", "UMI")]),
        ("51", [("00", "ID.CO.QRIS.WWW"), ("02", "ID1000000000001"), ("03", "UMI")]),
        ("52", "5411"),
        ("53", "360"),
        ("54", "25000"),
        ("58", "ID"),
        ("59", "PASAR CONTOH"),
        ("60", "BANDUNG"),
        ("61", "40111"),
        ("62", [("01", "INV-0001"), ("07", "K01")]),
        ("63", "D1E7"),
    ]


def test_synthetic_payload_re_encodes_identically_and_verifies():
    assert qris.encode(qris.decode(SYNTHETIC)) == SYNTHETIC
    assert qris.verify(SYNTHETIC) is True


def test_encode_payload_appends_the_crc_field():
    fields = qris.decode(SYNTHETIC)[:-1]
    assert qris.encode_payload(fields) == SYNTHETIC


# --- decode refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("", "qris_truncated"),
        ("000", "qris_truncated"),
        ("000201010", "qris_truncated"),
        ("000501", "qris_truncated"),
        ("0A0201", "qris_tag"),
        ("\u0660\u0660\u0660\u0662\u0660\u0661", "qris_tag"),  # Arabic-Indic digits are not tag digits
        ("00AB01", "qris_length"),
        ("000001", "qris_length"),
        ("00 201", "qris_length"),
        ("000201000201", "qris_duplicate"),
        ("0002\n1", "qris_character"),
        ("26040A01", "qris_tag"),  # a template's content must be TLV too
        ("26050002", "qris_truncated"),
        ("26100001A0001B", "qris_duplicate"),
        ("0002016304FFFF", "qris_crc"),
        ("00020163040000", "qris_crc"),
        ("6304A13B000201", "qris_crc_position"),
        (SYNTHETIC[:-1] + "8", "qris_crc"),
        (SYNTHETIC.replace("25000", "35000"), "qris_crc"),
        (SYNTHETIC[:-2], "qris_truncated"),
    ],
)
def test_decode_refuses_malformed_payloads(payload, code):
    assert refusal_code(qris.decode, payload) == code
    assert qris.verify(payload) is False


@pytest.mark.parametrize("payload", ["0002\ud8001", "0002\udfff\ud800", "26060002\ud800\ud800"])
def test_lone_surrogates_are_refused_not_a_crash(payload):
    assert refusal_code(qris.decode, payload) == "qris_character"


def test_decode_errors_say_where_in_english_msgids():
    with translation.override("en"), pytest.raises(QrisError) as caught:
        qris.decode("0002010A")
    assert caught.value.message == "The QRIS data ends too early (character 7)."
    with translation.override("en"), pytest.raises(QrisError) as caught:
        qris.decode(SYNTHETIC.replace("25000", "35000"))
    assert caught.value.message == "The QRIS checksum (CRC) does not match: the code was mistyped or altered."


def test_a_payload_without_crc_decodes_but_does_not_verify():
    assert qris.decode("000201") == [("00", "01")]
    assert qris.verify("000201") is False


@given(position=st.integers(0, len(SYNTHETIC) - 1), char=st.characters(min_codepoint=32, max_codepoint=126))
@example(position=222, char="4")  # tag 63 → 64: still valid TLV, but the payload no longer carries a CRC
def test_any_single_character_change_is_refused(position, char):
    """Either the TLV or CRC check refuses it, or (the CRC tag itself renamed) it decodes without a CRC."""
    altered = SYNTHETIC[:position] + char + SYNTHETIC[position + 1 :]
    if altered != SYNTHETIC:
        assert qris.verify(altered) is False
        try:
            fields = qris.decode(altered)
        except QrisError:
            return
        assert fields[-1][0] != qris.CRC_TAG


def test_every_single_character_deletion_is_refused():
    for position in range(len(SYNTHETIC)):
        with pytest.raises(QrisError):
            qris.decode(SYNTHETIC[:position] + SYNTHETIC[position + 1 :])


@given(st.text())
def test_arbitrary_text_never_crashes_decode(text):
    try:
        fields = qris.decode(text)
    except QrisError:
        return
    assert qris.encode(fields) == text


@given(st.from_regex(r"(?:[0-9]{2}[0-9]{2}[ -~]{0,12}){1,6}", fullmatch=True))
def test_tlv_shaped_text_never_crashes_decode(text):
    try:
        fields = qris.decode(text)
    except QrisError:
        return
    assert qris.encode(fields) == text


# --- encode refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ([("0", "01")], "qris_tag"),
        ([("AB", "01")], "qris_tag"),
        ([(0, "01")], "qris_tag"),
        ([("00", "")], "qris_length"),
        ([("00", "x" * 100)], "qris_length"),
        ([("00", "a\tb")], "qris_character"),
        ([("00", "01"), ("00", "02")], "qris_duplicate"),
        ([("26", "ID.CO.X")], "qris_template"),
        ([("26", [])], "qris_template"),
        ([("26", [("00", "x" * 96)])], "qris_length"),
        ([("26", [("00", [("01", "x")])])], "qris_length"),
        ([("59", [("00", "x")])], "qris_length"),
        ([("63", "0000")], "qris_crc"),
        ([("63", "FFFF"), ("00", "01")], "qris_crc_position"),
        ([["00", "01"]], "qris_structure"),
        ("000201", "qris_structure"),
    ],
)
def test_encode_refuses_what_decode_would_refuse(fields, code):
    assert refusal_code(qris.encode, fields) == code


# --- Hypothesis round trip ------------------------------------------------------------------------------

_tags = st.integers(0, 99).map(lambda n: f"{n:02d}")
_values = st.text(st.characters(categories=("L", "M", "N", "P", "S"), include_characters=" "), min_size=1, max_size=30)
_subfields = st.lists(st.tuples(_tags, _values.map(lambda v: v[:20])), min_size=1, max_size=4, unique_by=lambda f: f[0])


def _field(tag):
    if tag in qris.TEMPLATE_TAGS:
        return st.tuples(st.just(tag), _subfields)
    return st.tuples(st.just(tag), _values)


_trees = st.lists(
    _tags.filter(lambda t: t != qris.CRC_TAG).flatmap(_field), min_size=1, max_size=12, unique_by=lambda f: f[0]
)


@given(_trees)
def test_tlv_round_trip(tree):
    assert qris.decode(qris.encode(tree)) == tree


@given(_trees)
def test_tlv_round_trip_with_crc(tree):
    payload = qris.encode_payload(tree)
    decoded = qris.decode(payload)
    assert decoded == [*tree, ("63", qris.crc16(payload[:-4]))]
    assert qris.encode(decoded) == payload
    assert qris.verify(payload) is True


# --- amounts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "amount"), [("25000", 25000), ("25000.00", 25000), ("100003.0", 100003), ("1", 1)])
def test_parse_amount_reads_whole_rupiah(text, amount):
    assert qris.parse_amount(text) == amount


@pytest.mark.parametrize("text", ["25000.50", "25000.01", "1e5", "-1", "", " 1", "1,000", "25.000.00", "25000."])
def test_parse_amount_refuses_fractions_and_junk(text):
    assert refusal_code(qris.parse_amount, text) == "qris_amount"


# --- dynamic payload ------------------------------------------------------------------------------------


def test_dynamic_payload_reproduces_the_synthetic_payload():
    assert qris.dynamic_payload(MERCHANT, 25000, "INV-0001", "K01") == SYNTHETIC


def test_dynamic_payload_carries_the_exact_amount_and_decodes_back_to_the_merchant():
    payload = qris.dynamic_payload(MERCHANT, 1_234_567, "PD-2025-000123")
    fields = dict(qris.decode(payload))
    assert fields["01"] == "12"
    assert fields["54"] == "1234567"
    assert fields["62"] == [("01", "PD-2025-000123")]
    assert fields["26"] == list(ACCOUNT.fields)
    assert fields["51"] == [("00", "ID.CO.QRIS.WWW"), ("02", "ID1000000000001"), ("03", "UMI")]
    assert (fields["52"], fields["53"], fields["58"]) == ("5411", "360", "ID")
    assert (fields["59"], fields["60"], fields["61"]) == ("PASAR CONTOH", "BANDUNG", "40111")
    assert payload.endswith("6304" + qris.crc16(payload[:-4]))
    assert qris.verify(payload) is True


@pytest.mark.parametrize("amount", [1, 10_000_000])
def test_dynamic_payload_accepts_the_bounds(amount):
    assert dict(qris.decode(qris.dynamic_payload(MERCHANT, amount, "B1")))["54"] == str(amount)


@pytest.mark.parametrize("amount", [0, -1, 10_000_001, True, 2.5, "25000", None])
def test_dynamic_payload_refuses_amounts_outside_one_payment(amount):
    assert refusal_code(qris.dynamic_payload, MERCHANT, amount, "B1") == "qris_amount"


@pytest.mark.parametrize(
    ("bill_number", "terminal_label"), [("", ""), ("B" * 26, ""), ("NOTA\n1", ""), ("NOTA-Ü", ""), ("B1", "T" * 26)]
)
def test_dynamic_payload_refuses_bad_bill_number_or_terminal_label(bill_number, terminal_label):
    assert refusal_code(qris.dynamic_payload, MERCHANT, 1000, bill_number, terminal_label) == "qris_merchant"


def test_dynamic_payload_accepts_25_character_references():
    payload = qris.dynamic_payload(MERCHANT, 1000, "B" * 25, "T" * 25)
    assert dict(qris.decode(payload))["62"] == [("01", "B" * 25), ("07", "T" * 25)]


# --- merchant config ------------------------------------------------------------------------------------


def test_merchant_accepts_limits_of_name_and_city():
    config = merchant(name="N" * 25, city="C" * 15)
    assert dict(qris.decode(qris.dynamic_payload(config, 500, "B1")))["59"] == "N" * 25


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "N" * 26},
        {"name": ""},
        {"name": "WARUNG BU SITI \u2013 SAYUR"},
        {"name": "PASAR\tCONTOH"},
        {"city": "C" * 16},
        {"city": "BANDUNG\u00a0"},
        {"postal_code": ""},
        {"postal_code": "4" * 11},
        {"nmid": "ID123"},
        {"nmid": "XX1000000000001"},
        {"nmid": None},
        {"criteria": "ABC"},
        {"mcc": "541"},
        {"mcc": "54a1"},
        {"accounts": ()},
        {"accounts": (ACCOUNT, ACCOUNT)},
    ],
)
def test_merchant_refuses_bad_settings(changes):
    assert refusal_code(merchant, **changes) == "qris_merchant"


@pytest.mark.parametrize(
    ("tag", "fields", "code"),
    [
        ("25", ACCOUNT.fields, "qris_merchant"),
        ("46", ACCOUNT.fields, "qris_merchant"),
        ("51", ACCOUNT.fields, "qris_merchant"),
        ("26", (), "qris_merchant"),
        ("26", (("01", "9360"), ("00", "ID.CO.X")), "qris_merchant"),
        ("26", (("00", "ID.CO.X"), ("00", "ID.CO.Y")), "qris_duplicate"),
        ("26", (("00", "X" * 96),), "qris_length"),
    ],
)
def test_merchant_account_refuses_bad_templates(tag, fields, code):
    assert refusal_code(MerchantAccount, tag=tag, fields=fields) == code


def test_merchant_name_refusal_message_names_the_field():
    with translation.override("en"), pytest.raises(QrisError) as caught:
        merchant(name="N" * 26)
    assert caught.value.message == "The merchant name must be 1 to 25 plain letters, digits or punctuation."
    assert caught.value.field == "name"


# --- static sticker -------------------------------------------------------------------------------------


def test_parse_static_merchant_reads_the_sticker():
    assert qris.parse_static_merchant(STATIC) == MERCHANT


def test_parse_static_merchant_ignores_surrounding_whitespace_of_a_paste():
    assert qris.parse_static_merchant(f"  {STATIC}\n") == MERCHANT


def test_parse_static_merchant_keeps_the_stickers_mcc_and_every_account():
    second = MerchantAccount(tag="27", fields=(("00", "ID.CO.BANK.WWW"), ("01", "936000080000000002")))
    fields = merchant(accounts=(ACCOUNT, second), mcc="5499").payload_fields(dynamic=False)
    config = qris.parse_static_merchant(qris.encode_payload(fields))
    assert config.mcc == "5499"
    assert config.accounts == (ACCOUNT, second)


def test_static_then_dynamic_keeps_merchant_fields():
    payload = qris.dynamic_payload(qris.parse_static_merchant(STATIC), 25000, "INV-0001", "K01")
    assert payload == SYNTHETIC


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (SYNTHETIC, "qris_dynamic"),
        (STATIC[:-4], "qris_truncated"),
        (STATIC[:-8], "qris_crc"),
        (STATIC[:-1] + "0", "qris_crc"),
        (qris.encode_payload([("00", "02"), ("01", "11")]), "qris_format"),
        (qris.encode_payload([("01", "11"), ("00", "01")]), "qris_format"),
        (STATIC.replace("5303360", "5303840")[:-4] + "FFFF", "qris_crc"),
    ],
)
def test_parse_static_merchant_refuses_non_static_or_broken_codes(payload, code):
    assert refusal_code(qris.parse_static_merchant, payload) == code


def _static_without(tag):
    return qris.encode_payload([f for f in qris.decode(STATIC)[:-1] if f[0] != tag])


def _static_with(tag, value):
    return qris.encode_payload([(t, value) if t == tag else (t, v) for t, v in qris.decode(STATIC)[:-1]])


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (_static_with("53", "840"), "qris_format"),
        (_static_with("58", "SG"), "qris_format"),
        (_static_without("51"), "qris_format"),
        (_static_with("51", [("00", "ID.CO.OTHER.WWW"), ("02", "ID1000000000001")]), "qris_format"),
        (_static_without("26"), "qris_merchant"),
        (_static_without("61"), "qris_merchant"),
        (_static_with("59", "A VERY LONG MERCHANT NAME OF 30"), "qris_merchant"),
        (qris.encode_payload([*qris.decode(STATIC)[:-1], ("54", "1000")]), "qris_dynamic"),
    ],
)
def test_parse_static_merchant_refuses_codes_that_cannot_be_a_qris_merchant(payload, code):
    assert refusal_code(qris.parse_static_merchant, payload) == code


# --- QR image -------------------------------------------------------------------------------------------


def test_qr_svg_is_a_small_inline_svg():
    svg = qris.qr_svg(SYNTHETIC)
    assert svg.startswith('<svg width="244" height="244" class="qris"><title>QRIS</title><path transform="scale(4)"')
    assert "<?xml" not in svg
    assert len(svg) < 8_000
    assert qris.qr_svg(SYNTHETIC) == svg
