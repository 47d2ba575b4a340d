"""The dying-ReLU demo: a too-large step or a negative bias leaves ReLU units silent for every input."""

import itertools

import numpy as np
import pytest

from sandbox import registry
from sandbox.demos import dying_relu as demo


def params(**overrides):
    values, errors = registry.validated_params("dying-relu", overrides)
    assert errors == {}
    return values


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_step_with_a_large_learning_rate_kills_a_good_share_of_relu_units(seed):
    values = demo.run(params(learning_rate=10.0), seed=seed).values
    assert values["dead_fraction.relu_before"] == 0.0
    assert values["dead_fraction.relu_after"] >= 0.2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_small_learning_rate_kills_none(seed):
    values = demo.run(params(learning_rate=0.001), seed=seed).values
    assert values["dead_fraction.relu_after"] == values["dead_fraction.relu_before"] == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_leaky_relu_units_pushed_below_zero_still_get_gradient(seed):
    values = demo.run(params(learning_rate=10.0), seed=seed).values
    assert values["dead_fraction.leaky_after"] == 0.0
    assert values["all_negative_fraction.leaky_after"] > 0  # the same fate as the dead ReLUs...
    assert values["min_grad.leaky_units"] > 0  # ...yet every unit still learns


def test_dead_relu_units_get_exactly_zero_gradient():
    values = demo.run(params(), seed=0).values
    assert values["dead_units.relu_after"] > 0
    assert values["max_grad.relu_dead_units"] == 0.0


@pytest.mark.parametrize("shift", [-0.5, -1.5, -3.0])
def test_dead_share_after_a_bias_shift_matches_a_numpy_count(shift):
    p = params(bias_shift=shift, learning_rate=0.0001)
    x, _, (w, b, _, _) = demo.setup(p, 0)
    pre = x.numpy() @ w.numpy().T + b.numpy() + shift
    expected = np.mean((pre <= 0).all(axis=0))
    assert demo.run(p, seed=0).values["dead_fraction.relu_before"] == pytest.approx(expected, abs=1e-12)


def test_more_negative_bias_shift_never_revives_units():
    by_shift = demo.run(params(), seed=1).charts[1].series[0]
    dead = by_shift.y  # x runs from -4 up to 1
    assert all(a >= b for a, b in itertools.pairwise(dead))
    assert dead[0] > 0.5 and dead[-1] == 0.0


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=2).to_dict() == demo.run(params(), seed=2).to_dict()


def test_it_refuses_a_zero_learning_rate_and_an_unknown_parameter():
    _, errors = registry.validated_params("dying-relu", {"learning_rate": 0, "lr": 1})
    assert set(errors) == {"learning_rate", "lr"}
