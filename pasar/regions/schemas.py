from typing import Annotated

from ninja import Schema
from pydantic import Field

from pasar.core.schemas import inline_enum
from pasar.regions.models import Region

RegionKind = Annotated[Region.Kind, inline_enum(Region.Kind)]


class RegionOut(Schema):
    """A Kemendagri region: province (level 1), kab/kota (2) or kecamatan (3)."""

    code: str = Field(description="Kemendagri code; a child's code starts with its parent's, e.g. `32` → `32.73`.")
    name: str
    level: Region.Level
    kind: RegionKind


class ProvinceRef(Schema):
    code: str
    name: str


class RegionWithProvinceOut(Schema):
    """A kab/kota with the province it lies in."""

    code: str
    name: str
    kind: RegionKind
    province: ProvinceRef | None

    @staticmethod
    def resolve_province(obj: Region) -> Region | None:
        return obj.parent
