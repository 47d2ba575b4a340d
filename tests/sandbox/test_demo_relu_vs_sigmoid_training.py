"""The ReLU-vs-sigmoid training demo: from the same weights, ReLU reaches a far lower loss in the same steps."""

import json
import math

import pytest
import torch

from sandbox import registry
from sandbox.demos import relu_vs_sigmoid_training as demo


def params(**overrides):
    values, errors = registry.validated_params("relu-vs-sigmoid-training", overrides)
    assert errors == {}
    return values


@pytest.fixture(scope="module")
def runs():
    """Default runs for seeds 0..2, computed once."""
    return {seed: demo.run(params(), seed=seed) for seed in (0, 1, 2)}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relu_reaches_a_lower_loss_than_sigmoid_in_the_same_steps(runs, seed):
    values = runs[seed].values
    assert values["final_loss.relu"] < 0.5 * values["final_loss.sigmoid"]
    assert values["final_accuracy.relu"] >= 0.9


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_deep_sigmoid_network_is_still_at_chance_after_training(runs, seed):
    values = runs[seed].values
    assert values["final_loss.sigmoid"] == pytest.approx(math.log(2), abs=0.05)
    assert values["prediction_std.sigmoid"] < 0.05  # it answers about the same everywhere


def test_relu_still_wins_with_adam():
    values = demo.run(params(optimizer="adam", learning_rate=0.01), seed=0).values
    assert values["final_loss.relu"] < values["final_loss.sigmoid"]


def test_the_moons_are_balanced_and_standardised():
    x, y = demo.moons(128, torch.Generator().manual_seed(0))
    assert y.mean().item() == 0.5
    assert torch.allclose(x.mean(0), torch.zeros(2), atol=1e-6)
    assert torch.allclose(x.std(0), torch.ones(2), atol=1e-6)


def test_initial_loss_is_near_ln2_for_a_freshly_initialised_net(runs):
    # Default init gives small logits, so binary cross-entropy starts close to -log(1/2).
    for act in ("sigmoid", "relu"):
        assert runs[0].values[f"initial_loss.{act}"] == pytest.approx(math.log(2), abs=0.1)


def test_loss_curve_has_one_point_per_step_up_to_200(runs):
    (chart,) = runs[0].charts
    relu = next(s for s in chart.series if s.name == "relu")
    assert relu.x[0] == 0 and relu.y[0] == runs[0].values["initial_loss.relu"]
    assert len(relu.x) == runs[0].values["steps"] + 1  # the initial loss and one point per step
    long = demo.run(params(steps=200, hidden_layers=2, width=8, samples=32), seed=0).charts[0]
    assert [len(s.x) for s in long.series] == [201, 201, 2]


def test_a_diverging_run_is_reported_as_such_and_stays_json_safe():
    result = demo.run(params(learning_rate=1.0), seed=0)
    assert result.values["diverged.relu"] is True and result.values["diverged.sigmoid"] is False
    json.dumps(result.to_dict(), allow_nan=False)
    assert "Diverged (relu)" in result.summary["en"]


def test_same_seed_gives_the_same_result():
    p = params(steps=30)
    assert demo.run(p, seed=1).to_dict() == demo.run(p, seed=1).to_dict()


def test_it_refuses_too_many_steps_and_an_unknown_optimizer():
    _, errors = registry.validated_params("relu-vs-sigmoid-training", {"steps": 100000, "optimizer": "lbfgs"})
    assert set(errors) == {"steps", "optimizer"}
    _, errors = registry.validated_params("relu-vs-sigmoid-training", {"steps": 201, "hidden_layers": 9, "width": 49})
    assert errors == {"steps": "must be at most 200 (got 201)", "hidden_layers": "must be at most 8 (got 9)",
                      "width": "must be at most 48 (got 49)"}
