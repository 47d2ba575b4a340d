"""The overfitting demo: training error falls with polynomial degree, validation error is U-shaped."""

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import overfitting as demo



def run(seed=0, **overrides):
    params, errors = registry.validated_params("overfitting", overrides)
    assert errors == {}
    return demo.run(params, seed=seed)


@pytest.fixture(scope="module", params=[0, 1, 2])
def seeded(request):
    """The default run for seeds 0..2 (computed once per module: the MLP takes ~0.1 s)."""
    return run(request.param).values


def test_training_error_never_rises_with_degree(seeded):
    train = [seeded[f"train_mse.deg{d}"] for d in range(1, 16)]
    # Nested least-squares models: a higher degree can always reuse the lower one's fit.
    assert all(b <= a * (1 + 1e-9) for a, b in zip(train, train[1:]))
    assert train[-1] < 0.5 * train[0]


def test_validation_error_is_u_shaped_with_its_minimum_inside_the_range(seeded):
    best = seeded["best_degree"]
    val = {d: seeded[f"val_mse.deg{d}"] for d in range(1, 16)}
    assert 1 < best < 15 and val[best] == min(val.values())
    assert val[1] > 1.2 * val[best]
    assert val[15] > 2 * val[best]


def test_the_highest_degree_validates_far_worse_than_it_trains(seeded):
    assert seeded["val_mse.deg15"] > 5 * seeded["train_mse.deg15"]
    assert seeded["train_val_gap.max_degree"] == pytest.approx(seeded["val_mse.deg15"] - seeded["train_mse.deg15"])
    assert seeded["train_val_gap.max_degree"] > 3 * seeded["train_val_gap.best_degree"]


def test_the_mlp_overfits_after_its_early_stopping_epoch(seeded):
    stop = seeded["mlp.best_epoch"]
    assert 0 < stop < 399
    assert seeded["mlp.final_val_mse"] > 1.1 * seeded["mlp.best_val_mse"]
    assert seeded["mlp.final_train_mse"] < seeded["mlp.train_mse_at_best"]


@pytest.mark.parametrize("seed,n", [(0, 20), (3, 50), (5, 12)])
def test_polynomial_errors_match_numpys_least_squares_fit(seed, n):
    values = run(seed, samples=n, max_degree=11).values
    x, y, xv, yv = (t.numpy() for t in demo.make_data(n, 0.3, seed))
    for d in range(1, 12):
        fit = np.polynomial.Polynomial.fit(x, y, d)  # power basis on the rescaled domain: an independent route
        assert values[f"train_mse.deg{d}"] == pytest.approx(np.mean((fit(x) - y) ** 2), rel=1e-6)
        assert values[f"val_mse.deg{d}"] == pytest.approx(np.mean((fit(xv) - yv) ** 2), rel=1e-6)


def test_validation_points_stay_inside_the_training_range():
    x, _, xv, _ = demo.make_data(20, 0.3, 0)
    assert x.min() <= xv.min() and xv.max() <= x.max() and len(xv) == demo.VALIDATION


def test_without_noise_a_cubic_or_higher_recovers_the_sine_closely():
    values = run(noise=0.0, max_degree=9, epochs=10).values
    assert values["val_mse.deg9"] < 1e-4 and values["noise_variance"] == 0.0


def test_charts_cover_each_degree_and_at_most_two_hundred_epochs():
    by_degree, per_epoch, fits = run(max_degree=8, epochs=500, width=10).charts
    assert by_degree.log_y and [len(s.y) for s in by_degree.series] == [8, 8]
    assert all(len(s.y) <= 200 for s in per_epoch.series) and per_epoch.series[-1].name == "early stop"
    assert all(abs(v) <= 3 for s in fits.series[1:] for v in s.y)


def test_same_seed_gives_the_same_result():
    assert run(seed=4, epochs=50).to_dict() == run(seed=4, epochs=50).to_dict()


def test_it_refuses_a_degree_above_twenty_and_too_few_samples():
    _, errors = registry.validated_params("overfitting", {"max_degree": 25, "samples": 3, "width": 0, "epochs": 501})
    assert set(errors) == {"max_degree", "samples", "width", "epochs"}
    assert errors["epochs"] == "must be at most 500 (got 501)"
