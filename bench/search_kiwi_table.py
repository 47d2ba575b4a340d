"""Could a stem table built on write replace Kiwi at read time? (measurement only, nothing shipped)

    .venv/bin/python bench/search_kiwi_table.py

Kiwi (kiwipiepy) adds about 300 MB to a process's memory the first time it analyses Korean.
The index itself only needs Kiwi's stems of the words the cards use, which could be computed
when content is written and stored; a query, though, may use words no card uses. This script
builds that table (every Korean word of the cards, their names and the family names, as Kiwi
stems it), then answers the *tune* half of bench/search_eval_v2.yaml and the old set's tune
cases twice: with Kiwi, and with the table alone (a word not in it: its particle or ending cut
by the hand-written rules, looked up again, else character bigrams as the "bigram" tokenizer
does; "table+prefix" also tries the longest start of the word the table knows), Kiwi made
unreachable. It prints both sets of figures, how many answers differ, and the
memory each way. The test half is never read.
"""

from __future__ import annotations

import sys

from search_eval import EVAL_FILE, EVAL_V2_FILE, figures, line, load_cases, run, setup_database


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for entry in status:
            if entry.startswith("VmRSS"):
                return int(entry.split()[1]) / 1024
    return 0.0


def main() -> int:
    setup_database()
    from concepts import search
    from concepts.search import morphology, terms

    before = rss_mib()
    index = search.current_index()  # kiwi-bigram, as committed
    with_kiwi = rss_mib()
    korean = index.config.korean
    sets = {"v2 tune": [c for c in load_cases(EVAL_V2_FILE) if c["split"] == "tune"],
            "old tune": [c for c in load_cases(EVAL_FILE) if c["split"] == "tune"]}
    kiwi_runs = {name: run(cases, index) for name, cases in sets.items()}

    words: set[str] = set()
    texts = [t for c in index.cards for t in (c.core, c.body, c.background, *c.phrases, *(q for _, q in c.questions))]
    texts += [name for family in search.load_families() for name in family.names]
    for text in texts:
        words |= set(terms.HANGUL.findall(terms.normalize(text)))
    original = terms._hangul
    table = {word: original(word, korean) for word in words}

    def from_table(word: str, tokenizer: str = "bigram", prefix: bool = False) -> tuple[str, ...]:
        if tokenizer != korean:
            return original(word, tokenizer)
        if word in terms.STOPWORDS_KO:
            return ()
        if word in table:
            return table[word]
        stem = terms.strip_suffix(word)
        if stem in table:
            return table[stem]
        if prefix:  # the longest start of the word the cards use ("쌓으면" -> "쌓"), the rest dropped
            for end in range(len(stem) - 1, 1, -1):
                if stem[:end] in table and table[stem[:end]]:
                    return table[stem[:end]]
        return terms._bigrams(stem)

    def no_kiwi(words):
        raise RuntimeError("Kiwi was called although the table should answer")

    analyse = morphology._analyse
    morphology._analyse = no_kiwi
    try:
        terms._hangul = from_table
        table_runs = {name: run(cases, index) for name, cases in sets.items()}
        terms._hangul = lambda word, tokenizer="bigram": from_table(word, tokenizer, prefix=True)
        prefix_runs = {name: run(cases, index) for name, cases in sets.items()}
    finally:
        terms._hangul, morphology._analyse = original, analyse
    print(f"table: {len(table)} Korean words of the cards; RSS {before:.0f} MiB before the index, "
          f"{with_kiwi:.0f} MiB with the index built through Kiwi (Kiwi's share measured alone: "
          f"python -c 'from concepts.search import analyser; analyser.build_kiwi()')")
    for name in sets:
        print(line(f"{name} kiwi", figures(kiwi_runs[name])))
        for kind, runs in (("table", table_runs), ("table+prefix", prefix_runs)):
            print(line(f"{name} {kind}", figures(runs[name])))
            differ = sum((a.slugs[:3], a.covered) != (b.slugs[:3], b.covered)
                         for a, b in zip(kiwi_runs[name], runs[name]))
            print(f"  {name}, {kind}: {differ} of {len(sets[name])} answers differ from Kiwi's in covered or top 3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
