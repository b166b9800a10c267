"""QRIS: the EMVCo Merchant-Presented Mode payload (TLV codec, CRC) and dynamic QRIS for one order.

A payload is a run of fields, each a 2-digit tag, a 2-digit length and the value; tags 26–51 (merchant
account templates and the QRIS national template) and 62 (additional data) hold nested fields one level
deep. Tag 63 is the CRC-16/CCITT-FALSE of everything before its value, including ``6304``, and is last.

``encode``/``decode`` are strict and accept exactly the same set of payloads, so ``encode(decode(p)) == p``:
two-digit ASCII tags, values of 1–99 printable characters, no tag twice at one level, a CRC (when present)
that is last and correct. Lengths count characters; the CRC runs over the UTF-8 bytes (QRIS values are
ASCII, so the two agree).

Why a static QRIS "converted" to dynamic is NOT proof of payment
------------------------------------------------------------------
``parse_static_merchant`` reads the static QRIS on a stall's sticker, and ``dynamic_payload`` can write a
dynamic payload (tag 01 = ``12``, tag 54 = the amount) for the same merchant. Public "QRIS converters" do
the same: swap ``010211`` for ``010212`` and insert tag 54. A wallet will pay such a code, but no payment
provider (PJSP) created a transaction for it, so no provider sends a notification and no status can be
re-queried: the only evidence of payment would be the buyer's screenshot, which is trivially faked. Such a
code is therefore a convenience for showing the exact amount, never a payment record. An order becomes
paid only from a provider notification that verifies AND a status re-query that says paid for the exact
amount (see ``pasar/payments/providers/README.md``), or from an operator's recorded manual confirmation.
"""

import re
from dataclasses import dataclass

import segno
from django.utils.translation import gettext as _

from pasar.core.errors import DomainError
from pasar.payments.amounts import is_payable

type Subfield = tuple[str, str]
type Field = tuple[str, str | list[Subfield]]

TEMPLATE_TAGS = frozenset(f"{n:02d}" for n in (*range(26, 52), 62))
ACCOUNT_TAGS = tuple(f"{n:02d}" for n in range(26, 46))  # one template per PJSP that settles to the merchant
CRC_TAG = "63"
CRITERIA = ("UMI", "UKE", "UME", "UBE", "URE")  # micro, small, medium, large business; regular (non-business)
QRIS_GUID = "ID.CO.QRIS.WWW"
MAX_PAYLOAD = 512  # EMV MPM: the whole payload

_TAG = re.compile(r"[0-9]{2}")
_PRINTABLE_ASCII = re.compile(r"[ -~]+")
_NMID = re.compile(r"ID[0-9]{10,13}")
_MCC = re.compile(r"[0-9]{4}")
_AMOUNT = re.compile(r"([0-9]{1,13})(?:\.([0-9]{1,2}))?")


class QrisError(DomainError):
    """A QRIS payload or merchant setting that cannot be used; the message says which part is wrong."""


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _matches(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR) as 4 uppercase hex."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


# --- codec -----------------------------------------------------------------------------------------------


def _check_tag(tag: object) -> str:
    if not isinstance(tag, str) or not _TAG.fullmatch(tag):
        raise QrisError(_("A QRIS tag must be two digits, not %(tag)r.") % {"tag": tag}, code="qris_tag")
    return tag


def _check_value(tag: str, value: object) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 99:
        raise QrisError(
            _("QRIS field %(tag)s must hold 1 to 99 characters.") % {"tag": tag}, code="qris_length", field=tag
        )
    if not value.isprintable():
        raise QrisError(
            _("QRIS field %(tag)s holds characters that cannot appear in a QR payment code.") % {"tag": tag},
            code="qris_character",
            field=tag,
        )
    return value


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _encode_level(fields: object, *, top: bool) -> str:
    if not isinstance(fields, list):
        raise QrisError(_("QRIS fields must be a list of (tag, value) pairs."), code="qris_structure")
    seen: set[str] = set()
    out: list[str] = []
    for index, item in enumerate(fields):
        if not isinstance(item, tuple) or len(item) != 2:
            raise QrisError(_("QRIS fields must be a list of (tag, value) pairs."), code="qris_structure")
        tag = _check_tag(item[0])
        if tag in seen:
            raise QrisError(_("QRIS tag %(tag)s appears twice.") % {"tag": tag}, code="qris_duplicate", field=tag)
        seen.add(tag)
        value = item[1]
        if top and tag in TEMPLATE_TAGS:
            if not isinstance(value, list) or not value:
                raise QrisError(
                    _("QRIS field %(tag)s must hold nested fields.") % {"tag": tag}, code="qris_template", field=tag
                )
            value = _encode_level(value, top=False)
        out.append(_tlv(tag, _check_value(tag, value)))
        if top and tag == CRC_TAG:
            if index != len(fields) - 1:
                raise QrisError(_("The QRIS checksum must be the last field."), code="qris_crc_position")
            if value != crc16("".join(out)[:-4]):
                raise QrisError(_("The QRIS checksum (CRC) does not match."), code="qris_crc")
    return "".join(out)


