from decimal import Decimal
from xml.etree import ElementTree

from pasar.dashboards.charts import bar_chart, funnel, line_chart


def parse(svg):
    return ElementTree.fromstring(str(svg))  # noqa: S314 - our own output


NS = "{http://www.w3.org/2000/svg}"


def test_line_chart_breaks_on_days_without_data():
    svg = line_chart([("1/3", 10), ("2/3", 20), ("3/3", None), ("4/3", 5), ("5/3", 15)], title="Omzet")
    root = parse(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 2
    assert len(lines[0].get("points").split()) == 2
    assert root.find(f"{NS}title").text == "Omzet"


def test_line_chart_scales_the_highest_value_to_the_top():
    svg = line_chart([("a", 0), ("b", 100)], title="t", height=160)
    points = str(svg).split('points="')[1].split('"')[0].split()
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[0] == 140.0  # the baseline
    assert ys[1] == 10.0  # the top margin


def test_empty_charts_render_nothing():
    assert line_chart([], title="t") == ""
    assert line_chart([("a", None)], title="t") == ""
    assert bar_chart([], title="t") == ""
    assert funnel([("Terdata", 0)], title="t") == ""


def test_bar_lengths_are_proportional_and_labels_escaped():
    svg = str(bar_chart([("<Pasar>", 200), ("B", Decimal("50"))], title="Per pasar"))
    widths = [
        float(part.split('"')[0]) for part in svg.split('<rect x="190" y="')[1:] for part in [part.split('width="')[1]]
    ]
    assert widths[0] == 4 * widths[1]
    assert "&lt;Pasar&gt;" in svg
    assert "<Pasar>" not in svg


def test_funnel_shows_each_stage_with_its_share():
    svg = str(funnel([("Terdata", 200), ("Dilatih", 100), ("Aktif", 50)], title="Corong"))
    assert "Terdata: 200 (100%)" in svg
    assert "Dilatih: 100 (50%)" in svg
    assert "Aktif: 50 (25%)" in svg
