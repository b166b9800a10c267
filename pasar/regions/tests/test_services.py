import pytest
from django.core.management import call_command

from pasar.regions.models import Region
from pasar.regions.selectors import provinces, regencies_of, region_by_code
from pasar.regions.services import regions_load

PROVINCES, KABUPATEN, KOTA, KECAMATAN = 38, 416, 98, 7285


def _counts():
    return {
        "provinsi": Region.objects.filter(level=Region.Level.PROVINCE, kind=Region.Kind.PROVINSI).count(),
        "kabupaten": Region.objects.filter(level=Region.Level.REGENCY, kind=Region.Kind.KABUPATEN).count(),
        "kota": Region.objects.filter(level=Region.Level.REGENCY, kind=Region.Kind.KOTA).count(),
        "kecamatan": Region.objects.filter(level=Region.Level.DISTRICT, kind=Region.Kind.KECAMATAN).count(),
    }


@pytest.mark.django_db
def test_regions_load_loads_every_kemendagri_region():
    added = regions_load()

    assert added == PROVINCES + KABUPATEN + KOTA + KECAMATAN
    assert _counts() == {"provinsi": PROVINCES, "kabupaten": KABUPATEN, "kota": KOTA, "kecamatan": KECAMATAN}
    assert Region.objects.count() == 7837
    assert Region.objects.filter(level=Region.Level.REGENCY).count() == 514


@pytest.mark.django_db
def test_every_region_hangs_under_the_region_its_code_names():
    regions_load()
    assert not Region.objects.filter(level=Region.Level.PROVINCE, parent__isnull=False).exists()
    for level in (Region.Level.REGENCY, Region.Level.DISTRICT):
        pairs = Region.objects.filter(level=level).values_list("code", "parent__code", "parent__level")
        assert all(
            code.rsplit(".", 1)[0] == parent and parent_level == level - 1 for code, parent, parent_level in pairs
        )


@pytest.mark.django_db
def test_kota_bandung_is_a_kota_in_jawa_barat():
    regions_load()
    bandung = Region.objects.select_related("parent").get(code="32.73")
    assert (bandung.name, bandung.kind, bandung.level) == ("Kota Bandung", Region.Kind.KOTA, Region.Level.REGENCY)
    jabar = bandung.parent
    assert jabar is not None
    assert (jabar.code, jabar.name) == ("32", "Jawa Barat")
    assert bandung.population is not None
    assert bandung.is_within(jabar)
    assert not jabar.is_within(bandung)
    assert Region.objects.get(code="32.04").kind == Region.Kind.KABUPATEN  # Kabupaten Bandung is another region
    assert bandung.children.count() == 30  # Kota Bandung's 30 kecamatan


@pytest.mark.django_db
def test_regions_load_is_idempotent():
    regions_load()
    before = list(Region.objects.order_by("code").values_list("pk", "code", "name", "parent_id"))
    assert regions_load() == 0
    assert list(Region.objects.order_by("code").values_list("pk", "code", "name", "parent_id")) == before


@pytest.mark.django_db
def test_regions_load_completes_a_partial_table_under_the_existing_rows():
    jabar = Region.objects.create(code="32", name="Jawa Barat", level=Region.Level.PROVINCE, kind=Region.Kind.PROVINSI)

    assert regions_load() == PROVINCES + KABUPATEN + KOTA + KECAMATAN - 1
    assert Region.objects.get(code="32.73").parent_id == jabar.pk
    assert _counts()["provinsi"] == PROVINCES


def test_is_within_does_not_confuse_code_prefixes():
    assert not Region(code="11.10").is_within(Region(code="11.1"))
    assert not Region(code="31").is_within(Region(code="3"))
    assert Region(code="32.73.01").is_within(Region(code="32"))
    assert Region(code="32.73.01").is_within(Region(code="32.73"))
    assert Region(code="32.73").is_within(Region(code="32.73"))


@pytest.mark.django_db
def test_load_regions_command_reports_what_it_added(capsys):
    call_command("load_regions")
    assert capsys.readouterr().out == f"{PROVINCES + KABUPATEN + KOTA + KECAMATAN} regions added.\n"
    call_command("load_regions")
    assert capsys.readouterr().out == "0 regions added.\n"


@pytest.mark.django_db
def test_selectors_list_provinces_and_regencies_by_name():
    regions_load()
    names = list(provinces().values_list("name", flat=True))
    assert len(names) == PROVINCES
    assert names == sorted(names)
    jabar = region_by_code("32")
    assert jabar is not None
    regencies = list(regencies_of(province=jabar).values_list("name", flat=True))
    assert len(regencies) == 27
    assert regencies == sorted(regencies)
    assert "Kota Bandung" in regencies
    assert region_by_code("99.99") is None
