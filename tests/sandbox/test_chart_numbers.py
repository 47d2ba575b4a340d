"""What the demo charts show: named bars, a chosen run that stays visible, a progress page with honest bars."""

import re

import pytest
from django.urls import reverse

from sandbox import charts, registry
from sandbox.demos import gpu_memory, optimizers, vanishing_gradients


def defaults(key):
    return registry.validated_params(key, {})[0]


def tick_texts(svg):
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize(("lang", "names"), [
    ("ko", ["파라미터", "그래디언트", "옵티마이저", "상태", "활성값", "구성 요소"]),
    ("en", ["parameters", "gradients", "optimizer", "state", "activations", "component"]),
])
def test_the_gpu_memory_bars_are_named_by_component(lang, names):
    chart = gpu_memory.run(defaults("gpu-memory")).charts[0]
    texts = tick_texts(charts.render(chart, lang))
    assert texts[:6] == names  # the x ticks (two lines for "optimizer state"), then the axis label: no 0 1 2 3


def test_the_chosen_run_is_drawn_dashed_on_top_of_the_run_it_repeats():
    result = vanishing_gradients.run(defaults("vanishing-gradients"))
    chosen = [s for s in result.charts[0].series if s.highlight]
    assert len(chosen) == 1 and chosen[0].name["ko"].startswith("선택:")
    svg = charts.render(result.charts[0], "ko")
    assert "stroke-dasharray: 8.8,6.6" in svg and "선택: sigmoid (xavier)" in tick_texts(svg)


def test_the_optimizer_summary_explains_adagrads_tiny_loss():
    result = optimizers.run(defaults("optimizers"))
    assert result.values["final_loss.adagrad"] < 1e-100
    assert "곡률 차이를 정확히 상쇄" in result.summary["ko"] and "cancels the difference in curvature" in result.summary["en"]
    rosenbrock = optimizers.run({**defaults("optimizers"), "surface": "rosenbrock"})
    assert "AdaGrad ends lowest" not in rosenbrock.summary["en"]


@pytest.mark.django_db
def test_the_progress_page_draws_no_bar_for_a_day_without_reviews_and_labels_dates(client, alice):
    client.force_login(alice)
    page = client.get(reverse("concepts:progress"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'class="col" style' not in page  # every day is empty: no bar has a height
    assert page.count('<span class="col"') == 30 + 14
    assert re.search(r'<div class="dayticks"[^>]*>\s*<span>\d{1,2}/\d{1,2}</span>', page)
    assert "두 비율은 서로 다른 것을 잽니다" in page and "Retention is" not in page


def test_charts_are_drawn_narrow_enough_to_read_on_a_phone_and_keep_the_legend_off_the_data():
    chart = optimizers.run(defaults("optimizers")).charts[1]  # five optimizers: a legend of five entries
    svg = charts.render(chart, "ko")
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert width <= 380  # ~310 px on a 375 px phone: a 10-unit label still draws at 8 px or more
    legend_top = min(float(y) for y in re.findall(r'<text[^>]*y="([\d.]+)"[^>]*>(?:SGD|AdaGrad|Adam)<', svg))
    axis_label = re.search(r'<text[^>]*y="([\d.]+)"[^>]*>걸음</text>', svg)
    assert axis_label and legend_top > float(axis_label.group(1))  # the legend sits under the x-axis label
    assert height > 230
