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

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class Param:
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
            raise ValueError("must be true or false")
        if self.kind == "choice":
            if not isinstance(raw, str) or raw not in self.choices:
                raise ValueError(f"must be one of: {', '.join(self.choices)}")
            return raw
        if isinstance(raw, bool):  # bool is an int in Python; never accept it as a number
            raise ValueError(f"must be {'an integer' if self.kind == 'int' else 'a number'}")
        if self.kind == "int":
            value = self._int(raw)
        else:
            value = self._float(raw)
        if self.min is not None and value < self.min:
            raise ValueError(f"must be at least {_fmt(self.min)} (got {_fmt(value)})")
        if self.max is not None and value > self.max:
            raise ValueError(f"must be at most {_fmt(self.max)} (got {_fmt(value)})")
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
        raise ValueError("must be an integer")

    @staticmethod
    def _float(raw: Any) -> float:
        if isinstance(raw, (int, float)):
            value = float(raw)
        elif isinstance(raw, str):
            try:
                value = float(raw.strip())
            except ValueError:
                raise ValueError("must be a number") from None
        else:
            raise ValueError("must be a number")
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
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
            errors[name] = f"unknown parameter; expected one of: {', '.join(known)}"
    for p in params:
        if p.name not in raw or raw[p.name] is None or raw[p.name] == "":
            values[p.name] = p.default
            continue
        try:
            values[p.name] = p.coerce(raw[p.name])
        except ValueError as exc:
            errors[p.name] = str(exc)
    return values, errors
