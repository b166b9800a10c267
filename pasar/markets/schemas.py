from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from pasar.core.api import REGION_CODE_PATTERN, BlankIsNone
from pasar.core.schemas import WallTime, inline_enum
from pasar.markets.models import Market
from pasar.regions.schemas import RegionWithProvinceOut

MarketKind = Annotated[Market.Kind, inline_enum(Market.Kind)]


class MarketFinderQuery(Schema):
    """The market finder's filters: a point, or a province/kab-kota and a name. Empty means not given."""

    wilayah: Annotated[str | None, BlankIsNone] = Field(
        None,
        max_length=13,
        pattern=REGION_CODE_PATTERN,
        description="A province or kab/kota code, e.g. `32` or `32.73`.",
    )
    # NUL is the one character PostgreSQL refuses in a text parameter.
    q: str = Field("", max_length=80, pattern=r"^[^\x00]*$", description="Part of a market's or kab/kota's name.")
    lat: Annotated[float | None, BlankIsNone] = Field(
        None, ge=-11.5, le=6.5, allow_inf_nan=False, description="Latitude; needs `lng`."
    )
    lng: Annotated[float | None, BlankIsNone] = Field(
        None, ge=94.5, le=141.5, allow_inf_nan=False, validate_default=True, description="Longitude; needs `lat`."
    )

    @field_validator("lng")
    @classmethod
    def _point_is_whole(cls, lng: float | None, info: ValidationInfo) -> float | None:
        # Checked on lng (validated after lat) so the error points at a parameter; an invalid lat
        # is missing from ``info.data`` and already reported.
        if "lat" in info.data and (info.data["lat"] is None) != (lng is None):
            raise ValueError(_("Give both lat and lng, or neither."))
        return lng


class MarketSummaryOut(Schema):
    slug: str
    name: str
    kind: MarketKind
    address: str
    region: RegionWithProvinceOut
    latitude: float
    longitude: float
    coordinates_approximate: bool = Field(
        description="True when the point is only near the market (a few hundred metres)."
    )
    distance_km: float | None = Field(
        None, description="Kilometres from `lat`/`lng`, rounded to 10 m; null when no point was given."
    )


class CategoryCountOut(Schema):
    slug: str
    name: str
    stall_count: int = Field(description="Open stalls of this category in the market.")


class DeliveryOut(Schema):
    """The market's delivery tariff; fees are integer rupiah."""

    radius_km: Decimal = Field(description='Delivery radius in km, as a decimal string, e.g. `"5.0"`.')
    base_fee: int
    fee_per_km: int = Field(description="Added per km beyond the first 2 km.")
    min_fee: int
    max_fee: int

    @staticmethod
    def resolve_radius_km(obj: Market) -> Decimal:
        return obj.delivery_radius_km

    @staticmethod
    def resolve_base_fee(obj: Market) -> int:
        return obj.delivery_base_fee

    @staticmethod
    def resolve_fee_per_km(obj: Market) -> int:
        return obj.delivery_fee_per_km

    @staticmethod
    def resolve_min_fee(obj: Market) -> int:
        return obj.delivery_min_fee

    @staticmethod
    def resolve_max_fee(obj: Market) -> int:
        return obj.delivery_max_fee


class MarketOut(Schema):
    """A market's page as data. Times of day are wall-clock times in the market's ``timezone``."""

    slug: str
    name: str
    kind: MarketKind
    operator_name: str
    operator_kind: Market.OperatorKind
    address: str
    description: str
    region: RegionWithProvinceOut
    latitude: float
    longitude: float
    coordinates_approximate: bool = Field(
        description="True when the point is only near the market (a few hundred metres)."
    )
    timezone: Market.TimeZone = Field(description="IANA time zone of the market's hours and cut-off (WIB, WITA, WIT).")
    opens_at: WallTime
    closes_at: WallTime
    open_days: list[int] = Field(description="ISO weekdays the market trades, 1 = Monday … 7 = Sunday.")
    order_cutoff: WallTime = Field(description="Latest time of day to order for that day's market.")
    delivery: DeliveryOut
    pickup_point: str
    categories: list[CategoryCountOut]

    @staticmethod
    def resolve_open_days(obj: Market) -> list[int]:
        return [int(day) for day in obj.open_days]

    @staticmethod
    def resolve_delivery(obj: Market) -> Market:
        return obj
