"""The SVG charts: a y scale with gridlines at round steps, zero or a note saying the scale
does not start there, baseline and target marked, labels wrapped instead of cut off."""

import re
from decimal import Decimal

from django.utils import translation

from followup import charts


def _trend(values, **kwargs):
    points = [(str(2019 + i), Decimal(v)) for i, v in enumerate(values)]
    with translation.override("sv"):
        return str(charts.trend_svg(chart_id="t", title="Trygghet", points=points, **kwargs))


def _ticks(svg):
    return re.findall(r'<g class="chart-tick">.*?>([^<]+)</text></g>', svg)


def test_the_scale_starts_at_zero_when_the_values_are_not_far_above_it():
    svg = _trend(["35", "52", "78"])
    assert _ticks(svg) == ["0", "20", "40", "60", "80"]
    assert "chart-note" not in svg


def test_a_scale_that_does_not_start_at_zero_says_so():
    svg = _trend(["58.5", "61", "64"], target=Decimal("70"))
    ticks = _ticks(svg)
    assert ticks[0] != "0" and ticks[-1] == "70"
    assert f"Skalan börjar på {ticks[0]}, inte på noll." in svg


def test_baseline_and_target_are_drawn_as_labelled_lines():
    svg = _trend(["40", "50"], baseline=Decimal("45"), target=Decimal("60"))
    assert "Mål: 60" in svg and "Utgångsvärde: 45" in svg


def test_many_points_show_every_nth_label_so_that_labels_do_not_overlap():
    values = [str(50 + i) for i in range(30)]
    svg = _trend(values)
    shown = re.findall(r'fill="#4a5561">(20\d\d)</text></g>', svg)
    assert 3 <= len(shown) < 30
    assert shown[-1] == "2048"  # the latest period is always named


def test_a_long_focus_area_name_is_wrapped_above_its_bar_within_the_chart():
    name = "Stoppa nyrekrytering av barn och unga till kriminella nätverk i skolområdena " * 2
    with translation.override("sv"):
        svg = str(charts.status_svg(chart_id="s", title="Status", rows=[(name, {"done": 2})]))
    lines = re.findall(r"<tspan[^>]*>([^<]+)</tspan>", svg)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(charts.text_width(line, 13) <= 580 for line in lines)
    assert 'x="10"' in svg and 'text-anchor="end" fill="#1b1f24"' not in svg
