"""The mini-batch demo: updates per epoch are 1, ceil(N/B) and N; gradient noise shrinks roughly as 1/sqrt(B)."""

import math

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import minibatch as demo


def run(seed=0, **overrides):
    params, errors = registry.validated_params("minibatch", overrides)
    assert errors == {}
    return demo.run(params, seed=seed)


@pytest.mark.parametrize("n,b,epochs", [(200, 16, 20), (100, 10, 3), (10, 9, 1), (37, 1, 2), (101, 50, 4)])
def test_epoch_arithmetic_counts_every_sample_once_per_epoch(n, b, epochs):
    values = run(samples=n, batch_size=b, epochs=epochs).values
    iterations = -(-n // b)
    assert values["iterations_per_epoch"] == values["iterations_per_epoch.minibatch"] == iterations
    assert values["total_updates"] == values["total_updates.minibatch"] == iterations * epochs
    assert values["last_batch_size"] == n - (iterations - 1) * b
    assert 1 <= values["last_batch_size"] <= b
    assert (iterations - 1) * b + values["last_batch_size"] == n


def test_batch_gd_does_one_update_per_epoch_and_sgd_does_n():
    values = run(samples=120, epochs=7).values
    assert values["iterations_per_epoch.batch"] == 1 and values["total_updates.batch"] == 7
    assert values["iterations_per_epoch.sgd"] == 120 and values["total_updates.sgd"] == 840


def test_the_full_batch_gradient_has_no_noise():
    assert run().values["gradient_noise.batch"] == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("b", [4, 16, 64])
def test_gradient_noise_shrinks_roughly_as_one_over_sqrt_b(seed, b):
    n = 200
    values = run(seed, samples=n, batch_size=b).values
    assert values["gradient_noise.sgd"] > values["gradient_noise.minibatch"] > values["gradient_noise.batch"]
    # Drawing without replacement from N samples adds the factor sqrt((N - 1) / (N - B)): 1.21 at B = 64.
    ratio = values["noise_ratio.sgd_over_minibatch"]
    assert ratio == pytest.approx(math.sqrt(b * (n - 1) / (n - b)), rel=0.1)
    if b <= 16:
        assert ratio == pytest.approx(math.sqrt(b), rel=0.15)


def autograd_per_sample_grads(x, y):
    """d/dw of 0.5 (x_i.w - y_i)^2 at w = 0, one row per sample, by autograd."""
    w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    return np.stack([torch.autograd.grad(0.5 * (xt[i] @ w - yt[i]) ** 2, w)[0].numpy() for i in range(len(y))])


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("b", [1, 5, 16, 150])
def test_measured_noise_matches_the_sampling_without_replacement_formula(seed, b):
    """E||g_B - g||^2 = (N - B) / (B (N - 1)) * mean_i ||g_i - g||^2, with g_i from autograd."""
    n = 200
    values = run(seed, samples=n, batch_size=b).values
    x, y = demo.make_data(n, seed)
    g = autograd_per_sample_grads(x, y)
    np.testing.assert_allclose(demo.per_sample_grads(x, y, np.zeros(x.shape[1])), g, rtol=1e-12, atol=1e-12)
    spread = ((g - g.mean(0)) ** 2).sum(1).mean()
    exact = math.sqrt((n - b) / (b * (n - 1)) * spread)
    assert values["gradient_noise.minibatch"] == pytest.approx(exact, rel=0.12)  # 400 draws: ~4% Monte-Carlo error
    assert values["gradient_noise.sgd"] == pytest.approx(math.sqrt(spread), rel=0.12)


def test_sgd_and_mini_batches_reach_the_least_squares_floor_in_epochs_where_batch_gd_does_not():
    values = run().values
    floor = values["optimal_loss"]
    assert values["final_loss.minibatch"] < 1.05 * floor
    assert values["final_loss.sgd"] < 1.2 * floor  # constant-rate SGD hovers just above the floor
    assert values["final_loss.batch"] > 2 * floor  # 20 updates in 20 epochs are not enough


def test_the_largest_allowed_run_stays_finite():
    values = run(samples=1000, batch_size=1, epochs=50, learning_rate=0.1).values
    assert all(math.isfinite(values[f"final_loss.{m}"]) for m in ("batch", "sgd", "minibatch"))


def test_charts_have_one_point_per_epoch_and_at_most_two_hundred_per_update():
    per_epoch, per_update, noise = run(samples=100, batch_size=10, epochs=5).charts
    assert [len(s.y) for s in per_epoch.series] == [6, 6, 6]
    assert [len(s.y) for s in per_update.series] == [6, 201, 51]
    assert per_epoch.log_y and noise.kind == "bar"


def test_same_seed_gives_the_same_result():
    assert run(seed=2).to_dict() == run(seed=2).to_dict()


def test_it_refuses_a_batch_as_large_as_the_data_naming_the_batch_size():
    _, errors = registry.validated_params("minibatch", {"samples": 50, "batch_size": 50})
    assert set(errors) == {"batch_size"} and "samples" in errors["batch_size"]


def test_it_refuses_zero_epochs_and_a_learning_rate_above_the_bound():
    _, errors = registry.validated_params("minibatch", {"epochs": 0, "learning_rate": 0.5})
    assert set(errors) == {"epochs", "learning_rate"}
