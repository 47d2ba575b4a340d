"""The dropout demo: inverted dropout keeps the expected training output equal to the eval output."""

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import dropout as demo


def params(**overrides):
    values, errors = registry.validated_params("dropout", overrides)
    assert errors == {}
    return values


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_train_and_unscaled_means_match_a_numpy_recount_of_the_same_masks(p):
    ps = params(p=p, units=64, masks=200)
    h, *_ = demo.network(ps, 3)
    keep = demo.masks(ps, 3).numpy()
    values = demo.run(ps, seed=3).values
    assert values["scale"] == pytest.approx(1 / (1 - p), rel=1e-15)
    assert values["mean_activation.train"] == pytest.approx(np.mean(h.numpy() * keep / (1 - p)), rel=1e-12)
    assert values["mean_activation.train_unscaled"] == pytest.approx(np.mean(h.numpy() * keep), rel=1e-12)
    assert values["kept_fraction"] == pytest.approx(keep.mean(), abs=0)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_inverted_dropout_keeps_the_expected_output_and_no_scale_shrinks_it_by_one_minus_p(p):
    values = demo.run(params(p=p), seed=0).values
    # Binomial noise of the kept share over masks x units draws; 5 standard errors of the ratio.
    n = 1000 * 256
    tol = 5 * (p / (1 - p) / n) ** 0.5 * 3  # x3: unit outputs are unequal, which widens the spread
    assert values["ratio.train_to_eval"] == pytest.approx(1.0, abs=tol)
    assert values["ratio.unscaled_to_eval"] == pytest.approx(1 - p, abs=tol * (1 - p))


def test_the_demo_scales_kept_units_as_torch_dropout_does():
    ps = params(p=0.3)
    h, *_ = demo.network(ps, 0)
    torch.manual_seed(0)
    out = torch.nn.functional.dropout(h, p=0.3, training=True)
    kept = out != 0
    assert torch.allclose(out[kept], h[kept] / 0.7, rtol=1e-12)
    assert torch.equal(torch.nn.functional.dropout(h, p=0.3, training=False), h)  # eval: the identity
    assert demo.run(ps, seed=0).values["scale"] == pytest.approx(1 / 0.7)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_mask_average_of_a_linear_readout_converges_to_the_eval_output(seed):
    ps = params()
    h, v, _ = demo.network(ps, seed)
    values = demo.run(ps, seed=seed).values
    assert values["linear.eval"] == pytest.approx(float(h.numpy() @ v.numpy()), rel=1e-12)  # E[train] = eval exactly
    assert values["linear.ensemble_error"] < 4 * values["linear.ensemble_stderr"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_after_a_nonlinearity_the_eval_output_only_approximates_the_ensemble(seed):
    values = demo.run(params(), seed=seed).values
    assert values["nonlinear.ensemble_error"] > 5 * values["nonlinear.ensemble_stderr"]


def test_a_training_pass_zeroes_about_p_of_the_units_on_top_of_relu_zeros():
    values = demo.run(params(p=0.5), seed=0).values
    expected = values["zero_fraction.eval"] + (1 - values["zero_fraction.eval"]) * 0.5
    assert values["zero_fraction.train"] == pytest.approx(expected, abs=0.01)
    assert values["subnetworks_log10"] == pytest.approx(256 * np.log10(2))


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=4).to_dict() == demo.run(params(), seed=4).to_dict()


@pytest.mark.parametrize("raw, field", [({"p": 1.0}, "p"), ({"p": 0}, "p"), ({"units": 4096}, "units"),
                                        ({"masks": 5}, "masks"), ({"rate": 0.5}, "rate")])
def test_out_of_bounds_parameters_are_refused_with_the_field_named(raw, field):
    _, errors = registry.validated_params("dropout", raw)
    assert set(errors) == {field}
