"""The activations demo: autograd derivatives agree with the closed forms, and sigmoid/tanh saturate."""

import math

import numpy as np
import pytest

from sandbox import registry
from sandbox.demos import activations
from sandbox.result import pick

DEFAULTS = registry.validated_params("activations", {})[0]


def run(**overrides):
    params, errors = registry.validated_params("activations", overrides)
    assert errors == {}
    return activations.run(params, seed=0)


def numpy_derivatives(x, alpha=0.01, elu_alpha=1.0, beta=1.0):
    """Closed forms written independently of torch (kinks follow autograd: left derivative at 0, maxout's first piece)."""
    s = 1 / (1 + np.exp(-x))
    sb = 1 / (1 + np.exp(-beta * x))
    return {
        "sigmoid": s * (1 - s),
        "tanh": 1 - np.tanh(x) ** 2,
        "relu": (x > 0).astype(float),
        "leaky_relu": np.where(x > 0, 1.0, alpha),
        "elu": np.where(x > 0, 1.0, elu_alpha * np.exp(x)),
        "swish": sb + beta * x * sb * (1 - sb),
        "maxout": np.where(x >= 0, 1.0, -0.5),
    }


def test_autograd_derivatives_match_closed_forms_on_the_whole_grid():
    result = run(leaky_alpha=0.2, elu_alpha=1.5, swish_beta=2.0)
    derivative_chart = result.charts[1]
    curves = {pick(s.name, "en"): np.array(s.y) for s in derivative_chart.series}
    x = np.array(derivative_chart.series[0].x)
    for name, expected in numpy_derivatives(x, 0.2, 1.5, 2.0).items():
        np.testing.assert_allclose(curves[name], expected, atol=1e-12, err_msg=name)
    assert result.values["max_abs_error_vs_closed_form"] < 1e-12


def test_sigmoid_derivative_peaks_at_a_quarter_and_tanh_at_one():
    values = run().values
    assert values["max_derivative.sigmoid"] == pytest.approx(0.25, abs=1e-12)
    assert values["max_derivative.tanh"] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("point", [-3.0, -0.5, 0.7, 4.0])
def test_derivative_at_a_point_matches_the_closed_form(point):
    values = run(point=point, leaky_alpha=0.1, elu_alpha=2.0, swish_beta=0.5).values
    expected = numpy_derivatives(np.array([point]), 0.1, 2.0, 0.5)
    for name, d in expected.items():
        assert values[f"derivative_at.{name}"] == pytest.approx(d[0], abs=1e-12), name
    assert values["value_at.sigmoid"] == pytest.approx(1 / (1 + math.exp(-point)), abs=1e-12)


def test_leaky_relu_at_minus_three_is_minus_three_alpha():
    assert run(leaky_alpha=0.05).values["leaky_relu_at_minus3"] == pytest.approx(-0.15, abs=1e-12)


def test_sigmoid_saturates_beyond_about_4_6_and_tanh_beyond_about_3():
    values = run().values
    # s(1-s) = 0.01 at |x| = ln((1+sqrt(0.96))/(1-sqrt(0.96))); 1 - tanh^2 = 0.01 at atanh(sqrt(0.99)).
    assert values["saturation_edge.sigmoid"] == pytest.approx(4.5849, abs=1e-4)
    assert values["saturation_edge.tanh"] == pytest.approx(2.9932, abs=1e-4)


@pytest.mark.parametrize("x_min,x_max", [(-6.0, 6.0), (-10.0, 2.0), (1.0, 8.0)])
def test_saturated_fraction_is_the_share_of_the_range_beyond_the_edge(x_min, x_max):
    values = run(x_min=x_min, x_max=x_max, points=201).values
    for name in ("sigmoid", "tanh"):
        edge = values[f"saturation_edge.{name}"]
        beyond = (max(0.0, x_max - max(edge, x_min)) + max(0.0, min(-edge, x_max) - x_min)) / (x_max - x_min)
        assert values[f"saturated_fraction.{name}"] == pytest.approx(beyond, abs=2 / 201), name


def test_relu_is_flat_on_the_negative_half_while_leaky_relu_never_is():
    values = run().values
    assert values["saturated_fraction.relu"] == pytest.approx(0.5, abs=1 / 161)
    assert values["saturated_fraction.leaky_relu"] == 0.0


def test_every_series_is_short_and_every_title_is_bilingual():
    for chart in run(points=201).charts:
        assert set(chart.title) == {"ko", "en"}
        assert all(len(s.x) == len(s.y) <= 201 for s in chart.series)


def test_same_seed_gives_the_same_result():
    assert activations.run(DEFAULTS, seed=3).to_dict() == activations.run(DEFAULTS, seed=3).to_dict()


def test_it_refuses_x_min_not_below_x_max():
    _, errors = registry.validated_params("activations", {"x_min": 2, "x_max": 2})
    assert "x_max" in errors and "x_min" in errors["x_max"]


def test_it_refuses_an_out_of_range_alpha():
    _, errors = registry.validated_params("activations", {"leaky_alpha": 3})
    assert "leaky_alpha" in errors
