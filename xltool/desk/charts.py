"""The office board's two charts, drawn on the server as SVG (no script, nothing fetched): units by grade, and
units by execution rate."""

from __future__ import annotations

from collections import Counter
from html import escape

_GRADES = ("优", "良", "中", "差")
_BANDS = ((0.0, 0.6, "<60%"), (0.6, 0.8, "60–80%"), (0.8, 0.9, "80–90%"), (0.9, 0.95, "90–95%"), (0.95, 9.9, "≥95%"))
_W, _H, _BAR = 420, 180, 44


def _bars(items: list[tuple[str, int]], title: str, colour: str) -> str:
    top = max([n for _, n in items] + [1])
    step = (_W - 40) / max(len(items), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" role="img" aria-label="{escape(title)}" '
        f'class="chart"><title>{escape(title)}</title>',
        f'<line x1="30" y1="{_H - 30}" x2="{_W - 10}" y2="{_H - 30}" stroke="#888" stroke-width="1"/>',
    ]
    for i, (label, n) in enumerate(items):
        height = (_H - 60) * n / top
        x = 30 + i * step + (step - _BAR) / 2
        y = _H - 30 - height
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{_BAR}" height="{height:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{x + _BAR / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="13">{n}</text>')
        parts.append(
            f'<text x="{x + _BAR / 2:.1f}" y="{_H - 12}" text-anchor="middle" font-size="13">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def grade_bars(grades: Counter[str]) -> str:
    """Units by 等次 (优/良/中/差, and any other grade word a profile uses)."""
    labels = [g for g in _GRADES] + sorted(g for g in grades if g not in _GRADES)
    return _bars([(g, grades.get(g, 0)) for g in labels], "等次分布", "#2f6db5")


def rate_histogram(rates: list[float]) -> str:
    """Units by 预算执行率 band."""
    counts = [(label, sum(1 for r in rates if low <= r < high)) for low, high, label in _BANDS]
    return _bars(counts, "预算执行率分布", "#3a8f5c")
