"""The batch-norm demo: batch statistics in training, running statistics at evaluation, noisy small batches."""

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import batch_norm as demo


def params(**overrides):
    values, errors = registry.validated_params("batch-norm", overrides)
    assert errors == {}
    return values


def numpy_running_stats(batches, momentum):
    """The exponential moving averages BatchNorm keeps: mean, and the unbiased variance, from 0 and 1."""
    mean, var = np.zeros(batches.shape[-1]), np.ones(batches.shape[-1])
    for b in batches:
        mean = (1 - momentum) * mean + momentum * b.mean(0)
        var = (1 - momentum) * var + momentum * b.var(0, ddof=1)
    return mean, var


@pytest.mark.parametrize("momentum, batch", [(0.1, 16), (0.01, 4), (1.0, 32)])
def test_running_statistics_match_a_numpy_moving_average_of_the_same_batches(momentum, batch):
    p = params(momentum=momentum, batch=batch, steps=50)
    bn, batches, _ = demo.trained_layer(p, 0)
    mean, var = numpy_running_stats(batches.numpy(), momentum)
    np.testing.assert_allclose(bn.running_mean.numpy(), mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), var, rtol=1e-12)
    values = demo.run(p, seed=0).values
    assert values["running_mean"] == pytest.approx(mean.mean(), rel=1e-12)
    assert values["running_var"] == pytest.approx(var.mean(), rel=1e-12)


def test_eval_output_is_the_input_normalized_by_the_running_statistics():
    p = params()
    bn, batches, _ = demo.trained_layer(p, 0)
    mean, var = numpy_running_stats(batches.numpy(), p["momentum"])
    test = demo.draw(torch.Generator().manual_seed(1), p, p["batch"]).numpy()  # the demo's test batch
    eval_out = (test - mean) / np.sqrt(var + demo.EPS)
    train_out = (test - test.mean(0)) / np.sqrt(test.var(0) + demo.EPS)
    values = demo.run(p, seed=0).values
    assert values["eval_output.mean"] == pytest.approx(eval_out.mean(), rel=1e-10)
    assert values["eval_output.std"] == pytest.approx(eval_out.std(0).mean(), rel=1e-10)
    assert values["train_eval_gap"] == pytest.approx(np.abs(train_out - eval_out).mean(), rel=1e-10)
    assert values["train_output.max_abs_mean"] < 1e-12
    assert values["train_output.std"] == pytest.approx(1.0, abs=1e-5)  # sqrt(var / (var + eps))


def test_with_momentum_one_the_running_statistics_are_the_last_batch():
    bn, batches, _ = demo.trained_layer(params(momentum=1.0, steps=3), 0)
    np.testing.assert_allclose(bn.running_var.numpy(), batches[-1].numpy().var(0, ddof=1), rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_batch_mean_spreads_as_std_over_root_b(seed):
    values = demo.run(params(batch=16, steps=400), seed=seed).values
    assert values["batch_mean_std.theory"] == 2.0 / 4
    assert values["batch_mean_std"] == pytest.approx(values["batch_mean_std.theory"], rel=0.1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_small_batches_make_one_inputs_training_output_move_far_more_than_large_ones(seed):
    values = demo.run(params(), seed=seed).values
    assert values["same_input_spread.b2"] > 5 * values["same_input_spread.b256"]
    assert values["same_input_gap.b2"] > 3 * values["same_input_gap.b256"]
    spread = demo.run(params(), seed=seed).charts[0].series[0].y
    assert spread[0] == max(spread) and spread[-1] == min(spread)


def test_a_batch_of_two_normalizes_every_feature_to_plus_or_minus_one():
    batches = torch.tensor([[[1.0, 5.0], [3.0, -2.0]]], dtype=torch.float64)
    out = demo.normalize_in_batches(batches)
    np.testing.assert_allclose(out.abs().numpy(), 1.0, atol=1e-5)
    reference = torch.nn.functional.batch_norm(batches[0], None, None, training=True, eps=demo.EPS)
    np.testing.assert_allclose(out[0].numpy(), reference.numpy(), rtol=1e-12)


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=5).to_dict() == demo.run(params(), seed=5).to_dict()


@pytest.mark.parametrize("raw, field", [({"batch": 1}, "batch"), ({"batch": 1024}, "batch"), ({"momentum": 0}, "momentum"),
                                        ({"steps": 0}, "steps"), ({"std": 0}, "std"), ({"eps": 1e-3}, "eps")])
def test_out_of_bounds_parameters_are_refused_with_the_field_named(raw, field):
    _, errors = registry.validated_params("batch-norm", raw)
    assert set(errors) == {field}
