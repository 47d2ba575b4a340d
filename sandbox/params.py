"""Demo parameters declared as data.

A demo lists its parameters as `Param` objects; the runner, the API serializer,
the web form and the admin preview are all built from that one declaration.
Values arrive as JSON types (API body, fixtures) or as strings (query strings,
HTML forms); `validate` turns both into typed values or per-field messages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

Kind = Literal["int", "float", "bool", "choice"]

#: Every message a learner can get back for a bad value, in both languages; the active
#: language (the page's, or the API request's) picks one.
MESSAGES = {
    "bool": {"ko": "true 또는 false여야 합니다", "en": "must be true or false"},
    "choice": {"ko": "다음 중 하나여야 합니다: {choices}", "en": "must be one of: {choices}"},
    "int": {"ko": "정수여야 합니다", "en": "must be an integer"},
    "number": {"ko": "숫자여야 합니다", "en": "must be a number"},
    "finite": {"ko": "유한한 숫자여야 합니다", "en": "must be a finite number"},
    "min": {"ko": "{limit} 이상이어야 합니다 (입력값 {value})", "en": "must be at least {limit} (got {value})"},
    "max": {"ko": "{limit} 이하여야 합니다 (입력값 {value})", "en": "must be at most {limit} (got {value})"},
    "unknown": {"ko": "알 수 없는 매개변수입니다. 가능한 이름: {names}",
                "en": "unknown parameter; expected one of: {names}"},
}


def message(key: str, **values: Any) -> str:
    """MESSAGES[key] in the active language (English outside a Korean request)."""
    from django.utils.translation import get_language

    lang = "ko" if (get_language() or "").startswith("ko") else "en"
    return MESSAGES[key][lang].format(**values)

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True, kw_only=True)
class Param:
    """One parameter of a demo, by keyword: `Param(name=..., kind=..., default=..., label_ko=..., ...)`."""

    name: str
    kind: Kind
    default: Any
    label_ko: str
    label_en: str
    help_ko: str
    help_en: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)

    def label(self, lang: str) -> str:
        return self.label_ko if lang == "ko" else self.label_en

    def help(self, lang: str) -> str:
        return self.help_ko if lang == "ko" else self.help_en

    def as_schema(self) -> dict[str, Any]:
        """JSON description for the API and the admin."""
        schema: dict[str, Any] = {
            "name": self.name,
            "type": self.kind,
            "default": self.default,
            "label": {"ko": self.label_ko, "en": self.label_en},
            "help": {"ko": self.help_ko, "en": self.help_en},
        }
        if self.min is not None:
            schema["min"] = self.min
        if self.max is not None:
            schema["max"] = self.max
        if self.choices:
            schema["choices"] = list(self.choices)
        return schema

    def coerce(self, raw: Any) -> Any:
        """The typed value, or ValueError with a message that names the problem."""
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
                return raw.strip().lower() in _TRUE
            raise ValueError(message("bool"))
        if self.kind == "choice":
            if not isinstance(raw, str) or raw not in self.choices:
                raise ValueError(message("choice", choices=", ".join(self.choices)))
            return raw
        if isinstance(raw, bool):  # bool is an int in Python; never accept it as a number
            raise ValueError(message("int" if self.kind == "int" else "number"))
        if self.kind == "int":
            value = self._int(raw)
        else:
            value = self._float(raw)
        if self.min is not None and value < self.min:
            raise ValueError(message("min", limit=_fmt(self.min), value=_fmt(value)))
        if self.max is not None and value > self.max:
            raise ValueError(message("max", limit=_fmt(self.max), value=_fmt(value)))
        return value

    @staticmethod
    def _int(raw: Any) -> int:
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
        raise ValueError(message("int"))

    @staticmethod
    def _float(raw: Any) -> float:
        if isinstance(raw, (int, float)):
            value = float(raw)
        elif isinstance(raw, str):
            try:
                value = float(raw.strip())
            except ValueError:
                raise ValueError(message("number")) from None
        else:
            raise ValueError(message("number"))
        if not math.isfinite(value):
            raise ValueError(message("finite"))
        return value


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def validate(params: tuple[Param, ...], raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values for every parameter (defaults filled in) and messages per bad field.

    Unknown names are errors too: a typo must not silently run the default.
    """
    known = {p.name: p for p in params}
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in raw:
        if name not in known:
            errors[name] = message("unknown", names=", ".join(known))
    for p in params:
        if p.name not in raw or raw[p.name] is None or raw[p.name] == "":
            values[p.name] = p.default
            continue
        try:
            values[p.name] = p.coerce(raw[p.name])
        except ValueError as exc:
            errors[p.name] = str(exc)
    return values, errors
