import xml.etree.ElementTree as ET

from sandbox import charts
from sandbox.result import Chart, Series

SVG = "{http://www.w3.org/2000/svg}"


def _chart(kind="line", n=200, log_y=False, names=("sigmoid", "relu")):
    series = [Series(name, [float(i) for i in range(n)], [10.0 ** (-i / 20 * (k + 1)) for i in range(n)])
              for k, name in enumerate(names)]
    return Chart(kind, {"ko": "첫 층의 기울기", "en": "First-layer gradient"}, {"ko": "깊이", "en": "depth"},
                 {"ko": "기울기", "en": "gradient"}, series, log_y=log_y)


def _texts(svg: str) -> list[str]:
    return ["".join(el.itertext()) for el in ET.fromstring(svg).iter(f"{SVG}text")]


def test_a_chart_renders_to_valid_svg_that_names_every_series():
    svg = charts.render(_chart(), "en")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    texts = _texts(svg)
    assert {"sigmoid", "relu", "First-layer gradient", "depth", "gradient"} <= set(texts)


def test_labels_follow_the_language_and_stay_text():
    texts = _texts(charts.render(_chart(), "ko"))
    assert {"첫 층의 기울기", "깊이", "기울기"} <= set(texts)


def test_the_svg_scales_with_its_container_and_has_no_prolog_or_fixed_size():
    svg = charts.render(_chart(), "en")
    assert svg.startswith("<svg")
    root = ET.fromstring(svg)
    assert "viewBox" in root.attrib and "width" not in root.attrib and "height" not in root.attrib
    assert root.attrib["role"] == "img" and root.attrib["aria-label"] == "First-layer gradient"


def test_the_svg_references_nothing_outside_itself():
    svg = charts.render(_chart(kind="scatter"), "en")
    for el in ET.fromstring(svg).iter():
        for name, value in el.attrib.items():
            if name.endswith("href"):
                assert value.startswith("#")
    assert "<metadata" not in svg and "<image" not in svg


def test_every_chart_kind_stays_small_with_two_hundred_points():
    for kind in ("line", "scatter", "bar"):
        for log_y in (False, True):
            svg = charts.render(_chart(kind=kind, log_y=log_y), "ko")
            assert len(svg.encode()) < 60_000, (kind, log_y)


def test_log_axes_label_decades_as_plain_text():
    texts = _texts(charts.render(_chart(log_y=True, n=40, names=("one",)), "en"))  # 1 down to 1e-2
    assert {"10⁻²", "10⁻¹", "1"} <= set(texts)


def test_bars_on_a_log_axis_skip_zero_heights():
    chart = Chart("bar", {"ko": "파라미터", "en": "parameters"}, {"ko": "층", "en": "layer"}, {"ko": "개", "en": "count"},
                  [Series("parameters", [1.0, 2.0, 3.0], [456.0, 0.0, 2_000_000.0])], log_y=True)
    texts = _texts(charts.render(chart, "en"))
    assert "10⁶" in texts and "parameters" in texts


def test_grouped_bars_a_dollar_sign_and_missing_values_render():
    chart = Chart("bar", {"ko": "$5 비용", "en": "$5 cost"}, {"ko": "x", "en": "x"}, {"ko": "y", "en": "y"},
                  [Series("a $x$", [0.0, 1.0], [1.0, float("nan")]), Series("b", [0.0, 1.0], [2.0, float("inf")])])
    texts = _texts(charts.render(chart, "en"))
    assert "$5 cost" in texts and "a $x$" in texts


def test_a_chart_given_as_a_dict_renders_the_same_as_the_dataclass():
    from dataclasses import asdict

    chart = _chart(n=20)
    assert charts.render(asdict(chart), "en") == charts.render(chart, "en")
