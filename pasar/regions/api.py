"""Regions for pickers: the provinces, then the kab/kota or kecamatan inside one."""

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Query

from pasar.core.api import REGION_CODE_PATTERN, BlankIsNone, invalid_parameter
from pasar.core.schemas import ValidationErrorOut
from pasar.regions.models import Region
from pasar.regions.schemas import RegionOut
from pasar.regions.selectors import provinces, regencies_of, region_by_code

router = Router(tags=["regions"])


@router.get(
    "/regions",
    response={200: list[RegionOut], 422: ValidationErrorOut},
    operation_id="regions_list",
    summary="Provinces, or the regions inside one",
)
def regions_list(
    request: HttpRequest,
    parent: Annotated[
        str | None,
        BlankIsNone,
        Query(
            None, max_length=13, pattern=REGION_CODE_PATTERN, description="A region's code; omit it for the provinces."
        ),
    ],
) -> QuerySet[Region]:
    """Without ``parent``: every province. With it: the kab/kota of a province or the kecamatan of a kab/kota."""
    if parent is None:
        return provinces()
    found = region_by_code(parent)
    if found is None:
        raise invalid_parameter("parent", _("No region has this code."), code="unknown_region")
    return regencies_of(province=found)
