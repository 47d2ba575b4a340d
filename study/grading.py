"""Grading a learner's answer to a question, for every question kind.

Pure functions over a question and its prefetched choices / accepted answers; the
API and the web pages call `grade` and show what it returns.

Rules:
- single choice and true/false: right or wrong.
- multiple select: correct only when the selected set equals the correct set;
  partial credit = max(0, (right picks - wrong picks) / number of right choices),
  so guessing everything earns nothing.
- numeric: |answer - value| <= tolerance, in the question's unit. A unit may be
  omitted; a unit that is given must be the question's unit (case- and
  space-insensitive), otherwise the answer is wrong and the feedback says why.
- short answer: matches an accepted answer in either language after Unicode NFKC
  (full-width to half-width), case folding, and removing whitespace and edge
  punctuation ("기울기소실" = "기울기 소실", "Vanishing  Gradient." = "vanishing gradient").
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from concepts import units
from concepts.validation import normalize_text

_NUMBER_WITH_UNIT = re.compile(r"^\s*([-+]?(?:\d[\d,_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
_TRUE = {"true", "t", "yes", "y", "o", "1", "참", "맞다", "맞음", "예", "네"}
_FALSE = {"false", "f", "no", "n", "x", "0", "거짓", "틀리다", "틀림", "아니오", "아니요"}


class AnswerInvalid(ValueError):
    """The response cannot be graded as given (wrong shape for the kind); the message says why."""


@dataclass(frozen=True)
class Grade:
    correct: bool
    score: float  # 0..1
    expected: dict[str, Any]  # the right answer, for display
    feedback: str = ""  # machine-readable reason, e.g. "unit_mismatch"


def parse_numeric(raw: Any) -> tuple[float, str]:
    """A number and an optional unit from `4`, `"4"`, `"4 MB"`, `"1,000"`, `"1e6 params"`."""
    if isinstance(raw, bool):
        raise AnswerInvalid(_("Enter a number."))
    if isinstance(raw, (int, float)):
        value, unit = float(raw), ""
    elif isinstance(raw, str):
        match = _NUMBER_WITH_UNIT.match(unicodedata.normalize("NFKC", raw))
        if not match:
            raise AnswerInvalid(_("Enter a number, optionally followed by its unit (e.g. 4 MB)."))
        try:
            value = float(match.group(1).replace(",", "").replace("_", ""))
        except ValueError:
            raise AnswerInvalid(_("Enter a number, optionally followed by its unit (e.g. 4 MB).")) from None
        unit = match.group(2)
    else:
        raise AnswerInvalid(_("Enter a number."))
    if not math.isfinite(value):
        raise AnswerInvalid(_("Enter a finite number."))
    return value, unit


def _choice_ids(question) -> set[int]:
    return {c.pk for c in question.choices.all()}


def grade(question, response: Any) -> Grade:
    """Grade `response` for `question`; raises AnswerInvalid for a response of the wrong shape."""
    kind = question.kind
    if kind == "single":
        if isinstance(response, bool) or not isinstance(response, int) or response not in _choice_ids(question):
            raise AnswerInvalid(_("Choose one of the question's choices (a choice id)."))
        right = next(c.pk for c in question.choices.all() if c.is_correct)
        return Grade(response == right, float(response == right), {"choice": right})

    if kind == "multiple":
        if not isinstance(response, list) or not all(isinstance(r, int) and not isinstance(r, bool) for r in response):
            raise AnswerInvalid(_("Send a list of choice ids."))
        picked = set(response)
        if len(picked) != len(response):
            raise AnswerInvalid(_("A choice is listed twice."))
        if not picked:
            raise AnswerInvalid(_("Choose at least one choice."))
        unknown = picked - _choice_ids(question)
        if unknown:
            raise AnswerInvalid(_("Unknown choice id(s): %(ids)s.") % {"ids": sorted(unknown)})
        right = {c.pk for c in question.choices.all() if c.is_correct}
        score = max(0.0, (len(picked & right) - len(picked - right)) / len(right))
        return Grade(picked == right, round(score, 4), {"choices": sorted(right)})

    if kind == "true_false":
        if isinstance(response, str):
            key = normalize_text(response)
            if key in _TRUE:
                response = True
            elif key in _FALSE:
                response = False
        if not isinstance(response, bool):
            raise AnswerInvalid(_("Answer true or false."))
        ok = response == question.answer_bool
        return Grade(ok, float(ok), {"answer": question.answer_bool})

    if kind == "numeric":
        value, unit = parse_numeric(response)
        expected = {"value": question.numeric_value, "tolerance": question.numeric_tolerance,
                    "unit": question.numeric_unit}
        if unit and units.key(unit) not in units.accepted_keys(question.numeric_unit):  # "10 layers" or "10개 층"
            return Grade(False, 0.0, expected, "unit_mismatch")
        # A small relative slack absorbs float rounding in answers like 0.1 + 0.2.
        ok = abs(value - question.numeric_value) <= question.numeric_tolerance + 1e-9 * max(1.0, abs(question.numeric_value))
        return Grade(ok, float(ok), expected)

    if kind == "short":
        if not isinstance(response, str) or not normalize_text(response):
            raise AnswerInvalid(_("Type an answer."))
        given = normalize_text(response)
        accepted = list(question.accepted_answers.all())
        ok = any(given == normalize_text(a.text) for a in accepted)
        return Grade(ok, float(ok), {"accepted": {lang: [a.text for a in accepted if a.language == lang]
                                                  for lang in ("ko", "en")}})

    raise AnswerInvalid(f"Questions of kind {kind!r} cannot be graded.")
