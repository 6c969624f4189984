"""Accessible charts drawn on the server as SVG: bar charts and line charts.

Each chart is a ``<figure>``: the SVG (``role="img"``, named by its ``<title>`` and described
by a ``<desc>`` that reads out every figure), then the same numbers as a GOV.UK table in a
"Show the data as a table" details component. Colour is never the only way to tell series
apart: bars carry their values, lines have their own marker shapes and dash patterns, and
there is a legend. The colours are GOV.UK's, each at least 3:1 against white.

No JavaScript and no inline styles (the page's CSP forbids them): presentation attributes
on the SVG, the rest in ``frontend/scss/kith.scss`` (``.kith-chart``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

# GOV.UK colours, each 3:1 or more against white (WCAG 1.4.11).
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#912b88", "#505a5f")
DASHES = ("", "6 4", "2 3", "10 3 2 3", "1 4", "8 8")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")

Number = int | float | Decimal


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom


def format_number(value: Number | None, unit: str = "", decimals: int = 0) -> str:
    """12, 1,234, 2.5 or 87%; "no data" for None."""
    if value is None:
        return "no data"
    number = float(value)
    if decimals == 0 or number == int(number):
        text = f"{round(number):,}"
    else:
        text = f"{number:,.{decimals}f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round axis ticks from 0 to at least ``maximum``: steps of 1, 2 or 5 × 10ⁿ."""
    if maximum <= 0 or math.isnan(maximum):
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1 and maximum >= 1:
        step = 1.0
    ticks = [0.0]
    while ticks[-1] < maximum - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _attrs(**values: object) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in values.items()
        if value is not None and value != ""
    )


def _element(tag: str, text: str = "", **attributes: object) -> str:
    attrs = _attrs(**attributes)
    opening = f"<{tag} {attrs}" if attrs else f"<{tag}"
    if text:
        return f"{opening}>{escape(text)}</{tag}>"
    return f"{opening}/>"


def _describe(
    kind: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
    decimals: int,
    description: str,
) -> str:
    """Every figure, in words: what a screen reader reads for the chart."""
    parts = [description.rstrip(".") + "." if description else f"{kind}."]
    for s in series:
        figures = ", ".join(
            f"{category}: {format_number(value, unit, decimals)}"
            for category, value in zip(categories, s.values, strict=True)
        )
        prefix = f"{s.name}: " if len(series) > 1 or s.name else ""
        parts.append(f"{prefix}{figures}.")
    return " ".join(parts)


def _table(
    *,
    caption: str,
    category_heading: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str,
    decimals: int,
) -> str:
    head = "".join(
        f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
        f"{escape(s.name)}</th>"
        for s in series
    )
    rows = []
    for index, category in enumerate(categories):
        cells = "".join(
            f'<td class="govuk-table__cell govuk-table__cell--numeric">'
            f"{escape(format_number(s.values[index], unit, decimals))}</td>"
            for s in series
        )
        rows.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f"{escape(category)}</th>{cells}</tr>"
        )
    return (
        '<table class="govuk-table kith-chart__table">'
        f'<caption class="govuk-table__caption govuk-table__caption--s">{escape(caption)}</caption>'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        f'<th scope="col" class="govuk-table__header">{escape(category_heading)}</th>{head}'
        "</tr></thead>"
        f'<tbody class="govuk-table__body">{"".join(rows)}</tbody></table>'
    )


def _figure(
    *,
    chart_id: str,
    title: str,
    desc: str,
    svg_body: str,
    frame: _Frame,
    table: str,
    legend: str,
) -> Markup:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    svg = (
        f'<svg class="kith-chart__svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {frame.width} {frame.height}" '
        f'aria-labelledby="{escape(title_id)}" aria-describedby="{escape(desc_id)}" '
        f'focusable="false">'
        f'<title id="{escape(title_id)}">{escape(title)}</title>'
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>'
        f"{svg_body}</svg>"
    )
    # Every piece of text in it went through escape() above: safe to mark as markup.
    return Markup(  # noqa: S704
        f'<figure class="kith-chart" id="{escape(chart_id)}" data-testid="{escape(chart_id)}">'
        f'<figcaption class="govuk-heading-s kith-chart__caption">{escape(title)}</figcaption>'
        f"{legend}{svg}"
        '<details class="govuk-details kith-chart__details">'
        '<summary class="govuk-details__summary">'
        '<span class="govuk-details__summary-text">Show the data as a table</span></summary>'
        f'<div class="govuk-details__text">{table}</div></details>'
        "</figure>"
    )


