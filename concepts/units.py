"""Units of numeric answers as a Korean reader sees them.

Content gives each numeric question one unit, written in English ("layers", "samples", "pp"). Units
that are technical terms or symbols (MB, GiB, px, params, nats, logit, std, ×, %) read the same in
a Korean page; the ones that are plain English words get their Korean form here, so that a Korean
page says "10개 층", not "10 layers". A learner may answer in either language's unit ("10 layers",
"10개 층", "10층", "10개"); grading accepts them all (`accepted_keys`).
"""

from __future__ import annotations

import re
import unicodedata

#: English unit word -> what follows the number in Korean (a counter first where Korean uses one)
KOREAN: dict[str, str] = {
    "layers": "개 층",
    "units": "개 유닛",
    "samples": "개 샘플",
    "images": "장",
    "positions": "개 위치",
    "paths": "개 경로",
    "pairs": "쌍",
    "dims": "차원",
    "updates": "번 업데이트",
    "iterations": "번 반복",
    "trainings": "번 학습",
    "trials": "번 시행",
    "epoch": "에포크",
    "epochs": "에포크",
    "pp": "%p",  # percentage points: Korean writes %p
}
#: Korean forms that attach to the number without a space ("10개 층", "5%p", "80장")
_ATTACHED = ("개", "번", "장", "쌍", "차원", "%")


def key(unit: str) -> str:
    """A unit as compared when grading: width, case and spaces do not count."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", unit)).casefold()


def label(unit: str, lang: str) -> str:
    """`unit` as shown in `lang` ("" stays "")."""
    return KOREAN.get(unit.strip().casefold(), unit) if lang == "ko" else unit


def with_value(number: str, unit: str, lang: str) -> str:
    """ "4 MB", "2.5×", "10개 층": a number and its unit in `lang`."""
    shown = label(unit, lang)
    if not shown:
        return number
    attached = shown.startswith("×") or (lang == "ko" and shown.startswith(_ATTACHED))
    return f"{number}{'' if attached else ' '}{shown}"


def accepted_keys(unit: str) -> set[str]:
    """The units a learner may answer with: the English one, its Korean form, and each word of that
    form ("층" and "개" for "개 층")."""
    keys = {key(unit)}
    korean = KOREAN.get(unit.strip().casefold())
    if korean:
        keys |= {key(korean), *(key(word) for word in korean.split())}
    return keys
