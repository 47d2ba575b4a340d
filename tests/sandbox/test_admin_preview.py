from sandbox.admin_preview import render_preview


def test_the_preview_shows_the_summary_values_and_chart():
    html = render_preview("linear-collapse", {"depth": 3}, "en")
    assert "3 stacked layers" in html
    assert "<code>stacked_params</code>" in html and "<td>816</td>" in html
    assert "<svg" in html and "&lt;svg" not in html


def test_the_preview_speaks_korean_when_asked():
    html = render_preview("linear-collapse", {}, "ko")
    assert 'lang="ko"' in html and "선형층" in html


def test_bad_parameters_show_a_message_per_field_and_no_chart():
    html = render_preview("linear-collapse", {"depth": 99, "colour": "red"}, "en")
    assert "<code>depth</code>: must be at most 12" in html
    assert "<code>colour</code>" in html
    assert "<svg" not in html


def test_an_unknown_demo_or_non_object_params_are_explained():
    assert "Unknown demo &#x27;nope&#x27;" in render_preview("nope", {}, "en")
    assert "must be a JSON object" in render_preview("linear-collapse", [1, 2], "en")


def test_messages_are_escaped():
    html = render_preview("linear-collapse", {"<b>x</b>": 1}, "en")
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
