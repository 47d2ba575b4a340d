"""Render a demo's `Chart` (data) to a compact, self-contained SVG string.

Uses matplotlib's object API (`Figure` + the SVG canvas), never pyplot, so no
global figure state is shared between requests. Text stays text
(`svg.fonttype = "none"`): the browser draws it with the first font in the
family list it has, which keeps Korean labels readable and the files small. The
XML prolog and the fixed width/height are stripped so the chart scales with its
container through its viewBox. No demo code runs here: only data is drawn.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
from html import escape
from typing import Any, Iterable, Mapping

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from sandbox.result import Chart, Series

# Korean-capable fonts first (Linux, macOS, Windows), then matplotlib's own font.
FONT_FAMILY = [
    "Noto Sans KR",
    "Noto Sans CJK KR",
    "Apple SD Gothic Neo",
    "Malgun Gothic",
    "NanumGothic",
    "DejaVu Sans",
]
# inches: 374.4 x 230.4 user units in the viewBox plus the legend's rows. Narrow enough that
# on a 375 px phone (about 310 px for the chart) a 10-unit label still draws at ~8.5 px,
# and the page caps the width on a desktop (`.chart svg` in site.css).
FIGSIZE = (5.2, 3.2)
LEGEND_ROW = 0.2  # inches per row of the legend, which sits under the axes (never over the data)
MAX_POINTS = 400  # per series; demos are asked for <= ~200

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "sandbox-chart",  # stable ids: the same chart gives the same bytes
    "font.family": ["sans-serif"],
    "font.sans-serif": FONT_FAMILY,
    "font.size": 10,
    "axes.titlesize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "path.simplify": True,
}
# matplotlib measures text with the fonts installed on the server; a missing Korean
# font only changes that measurement, so its warnings are noise here.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)?", re.S)
_SIZE_ATTR = re.compile(r'\s(width|height)="[^"]*"')
_GEOMETRY = re.compile(r'\s(d|x|y|width|height|transform)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")  # 0.01 of a 460-unit viewBox is far below a pixel
_NEWLINES = re.compile(r"\s*\n\s*")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def render(chart: Chart | Mapping[str, Any], lang: str = "en") -> str:
    """One chart as an `<svg>` element string (no prolog, responsive, no external refs)."""
    chart = as_chart(chart)
    title = _text(chart.title, lang)
    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph .* missing from.*")
        warnings.filterwarnings("ignore", message=r".*[Dd]ata has no positive values.*")
        named = sum(1 for s in chart.series if _text(s.name, lang))
        columns = 1 if named < 2 else 2 if named <= 6 else 3
        rows = math.ceil(named / columns) if named else 0
        fig = Figure(figsize=(FIGSIZE[0], FIGSIZE[1] + rows * LEGEND_ROW), layout="constrained")
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        _draw(ax, chart, chart.log_y, lang)
        xs = [v for series in chart.series for v in _finite(series.x) if not math.isnan(v)]
        if chart.x_ticks:  # named bars (e.g. memory components) instead of 0 1 2 3
            names = _text(chart.x_ticks, lang) or []
            positions = sorted({v for v in xs if not math.isnan(v)})[: len(names)]
            ax.set_xticks(positions, names[: len(positions)])
        elif xs and all(v.is_integer() for v in xs):  # layer numbers, steps, batch sizes: no 2.5 ticks
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        # parse_math=False: a "$" in a label is a dollar sign, not TeX.
        ax.set_title(title, parse_math=False)
        ax.set_xlabel(_text(chart.x_label, lang), parse_math=False)
        ax.set_ylabel(_text(chart.y_label, lang), parse_math=False)
        if chart.log_y:
            ax.set_yscale("log")
            # Plain-text tick labels (10⁻³): matplotlib's default uses mathtext, which
            # costs ~100 ms per chart to lay out. No minor ticks: over many decades they
            # are hundreds of tick objects for marks no one reads.
            ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
            ax.yaxis.set_minor_locator(NullLocator())
        if named:  # under the axes, in columns: the lines and bars stay uncovered
            fig.legend(loc="outside lower center", ncols=columns, handlelength=1.8, columnspacing=1.2)
        buf = io.StringIO()
        fig.savefig(
            buf,
            format="svg",
            metadata={"Title": title, "Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return _responsive(buf.getvalue(), title)


def render_all(charts: Iterable[Chart | Mapping[str, Any]], lang: str) -> list[str]:
    return [render(chart, lang) for chart in charts]


def as_chart(chart: Chart | Mapping[str, Any]) -> Chart:
    """Accept the dataclass or its `asdict` form (what the cache and the API hold)."""
    if isinstance(chart, Chart):
        return chart
    series = [s if isinstance(s, Series) else Series(**s) for s in chart["series"]]
    return Chart(**{**chart, "series": series})


def _draw(ax, chart: Chart, log_y: bool, lang: str) -> None:
    series = [(_text(s.name, lang), _finite(s.x), _finite(s.y)) for s in chart.series]
    if chart.kind == "line":
        for (name, x, y), source in zip(series, chart.series):
            if source.highlight:
                ax.plot(x, y, label=_label(name), linewidth=2.2, linestyle=(0, (4, 3)), color="black", zorder=3,
                        marker="o", markersize=7, markerfacecolor="none", markevery=max(1, len(x) // 20))
            else:
                ax.plot(x, y, label=_label(name), linewidth=1.6, marker="o" if len(x) <= 20 else None,
                        markersize=3.5)
    elif chart.kind == "scatter":
        for name, x, y in series:
            ax.scatter(x, y, s=10, alpha=0.8, label=_label(name), linewidths=0)
    elif chart.kind == "bar":
        # Series that share their x positions are drawn side by side; others in place.
        grouped = len(series) > 1 and all(x == series[0][1] for _, x, _ in series)
        width = 0.8 / len(series) if grouped else 0.8
        positive = [v for _, _, y in series for v in y if v > 0]
        # On a log axis bars rise from the decade below the smallest value (0 has no log).
        base = 10.0 ** math.floor(math.log10(min(positive))) if log_y and positive else 0.0
        for i, (name, x, y) in enumerate(series):
            shift = (i - (len(series) - 1) / 2) * width if grouped else 0.0
            _bars(ax, [v + shift for v in x], y, width, base, log_y, color=f"C{i}", label=_label(name))
    else:
        raise ValueError(f"unknown chart kind {chart.kind!r}")


def _bars(ax, x: list[float], y: list[float], width: float, base: float, log_y: bool, **style) -> None:
    """All bars of a series as one compound path: one SVG element instead of one per bar."""
    vertices, codes = [], []
    for left, top in zip(x, y):
        if math.isnan(left) or math.isnan(top) or (log_y and top <= 0):
            continue
        left -= width / 2
        vertices += [(left, base), (left, top), (left + width, top), (left + width, base), (left, base)]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    if not vertices:
        return
    patch = PathPatch(Path(vertices, codes), linewidth=0, **style)
    patch.sticky_edges.y.append(base)  # like ax.bar: the axis starts at the bars' base, no margin below
    ax.add_patch(patch)
    ax.autoscale_view()


def _finite(values: list[Any]) -> list[float]:
    """Floats, with anything missing or non-finite as NaN (a gap), at most MAX_POINTS."""
    out = []
    for v in values[:MAX_POINTS]:
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = math.nan
        out.append(f if math.isfinite(f) else math.nan)
    return out


def _label(name: str) -> str | None:
    return name.replace("$", r"\$") if name else None


def _power_of_ten(value: float, _pos: int) -> str:
    if value <= 0:
        return ""
    exponent = math.log10(value)
    if abs(exponent - round(exponent)) < 1e-9:
        exponent = round(exponent)
        return "1" if exponent == 0 else "10" if exponent == 1 else "10" + str(exponent).translate(_SUPERSCRIPT)
    return f"{value:g}"


def _text(labels: Mapping[str, Any] | str, lang: str) -> Any:
    if isinstance(labels, str):
        return labels
    return labels.get(lang) or labels.get("en") or labels.get("ko") or ""


def _responsive(svg: str, title: str) -> str:
    svg = _PROLOG.sub("", svg, count=1)
    svg = _METADATA.sub("", svg, count=1)  # Dublin Core/RDF block: external namespace URLs, no use here
    head_end = svg.index(">")
    head = _SIZE_ATTR.sub("", svg[:head_end])
    head += f' class="demo-chart" role="img" aria-label="{escape(title, quote=True)}"'
    body = svg[head_end:]
    # matplotlib's stylesheet uses a bare `*` selector; inlined in a page it would
    # reach every other SVG there, so keep it inside this chart.
    body = body.replace("*{stroke-linejoin", ".demo-chart *{stroke-linejoin", 1)
    body = _GEOMETRY.sub(_compact_attr, body)
    body = re.sub(r">\s+<", "><", body)  # indentation between elements; text content is untouched
    return head + body.strip() + "\n"


def _compact_attr(match: re.Match) -> str:
    value = _NEWLINES.sub(" ", _LONG_DECIMAL.sub(r"\1", match.group(2))).strip()
    return f' {match.group(1)}="{value}"'
