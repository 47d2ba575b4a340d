"""Broad questions ("옵티마이저 종류", "list the variants of RNN", "SGD, RMSprop, Adam을 비교해
보세요") are answered by a family of cards (fixtures/search/families.yaml), the overview card
first, then the others in the order one would explain them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from concepts.search.terms import analyze, normalize

# -- families: broad questions ("optimizers", "RNN 종류", "SGD, RMSprop, Adam 비교") --------------

FAMILIES_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "search" / "families.yaml"
#: words by which a question asks for a family at once rather than one of its members
BROAD_MARKERS = re.compile(
    r"종류|비교|나열|아는 대로|아는대로|전반|정리|어떤 것들|뭐가 있|무엇이 있|어떤 게 있|계열|변형들|"
    r"\blist\b|\btypes?\b|\bkinds?\b|\bvariants?\b|\bcompar|\boverview\b|\bfamil|\bsummar|\bare there\b")


#: a question about why is about one thing, not a family ("why use ReLU instead of sigmoid")
WHY = re.compile(r"왜|이유|필요|\bwhy\b|\bneed")


@dataclass(frozen=True)
class Family:
    """Cards that together answer a broad question, in the order one would explain them;
    the overview card, when it exists, comes first."""

    slug: str
    names: tuple[str, ...]
    cards: tuple[str, ...]
    overview: str | None = None


def load_families(path: Path = FAMILIES_FILE) -> list[Family]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [Family(slug=slug, names=tuple(entry.get("ko", []) + entry.get("en", [])), cards=tuple(entry["cards"]),
                   overview=entry.get("overview")) for slug, entry in data.items()]


class FamilyMatching:
    """What `SearchIndex` knows of families: which family a broad question asks about, and
    when an overview card must give the first place to the card a query names. Reads the
    index's `families`, `cards`, `config`, `_phrases`, `idf` and `_share`."""

    def named(self, members: list[int], query_terms: frozenset) -> list[int]:
        """The cards among `members` that the query names by one of their names, except a card whose
        name only combines others' ("why relu over sigmoid" when "sigmoid" and "relu" are named too)."""
        found = {}
        for i in members:
            matched = [p for p in self._phrases[i] if p <= query_terms]
            if matched:
                found[i] = max(matched, key=len)
        return [i for i, phrase in found.items()
                if not phrase <= frozenset().union(*(other for j, other in found.items() if j != i and other < phrase))]

    def _member_before_overview(self, query: str, ranked: list[int], query_terms: frozenset) -> list[int]:
        """An overview card does not come first when the query names one of its family's cards
        and asks for no overview ("Adam 옵티마이저 설명해 주세요" is about Adam)."""
        first = ranked[0]
        for family, names, members in self.families:
            if family.overview and self.cards[first].slug == family.overview:
                if BROAD_MARKERS.search(normalize(query)):
                    return ranked
                specific = [i for i in self.named(members, query_terms) if i != first and not any(
                    max((p for p in self._phrases[i] if p <= query_terms), key=len) <= name for name in names)]
                best = next((i for i in ranked if i in specific), None)
                if best is not None:
                    return [best] + [i for i in ranked if i != best]
        return ranked

    def broad(self, query: str, query_terms: frozenset, unique_terms: list[str]) -> tuple[Family, list[int]] | None:
        """The family a broad question asks about and the cards that answer it, or None.
        Broad: the query names a family ("optimizers", "손실 함수") and little else, or says it wants
        an overview ("종류", "compare", "list"); or it names three or more of one family's cards."""
        if not self.families:
            return None
        markers = BROAD_MARKERS.findall(normalize(query))
        wants_overview = bool(markers)
        if not wants_overview and WHY.search(normalize(query)):
            return None  # "활성화 함수를 왜 쓰나요?" asks one thing about the family
        # the words that ask for an overview are not "something else" the query asks about
        asked = set(analyze(" ".join(markers), self.config.korean)[0])
        weights = {t: self.idf(t) for t in unique_terms if t not in asked}
        weight = sum(weights.values())
        best = None
        for family, names, members in self.families:
            named = self.named(members, query_terms)
            phrases = {i: max((p for p in self._phrases[i] if p <= query_terms), key=len) for i in named}
            for name in names:
                # "Adam 옵티마이저" asks about Adam, "optimizers" about the family (Adam's alias
                # "which optimizer" says no more than the family's name)
                specific = [i for i in named if not phrases[i] <= name]
                if name <= query_terms and (wants_overview or not specific):
                    residual = 1.0 - self._share(name, weights, weight)
                    limit = self.config.broad_residual_marked if wants_overview else self.config.broad_residual
                    if residual <= limit and (
                            best is None or residual < best[0]):
                        best = (residual, family, members)
            if len(set(phrases.values())) >= 3 and (best is None or best[0] > 0):
                best = (0.0, family, named)
        return (best[1], best[2]) if best else None
