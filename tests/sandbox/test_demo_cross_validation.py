"""The cross-validation demo: hold-out estimates scatter more than K-fold ones; K-fold is the MEAN of fold scores."""

import numpy as np
import pytest

from sandbox import registry
from sandbox.demos import cross_validation as demo


def run(seed=0, **overrides):
    params, errors = registry.validated_params("cross-validation", overrides)
    assert errors == {}
    return demo.run(params, seed=seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hold_out_spread_across_splits_is_larger_than_k_fold_spread_across_reshuffles(seed):
    values = run(seed).values
    assert values["std.holdout"] > 2 * values["std.kfold"]
    assert values["std.kfold"] > 0  # reshuffling does move the K-fold estimate a little


@pytest.mark.parametrize("n,k", [(60, 5), (62, 5), (41, 3), (100, 10)])
def test_the_k_fold_estimate_is_the_mean_of_the_fold_scores_not_their_sum(n, k):
    result = run(samples=n, folds=k)
    rows = result.tables["first_kfold"].rows
    scores = [acc for _, _, acc in rows]
    assert len(scores) == k and sum(size for _, size, _ in rows) == n
    assert result.values["kfold_first.estimate"] == pytest.approx(np.mean(scores), abs=1e-12)
    assert result.values["kfold_first.estimate"] != pytest.approx(sum(scores))
    assert 0 <= result.values["kfold_first.estimate"] <= 1 < sum(scores)


@pytest.mark.parametrize("n,k", [(60, 5), (20, 5), (300, 20)])
def test_each_estimator_counts_its_fits(n, k):
    values = run(samples=n, folds=k, repeats=10).values
    assert (values["fits.holdout"], values["fits.kfold"], values["fits.loocv"]) == (1, k, n)
    assert values["fits_total.kfold"] == 10 * k and values["fits_total.holdout"] == 10


def loop_loocv(x, y):
    """Leave each point out, fit the two centroids on the rest, predict it."""
    hits = 0
    for i in range(len(y)):
        rest = np.arange(len(y)) != i
        mu = [x[rest & (y == c)].mean(0) for c in (0, 1)]
        pred = int(np.linalg.norm(x[i] - mu[1]) < np.linalg.norm(x[i] - mu[0]))
        hits += pred == y[i]
    return hits / len(y)


@pytest.mark.parametrize("seed,n,sep", [(0, 60, 1.5), (1, 25, 0.5), (2, 120, 3.0)])
def test_loocv_matches_a_plain_loop_over_the_points(seed, n, sep):
    values = run(seed, samples=n, separation=sep, folds=2).values
    x, y = demo.make_data(n, sep, np.random.default_rng(seed))  # the demo's first draw
    assert values["estimate.loocv"] == pytest.approx(loop_loocv(x, y), abs=1e-12)


def test_vectorised_split_scores_match_a_loop_on_random_masks():
    rng = np.random.default_rng(5)
    x, y = demo.make_data(30, 1.0, rng)
    test = demo.class_ranks(y, 12, rng) < 4
    got = demo.split_accuracy(x, y, ~test, test)
    for s in range(12):
        mu = [x[~test[s] & (y == c)].mean(0) for c in (0, 1)]
        pred = (np.linalg.norm(x - mu[1], axis=1) < np.linalg.norm(x - mu[0], axis=1)).astype(int)
        assert got[s] == pytest.approx((pred == y)[test[s]].mean(), abs=1e-12)


def test_hold_out_holds_out_the_same_share_of_each_class():
    values = run(samples=60, test_fraction=0.25).values
    assert values["holdout_test_size"] == 2 * round(0.25 * 30)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_three_estimators_agree_on_average(seed):
    values = run(seed).values
    assert abs(values["mean.holdout"] - values["mean.kfold"]) < 0.05
    assert abs(values["estimate.loocv"] - values["mean.kfold"]) < 0.05
    assert values["bayes_accuracy"] == pytest.approx(0.7734, abs=1e-4)  # Phi(0.75)


def test_chart_shows_sorted_estimates_for_each_estimator():
    (chart,) = run(repeats=500).charts
    holdout, kfold, loocv, fresh = chart.series
    assert len(holdout.y) == len(kfold.y) == 200 and holdout.y == sorted(holdout.y) and kfold.y == sorted(kfold.y)
    assert loocv.y[0] == loocv.y[1] and len(fresh.y) == 2


def test_same_seed_gives_the_same_result():
    assert run(seed=3).to_dict() == run(seed=3).to_dict()


def test_it_refuses_folds_that_would_hold_fewer_than_four_points_and_an_out_of_range_fraction():
    _, errors = registry.validated_params("cross-validation", {"samples": 20, "folds": 6})
    assert set(errors) == {"folds"} and "samples" in errors["folds"]
    _, errors = registry.validated_params("cross-validation", {"test_fraction": 0.9, "repeats": 5})
    assert set(errors) == {"test_fraction", "repeats"}
