from django.db.models import QuerySet

from pasar.regions.models import Region


def provinces() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")


def regencies_of(*, province: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=province).order_by("name")


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()
