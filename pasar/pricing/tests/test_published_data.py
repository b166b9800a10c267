"""The method checked against published figures, reading the real files in ../shared/data/prices/.

- Bapanas, Kota Bandung, 13 Sep – 16 Nov 2025: a price of 0 means "no data" (whole days on 12 and 26 Oct);
  the source then reports -100 % and, the day after, a change against 0. We store no row for a 0 and
  give no change on either side, and match the source's own change everywhere both days have data.
- PIHPS, eggs per province, 20 Jul 2020: the roll-up of the 34 provincial figures must give the published
  all-province figure, Rp 26,400 (simple mean 26,388.2 rounded to Rp 50).
"""

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from pasar.catalog.models import Commodity
from pasar.pricing import importer
from pasar.pricing.aggregation import MarketGroup, rollup_price
from pasar.pricing.models import MarketCommodityPrice, ReferencePrice, RegionCommodityPrice
from pasar.pricing.selectors import reference_series
from pasar.pricing.services import reference_import_apply, reference_import_prepare, write_day
from pasar.regions.models import Region
from pasar.testing import factories

# The repository sits next to shared/ (/work/main and /work/shared; CI clones main beside shared/).
PRICES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "prices"
BAPANAS = PRICES / "bapanas_harga_konsumen_kota_bandung_2025-09-13_2025-11-16.csv"
PIHPS_EGGS = PRICES / "pihps_telur_ayam_per_provinsi_2020-07-20.csv"


def _need(path):
    if not path.exists():
        pytest.skip(f"{path} is missing: the shared data folder is not beside the repository")
    return path


@pytest.fixture
def bandung_market(vocabulary):
    return factories.market(name="Pasar Kosambi", regency_code="32.73")


@pytest.mark.django_db
def test_bapanas_zero_is_no_data_never_a_minus_100_percent_change(bandung_market):
    data = _need(BAPANAS).read_bytes()
    operator = factories.user(name="Operator")

    upload = reference_import_prepare(
        market=bandung_market, by=operator, kind="bapanas", filename=BAPANAS.name, data=data
    )
    rows = [importer.PriceRow.from_dict(r) for r in upload.rows]
    vocabulary = importer.Vocabulary.build(
        Commodity.objects.values_list("pk", "name", "unit", "bapanas_id", "synonyms")
    )
    checked = importer.check_rows(rows, vocabulary=vocabulary, kind="bapanas", province="Jawa Barat")
    assert [r.reasons() for r in checked if not r.ok] == []
    zeros = [r for r in checked if r.price.strip() in ("0", "0.0")]
    assert len(zeros) > 4 * 65  # four commodities every day, most of 12 and 26 Oct
    assert all(not r.usable and r.notes[0]["code"] == "no_data" for r in zeros)

    imported = reference_import_apply(upload=upload, by=operator)

    assert imported == len(checked) - len(zeros)
    assert not ReferencePrice.objects.filter(price__lte=0).exists()
    with BAPANAS.open(encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))
    compared = 0
    for commodity in Commodity.objects.filter(bapanas_id__isnull=False):
        series = reference_series(
            market=bandung_market, commodity_id=commodity.pk, kind="bapanas",
            start=date(2025, 9, 13), end=date(2025, 11, 16),
        )  # fmt: skip
        changes = {p.day: p.change for p in series}
        assert all(p.change is None or p.change > -100 for p in series)
        assert all(p.change is None for p in series if p.price is None)
        for row in source:
            if row["ID"] != str(commodity.bapanas_id):
                continue
            day = date.fromisoformat(row["Timestamp"])
            price, before = int(row["Harga"]), int(row["Harga Kemarin"])
            if price and before and day - timedelta(days=1) in changes and changes[day] is not None:
                # Where both days have data our change is the source's "Gap Persen" (2 decimals).
                assert round(changes[day] or 0, 2) == pytest.approx(float(row["Gap Persen"]), abs=0.011), row
                compared += 1
            if price == 0 or before == 0:
                assert changes.get(day) is None  # the source says -100 % (or compares with 0) here
    assert compared > 500
    # The trap days themselves: the source reports -100 % for most commodities.
    minus_100 = [r for r in source if r["Timestamp"] == "2025-10-12" and r["Gap Persen"] in ("-100", "-100.0")]
    assert minus_100


def _pihps_rows():
    with _need(PIHPS_EGGS).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _price(text):
    price = importer.parse_price(text)
    assert price is not None
    return price


def test_pihps_eggs_province_table_rolls_up_to_the_published_26400():
    rows = _pihps_rows()
    provincial = [_price(r["harga_rp"]) for r in rows]
    published = {_price(r["harga_semua_provinsi"]) for r in rows}

    assert len(provincial) == 34
    assert published == {26_400}
    assert rollup_price(provincial) == 26_400
    # The evidence for the rule: the plain mean (26,388) or the median (25,375) do not give the figure,
    # and every provincial figure is a multiple of Rp 50 (not all of Rp 100: Sumatera Utara 23,450).
    assert sum(provincial) / 34 == pytest.approx(26_388.24, abs=0.01)
    assert all(p % 50 == 0 for p in provincial)
    assert any(p % 100 for p in provincial)


@pytest.mark.django_db
def test_pihps_eggs_through_the_daily_job_one_market_per_province(vocabulary):
    """34 provinces with one market each priced at the PIHPS provincial figure: the job's installation
    row is the published all-province figure, and each province row its own figure."""
    eggs = Commodity.objects.get(name="Telur Ayam Ras")
    groups, expected = [], {}
    for index, row in enumerate(_pihps_rows()):
        code = f"{90 + index // 10}.{10 + index % 10}"  # invented codes: only the nesting matters here
        market = factories.market(name=f"Pasar {row['provinsi']}", regency_code=code)
        price = _price(row["harga_rp"])
        groups.append(MarketGroup(market.pk, eggs.pk, "kg", price, price, price, 1, 1))
        expected[market.region_id] = price
    # Group the invented kab/kota under 34 distinct provinces, as in the PIHPS table.
    for index, regency_id in enumerate(expected):
        province = Region.objects.create(code=f"P{index}", name=f"Provinsi {index}", level=1, kind="provinsi")
        Region.objects.filter(pk=regency_id).update(parent=province)
    day = date(2020, 7, 20)

    write_day(day=day, groups=groups)

    assert MarketCommodityPrice.objects.filter(date=day).count() == 34
    assert RegionCommodityPrice.objects.get(date=day, region__isnull=True).price == 26_400
    provinces = dict(RegionCommodityPrice.objects.filter(date=day, level=1).values_list("region__code", "price"))
    assert sorted(provinces.values()) == sorted(expected.values())