def _legend(series: Sequence[Series], *, lines: bool) -> str:
    if len(series) < 2:
        return ""
    items = []
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        swatch = (
            '<svg class="kith-chart__key" viewBox="0 0 30 12" width="30" height="12" '
            'aria-hidden="true" focusable="false">'
            + (
                _element(
                    "line",
                    x1=0,
                    y1=6,
                    x2=30,
                    y2=6,
                    stroke=colour,
                    stroke_width=3,
                    stroke_dasharray=DASHES[index % len(DASHES)],
                )
                + _marker(MARKERS[index % len(MARKERS)], 15, 6, colour, 4)
                if lines
                else _element("rect", x=7, y=0, width=16, height=12, fill=colour)
            )
            + "</svg>"
        )
        items.append(f'<li class="kith-chart__legend-item">{swatch}{escape(s.name)}</li>')
    return f'<ul class="kith-chart__legend" aria-hidden="true">{"".join(items)}</ul>'


def _marker(shape: str, x: float, y: float, colour: str, r: float = 5) -> str:
    if shape == "square":
        return _element(
            "rect", x=f"{x - r:.1f}", y=f"{y - r:.1f}", width=2 * r, height=2 * r, fill=colour
        )
    if shape == "triangle":
        points = f"{x:.1f},{y - r - 1:.1f} {x - r - 1:.1f},{y + r:.1f} {x + r + 1:.1f},{y + r:.1f}"
        return _element("polygon", points=points, fill=colour)
    if shape == "diamond":
        points = (
            f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} "
            f"{x:.1f},{y + r + 1:.1f} {x - r - 1:.1f},{y:.1f}"
        )
        return _element("polygon", points=points, fill=colour)
    return _element("circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=r, fill=colour)


def _axis_label(text: str, *, x: float, y: float, anchor: str) -> str:
    """A category's label: a line per "\n" in it."""
    lines = text.split("\n")
    if len(lines) == 1:
        return _element(
            "text", text, x=f"{x:.1f}", y=f"{y:.1f}", text_anchor=anchor, class_="kith-chart__label"
        )
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if index == 0 else 16}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="kith-chart__label">'
        f"{spans}</text>"
    )


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _labels(categories: Sequence[str], labels: Sequence[str] | None) -> Sequence[str]:
    if labels is None:
        return categories
    if len(labels) != len(categories):
        raise ValueError(f"{len(labels)} labels for {len(categories)} categories")
    return labels


def _maximum(series: Sequence[Series]) -> float:
    values = [float(v) for s in series for v in s.values if v is not None]
    return max(values, default=0.0)


