"""What a demo returns: plain data that the page, the API and the admin all show."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Mapping


#: A text shown to a learner: {"ko": ..., "en": ...}. A plain str is allowed only for
#: what reads the same in both languages (a formula, a technical term such as "Adam").
Text = str | dict[str, str]


@dataclass(frozen=True)
class Series:
    name: Text  # the legend entry, in both languages where words differ
    x: list[float]
    y: list[float]
    #: drawn dashed with hollow markers, on top: a series that may repeat another (a learner's
    #: own choice next to the comparison runs) stays visible where the two coincide
    highlight: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart described as data; `sandbox.charts` renders it to SVG."""

    kind: Literal["line", "bar", "scatter"]
    title: dict[str, str]  # {"ko": ..., "en": ...}
    x_label: dict[str, str]
    y_label: dict[str, str]
    series: list[Series]
    log_y: bool = False
    #: tick labels for the x positions of a bar chart ({"ko": [...], "en": [...]}), in x order
    x_ticks: dict[str, list[str]] | None = None


@dataclass(frozen=True)
class Table:
    columns: list[Text]
    rows: list[list[Any]]


@dataclass(frozen=True)
class DemoResult:
    """Named scalar `values` (explanations quote these), tables, and charts.

    `values` keys are dotted names such as "first_layer_grad.sigmoid"; every value
    is a JSON number, string or bool.
    """

    values: dict[str, Any]
    charts: list[Chart] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)  # one sentence per language

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def pick(text: Text, lang: str) -> str:
    """A Text in one language (a plain str reads the same in both)."""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("en") or text.get("ko") or ""


def localized_tables(tables: Mapping[str, Any], lang: str) -> dict[str, dict[str, Any]]:
    """Tables (dataclasses or their dict form) with their column headings in one language."""
    out = {}
    for name, table in tables.items():
        table = asdict(table) if isinstance(table, Table) else table
        out[name] = {**table, "columns": [pick(column, lang) for column in table["columns"]]}
    return out
