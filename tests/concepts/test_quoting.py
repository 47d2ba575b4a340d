"""Quoting demo values in content: placeholders found, filled, formatted, and their problems named."""

import math

import pytest

from concepts.quoting import fill, format_value, placeholders, problems


def test_placeholders_are_found_with_their_format_specs():
    text = "sigmoid [[first_layer_grad.sigmoid]] vs [[ratio:.1f]], not [[ bad ]] or [single]"
    assert placeholders(text) == [("first_layer_grad.sigmoid", None), ("ratio", ".1f")]
    assert placeholders("") == [] and placeholders(None) == []


def test_an_unknown_placeholder_stays_visible_as_written():
    assert fill("x = [[missing:.2f]] and [[other]]", {}) == "x = [[missing:.2f]] and [[other]]"


@pytest.mark.parametrize("spec, value, shown", [(".1f", 0.256, "0.3"), (".0%", 0.25, "25%"), (",d", 1234567, "1,234,567"),
                                                (".2e", 12345.0, "1.23e+04")])
def test_a_format_spec_is_applied(spec, value, shown):
    assert fill(f"[[v:{spec}]]", {"v": value}) == shown


def test_a_spec_that_does_not_apply_falls_back_to_the_plain_value():
    assert fill("[[name:.1f]]", {"name": "ReLU"}) == "ReLU"


@pytest.mark.parametrize("value, shown", [
    (1234567, "1,234,567"), (7, "7"), (True, "True"), ("ReLU", "ReLU"), (None, "None"),
    (0.5, "0.5"), (0.123456, "0.1235"), (99999.0, "1e+05"), (1e5, "1.00e+05"), (123456.0, "1.23e+05"),
    (0.001, "0.001"), (0.000999, "9.99e-04"), (-2.5e-7, "-2.50e-07"), (-0.25, "-0.25"),
    (0.0, "0.0"), (math.inf, "inf"), (math.nan, "nan"),
])
def test_default_formatting(value, shown):
    assert format_value(value) == shown
    assert fill("[[v]]", {"v": value}) == shown


def test_problems_name_unknown_placeholders_and_formats_that_do_not_apply():
    values = {"ratio": 0.5, "name": "ReLU"}
    assert problems("[[ratio:.1f]] [[name]]", values) == []
    assert problems("[[nope]] and [[name:.1f]]", values) == [
        "quotes [[nope]], which the demo result does not have",
        "format '.1f' does not apply to [[name]]",
    ]
    assert problems("", values) == []
