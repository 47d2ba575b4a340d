"""The fp16-loss-scaling demo: fp16's range against numpy's float16 and a bit-level bf16 rounding."""

import math

import numpy as np
import pytest

from sandbox import registry
from sandbox.demos import fp16_loss_scaling as demo


def params(**overrides):
    values, errors = registry.validated_params("fp16-loss-scaling", overrides)
    assert errors == {}
    return values


def to_bf16(x: np.ndarray) -> np.ndarray:
    """fp32 -> bf16 -> fp32 by hand: keep the upper 16 bits, rounding to nearest, ties to even."""
    bits = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return rounded.astype(np.uint32).view(np.float32)


def numpy_store(g, scale_log2, cast):
    scaled = g * np.float32(2.0**scale_log2)
    with np.errstate(over="ignore"):
        stored = cast(scaled)
    underflow = (stored == 0) & (g != 0)
    overflow = np.isinf(stored)
    kept = ~underflow & ~overflow
    back = stored[kept].astype(np.float32) / np.float32(2.0**scale_log2)
    rel = np.abs(back - g[kept]) / np.abs(g[kept])
    return underflow.mean(), overflow.mean(), np.sort(rel)[(len(rel) - 1) // 2]


def test_format_limits_match_their_closed_forms():
    values = demo.run(params(), seed=0).values
    assert values["fp16.max"] == (2 - 2**-10) * 2**15 == 65504 == np.finfo(np.float16).max
    assert values["fp16.min_normal"] == 2**-14
    assert values["fp16.min_subnormal"] == 2**-24 == np.finfo(np.float16).smallest_subnormal
    assert values["bf16.max"] == pytest.approx((2 - 2**-7) * 2**127, rel=1e-15)
    assert values["bf16.min_normal"] == 2**-126
    assert values["bf16.eps"] == 2**-7 and values["fp16.eps"] == 2**-10


@pytest.mark.parametrize("overrides", [{}, {"loss_scale_log2": 30}, {"grad_log10_mean": -9, "grad_log10_std": 2,
                                                                     "loss_scale_log2": 24}])
def test_fp16_and_bf16_shares_match_numpy_float16_and_bit_level_bf16(overrides):
    p = params(**overrides)
    g = demo.gradients(p, 1).numpy()
    values = demo.run(p, seed=1).values
    k = p["loss_scale_log2"]
    for name, scale, cast in (("fp16", 0, lambda a: a.astype(np.float16)),
                              ("fp16_scaled", k, lambda a: a.astype(np.float16)), ("bf16", 0, to_bf16)):
        underflow, overflow, median = numpy_store(g, scale, cast)
        assert values[f"underflow.{name}"] == pytest.approx(underflow, abs=1e-12), name
        assert values[f"overflow.{name}"] == pytest.approx(overflow, abs=1e-12), name
        assert values[f"median_rel_error.{name}"] == pytest.approx(median, rel=1e-6), name


@pytest.mark.parametrize("mean, std", [(-6.0, 1.0), (-8.0, 0.5), (-5.0, 2.0)])
def test_the_unscaled_underflow_share_is_the_log_normal_mass_below_half_the_smallest_subnormal(mean, std):
    p = params(grad_log10_mean=mean, grad_log10_std=std, count=200_000)
    cutoff = math.log10(2**-25)  # ties round to even: 2^-25 itself becomes 0
    expected = 0.5 * (1 + math.erf((cutoff - mean) / std / math.sqrt(2)))
    sampling = 4 * math.sqrt(expected * (1 - expected) / p["count"]) + 1e-4
    assert demo.run(p, seed=0).values["underflow.fp16"] == pytest.approx(expected, abs=sampling)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_loss_scaling_recovers_the_underflowed_gradients_without_overflow(seed):
    values = demo.run(params(), seed=seed).values
    assert values["underflow.fp16"] > 0.05 and values["subnormal.fp16"] > 0.9
    assert values["underflow.fp16_scaled"] == 0 and values["overflow.fp16_scaled"] == 0
    assert values["median_rel_error.fp16_scaled"] < values["median_rel_error.fp16"] / 10


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_scale_past_the_safe_maximum_overflows(seed):
    safe = demo.run(params(), seed=seed).values["max_safe_scale_log2"]
    assert demo.run(params(loss_scale_log2=safe), seed=seed).values["overflow.fp16_scaled"] == 0
    assert demo.run(params(loss_scale_log2=safe + 1), seed=seed).values["overflow.fp16_scaled"] > 0


def test_bf16_needs_no_scaling_but_rounds_more_coarsely_than_scaled_fp16():
    values = demo.run(params(), seed=0).values
    assert values["underflow.bf16"] == 0 and values["overflow.bf16"] == 0
    assert values["median_rel_error.bf16"] <= 2**-9  # half of bf16's relative step
    assert values["median_rel_error.fp16_scaled"] < values["median_rel_error.bf16"]


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=2).to_dict() == demo.run(params(), seed=2).to_dict()


@pytest.mark.parametrize("raw, field", [({"loss_scale_log2": -1}, "loss_scale_log2"),
                                        ({"loss_scale_log2": 2.5}, "loss_scale_log2"),
                                        ({"grad_log10_mean": 3}, "grad_log10_mean"),
                                        ({"grad_log10_std": 0}, "grad_log10_std"),
                                        ({"count": 10**7}, "count"), ({"dtype": "fp8"}, "dtype")])
def test_out_of_bounds_parameters_are_refused_with_the_field_named(raw, field):
    _, errors = registry.validated_params("fp16-loss-scaling", raw)
    assert set(errors) == {field}


def test_when_every_gradient_underflows_the_result_is_still_plain_json():
    import json

    result = demo.run(params(grad_log10_mean=-12, grad_log10_std=0.1, loss_scale_log2=0), seed=0).to_dict()
    assert result["values"]["underflow.fp16"] == 1.0 and result["values"]["median_rel_error.fp16"] == 1.0
    json.dumps(result, allow_nan=False)
