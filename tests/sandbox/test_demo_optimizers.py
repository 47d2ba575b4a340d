"""The optimizers demo: on an elongated bowl momentum and Adam outrun plain SGD; Adam's first step by hand = torch's."""

import math

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import optimizers as demo



def run(seed=0, **overrides):
    params, errors = registry.validated_params("optimizers", overrides)
    assert errors == {}
    return demo.run(params, seed=seed)


def test_on_the_elongated_bowl_momentum_and_adam_reach_a_lower_loss_than_sgd_in_the_same_steps():
    values = run().values
    assert values["surface"] == "elongated"
    assert values["final_loss.momentum"] < 1e-3 * values["final_loss.sgd"]
    assert values["final_loss.adam"] < 1e-3 * values["final_loss.sgd"]
    assert 0 < values["steps_to_tol.momentum"] < values["steps_to_tol.sgd"]
    assert 0 < values["steps_to_tol.adam"] < values["steps_to_tol.sgd"]


@pytest.mark.parametrize("surface", ["elongated", "rosenbrock"])
@pytest.mark.parametrize("lr", [1e-4, 0.1, 3.0])
def test_adams_first_step_by_hand_equals_torchs_within_1e_minus_6(surface, lr):
    values = run(surface=surface, lr_adam=lr, steps=3).values
    assert values["adam_first_step_matches_manual"] is True
    assert values["adam_first_step_abs_diff"] <= 1e-6
    # m_hat / sqrt(v_hat) = g / |g|: the first Adam step moves every coordinate by lr against the gradient's sign.
    start, first = demo.SURFACES[surface][0], demo.trajectory(surface, "adam", lr, 1)[0][1]
    assert [abs(a - b) for a, b in zip(start, first)] == pytest.approx([lr, lr], rel=1e-6)


def grad(surface, x, y):
    if surface == "elongated":
        return np.array([20 * x, 1800 * y])
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def hand_written(surface, optimizer, lr, steps):
    """The five update rules at torch's defaults, written out in numpy."""
    p = np.array(demo.SURFACES[surface][0])
    buf, acc, m, v = np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2)
    points = [p.copy()]
    for t in range(1, steps + 1):
        g = grad(surface, *p)
        if optimizer == "sgd":
            p = p - lr * g
        elif optimizer == "momentum":
            buf = g if t == 1 else 0.9 * buf + g
            p = p - lr * buf
        elif optimizer == "adagrad":
            acc = acc + g * g
            p = p - lr * g / (np.sqrt(acc) + 1e-10)
        elif optimizer == "rmsprop":
            v = 0.99 * v + 0.01 * g * g
            p = p - lr * g / (np.sqrt(v) + 1e-8)
        else:
            m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
            p = p - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        points.append(p.copy())
    return np.array(points)


@pytest.mark.parametrize("surface", ["elongated", "rosenbrock"])
@pytest.mark.parametrize("optimizer", demo.OPTIMIZERS)
def test_each_torch_optimizer_follows_its_textbook_update_rule(surface, optimizer):
    lr = demo.LR_DEFAULTS[optimizer]
    points, losses = demo.trajectory(surface, optimizer, lr, 60)
    expected = hand_written(surface, optimizer, lr, 60)
    np.testing.assert_allclose(points, expected, rtol=1e-9, atol=1e-12)
    x, y = expected[-1]
    oracle = 10 * x * x + 900 * y * y if surface == "elongated" else (1 - x) ** 2 + 100 * (y - x * x) ** 2
    assert losses[-1] == pytest.approx(oracle, rel=1e-9, abs=1e-300)


def test_sgd_on_the_bowl_contracts_each_axis_by_one_minus_lr_times_its_curvature():
    values = run(steps=120, lr_sgd=0.0005).values
    x, y = -1.5 * (1 - 20 * 0.0005) ** 120, 0.5 * (1 - 1800 * 0.0005) ** 120
    assert values["final_loss.sgd"] == pytest.approx(10 * x * x + 900 * y * y, rel=1e-9)
    assert values["distance_to_min.sgd"] == pytest.approx(math.hypot(x, y), rel=1e-9)


@pytest.mark.parametrize("surface", ["elongated", "rosenbrock"])
def test_steps_to_tolerance_is_the_first_step_below_it_or_minus_one(surface):
    values = run(surface=surface, steps=200, tolerance=1e-2).values
    for o in demo.OPTIMIZERS:
        _, losses = demo.trajectory(surface, o, demo.LR_DEFAULTS[o], 200)
        below = [t for t, v in enumerate(losses) if v < 1e-2]
        assert values[f"steps_to_tol.{o}"] == (below[0] if below else -1)
    if surface == "rosenbrock":
        assert values["steps_to_tol.sgd"] == -1  # 200 plain SGD steps stay far up the curved valley


def test_a_too_large_sgd_rate_is_reported_as_diverged_and_stops_early():
    values = run(lr_sgd=0.01, steps=500).values  # 1800 * 0.01 = 18 > 2: the y axis blows up
    assert values["diverged.sgd"] is True and values["steps_to_tol.sgd"] == -1
    assert math.isfinite(values["final_loss.sgd"]) and values["final_loss.sgd"] >= demo.DIVERGED
    assert values["diverged.adam"] is False


def test_charts_keep_at_most_about_two_hundred_points_and_a_positive_log_loss():
    trajectories, losses = run(surface="rosenbrock", steps=1000).charts
    assert all(len(s.x) <= 201 for s in trajectories.series + losses.series)
    assert losses.log_y and all(min(s.y) > 0 for s in losses.series)
    assert [s.name for s in trajectories.series][-2:] == [{"ko": "시작점", "en": "start"}, {"ko": "최솟점", "en": "minimum"}]


def test_same_seed_gives_the_same_result():
    assert run(seed=1, surface="rosenbrock").to_dict() == run(seed=1, surface="rosenbrock").to_dict()


def test_it_refuses_an_unknown_surface_a_zero_learning_rate_and_too_many_steps():
    _, errors = registry.validated_params("optimizers", {"surface": "saddle", "lr_adam": 0, "steps": 5000})
    assert set(errors) == {"surface", "lr_adam", "steps"}
