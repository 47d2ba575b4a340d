"""Typo correction: a query word no card uses is replaced by the closest one that is, when
close enough (rapidfuzz): Latin words letter by letter, Korean words jamo by jamo."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from concepts.search.model import CardText
from concepts.search.terms import HANGUL, RUN, STOPWORDS_KO, jamo, latin_words, normalize, strip_suffix, vocabulary


class TypoCorrection:
    """Mixed into `SearchIndex`: `_learn_words` once the cards are known, then `correct` per query."""

    def _learn_words(self, cards: list[CardText], known: set[str]) -> None:
        """The words typos are corrected to: `known`, every Latin word the cards use; the Korean
        words (particles cut) they use; and the words of their names, preferred."""
        korean = self.config.korean
        self._known = frozenset(known)
        self._vocabulary = sorted(w for w in known if len(w) > 3)
        self._short_words = [w for w in self._vocabulary if len(w) <= 7]
        # Korean words (particles cut) the cards use, and those of their names, for Korean typos
        korean_words = lambda text: {strip_suffix(run) for run in HANGUL.findall(normalize(text))}  # noqa: E731
        self._korean_known = frozenset().union(*(korean_words("\n".join(
            [c.core, c.body, c.background, *(t for _, t in c.questions)])) for c in cards))
        self._korean_core = sorted(w for w in set().union(*(korean_words("\n".join((c.core, *c.phrases)))
                                                             for c in cards)) if len(w) >= 3)
        self._korean_jamo = [jamo(w) for w in self._korean_core]
        core_words = set().union(*(vocabulary("\n".join((c.core, *c.phrases)), korean)[1] for c in cards))
        self._core_vocabulary = sorted(w for w in core_words if len(w) > 3)
        self._core_short = [w for w in self._core_vocabulary if len(w) <= 7]

    def correct(self, query: str) -> str:
        """The query with each word no card uses replaced by the closest one that is, if close:
        Latin words letter by letter, Korean words jamo by jamo ("역전퍄" -> "역전파")."""
        replaced = {}
        for run in set(HANGUL.findall(normalize(query))):
            stem = strip_suffix(run)
            if len(stem) < 3 or stem in self._korean_known or stem in STOPWORDS_KO:
                continue
            match = process.extractOne(jamo(stem), self._korean_jamo, scorer=fuzz.ratio,
                                       score_cutoff=self.config.korean_typo_similarity)
            if match:
                replaced[run] = self._korean_core[match[2]] + run[len(stem):]
        words = latin_words(query)
        # a word that, joined to its neighbour, is a word the cards use ("rms prop" -> rmsprop) is no typo
        joined = {w for a, b in zip(words, words[1:]) if a + b in self._known for w in (a, b)}
        for word in set(words):
            if word in self._known or word in joined or len(word) < 4:
                continue
            # the names cards go by first ("swich" is "swish" before "switch"), then every word
            for vocabulary, short in ((self._core_vocabulary, self._core_short), (self._vocabulary, self._short_words)):
                match = self._closest(word, vocabulary, short)
                if match:
                    replaced[word] = match
                    break
        if not replaced:
            return query
        return RUN.sub(lambda m: replaced.get(m.group(), m.group()), normalize(query))

    def _closest(self, word: str, vocabulary: list[str], short: list[str]) -> str | None:
        cutoff = self.config.typo_similarity if len(word) > 5 else max(self.config.typo_similarity, 85.0)
        match = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
        if not match and len(word) <= 6:
            # short words: one swap of adjacent letters or one other edit ("adma", "ltsm", "swich")
            match = process.extractOne(word, short, scorer=OSA.distance, score_cutoff=1)
        return match[0] if match else None
