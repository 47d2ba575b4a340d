"""Every demo's chart titles, axes, legends, tick names, table headings and summary read in Korean in Korean.

Each text a learner sees is a {ko, en} pair, or a plain string that reads the same in both
(a formula, a technical term); a Korean text has no English words beyond technical terms.
"""

import pytest

from sandbox import registry
from sandbox.result import pick
from tests.english_words import english_words


def korean_texts(result) -> list[str]:
    texts = [result.summary.get("ko", "")]
    for chart in result.charts:
        texts += [pick(chart.title, "ko"), pick(chart.x_label, "ko"), pick(chart.y_label, "ko")]
        texts += [pick(s.name, "ko") for s in chart.series]
        if chart.x_ticks:
            texts += pick(chart.x_ticks, "ko")
    for table in result.tables.values():
        texts += [pick(c, "ko") for c in table.columns]
    return texts


@pytest.mark.parametrize("key", sorted(registry.DEMOS))
def test_a_demo_speaks_korean_in_korean(key):
    demo = registry.get(key)
    params, errors = registry.validated_params(key, {})
    assert not errors
    result = demo.run(params, seed=0)
    leaks = {text: english_words(text) for text in korean_texts(result) if english_words(text)}
    assert leaks == {}
    assert result.summary["ko"] != result.summary["en"]
