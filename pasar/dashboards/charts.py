"""Server-rendered SVG charts: a few hundred bytes each, no JavaScript, readable without colour.

Every chart has a ``<title>`` and a text fallback in the page's tables; numbers are drawn as text,
so a screen reader and a printout carry the same figures.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal
COLOUR = "#0b6e4f"
MUTED = "#9aa5a0"


def _svg(width: int, height: int, title: str, body: str) -> SafeString:
    """Wrap chart parts; every label and title reaching here went through ``escape``."""
    return mark_safe(  # noqa: S308 - labels are escaped above, numbers are formatted by us
        f'<svg class="chart" width="100%" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _fmt(value: Number) -> str:
    """Compact number for chart labels: 12.500, 1,2 jt style left to the tables; here plain grouping."""
    if isinstance(value, Decimal | float) and value != int(value):
        return f"{float(value):,.1f}".replace(",", " ")
    return f"{int(value):,}".replace(",", ".")


def line_chart(
    points: Sequence[tuple[str, Number | None]], *, title: str, width: int = 600, height: int = 160
) -> SafeString:
    """A trend line over days; ``None`` values (no data) break the line instead of dropping to zero."""
    values = [v for _, v in points if v is not None]
    if not points or not values:
        return SafeString("")
    top = max(float(v) for v in values) or 1.0
    pad, bottom = 30, height - 20
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    segments: list[list[str]] = [[]]
    for i, (_, value) in enumerate(points):
        if value is None:
            segments.append([])
            continue
        x = pad + i * step
        y = bottom - (float(value) / top) * (bottom - 10)
        segments[-1].append(f"{x:.1f},{y:.1f}")
    lines = "".join(
        f'<polyline fill="none" stroke="{COLOUR}" stroke-width="2" points="{" ".join(s)}"/>'
        if len(s) > 1
        else f'<circle cx="{s[0].split(",")[0]}" cy="{s[0].split(",")[1]}" r="2.5" fill="{COLOUR}"/>'
        for s in segments
        if s
    )
    first, last = escape(points[0][0]), escape(points[-1][0])
    return _svg(
        width,
        height,
        title,
        f'<line x1="{pad}" y1="{bottom}" x2="{width - pad}" y2="{bottom}" stroke="{MUTED}"/>'
        f'<text x="{pad}" y="12" font-size="11">{_fmt(top)}</text>'
        f'<text x="{pad}" y="{height - 4}" font-size="11">{first}</text>'
        f'<text x="{width - pad}" y="{height - 4}" font-size="11" text-anchor="end">{last}</text>'
        f"{lines}",
    )


def bar_chart(items: Sequence[tuple[str, Number | None]], *, title: str, width: int = 600, bar: int = 18) -> SafeString:
    """Horizontal bars, one per label (markets, kab/kota, commodities), value written at the bar's end."""
    rows = [(label, float(value or 0), value or 0) for label, value in items]
    if not rows:
        return SafeString("")
    top = max(v for _, v, _ in rows) or 1.0
    label_w, gap = 190, 6
    height = len(rows) * (bar + gap) + gap
    parts = []
    for i, (label, value, raw) in enumerate(rows):
        y = gap + i * (bar + gap)
        length = (value / top) * (width - label_w - 90)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 5}" font-size="12" text-anchor="end">{escape(label[:28])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar}" fill="{COLOUR}"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + bar - 5}" font-size="12">{_fmt(raw)}</text>'
        )
    return _svg(width, height, title, "".join(parts))


def funnel(stages: Sequence[tuple[str, int]], *, title: str, width: int = 600) -> SafeString:
    """Registered → trained → active: centred bars narrowing with the share kept from the first stage."""
    if not stages or not stages[0][1]:
        return SafeString("")
    first = stages[0][1]
    bar, gap = 30, 8
    height = len(stages) * (bar + gap)
    parts = []
    for i, (label, value) in enumerate(stages):
        share = value / first
        length = max(share * (width - 20), 2)
        x = (width - length) / 2
        y = i * (bar + gap)
        text = f"{escape(label)}: {_fmt(value)} ({share:.0%})"
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar}" fill="{COLOUR}" '
            f'opacity="{0.5 - i * 0.12:.2f}"/>'
            f'<text x="{width / 2:.0f}" y="{y + bar - 10}" font-size="13" text-anchor="middle">{text}</text>'
        )
    return _svg(width, height, title, "".join(parts))
