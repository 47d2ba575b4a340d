"""The initialization demo: He keeps ReLU activations in scale, small init collapses, constant init stays symmetric."""

import math

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import initialization as demo


def params(**overrides):
    values, errors = registry.validated_params("initialization", overrides)
    assert errors == {}
    return values


@pytest.fixture(scope="module")
def runs():
    """Default runs for seeds 0..2, computed once: the claims must hold for each."""
    return {seed: demo.run(params(), seed=seed).values for seed in (0, 1, 2)}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_he_init_keeps_relu_activation_std_within_a_factor_of_two_over_20_layers(runs, seed):
    assert 0.5 <= runs[seed]["std_ratio_last_to_first.he_relu"] <= 2.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_small_random_init_collapses_relu_and_tanh_activations_by_orders_of_magnitude(runs, seed):
    assert runs[seed]["std_ratio_last_to_first.small_relu"] < 1e-6
    assert runs[seed]["std_ratio_last_to_first.small_tanh"] < 1e-6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_large_random_init_explodes_relu_activations(runs, seed):
    assert runs[seed]["std_ratio_last_to_first.large_relu"] > 1e6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_xavier_keeps_tanh_activations_in_a_reasonable_band(runs, seed):
    # tanh contracts, so the std decays slowly (not geometrically): within a factor 10 over 20 layers.
    assert 0.1 <= runs[seed]["std_ratio_last_to_first.xavier_tanh"] <= 1.0
    assert runs[seed]["std_last_layer.xavier_tanh"] > 0.05


def test_first_layer_std_matches_the_gaussian_closed_form():
    # z ~ N(0, s^2) with s^2 = width * scale^2; std(relu(z)) = s * sqrt((1 - 1/pi) / 2).
    values = demo.run(params(depth=2), seed=0).values
    he_z = math.sqrt(256 * 2 / 256)
    small_z = math.sqrt(256 * 0.01**2)
    factor = math.sqrt((1 - 1 / math.pi) / 2)
    assert values["std_first_layer.he_relu"] == pytest.approx(he_z * factor, rel=0.05)
    assert values["std_first_layer.small_relu"] == pytest.approx(small_z * factor, rel=0.05)


def test_layer_stds_match_a_numpy_forward_pass():
    gen = torch.Generator().manual_seed(7)
    x = torch.randn(demo.SAMPLES, 32, generator=gen, dtype=torch.float64).numpy()
    base = [torch.randn(32, 32, generator=gen, dtype=torch.float64).numpy() for _ in range(3)]
    h = x
    expected = []
    for w in base:
        h = np.tanh(h @ (w * math.sqrt(2 / 64)))
        expected.append(h.std(ddof=1))
    np.testing.assert_allclose(demo.layer_stds(3, 32, seed=7)["xavier_tanh"], expected, rtol=1e-12)


def test_zero_init_is_all_zero_and_gets_no_ratio(runs):
    assert runs[0]["std_last_layer.zero_relu"] == runs[0]["std_last_layer.zero_tanh"] == 0.0
    assert "std_ratio_last_to_first.zero_relu" not in runs[0]


@pytest.mark.parametrize("constant", [0.0, 0.5, -1.3, 2.0])
def test_constant_init_leaves_every_hidden_unit_identical_after_training(constant):
    values = demo.run(params(constant=constant, steps=100, depth=2, width=16), seed=1).values
    assert values["zero_init_identical_units"] is True
    assert values["zero_init_max_unit_difference"] == 0.0
    assert values["constant_init_identical_units"] is True
    assert values["constant_init_max_unit_difference"] == 0.0
    assert values["random_init_max_unit_difference"] > 0.1


def test_constant_init_units_do_learn_but_in_lockstep():
    # Not trivially frozen: with a nonzero constant the shared weights move during training.
    values = demo.run(params(constant=0.5, steps=50, depth=2, width=16), seed=0).values
    assert values["constant_init_weight_change"] > 1e-3
    assert values["constant_init_max_unit_difference"] == 0.0


def test_the_symmetry_check_compares_units_row_by_row():
    before, after = demo.train_small_mlp("constant", 0.3, 5, seed=0)
    for rows in after:
        assert all(torch.equal(rows[0], row) for row in rows)
    assert [r.shape for r in before] == [(8, 3), (8, 9)]


def test_chart_leaves_out_zero_init_and_follows_the_activation_parameter():
    (chart,) = demo.run(params(activation="tanh", depth=5, width=32), seed=0).charts
    assert chart.log_y and "tanh" in chart.title["en"]
    assert [s.name for s in chart.series] == ["small", "large", "xavier", "he"]


def test_same_seed_gives_the_same_result():
    p = params(depth=6, width=64, steps=10)
    assert demo.run(p, seed=4).to_dict() == demo.run(p, seed=4).to_dict()


def test_it_refuses_too_wide_a_network_and_an_unknown_activation():
    _, errors = registry.validated_params("initialization", {"width": 4096, "activation": "gelu"})
    assert set(errors) == {"width", "activation"}
    _, errors = registry.validated_params("initialization", {"steps": 201})
    assert errors == {"steps": "must be at most 200 (got 201)"}
