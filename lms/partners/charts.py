"""Small charts drawn on the server as SVG (no script, no CDN; the CSP allows only 'self').

Colours are attributes (``fill="#…"``), not inline styles, and every chart carries a title and a
description for screen readers; the numbers are also in a table next to it on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

INK = "#4A5568"
GRID = "#D9DEE8"
BRAND = "#3538CD"
ACCENT = "#0E7C86"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the reader should read it (formatted money, a count…)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(value)


def column_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    colour: str = BRAND,
    width: int = 560,
    height: int = 220,
    axis_format: Callable[[float], str] = lambda v: f"{v:g}",
) -> Markup:
    """Vertical bars (e.g. seats per month), labels under each bar, the value above it."""
    left, right, top, bottom = 48, 12, 18, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max((b.value for b in bars), default=0))
    slot = plot_w / max(len(bars), 1)
    bar_w = min(48.0, slot * 0.6)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d" '
        f'xmlns="http://www.w3.org/2000/svg" direction="ltr">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{INK}">'
            f"{escape(axis_format(peak * i / 4))}</text>"
        )
    for index, bar in enumerate(bars):
        x = left + slot * index + (slot - bar_w) / 2
        h = plot_h * (bar.value / peak) if peak else 0
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 0):.1f}" rx="3" fill="{colour}">'
            f"<title>{escape(bar.label)}: {escape(bar.text)}</title></rect>"
        )
        if bar.value:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" '
                f'fill="{INK}">{escape(bar.text)}</text>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - 12}" text-anchor="middle" font-size="11" fill="{INK}">'
            f"{escape(bar.label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text inside was escaped above)


def meter_chart(
    bars: Sequence[Bar], *, title: str, description: str = "", colour: str = ACCENT, width: int = 560
) -> Markup:
    """Horizontal bars of a share (0–1), e.g. fill rate per class, the label above each bar."""
    row_h, gap = 30, 10
    height = max(1, len(bars)) * (row_h + gap) + 8
    bar_h = 12
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'xmlns="http://www.w3.org/2000/svg" direction="ltr">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for index, bar in enumerate(bars):
        y = index * (row_h + gap) + 4
        share = max(0.0, min(1.0, bar.value))
        parts.append(f'<text x="0" y="{y + 11}" font-size="12" fill="{INK}">{escape(bar.label)}</text>')
        parts.append(
            f'<text x="{width}" y="{y + 11}" font-size="12" text-anchor="end" fill="{INK}">{escape(bar.text)}</text>'
        )
        parts.append(f'<rect x="0" y="{y + 16}" width="{width}" height="{bar_h}" rx="6" fill="{GRID}"/>')
        parts.append(
            f'<rect x="0" y="{y + 16}" width="{width * share:.1f}" height="{bar_h}" rx="6" fill="{colour}">'
            f"<title>{escape(bar.label)}: {escape(bar.text)}</title></rect>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text inside was escaped above)
