"""The attention-scaling demo: without 1/sqrt(d) the softmax saturates as d grows and its gradient vanishes."""

import numpy as np
import pytest

from sandbox import registry
from sandbox.demos import attention_scaling as demo


def params(**overrides):
    values, errors = registry.validated_params("attention-scaling", overrides)
    assert errors == {}
    return values


def numpy_stats(q, k, v, scale):
    """Softmax, entropy and the closed-form gradient J v = p * (v - p.v) (J = diag(p) - p p^T), in numpy."""
    s = q @ k.T * scale
    p = np.exp(s - s.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    with np.errstate(divide="ignore"):
        entropy = -np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=1)
    grad = p * (v[None, :] - (p @ v)[:, None])
    return {"score_std": s.std(ddof=1), "max_weight": p.max(1).mean(), "entropy": entropy.mean(),
            "saturated": np.mean(p.max(1) > 0.99), "grad_norm": np.median(np.linalg.norm(grad, axis=1))}


@pytest.mark.parametrize("d", [4, 64, 256, 1024])
def test_the_demo_agrees_with_numpy_softmax_entropy_and_the_closed_form_jacobian(d):
    p = params(d=d)
    q, k, v = (t.numpy() for t in demo.draw(p, d, 0))
    values = demo.run(p, seed=0).values
    for mode, scale in (("scaled", d**-0.5), ("unscaled", 1.0)):
        expected = numpy_stats(q, k, v, scale)
        for name, value in expected.items():
            assert values[f"{name}.{mode}"] == pytest.approx(value, rel=1e-9, abs=1e-12), (mode, name)


@pytest.mark.parametrize("d", [16, 256, 2048])
def test_unscaled_scores_spread_as_sqrt_d_and_scaled_ones_stay_at_one(d):
    values = demo.run(params(d=d), seed=1).values
    assert values["score_std.unscaled"] == pytest.approx(d**0.5, rel=0.1)
    assert values["score_std.scaled"] == pytest.approx(1.0, rel=0.1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_without_the_scale_the_max_weight_goes_to_one_as_d_grows_and_with_it_stays_level(seed):
    max_weight = demo.run(params(), seed=seed).charts[0]
    scaled, unscaled = max_weight.series[0].y, max_weight.series[1].y  # d = 2 .. 1024
    assert unscaled[-1] > 0.9 and unscaled[-1] > unscaled[0] + 0.6
    assert max(scaled) < 1.6 * min(scaled) and max(scaled) < 0.3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_without_the_scale_the_gradient_through_the_softmax_collapses(seed):
    grad = demo.run(params(), seed=seed).charts[2]
    scaled, unscaled = grad.series[0].y, grad.series[1].y
    assert unscaled[-1] < 0.01 * scaled[-1]  # d = 1024
    assert max(scaled) < 2 * min(scaled)
    values = demo.run(params(), seed=seed).values
    assert values["saturated.scaled"] == 0.0 and values["saturated.unscaled"] > 0.3


def test_uniform_reference_values_follow_the_number_of_keys():
    values = demo.run(params(keys=64), seed=0).values
    assert values["entropy.uniform"] == pytest.approx(np.log(64))
    assert values["max_weight.uniform"] == 1 / 64


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=3).to_dict() == demo.run(params(), seed=3).to_dict()


@pytest.mark.parametrize("raw, field", [({"d": 0}, "d"), ({"d": 8192}, "d"), ({"keys": 1}, "keys"),
                                        ({"queries": 1000}, "queries"), ({"heads": 8}, "heads")])
def test_out_of_bounds_parameters_are_refused_with_the_field_named(raw, field):
    _, errors = registry.validated_params("attention-scaling", raw)
    assert set(errors) == {field}
