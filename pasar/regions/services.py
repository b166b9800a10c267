"""Loading the shipped Kemendagri region table."""

import csv
from importlib import resources

from django.db import transaction

from pasar.regions.models import Region


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("pasar.regions").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@transaction.atomic
def regions_load() -> int:
    """Insert every province, kab/kota and kecamatan not yet present; returns how many were added."""
    existing = set(Region.objects.values_list("code", flat=True))
    added = 0
    for level, name, parent_col in (
        (Region.Level.PROVINCE, "provinces.csv", None),
        (Region.Level.REGENCY, "regencies.csv", "kode_provinsi"),
        (Region.Level.DISTRICT, "districts.csv", "kode_kabkota"),
    ):
        parents = dict(Region.objects.filter(level=level - 1).values_list("code", "pk")) if parent_col else {}
        batch = []
        for row in _rows(name):
            if row["kode"] in existing:
                continue
            kind = {1: Region.Kind.PROVINSI, 3: Region.Kind.KECAMATAN}.get(level) or row["jenis"]
            population = row.get("penduduk") or None
            batch.append(
                Region(
                    code=row["kode"],
                    name=row["nama"],
                    level=level,
                    kind=kind,
                    parent_id=parents[row[parent_col]] if parent_col else None,
                    population=int(population) if population else None,
                )
            )
        Region.objects.bulk_create(batch, batch_size=2000)
        added += len(batch)
    return added
