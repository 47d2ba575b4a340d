"""The leakage demo: on random labels, feature selection on all rows fakes accuracy; in-fold selection does not."""

import numpy as np
import pytest

from sandbox import registry
from sandbox.demos import leakage as demo


def run(seed=0, **overrides):
    params, errors = registry.validated_params("leakage", overrides)
    assert errors == {}
    return demo.run(params, seed=seed)


@pytest.fixture(scope="module", params=[0, 1, 2])
def seeded(request):
    return run(request.param).values


def test_selecting_features_on_all_rows_scores_far_above_chance(seeded):
    assert seeded["chance"] == 0.5
    assert seeded["accuracy.leaky_selection"] >= 0.7
    assert seeded["selection_effect"] >= 0.2


def test_selecting_features_inside_each_fold_scores_near_chance(seeded):
    assert abs(seeded["accuracy.correct_selection"] - 0.5) <= 0.15


def test_leaky_scaling_moves_the_score_far_less_than_leaky_selection(seeded):
    assert abs(seeded["scaling_effect"]) <= 0.1
    assert abs(seeded["scaling_effect"]) < seeded["selection_effect"]
    assert abs(seeded["accuracy.leaky_scaling"] - 0.5) <= 0.15


def test_the_best_of_many_models_on_the_test_set_is_inflated_but_fresh_data_gives_chance(seeded):
    assert seeded["model_selection.best_test_acc"] > seeded["model_selection.fresh_holdout_acc"]
    assert seeded["model_selection.best_test_acc"] >= 0.6
    assert abs(seeded["model_selection.fresh_holdout_acc"] - 0.5) <= 0.06  # 1,000 rows: std 0.016
    assert abs(seeded["model_selection.mean_test_acc"] - 0.5) <= 0.05


def test_even_random_features_reach_a_sizeable_correlation_with_random_labels(seeded):
    # The largest of 2,000 |r| on 100 rows sits near sqrt(2 ln 4000 / 100), about 0.4.
    assert 0.25 < seeded["max_abs_correlation"] < 0.55


def loop_correlations(x, y):
    return np.array([abs(np.corrcoef(x[:, j], y)[0, 1]) for j in range(x.shape[1])])


def loop_centroid_accuracy(x_train, y_train, x_test, y_test):
    mu0, mu1 = x_train[y_train == 0].mean(0), x_train[y_train == 1].mean(0)
    hits = [(np.linalg.norm(row - mu1) < np.linalg.norm(row - mu0)) == label for row, label in zip(x_test, y_test)]
    return np.mean(hits)


@pytest.mark.parametrize("scale_on_all", [False, True])
def test_in_fold_pipeline_matches_a_plain_loop_implementation(scale_on_all):
    rng = np.random.default_rng(7)
    x, y = demo.make_data(60, 300, rng)
    fold = rng.permutation(np.arange(60) % 4)
    columns = [demo.top_features(x[fold != f], y[fold != f], 5) for f in range(4)]
    got = demo.cross_validate(x, y, fold, columns, scale_on_all=scale_on_all)
    for f, cols in enumerate(columns):
        tr, te = fold != f, fold == f
        assert set(cols) == set(np.argsort(-loop_correlations(x[tr], y[tr]))[:5])
        sub = x[:, cols]
        ref = sub if scale_on_all else sub[tr]
        z = (sub - ref.mean(0)) / ref.std(0)
        assert got[f] == pytest.approx(loop_centroid_accuracy(z[tr], y[tr], z[te], y[te]), abs=1e-12)


def test_with_a_planted_signal_the_correct_pipeline_finds_it():
    rng = np.random.default_rng(3)
    x, y = demo.make_data(100, 500, rng)
    x[:, 17] += 2.0 * y  # one truly informative feature
    fold = rng.permutation(np.arange(100) % 5)
    columns = [demo.top_features(x[fold != f], y[fold != f], 1) for f in range(5)]
    assert all(list(cols) == [17] for cols in columns)
    assert np.mean(demo.cross_validate(x, y, fold, columns, scale_on_all=False)) > 0.75


@pytest.mark.parametrize("n,k", [(100, 5), (41, 3), (20, 2)])
def test_stratified_folds_spread_each_label_evenly(n, k):
    y = np.random.default_rng(1).permutation(np.arange(n) % 2)
    fold = demo.stratified_folds(y, k, np.random.default_rng(2))
    for c in (0, 1):
        counts = np.bincount(fold[y == c], minlength=k)
        assert counts.max() - counts.min() <= 1


def test_labels_are_balanced_and_independent_of_the_features():
    x, y = demo.make_data(100, 50, np.random.default_rng(0))
    assert y.sum() == 50 and x.shape == (100, 50)


def test_charts_show_three_pipelines_and_every_candidate_model():
    bars, models = run(models=30).charts
    assert [s.name for s in bars.series] == ["selection on all data", "scaling on all data", "both in fold (correct)"]
    assert len(models.series[0].y) == 30 and models.series[0].y == sorted(models.series[0].y)


def test_same_seed_gives_the_same_result():
    assert run(seed=9).to_dict() == run(seed=9).to_dict()


def test_it_refuses_more_kept_features_than_exist_and_folds_too_small_to_hold_both_labels():
    _, errors = registry.validated_params("leakage", {"features": 10, "top_k": 11, "samples": 20, "folds": 6})
    assert set(errors) == {"top_k", "folds"}


def test_it_refuses_out_of_range_sizes():
    _, errors = registry.validated_params("leakage", {"samples": 5, "models": 0})
    assert set(errors) == {"samples", "models"}
    _, errors = registry.validated_params("leakage", {"features": 4001, "models": 501})
    assert errors == {"features": "must be at most 4000 (got 4001)", "models": "must be at most 500 (got 501)"}
