"""The loss-functions demo: MAE shrugs off an outlier that dominates MSE; cross-entropy is -log softmax."""

import math

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import loss_functions as demo


def params(**overrides):
    values, errors = registry.validated_params("loss-functions", overrides)
    assert errors == {}
    return values


def residuals(n, outlier, seed):
    """The demo's residuals, rebuilt from the same seeded draw."""
    clean = (torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 0.5).numpy()
    dirty = clean.copy()
    dirty[-1] = outlier
    return clean, dirty


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_outlier_dominates_mse_but_not_mae(seed):
    values = demo.run(params(outlier=10.0), seed=seed).values
    assert values["outlier_share_of_mse"] > 0.9
    assert values["outlier_share_of_mae"] < values["outlier_share_of_mse"]
    mse_growth = values["mse.with_outlier"] / values["mse.clean"]
    mae_growth = values["mae.with_outlier"] / values["mae.clean"]
    assert mse_growth > 5 * mae_growth


@pytest.mark.parametrize("outlier", [0.0, 3.0, -25.0])
def test_mae_and_mse_match_numpy(outlier):
    values = demo.run(params(outlier=outlier, samples=15), seed=1).values
    clean, dirty = residuals(15, outlier, 1)
    assert values["mae.clean"] == pytest.approx(np.abs(clean).mean(), rel=1e-12)
    assert values["mae.with_outlier"] == pytest.approx(np.abs(dirty).mean(), rel=1e-12)
    assert values["mse.clean"] == pytest.approx((clean**2).mean(), rel=1e-12)
    assert values["mse.with_outlier"] == pytest.approx((dirty**2).mean(), rel=1e-12)
    assert values["outlier_share_of_mse"] == pytest.approx(outlier**2 / (dirty**2).sum(), rel=1e-12)


@pytest.mark.parametrize("samples,outlier", [(10, 10.0), (11, 50.0), (4, -100.0), (200, 100.0)])
def test_fitting_a_constant_gives_the_median_under_mae_and_the_mean_under_mse(samples, outlier):
    values = demo.run(params(samples=samples, outlier=outlier), seed=2).values
    _, dirty = residuals(samples, outlier, 2)
    targets = np.sort(3 + dirty)
    low, high = targets[(samples - 1) // 2], targets[samples // 2]  # any point between minimises MAE
    assert low - 0.01 <= values["fit.mae_constant"] <= high + 0.01
    assert values["fit.mse_constant"] == pytest.approx(targets.mean(), abs=1e-3)


def test_the_outlier_drags_the_mean_but_hardly_the_median():
    values = demo.run(params(samples=11, outlier=50.0), seed=0).values
    assert values["fit.mse_constant"] - values["fit.mse_constant_clean"] > 4
    assert abs(values["fit.mae_constant"] - values["fit.mae_constant_clean"]) < 0.5


@pytest.mark.parametrize("true_class,scale", [(0, 1.0), (3, 1.0), (1, 7.5), (2, 0.0)])
def test_cross_entropy_is_minus_log_softmax_of_the_true_class_every_way(true_class, scale):
    values = demo.run(params(true_class=true_class, logit_scale=scale), seed=0).values
    z = scale * np.array(demo.BASE_LOGITS)
    oracle = -(z[true_class] - np.log(np.exp(z).sum()))
    for name in ("ce.manual", "ce.torch", "ce.onehot", "ce.sparse"):
        assert values[name] == pytest.approx(oracle, abs=1e-12), name
    assert values["ce.p_true"] == pytest.approx(math.exp(-oracle), rel=1e-12)


def test_uniform_logits_give_log_of_the_class_count():
    assert demo.run(params(logit_scale=0.0), seed=0).values["ce.manual"] == pytest.approx(math.log(4), abs=1e-15)


@pytest.mark.parametrize("logit", [-20.0, -2.0, 0.0, 3.0, 20.0])
@pytest.mark.parametrize("target", [0.0, 0.3, 1.0])
def test_binary_cross_entropy_by_hand_matches_bce_with_logits(logit, target):
    values = demo.run(params(bce_logit=logit, bce_target=target, samples=3), seed=0).values
    assert values["bce.manual"] == pytest.approx(values["bce.torch"], rel=1e-12, abs=1e-15)
    p = 1 / (1 + math.exp(-logit))
    if 1e-6 < p < 1 - 1e-6:  # where the naive formula is still accurate
        naive = -(target * math.log(p) + (1 - target) * math.log(1 - p))
        assert values["bce.manual"] == pytest.approx(naive, rel=1e-9)


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=4).to_dict() == demo.run(params(), seed=4).to_dict()


def test_it_refuses_a_true_class_outside_the_four_logits_and_a_target_above_one():
    _, errors = registry.validated_params("loss-functions", {"true_class": 4, "bce_target": 1.5})
    assert set(errors) == {"true_class", "bce_target"}
