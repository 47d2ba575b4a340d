"""The GPU memory demo: closed-form state sizes, and an activation estimate that matches what autograd saves."""

import pytest
import torch

from sandbox import registry
from sandbox.demos import gpu_memory


def run(**overrides):
    params, errors = registry.validated_params("gpu-memory", overrides)
    assert errors == {}
    return gpu_memory.run(params, seed=0).values


@pytest.mark.parametrize("model", ["mlp", "cnn"])
@pytest.mark.parametrize("dtype", ["fp32", "bf16"])
def test_the_activation_estimate_is_within_five_percent_of_the_bytes_autograd_saves(model, dtype):
    values = run(model=model, dtype=dtype, batch_size=32)
    assert values["bytes.activations_measured"] > 0
    assert values["activation_error_pct"] <= 5
    assert values["bytes.activations_estimated"] == pytest.approx(values["bytes.activations_measured"], rel=0.05)


def test_counting_every_saved_tensor_naively_overcounts_several_times():
    values = run(model="mlp", batch_size=64)
    assert values["bytes.activations_naive_sum"] > 3 * values["bytes.activations_measured"]


def test_the_meta_device_measurement_equals_one_on_real_cpu_tensors():
    """The oracle: real tensors have real storages, deduplicated by data_ptr."""
    for model in ("mlp", "cnn"):
        in_shape, spec = gpu_memory.layers(model, 1)
        gen = torch.Generator().manual_seed(0)
        x = torch.randn((4, *in_shape), generator=gen)
        target = torch.zeros(4, dtype=torch.long)
        cpu = gpu_memory.build_model(spec, torch.float32, torch.device("cpu"))
        meta = gpu_memory.build_model(spec, torch.float32, torch.device("meta"))
        assert gpu_memory.measure_saved_bytes(cpu, x, target) == gpu_memory.measure_saved_bytes(
            meta, x.to("meta"), target.to("meta")
        )
        estimate = sum(row[2] for row in gpu_memory.estimate_activation_bytes(spec, in_shape, 4, 4))
        assert estimate == gpu_memory.measure_saved_bytes(cpu, x, target)[0]


def test_the_mlp_parameter_count_is_the_closed_form():
    values = run(model="mlp", width=2)
    h = 1024
    assert values["param_count"] == (784 * h + h) + (h * h + h) + (h * 10 + 10)


def test_adam_keeps_twice_the_parameters_momentum_once_and_sgd_nothing():
    adam, momentum, sgd = (run(model="cnn", optimizer=o) for o in ("adam", "sgd-momentum", "sgd"))
    assert adam["bytes.optimizer_state"] == 2 * adam["bytes.parameters"]
    assert momentum["bytes.optimizer_state"] == momentum["bytes.parameters"]
    assert sgd["bytes.optimizer_state"] == 0
    assert adam["bytes.gradients"] == adam["bytes.parameters"]


def test_half_precision_halves_the_parameter_bytes():
    fp32, fp16 = run(model="mlp", dtype="fp32"), run(model="mlp", dtype="fp16")
    assert fp16["bytes.parameters"] * 2 == fp32["bytes.parameters"]
    assert fp16["bytes.activations_measured"] < fp32["bytes.activations_measured"]


def test_one_million_fp32_parameters_with_adam_take_sixteen_megabytes():
    values = run(model="params", param_millions=1, optimizer="adam")
    assert values["mb.parameters"] == 4.0
    assert values["mb.total"] == 16.0
    assert values["activations_included"] is False


def test_activations_grow_in_proportion_to_the_batch():
    small, large = run(model="cnn", batch_size=16), run(model="cnn", batch_size=64)
    # everything but the scalar loss weight scales with the batch
    assert large["bytes.activations_measured"] - 4 == pytest.approx(4 * (small["bytes.activations_measured"] - 4))
    assert large["bytes.parameters"] == small["bytes.parameters"]


def test_a_billion_parameter_model_is_sized_without_allocating_it():
    values = run(model="mlp", width=64, batch_size=4096)
    assert values["param_count"] > 1_000_000_000
    assert values["gb.total"] > 16


def test_the_same_seed_gives_the_same_result():
    params = registry.validated_params("gpu-memory", {"model": "cnn"})[0]
    assert gpu_memory.run(params, seed=3) == gpu_memory.run(params, seed=3)


def test_bad_parameters_are_refused_with_messages_naming_the_field():
    errors = registry.validated_params("gpu-memory", {"dtype": "fp8", "batch_size": 0})[1]
    assert "fp32" in errors["dtype"]
    assert "at least 1" in errors["batch_size"]


def test_amp_keeps_model_state_in_fp32_and_halves_only_the_activations():
    fp32, amp, fp16 = (run(model="cnn", batch_size=128, dtype=d) for d in ("fp32", "amp-bf16", "fp16"))
    for part in ("parameters", "gradients", "optimizer_state"):
        assert amp[f"bytes.{part}"] == fp32[f"bytes.{part}"] == 2 * fp16[f"bytes.{part}"]
    assert amp["bytes.activations_estimated"] == fp16["bytes.activations_estimated"]
    assert amp["bytes.activations_estimated"] < 0.7 * fp32["bytes.activations_estimated"]
    assert amp["mb.autocast_weight_copies"] == amp["mb.parameters"] / 2
    assert amp["bytes.total"] < fp32["bytes.total"]
    assert amp["activation_error_pct"] < 5