def encode(fields: list[Field]) -> str:
    """Write fields as TLV; a tag-63 field, if given, must be last and hold the correct CRC."""
    return _encode_level(fields, top=True)


def encode_payload(fields: list[Field]) -> str:
    """Write fields (without tag 63) and append the CRC field: a complete QRIS payload."""
    body = encode(fields) + CRC_TAG + "04"
    return body + crc16(body)


def _decode_level(text: str, *, offset: int, top: bool) -> list[Field]:
    fields: list[Field] = []
    seen: set[str] = set()
    pos = 0
    while pos < len(text):
        where = {"position": offset + pos + 1}
        if len(text) - pos < 4:
            raise QrisError(_("The QRIS data ends too early (character %(position)d).") % where, code="qris_truncated")
        tag, length_text = text[pos : pos + 2], text[pos + 2 : pos + 4]
        if not _TAG.fullmatch(tag):
            raise QrisError(
                _("The QRIS data has a tag that is not two digits (character %(position)d).") % where, code="qris_tag"
            )
        if not _TAG.fullmatch(length_text) or length_text == "00":
            raise QrisError(
                _("The QRIS data has a bad length for tag %(tag)s (character %(position)d).") % {"tag": tag, **where},
                code="qris_length",
                field=tag,
            )
        start, end = pos + 4, pos + 4 + int(length_text)
        if end > len(text):
            raise QrisError(_("The QRIS data ends too early (character %(position)d).") % where, code="qris_truncated")
        if tag in seen:
            raise QrisError(_("QRIS tag %(tag)s appears twice.") % {"tag": tag}, code="qris_duplicate", field=tag)
        seen.add(tag)
        value = _check_value(tag, text[start:end])
        if top and tag == CRC_TAG:
            if end != len(text):
                raise QrisError(_("The QRIS checksum must be the last field."), code="qris_crc_position")
            if value != crc16(text[:start]):
                raise QrisError(
                    _("The QRIS checksum (CRC) does not match: the code was mistyped or altered."), code="qris_crc"
                )
        if top and tag in TEMPLATE_TAGS:
            nested = _decode_level(value, offset=offset + start, top=False)
            fields.append((tag, [(sub, sub_value) for sub, sub_value in nested if isinstance(sub_value, str)]))
        else:
            fields.append((tag, value))
        pos = end
    return fields


def decode(payload: str) -> list[Field]:
    """Parse TLV into fields (templates as lists); refuses bad tags, lengths, truncation, a wrong CRC."""
    if not _is_text(payload):
        raise QrisError(_("The QRIS data is empty."), code="qris_truncated")
    return _decode_level(payload, offset=0, top=True)


def verify(payload: str) -> bool:
    """True when the payload decodes and ends with a correct CRC field."""
    try:
        fields = decode(payload)
    except QrisError:
        return False
    return bool(fields) and fields[-1][0] == CRC_TAG


def parse_amount(value: str) -> int:
    """Tag 54 as integer rupiah: ``25000`` or ``25000.00``; a fractional rupiah is refused."""
    match = _AMOUNT.fullmatch(value)
    if not match or (match.group(2) and int(match.group(2)) != 0):
        raise QrisError(_("The QRIS amount %(value)r is not whole rupiah.") % {"value": value}, code="qris_amount")
    return int(match.group(1))


# --- merchant and dynamic payload -------------------------------------------------------------------------


def _check_text(value: object, *, message: str, tag: str, max_length: int) -> None:
    if not isinstance(value, str) or not _PRINTABLE_ASCII.fullmatch(value) or len(value) > max_length:
        raise QrisError(message % {"max": max_length}, code="qris_merchant", field=tag)


@dataclass(frozen=True)
class MerchantAccount:
    """One merchant account template (tag 26–45): sub 00 GUID, 01 merchant PAN, 02 merchant id, 03 criteria."""

    tag: str
    fields: tuple[Subfield, ...]

    def __post_init__(self) -> None:
        if self.tag not in ACCOUNT_TAGS:
            raise QrisError(_("A merchant account uses tags 26 to 45."), code="qris_merchant", field=self.tag)
        if not self.fields or self.fields[0][0] != "00":
            raise QrisError(
                _("A merchant account must start with its GUID (sub-tag 00)."), code="qris_merchant", field=self.tag
            )
        encode([(self.tag, list(self.fields))])  # same limits as the codec: digits, lengths, no repeats


