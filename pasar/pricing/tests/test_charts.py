from pasar.pricing.charts import sparkline
from pasar.pricing.templatetags.pricing import change


def test_a_gap_breaks_the_line_instead_of_dropping_to_zero():
    svg = str(sparkline([10_000, None, 12_000, 11_000], label="Cabai"))

    assert svg.count("<polyline") == 1  # 12,000 → 11,000
    assert svg.count("<circle") == 1  # the lone 10,000 before the gap
    assert 'aria-label="Cabai"' in svg
    ys = [float(p.split(",")[1]) for p in svg.split('points="')[1].split('"')[0].split()]
    assert all(2 <= y <= 22 for y in ys)


def test_no_chart_without_data_and_a_flat_series_is_centred():
    assert str(sparkline([None, None])) == ""
    assert str(sparkline([5000])) == ""
    assert 'points="2.0,12.0 82.0,12.0"' in str(sparkline([5000, 5000]))


def test_label_is_escaped():
    assert "<b>" not in str(sparkline([1, 2], label="<b>x</b>"))


def test_change_arrows_and_no_data():
    assert "▲ 3,2 %" in change(3.21)
    assert "▼ 10 %" in change(-10.0)
    assert "= 0 %" in change(0.01)
    assert "–" in change(None)
