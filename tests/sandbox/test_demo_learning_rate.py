"""The learning-rate demo: on ½·a·θ² gradient descent multiplies θ by (1 − ηa); above η = 2/a it diverges."""

import pytest

from sandbox import registry
from sandbox.demos import learning_rate as demo


def run(seed=0, **overrides):
    params, errors = registry.validated_params("learning-rate", overrides)
    assert errors == {}
    return demo.run(params, seed=seed)


@pytest.mark.parametrize("curvature", [0.1, 1.0, 3.0, 9.677, 10.0])
@pytest.mark.parametrize("k", [0.05, 0.5, 0.99, 1.9, 2.1, 3.5])
def test_each_iterate_is_the_start_times_one_minus_eta_a_to_the_t(curvature, k):
    eta, start, steps = k / curvature, 5.0, 60
    thetas, losses = demo.descend(curvature, [eta], steps, start)
    for t in range(steps + 1):
        oracle = (1 - eta * curvature) ** t * start
        assert thetas[t, 0].item() == pytest.approx(oracle, rel=1e-12, abs=1e-300)
        assert losses[t, 0].item() == pytest.approx(0.5 * curvature * oracle**2, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("curvature", [0.1, 0.7, 3.0, 9.677])
def test_eta_one_over_a_lands_on_the_minimum_in_one_step_up_to_rounding(curvature):
    thetas, _ = demo.descend(curvature, [1 / curvature], 5, 5.0)
    assert thetas[0, 0].item() == 5.0
    assert thetas[1:, 0].abs().max().item() <= 1e-15 * 5.0
    values = run(curvature=curvature, learning_rate=1 / curvature, steps=5).values
    assert values["max_rel_error_per_step"] < 1e-12


@pytest.mark.parametrize("curvature,start,steps", [(1.0, 5.0, 50), (4.0, 0.5, 200), (0.25, 100.0, 7)])
def test_final_losses_match_the_closed_form_for_every_rate(curvature, start, steps):
    values = run(curvature=curvature, start=start, steps=steps).values
    assert values["max_rel_error_per_step"] < 1e-14
    for name, k in demo.COMPARISON.items():
        eta = values[f"learning_rate.{name}"]
        assert eta == pytest.approx(k / curvature, rel=1e-15)
        closed = 0.5 * curvature * start**2 * (1 - eta * curvature) ** (2 * steps)
        assert values[f"final_loss.{name}"] == pytest.approx(closed, rel=1e-11, abs=1e-300)


@pytest.mark.parametrize("curvature", [0.5, 1.0, 8.0])
def test_below_two_over_a_the_loss_never_rises_and_above_it_rises_every_step(curvature):
    values = run(curvature=curvature, steps=40).values
    assert values["divergence_threshold"] == pytest.approx(2 / curvature, rel=1e-15)
    for name in ("small", "good", "large"):
        assert values[f"loss_increased_steps.{name}"] == 0
        assert values[f"final_loss.{name}"] < values["initial_loss"]
    assert values["loss_increased_steps.divergent"] == 40
    assert values["final_loss.divergent"] == pytest.approx(values["initial_loss"] * 1.1**80, rel=1e-9)


def test_the_threshold_separates_a_rate_just_below_from_one_just_above():
    below = run(curvature=2.0, learning_rate=0.995, steps=100).values  # η·a = 1.99
    above = run(curvature=2.0, learning_rate=1.005, steps=100).values  # η·a = 2.01
    assert below["final_loss.chosen"] < below["initial_loss"] and below["loss_increased_steps.chosen"] == 0
    assert above["final_loss.chosen"] > above["initial_loss"] and above["loss_increased_steps.chosen"] == 100


def test_too_small_a_rate_crawls_while_the_good_one_is_near_zero():
    values = run().values
    assert values["final_loss.small"] > 1e-3 * values["initial_loss"]
    assert values["final_loss.good"] < 1e-25 * values["initial_loss"]
    assert values["final_loss.good"] < values["final_loss.large"] < values["final_loss.small"]


def test_a_rate_above_one_over_a_flips_the_sign_every_step():
    values = run(steps=30).values
    assert values["sign_flips.small"] == values["sign_flips.good"] == 0
    assert values["sign_flips.large"] == values["sign_flips.divergent"] == 30
    assert values["contraction.large"] == pytest.approx(0.9) and values["contraction.divergent"] == pytest.approx(1.1)


def test_one_over_a_lands_on_the_minimum_in_one_step():
    values = run(curvature=2.0, learning_rate=0.5, steps=3).values
    assert values["optimal_learning_rate"] == 0.5
    assert values["final_loss.chosen"] == 0.0


def test_the_largest_allowed_rate_stays_finite_over_the_longest_run():
    values = run(curvature=0.1, learning_rate=40.0, steps=200).values
    assert values["contraction.chosen"] == pytest.approx(3.0)
    assert values["final_loss.chosen"] == pytest.approx(0.5 * 0.1 * 25 * 9.0**200, rel=1e-9)


def test_loss_chart_is_log_scaled_with_one_positive_point_per_step():
    loss_chart, theta_chart = run(steps=25).charts
    assert loss_chart.log_y and len(loss_chart.series) == 5
    assert all(len(s.y) == 26 and min(s.y) > 0 for s in loss_chart.series)
    assert all(len(s.y) == 21 for s in theta_chart.series)


def test_same_seed_gives_the_same_result():
    assert run(seed=3).to_dict() == run(seed=3).to_dict()


def test_it_refuses_a_rate_above_four_over_the_curvature_naming_the_learning_rate():
    _, errors = registry.validated_params("learning-rate", {"curvature": 2.0, "learning_rate": 2.5})
    assert set(errors) == {"learning_rate"} and "4/curvature" in errors["learning_rate"]


def test_it_refuses_zero_steps_and_a_negative_curvature():
    _, errors = registry.validated_params("learning-rate", {"steps": 0, "curvature": -1})
    assert set(errors) == {"steps", "curvature"}
