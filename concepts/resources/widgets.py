"""Import-export widgets for content columns: strict about what they accept, so a typo is a message, not a guess."""

from __future__ import annotations

import json

from import_export import widgets


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key by slug; an unknown slug is a field error naming it."""

    def __init__(self, model, label: str):
        super().__init__(model, "slug")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if not value:
            return None
        try:
            return self.model.objects.get(slug=value)
        except self.model.DoesNotExist:
            raise ValueError(f"There is no {self.label} with the slug {value!r}.") from None


class StrictBooleanWidget(widgets.BooleanWidget):
    """true/false, 1/0 or empty (unknown); anything else is refused rather than read as false."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool) or value is None:
            return value
        text = str(value).strip().lower()
        if text in ("", "null", "none"):
            return None
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise ValueError(f"Use true or false (or 1 / 0), not {value!r}.")


class IntegerWidget(widgets.IntegerWidget):
    """Whole numbers; anything else is a field message (the library's Decimal error would be a crash)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"Must be a whole number, not {value!r}.") from None
        if not number.is_integer():
            raise ValueError(f"Must be a whole number, not {value!r}.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(int(value))


class FloatWidget(widgets.FloatWidget):
    """Numbers read with a plain '.' and written exactly (repr), whatever the active locale."""

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"Must be a number, not {value!r}.") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else repr(float(value))


class TextListWidget(widgets.Widget):
    """A list of texts: a JSON array in CSV (`["a", "b"]`), an array in JSON; empty means []."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return []
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ValueError('Must be a JSON list of texts, e.g. ["first", "second"].') from None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError('Must be a JSON list of texts, e.g. ["first", "second"].')
        return [item.strip() for item in value]

    def render(self, value, obj=None, **kwargs):
        return json.dumps(list(value or []), ensure_ascii=False)


class JSONObjectWidget(widgets.Widget):
    """A JSON object (demo parameters); empty means {}."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return {}
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ValueError('Must be a JSON object, e.g. {"layers": 10}.') from None
        if not isinstance(value, dict):
            raise ValueError('Must be a JSON object, e.g. {"layers": 10}.')
        return value

    def render(self, value, obj=None, **kwargs):
        return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)


def cell(row, column) -> str:
    """A row's cell as stripped text ("" when missing or empty)."""
    value = row.get(column)
    return "" if value is None else str(value).strip()
