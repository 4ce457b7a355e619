"""Server-rendered SVG charts (no JavaScript, no inline styles — CSP forbids them).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; the
pages show the same numbers in a table beside it. Colours are presentation
attributes, and every mark carries its number as text, so nothing is told by
colour alone.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import UpdateStatus

STATUS_COLOURS = {
    UpdateStatus.NOT_STARTED: "#6b7785",
    UpdateStatus.ON_TRACK: "#0b4f8a",
    UpdateStatus.AT_RISK: "#8a5300",
    UpdateStatus.DELAYED: "#a4161a",
    UpdateStatus.DONE: "#1e6b34",
    UpdateStatus.CANCELLED: "#3d3d3d",
    "not_reported": "#c9d1d9",
}


def format_number(value) -> str:
    """A number in the active language's notation, without trailing zeros (12,5 — not 12,500)."""
    if value is None:
        return "–"
    number = Decimal(value)
    text = format(number.normalize(), "f")
    return formats.number_format(Decimal(text), use_l10n=True)


def period_label(value) -> str:
    """How an indicator value's period is named: "2024" for a calendar year, else its months."""
    start, end = value.period_start, value.period_end
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    if start.year == end.year and start.month == end.month:
        return f"{start:%Y-%m}"
    return f"{start:%Y-%m}–{end:%Y-%m}"


#: The average advance of a character of DejaVu Sans (the page's and the PDF's font), in em,
#: rounded up: a label measured with it never runs past the space given to it.
CHAR_EM = 0.62


def text_width(text: str, font_size: float) -> float:
    """An upper estimate of how wide ``text`` is drawn at ``font_size`` (SVG has no wrap)."""
    return len(text) * font_size * CHAR_EM


