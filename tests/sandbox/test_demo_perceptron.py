"""The perceptron demo: the notes' AND unit, the perceptron rule on AND and XOR, and an MLP solving XOR."""

import itertools
import math

import pytest

from sandbox import registry
from sandbox.demos import perceptron as demo


def params(**overrides):
    values, errors = registry.validated_params("perceptron", overrides)
    assert errors == {}
    return values


@pytest.fixture(scope="module")
def values():
    return demo.run(params(), seed=0).values


def test_and_unit_pre_activations_are_minus_30_plus_20_x1_plus_20_x2(values):
    for x1, x2 in itertools.product((0, 1), repeat=2):
        assert values[f"and.z.{x1}{x2}"] == -30 + 20 * x1 + 20 * x2
    assert values["and.z.00"] == -30 and values["and.z.11"] == 10


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_and_unit_outputs_are_the_sigmoid_of_the_pre_activations(values):
    assert values["and.out.11"] == pytest.approx(sigmoid(10), rel=1e-12)
    assert values["and.out.11"] == pytest.approx(0.99995, abs=1e-5)
    assert values["and.out.00"] == pytest.approx(9.357623e-14, rel=1e-6)
    assert values["and.out.01"] == values["and.out.10"] == pytest.approx(sigmoid(-10), rel=1e-12)


def test_perceptron_rule_learns_and_with_weights_that_really_compute_and(values):
    assert values["and.perceptron_accuracy"] == 1.0
    w1, w2, b = values["and.perceptron_w1"], values["and.perceptron_w2"], values["and.perceptron_b"]
    for (x1, x2), y in zip(demo.INPUTS, demo.AND):
        assert (w1 * x1 + w2 * x2 + b > 0) == bool(y)


@pytest.mark.parametrize("lr", [0.01, 1.0, 10.0])
@pytest.mark.parametrize("epochs", [1, 7, 200])
def test_perceptron_rule_never_gets_all_of_xor_right(lr, epochs):
    history, _ = demo.perceptron_rule(demo.XOR, epochs, lr)
    assert max(history) <= 0.75


def test_no_line_separates_xor_at_all():
    # Oracle independent of training: every line on a coarse grid of (w1, w2, b) misses at least one XOR point.
    grid = [v / 2 for v in range(-6, 7)]
    for w1, w2, b in itertools.product(grid, repeat=3):
        right = sum((w1 * x1 + w2 * x2 + b > 0) == bool(y) for (x1, x2), y in zip(demo.INPUTS, demo.XOR))
        assert right <= 3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_small_mlp_solves_xor(seed):
    values = demo.run(params(), seed=seed).values
    assert values["xor.mlp_accuracy"] == 1.0
    assert values["xor.single_layer_accuracy"] <= 0.75


def test_the_hand_worked_and_rule_results_do_not_depend_on_the_seed():
    a, b = demo.run(params(epochs=50), seed=0).values, demo.run(params(epochs=50), seed=9).values
    assert {k: v for k, v in a.items() if not k.startswith("xor.mlp")} == \
        {k: v for k, v in b.items() if not k.startswith("xor.mlp")}


def test_accuracy_chart_is_at_most_200_points_per_series():
    chart = demo.run(params(epochs=1000), seed=0).charts[0]
    assert all(len(s.x) == len(s.y) <= 200 for s in chart.series)


def test_same_seed_gives_the_same_result():
    assert demo.run(params(epochs=60), seed=3).to_dict() == demo.run(params(epochs=60), seed=3).to_dict()


def test_it_refuses_one_hidden_unit_and_a_negative_learning_rate():
    _, errors = registry.validated_params("perceptron", {"hidden": 1, "learning_rate": -0.1})
    assert set(errors) == {"hidden", "learning_rate"}
