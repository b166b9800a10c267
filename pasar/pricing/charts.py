"""Server-rendered SVG sparklines: a few hundred bytes each, no script, no chart library."""

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 84, 24, 2


def sparkline(values: Sequence[int | None], *, label: str = "") -> SafeString:
    """A polyline of the series (oldest first); a day without data breaks the line, never drops to 0."""
    known = [v for v in values if v is not None]
    if len(values) < 2 or not known:
        return mark_safe("")  # noqa: S308 - a constant
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    segments: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        x = PAD + index * step
        y = HEIGHT - PAD - (value - low) * (HEIGHT - 2 * PAD) / span if high != low else HEIGHT / 2
        segments[-1].append(f"{x:.1f},{y:.1f}")
    lines = "".join(
        f'<polyline points="{" ".join(s)}"/>'
        if len(s) > 1
        else f'<circle cx="{s[0].split(",")[0]}" cy="{s[0].split(",")[1]}" r="1.5"/>'
        for s in segments
        if s
    )
    # Every interpolated value above is a number formatted here: safe to mark.
    return format_html(
        '<svg class="spark" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">{}</svg>',
        WIDTH, HEIGHT, WIDTH, HEIGHT, label, mark_safe(lines),  # noqa: S308
    )  # fmt: skip
