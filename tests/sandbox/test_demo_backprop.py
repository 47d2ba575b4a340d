"""The backprop demo: the hand-applied chain rule equals autograd, entry by entry."""

import math

import pytest

from sandbox import registry
from sandbox.demos import backprop


def run(seed=0, **overrides):
    params, errors = registry.validated_params("backprop", overrides)
    assert errors == {}
    return backprop.run(params, seed=seed).values


@pytest.mark.parametrize("output", ["linear", "sigmoid"])
def test_every_hand_computed_gradient_equals_autograd(output):
    values = run(output=output, y=0.3, x1=-1.5, x2=2.0)
    assert values["max_abs_diff_vs_autograd"] < 1e-12
    assert {f"dL_d{name}" for name in backprop.NAMES} <= set(values)


def test_the_chain_rule_matches_central_finite_differences():
    """A second oracle that knows nothing of autograd: nudge each weight and watch the loss."""
    values = run(weight_scale=0.7, x1=0.4, x2=-1.2, y=2.0)
    weights = {name: values[name] for name in backprop.NAMES}
    eps = 1e-6
    for name in backprop.NAMES:
        up = backprop.chain_rule({**weights, name: weights[name] + eps}, [0.4, -1.2], 2.0, "linear")["loss"]
        down = backprop.chain_rule({**weights, name: weights[name] - eps}, [0.4, -1.2], 2.0, "linear")["loss"]
        assert math.isclose(values[f"dL_d{name}"], (up - down) / (2 * eps), rel_tol=1e-6, abs_tol=1e-9)


def test_the_intermediates_follow_the_forward_pass():
    v = run()
    assert v["z1.1"] == pytest.approx(v["W1.11"] * 1.0 + v["W1.12"] * 0.5 + v["b1.1"])
    assert v["a1.2"] == pytest.approx(1 / (1 + math.exp(-v["z1.2"])))
    assert v["dL_dz1.1"] == pytest.approx(v["dL_da1.1"] * v["a1.1"] * (1 - v["a1.1"]))
    assert v["dL_dW1.12"] == pytest.approx(v["dL_dz1.1"] * 0.5)
    assert v["loss"] == pytest.approx((v["yhat"] - 1.0) ** 2)


def test_gradient_steps_with_a_modest_learning_rate_lower_the_loss():
    values = run(lr=0.1, steps=50)
    assert values["loss_after_step"] < values["loss"]
    assert values["loss_after_steps"] < values["loss_after_step"]
    assert values["diverged"] is False


def test_a_huge_learning_rate_diverges_without_crashing():
    values = run(x1=5, x2=-5, y=-5, weight_scale=3, lr=5, steps=200)
    assert values["diverged"] is True


def test_the_same_seed_gives_the_same_result_and_another_seed_other_weights():
    assert run(seed=4) == run(seed=4)
    assert run(seed=4)["W1.11"] != run(seed=5)["W1.11"]


def test_bad_parameters_are_refused_with_messages_naming_the_field():
    errors = registry.validated_params("backprop", {"output": "relu", "lr": -1})[1]
    assert "linear" in errors["output"]
    assert "at least 0" in errors["lr"]
