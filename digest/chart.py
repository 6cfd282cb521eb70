"""A forecast chart as inline SVG: the figures, then the forecast with its 80 % and 95 %
bands (no script: it prints to PDF as it shows)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 560, 180, 30


@dataclass(frozen=True)
class Point:
    label: str  # period label, e.g. 2026-10
    value: float | None = None  # the figure (history)
    forecast: float | None = None
    lo_80: float | None = None
    hi_80: float | None = None
    lo_95: float | None = None
    hi_95: float | None = None


def svg(points: list[Point], title: str) -> str:
    values = [v for p in points for v in (p.value, p.forecast, p.lo_95, p.hi_95) if v is not None]
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0

    def x(i: int) -> float:
        return PAD + i * (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def y(v: float) -> float:
        return HEIGHT - PAD - (v - low) * (HEIGHT - 2 * PAD) / span

    def band(lo: str, hi: str) -> str:
        idx = [i for i, p in enumerate(points) if getattr(p, lo) is not None]
        if not idx:
            return ""
        upper = " ".join(f"{x(i):.1f},{y(getattr(points[i], hi)):.1f}" for i in idx)
        lower = " ".join(f"{x(i):.1f},{y(getattr(points[i], lo)):.1f}" for i in reversed(idx))
        return f"{upper} {lower}"

    def line(attr: str) -> str:
        return " ".join(
            f"{x(i):.1f},{y(getattr(p, attr)):.1f}"
            for i, p in enumerate(points)
            if getattr(p, attr) is not None
        )

    first, last = points[0].label, points[-1].label
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{title}" class="chart">'
        f'<polygon points="{band("lo_95", "hi_95")}" fill="#c6dbef"/>'
        f'<polygon points="{band("lo_80", "hi_80")}" fill="#9ecae1"/>'
        f'<polyline points="{line("value")}" fill="none" stroke="#08306b" stroke-width="2"/>'
        f'<polyline points="{line("forecast")}" fill="none" stroke="#d94801" '
        f'stroke-width="2" stroke-dasharray="5,3"/>'
        f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" font-size="11" text-anchor="end">{last}</text>'
        "</svg>"
    )