@dataclass(frozen=True)
class MerchantConfig:
    """Who gets paid: the merchant as registered with its PJSP and with the QRIS national repository."""

    accounts: tuple[MerchantAccount, ...]
    nmid: str  # National Merchant ID (tag 51 sub 02), ``ID`` + digits
    criteria: str  # tag 51 sub 03
    name: str  # tag 59, ≤ 25
    city: str  # tag 60, ≤ 15
    postal_code: str  # tag 61
    mcc: str = "5411"  # tag 52; 5411 = grocery stores and supermarkets

    def __post_init__(self) -> None:
        if not self.accounts or len({account.tag for account in self.accounts}) != len(self.accounts):
            raise QrisError(
                _("A QRIS merchant needs at least one merchant account, each under its own tag."),
                code="qris_merchant",
            )
        if not _matches(_NMID, self.nmid):
            raise QrisError(_("The NMID must be 'ID' followed by 10 to 13 digits."), code="qris_merchant", field="nmid")
        if self.criteria not in CRITERIA:
            raise QrisError(
                _("The merchant criteria must be one of UMI, UKE, UME, UBE, URE."),
                code="qris_merchant",
                field="criteria",
            )
        if not _matches(_MCC, self.mcc):
            raise QrisError(_("The merchant category code must be 4 digits."), code="qris_merchant", field="mcc")
        _check_text(
            self.name,
            message=_("The merchant name must be 1 to %(max)d plain letters, digits or punctuation."),
            tag="name",
            max_length=25,
        )
        _check_text(
            self.city,
            message=_("The merchant city must be 1 to %(max)d plain letters, digits or punctuation."),
            tag="city",
            max_length=15,
        )
        _check_text(
            self.postal_code,
            message=_("The postal code must be 1 to %(max)d plain letters, digits or punctuation."),
            tag="postal_code",
            max_length=10,
        )

    def payload_fields(
        self, *, dynamic: bool, amount: int | None = None, additional: list[Subfield] | None = None
    ) -> list[Field]:
        """The payload fields in QRIS order, without the CRC."""
        fields: list[Field] = [("00", "01"), ("01", "12" if dynamic else "11")]
        fields += [(account.tag, list(account.fields)) for account in sorted(self.accounts, key=lambda a: a.tag)]
        fields += [
            ("51", [("00", QRIS_GUID), ("02", self.nmid), ("03", self.criteria)]),
            ("52", self.mcc),
            ("53", "360"),
        ]
        if amount is not None:
            fields.append(("54", str(amount)))
        fields += [("58", "ID"), ("59", self.name), ("60", self.city), ("61", self.postal_code)]
        if additional:
            fields.append(("62", additional))
        return fields


def dynamic_payload(merchant: MerchantConfig, amount: int, bill_number: str, terminal_label: str = "") -> str:
    """A dynamic QRIS for exactly ``amount`` rupiah (tag 54) and one bill number (tag 62 sub 01)."""
    if not is_payable(amount):
        raise QrisError(_("A QRIS payment must be between Rp1 and Rp10.000.000."), code="qris_amount", field="amount")
    _check_text(
        bill_number,
        message=_("The bill number must be 1 to %(max)d plain letters, digits or punctuation."),
        tag="bill_number",
        max_length=25,
    )
    additional: list[Subfield] = [("01", bill_number)]
    if terminal_label:
        _check_text(
            terminal_label,
            message=_("The terminal label must be 1 to %(max)d plain letters, digits or punctuation."),
            tag="terminal_label",
            max_length=25,
        )
        additional.append(("07", terminal_label))
    payload = encode_payload(merchant.payload_fields(dynamic=True, amount=amount, additional=additional))
    if len(payload) > MAX_PAYLOAD:
        raise QrisError(_("The QRIS data would be longer than 512 characters."), code="qris_length")
    return payload


def _single(fields: list[Field], tag: str) -> str | None:
    for field_tag, value in fields:
        if field_tag == tag:
            return value if isinstance(value, str) else None
    return None


def parse_static_merchant(static_payload: str) -> MerchantConfig:
    """Read the merchant from the static QRIS printed on a stall's sticker (as pasted by an operator)."""
    fields = decode(static_payload.strip())
    if not fields or fields[-1][0] != CRC_TAG:
        raise QrisError(_("The QRIS data has no checksum (tag 63); paste the whole code."), code="qris_crc")
    if fields[0] != ("00", "01"):
        raise QrisError(_("This is not a QRIS code (it must start with 000201)."), code="qris_format")
    if _single(fields, "01") == "12" or _single(fields, "54") is not None:
        raise QrisError(
            _("This QRIS is for one payment only; paste the static QRIS printed on the stall's sticker."),
            code="qris_dynamic",
        )
    if _single(fields, "53") != "360" or _single(fields, "58") != "ID":
        raise QrisError(_("This QR code is not for payments in rupiah in Indonesia."), code="qris_format")
    national = dict(next((value for tag, value in fields if tag == "51" and isinstance(value, list)), []))
    if national.get("00") != QRIS_GUID:
        raise QrisError(_("This QR code has no QRIS national merchant data (tag 51)."), code="qris_format")
    accounts = tuple(
        MerchantAccount(tag=tag, fields=tuple(value))
        for tag, value in fields
        if tag in ACCOUNT_TAGS and isinstance(value, list)
    )
    return MerchantConfig(
        accounts=accounts,
        nmid=national.get("02", ""),
        criteria=national.get("03", ""),
        name=_single(fields, "59") or "",
        city=_single(fields, "60") or "",
        postal_code=_single(fields, "61") or "",
        mcc=_single(fields, "52") or "",
    )


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """The payload as an inline SVG QR code (error correction M, 4-module quiet zone); about 5 KB."""
    return str(segno.make(payload, error="m", micro=False).svg_inline(scale=scale, svgclass="qris", title="QRIS"))