def _value_axis_vertical(frame: _Frame, ticks: list[float], unit: str, decimals: int) -> str:
    parts = []
    top = ticks[-1]
    for tick in ticks:
        y = frame.top + frame.plot_height * (1 - tick / top)
        parts.append(
            _element(
                "line",
                x1=frame.left,
                y1=f"{y:.1f}",
                x2=frame.width - frame.right,
                y2=f"{y:.1f}",
                class_="kith-chart__grid" if tick else "kith-chart__axis",
            )
        )
        parts.append(
            _element(
                "text",
                format_number(tick, unit, decimals),
                x=frame.left - 8,
                y=f"{y + 5:.1f}",
                text_anchor="end",
                class_="kith-chart__tick",
            )
        )
    return "".join(parts)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    description: str = "",
    category_heading: str = "",
    unit: str = "",
    decimals: int = 0,
    horizontal: bool = False,
    labels: Sequence[str] | None = None,
) -> Markup:
    """Bars for each category, one bar per series (grouped), each labelled with its value.
    ``horizontal`` suits long category names (people's names, types of work). ``labels``:
    shorter names for the axis ("\n" starts a new line); the description and the table
    use the categories."""
    axis_labels = _labels(categories, labels)
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"{s.name}: {len(s.values)} values for {len(categories)} categories")
    ticks = nice_ticks(_maximum(series))
    top = ticks[-1]
    groups = len(categories)
    per_group = max(len(series), 1)
    body: list[str] = []
    if horizontal:
        label_width = min(260, 40 + 8 * max((len(c) for c in categories), default=4))
        bar: float = 18
        group_height = per_group * bar + 14
        frame = _Frame(720, round(40 + max(groups, 1) * group_height), label_width, 40, 10, 30)
        for tick in ticks:
            x = frame.left + frame.plot_width * tick / top
            body.append(
                _element(
                    "line",
                    x1=f"{x:.1f}",
                    y1=frame.top,
                    x2=f"{x:.1f}",
                    y2=frame.height - frame.bottom,
                    class_="kith-chart__grid" if tick else "kith-chart__axis",
                )
            )
            body.append(
                _element(
                    "text",
                    format_number(tick, unit, decimals),
                    x=f"{x:.1f}",
                    y=frame.height - frame.bottom + 20,
                    text_anchor="middle",
                    class_="kith-chart__tick",
                )
            )
        for g in range(groups):
            y0 = frame.top + g * group_height + 7
            body.append(
                _axis_label(
                    _short(axis_labels[g]),
                    x=frame.left - 8,
                    y=y0 + per_group * bar / 2 + 5,
                    anchor="end",
                )
            )
            for index, s in enumerate(series):
                value = float(s.values[g] or 0)
                width = frame.plot_width * value / top
                y = y0 + index * bar
                body.append(
                    _element(
                        "rect",
                        x=frame.left,
                        y=f"{y:.1f}",
                        width=f"{width:.1f}",
                        height=bar - 2,
                        fill=COLOURS[index % len(COLOURS)],
                    )
                )
                body.append(
                    _element(
                        "text",
                        format_number(s.values[g], unit, decimals),
                        x=f"{frame.left + width + 5:.1f}",
                        y=f"{y + bar / 2 + 3:.1f}",
                        class_="kith-chart__value",
                    )
                )
    else:
        frame = _Frame(720, 300, 60, 20, 20, 50)
        body.append(_value_axis_vertical(frame, ticks, unit, decimals))
        group_width = frame.plot_width / max(groups, 1)
        bar = min(60.0, group_width * 0.8 / per_group)
        for g in range(groups):
            x0 = frame.left + g * group_width + (group_width - bar * per_group) / 2
            body.append(
                _axis_label(
                    axis_labels[g],
                    x=frame.left + (g + 0.5) * group_width,
                    y=frame.height - frame.bottom + 22,
                    anchor="middle",
                )
            )
            for index, s in enumerate(series):
                value = float(s.values[g] or 0)
                height = frame.plot_height * value / top
                x = x0 + index * bar
                y = frame.top + frame.plot_height - height
                body.append(
                    _element(
                        "rect",
                        x=f"{x + 1:.1f}",
                        y=f"{y:.1f}",
                        width=f"{bar - 2:.1f}",
                        height=f"{height:.1f}",
                        fill=COLOURS[index % len(COLOURS)],
                    )
                )
                body.append(
                    _element(
                        "text",
                        format_number(s.values[g], unit, decimals),
                        x=f"{x + bar / 2:.1f}",
                        y=f"{y - 5:.1f}",
                        text_anchor="middle",
                        class_="kith-chart__value",
                    )
                )
    return _figure(
        chart_id=chart_id,
        title=title,
        desc=_describe("Bar chart", categories, series, unit, decimals, description),
        svg_body="".join(body),
        frame=frame,
        table=_table(
            caption=title,
            category_heading=category_heading,
            categories=categories,
            series=series,
            unit=unit,
            decimals=decimals,
        ),
        legend=_legend(series, lines=False),
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    description: str = "",
    category_heading: str = "",
    unit: str = "",
    decimals: int = 0,
    maximum: float | None = None,
    labels: Sequence[str] | None = None,
) -> Markup:
    """A line per series over the categories (months, say); ``None`` leaves a gap.
    ``maximum`` fixes the top of the axis (100 for percentages); ``labels`` as for
    ``bar_chart``."""
    axis_labels = _labels(categories, labels)
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"{s.name}: {len(s.values)} values for {len(categories)} categories")
    ticks = nice_ticks(maximum if maximum is not None else _maximum(series))
    top = ticks[-1]
    frame = _Frame(720, 300, 60, 20, 20, 50)
    body = [_value_axis_vertical(frame, ticks, unit, decimals)]
    step = frame.plot_width / max(len(categories), 1)
    label_every = 1 if len(categories) <= 12 else math.ceil(len(categories) / 12)
    for index in range(len(categories)):
        if index % label_every == 0:
            body.append(
                _axis_label(
                    axis_labels[index],
                    x=frame.left + (index + 0.5) * step,
                    y=frame.height - frame.bottom + 22,
                    anchor="middle",
                )
            )
    for s_index, s in enumerate(series):
        colour = COLOURS[s_index % len(COLOURS)]
        runs: list[list[tuple[float, float]]] = [[]]
        points: list[tuple[float, float]] = []
        for index, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x = frame.left + (index + 0.5) * step
            y = frame.top + frame.plot_height * (1 - float(value) / top)
            runs[-1].append((x, y))
            points.append((x, y))
        for run in runs:
            if len(run) > 1:
                body.append(
                    _element(
                        "polyline",
                        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in run),
                        fill="none",
                        stroke=colour,
                        stroke_width=3,
                        stroke_dasharray=DASHES[s_index % len(DASHES)],
                    )
                )
        body.extend(_marker(MARKERS[s_index % len(MARKERS)], x, y, colour) for x, y in points)
    return _figure(
        chart_id=chart_id,
        title=title,
        desc=_describe("Line chart", categories, series, unit, decimals, description),
        svg_body="".join(body),
        frame=frame,
        table=_table(
            caption=title,
            category_heading=category_heading,
            categories=categories,
            series=series,
            unit=unit,
            decimals=decimals,
        ),
        legend=_legend(series, lines=True),
    )