def wrap_label(text: str, width: float, font_size: float, max_lines: int = 2) -> list[str]:
    """``text`` in lines that fit ``width``; the last line ends in "…" if text is left over."""
    per_line = max(int(width / (font_size * CHAR_EM)), 4)
    words = text.split()
    lines: list[str] = []
    line = ""
    while words:
        word = words.pop(0)
        if len(word) > per_line:  # a word longer than a line is broken with a hyphen
            words[:0] = [word[: per_line - 1] + "-", word[per_line - 1 :]]
            continue
        if line and len(line) + 1 + len(word) > per_line:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else word
    lines.append(line)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = kept[-1][: per_line - 1].rstrip("-") + "…"
        return kept
    return lines


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round steps (1, 2, 2.5 or 5 × 10ⁿ) from below ``lo`` to above ``hi``."""
    span = hi - lo or abs(hi) or 1.0
    magnitude = 10 ** math.floor(math.log10(span / count))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if span / (m * magnitude) <= count)
    start, end = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if end == start:
        end = start + step
    return [round(start + i * step, 10) for i in range(round((end - start) / step) + 1)]


def _scale(lo: float, hi: float, top: float, bottom: float):
    if hi == lo:
        hi, lo = hi + 1, lo - 1
    span = hi - lo

    def y(value: float) -> float:
        return round(bottom - (value - lo) / span * (bottom - top), 1)

    return y


def trend_svg(
    *,
    chart_id: str,
    title: str,
    points: list[tuple[str, Decimal]],
    unit: str = "",
    target: Decimal | None = None,
    baseline: Decimal | None = None,
    description: str = "",
) -> SafeString:
    """A line chart of an indicator over time, with target and baseline as labelled lines."""
    width, height = 600, 300
    left, right, top, bottom = 60, 20, 40, 250
    values = [float(v) for _label, v in points]
    refs = [float(x) for x in (target, baseline) if x is not None]
    if not values:
        desc = description or _("No values yet.")
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} 60" width="{}" '
            'height="60" aria-labelledby="{}-title {}-desc" class="chart-svg">'
            '<title id="{}-title">{}</title>'
            '<desc id="{}-desc">{}</desc><text x="10" y="35" fill="#4a5561">{}</text></svg>',
            width,
            width,
            chart_id,
            chart_id,
            chart_id,
            title,
            chart_id,
            desc,
            desc,
        )
    lo, hi = min(values + refs), max(values + refs)
    # The scale starts at zero when the values are all positive and zero is not far below
    # them; otherwise the chart says where it starts.
    if lo >= 0 and (lo <= hi / 2 or lo == hi):
        lo = 0.0
    ticks = nice_ticks(lo, hi)
    y = _scale(ticks[0], ticks[-1], top, bottom)
    step = (width - left - right) / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return round(left + (i * step if len(points) > 1 else (width - left - right) / 2), 1)

    parts = []
    # The y scale: a gridline and a number at every tick.
    for tick in ticks:
        parts.append(
            format_html(
                '<g class="chart-tick"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dde3e9" '
                'stroke-width="1"/><text x="{}" y="{}" font-size="12" text-anchor="end" '
                'fill="#4a5561">{}</text></g>',
                left,
                y(tick),
                width - right,
                y(tick),
                left - 6,
                y(tick) + 4,
                format_number(Decimal(str(tick))),
            )
        )
    if ticks[0] != 0:
        parts.append(
            format_html(
                '<text class="chart-note" x="{}" y="{}" font-size="11" fill="#4a5561">{}</text>',
                left,
                14,
                _("The scale starts at %(value)s, not at zero.")
                % {"value": format_number(Decimal(str(ticks[0])))},
            )
        )
    # Axes.
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a5561" stroke-width="1"/>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a5561" stroke-width="1"/>',
            left,
            top,
            left,
            bottom,
            left,
            bottom,
            width - right,
            bottom,
        )
    )
    for label, value, dash, colour in (
        (_("Target"), target, "6 4", "#1e6b34"),
        (_("Baseline"), baseline, "2 3", "#4a5561"),
    ):
        if value is None:
            continue
        parts.append(
            format_html(
                '<g class="chart-ref" data-value="{}"><line x1="{}" y1="{}" x2="{}" y2="{}" '
                'stroke="{}" stroke-width="2" stroke-dasharray="{}"/>'
                '<text x="{}" y="{}" fill="{}" font-size="12" text-anchor="end">{}: {}</text></g>',
                value,
                left,
                y(float(value)),
                width - right,
                y(float(value)),
                colour,
                dash,
                width - right,
                y(float(value)) - 4,
                colour,
                label,
                format_number(value),
            )
        )
    coords = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
    parts.append(
        format_html('<polyline points="{}" fill="none" stroke="#0b4f8a" stroke-width="3"/>', coords)
    )
    # Labels never overlap (every n-th is shown, counted from the last) and never run
    # past the chart's edges (a label's centre is kept half its width inside).
    widest = max(text_width(str(label), 12) for label, _value in points) + 8
    every = max(1, math.ceil(widest / step)) if len(points) > 1 else 1
    numbers = [format_number(value) for _label, value in points]
    widest_number = max(text_width(n, 12) for n in numbers) + 6
    every_number = max(1, math.ceil(widest_number / step)) if len(points) > 1 else 1

    def inside(centre: float, text: str) -> float:
        half = text_width(text, 12) / 2 + 2
        return round(min(max(centre, half), width - half), 1)

    for i, (label, value) in enumerate(points):
        from_last = len(points) - 1 - i
        shown = str(label) if from_last % every == 0 else ""
        number = numbers[i] if from_last % every_number == 0 else ""
        parts.append(
            format_html(
                '<g class="chart-point" data-label="{}" data-value="{}">'
                '<circle cx="{}" cy="{}" r="5" fill="#0b4f8a"/>'
                '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#1b1f24">{}</text>'
                '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#4a5561">{}</text>'
                "</g>",
                label,
                value,
                x(i),
                y(float(value)),
                inside(x(i), number),
                y(float(value)) - 10,
                number,
                inside(x(i), shown),
                bottom + 18,
                shown,
            )
        )
    desc = description or ngettext(
        "%(count)s value from %(first)s to %(last)s%(unit)s.",
        "%(count)s values from %(first)s to %(last)s%(unit)s.",
        len(points),
    ) % {
        "count": len(points),
        "first": points[0][0],
        "last": points[-1][0],
        "unit": f" ({unit})" if unit else "",
    }
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" width="{}" '
        'height="{}" aria-labelledby="{}-title {}-desc" class="chart-svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width,
        height,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        mark_safe("".join(parts)),  # noqa: S308 - every part built with format_html
    )


def status_svg(*, chart_id: str, title: str, rows: list[tuple[str, dict[str, int]]]) -> SafeString:
    """Horizontal stacked bars: per focus area, how many activities are in each status."""
    labels = {**dict(UpdateStatus.choices), "not_reported": _("Not reported")}
    order = [*UpdateStatus.values, "not_reported"]
    # Each focus area's name stands above its bar, wrapped to the chart's width: a name is
    # never cut off at the edge (text_width is an upper estimate of the drawn width).
    bar_left, bar_width, line_height = 10, 580, 16
    legend_height = 24 * ((len(order) + 2) // 3)
    parts = []
    y_next = 10
    for name, counts in rows:
        total = sum(counts.values()) or 1
        lines = wrap_label(name or str(_("Without focus area")), bar_width, 13)
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" font-size="13" fill="#1b1f24">{}</text>',
                bar_left,
                y_next + 12,
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    (
                        (bar_left, 0 if i == 0 else line_height, line)
                        for i, line in enumerate(lines)
                    ),
                ),
            )
        )
        y = y_next + line_height * len(lines) + 2
        y_next = y + 34
        offset = 0.0
        for status in order:
            count = counts.get(status, 0)
            if not count:
                continue
            w = round(count / total * bar_width, 1)
            parts.append(
                format_html(
                    '<g class="chart-segment" data-status="{}" data-count="{}">'
                    '<rect x="{}" y="{}" width="{}" height="24" fill="{}" stroke="#ffffff">'
                    "<title>{}: {}</title></rect>"
                    '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{}">{}</text>'
                    "</g>",
                    status,
                    count,
                    round(bar_left + offset, 1),
                    y,
                    w,
                    STATUS_COLOURS[status],
                    labels[status],
                    count,
                    round(bar_left + offset + w / 2, 1),
                    y + 17,
                    "#1b1f24" if status == "not_reported" else "#ffffff",
                    count,
                )
            )
            offset += w
    legend_top = y_next + 4
    height = legend_top + legend_height + 10
    parts.append(
        format_html_join(
            "",
            '<g class="chart-legend"><rect x="{}" y="{}" width="14" height="14" fill="{}"/>'
            '<text x="{}" y="{}" font-size="12" fill="#1b1f24">{}</text></g>',
            (
                (
                    10 + (i % 3) * 195,
                    legend_top + (i // 3) * 24,
                    STATUS_COLOURS[status],
                    30 + (i % 3) * 195,
                    legend_top + (i // 3) * 24 + 12,
                    labels[status],
                )
                for i, status in enumerate(order)
            ),
        )
    )
    summary = "; ".join(
        f"{name or _('Without focus area')}: "
        + ", ".join(f"{labels[s]} {counts[s]}" for s in order if counts.get(s))
        for name, counts in rows
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 600 {}" width="600" '
        'height="{}" aria-labelledby="{}-title {}-desc" class="chart-svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        height,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        summary,
        mark_safe("".join(parts)),  # noqa: S308 - every part built with format_html
    )


def indicator_trend_svg(trend: dict):
    """The line chart of one indicator's trend (``selectors.trend_for``): its values, with
    baseline and target."""
    indicator = trend["indicator"]
    return trend_svg(
        chart_id=f"indicator-{indicator.pk}",
        title=str(indicator),
        points=[(period_label(v), v.value) for v in trend["series"]],
        unit=indicator.unit,
        target=indicator.target,
        baseline=indicator.baseline,
    )
