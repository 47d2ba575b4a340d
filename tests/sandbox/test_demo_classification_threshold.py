"""The classification-threshold demo: counts, curves and areas against rank formulas, and what imbalance does."""

import math

import numpy as np
import pytest

from sandbox import registry
from sandbox.demos import classification_threshold as demo


def params(**overrides):
    values, errors = registry.validated_params("classification-threshold", overrides)
    assert errors == {}
    return values


def mann_whitney_auc(labels, scores):
    """P(a random positive outranks a random negative), from average ranks (ties count one half)."""
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = labels.sum(), len(labels) - labels.sum()
    return (ranks[labels == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def average_precision_by_rank(labels, scores):
    """Mean over the positives of the precision among the examples scored at least as high (no ties)."""
    ranked = labels[np.argsort(-scores)]
    hits = np.cumsum(ranked)
    return np.mean((hits / np.arange(1, len(ranked) + 1))[ranked == 1])


@pytest.mark.parametrize("rate, separation, seed", [(0.1, 2.0, 0), (0.3, 0.5, 1), (0.02, 3.0, 2), (0.5, 1.0, 3)])
def test_areas_match_the_mann_whitney_statistic_and_precision_at_each_positive(rate, separation, seed):
    p = params(positive_rate=rate, separation=separation)
    labels, log_odds = demo.scores(p, seed)
    values = demo.run(p, seed=seed).values
    assert values["roc_auc"] == pytest.approx(mann_whitney_auc(labels, log_odds), abs=1e-12)
    assert values["pr_auc"] == pytest.approx(average_precision_by_rank(labels, log_odds), abs=1e-12)


def test_tied_scores_count_one_half_in_the_roc_area():
    labels = np.array([1.0, 0.0, 1.0, 0.0])
    scores = np.array([2.0, 2.0, 1.0, 0.0])
    # Positive/negative pairs: (2, 2) ties for 1/2, (2, 0) 1, (1, 2) 0, (1, 0) 1: 2.5 of 4.
    assert demo.curves(labels, scores)[3] == pytest.approx(mann_whitney_auc(labels, scores)) == 0.625


@pytest.mark.parametrize("threshold", [0.1, 0.5, 0.9])
def test_the_confusion_matrix_matches_a_direct_count_of_probabilities(threshold):
    p = params(threshold=threshold)
    labels, log_odds = demo.scores(p, 0)
    predicted = 1 / (1 + np.exp(-log_odds)) >= threshold
    tp, fp = np.sum(predicted & (labels == 1)), np.sum(predicted & (labels == 0))
    fn, tn = np.sum(~predicted & (labels == 1)), np.sum(~predicted & (labels == 0))
    values = demo.run(p, seed=0).values
    assert (values["tp"], values["fp"], values["fn"], values["tn"]) == (tp, fp, fn, tn)
    assert values["precision"] == pytest.approx(tp / (tp + fp))
    assert values["recall"] == pytest.approx(tp / (tp + fn))
    assert values["f1"] == pytest.approx(2 * tp / (2 * tp + fp + fn))  # the same as the harmonic mean


@pytest.mark.parametrize("separation", [0.5, 2.0, 3.5])
def test_roc_auc_is_near_the_binormal_closed_form(separation):
    values = demo.run(params(separation=separation, samples=20000), seed=0).values
    theory = 0.5 * (1 + math.erf(separation / 2))
    assert values["roc_auc.theory"] == pytest.approx(theory)
    assert values["roc_auc"] == pytest.approx(theory, abs=0.015)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_imbalance_leaves_roc_auc_in_place_and_pulls_pr_auc_down(seed):
    values = demo.run(params(), seed=seed).values
    assert abs(values["roc_auc"] - values["roc_auc.balanced"]) < 0.03
    assert values["pr_auc"] < values["pr_auc.balanced"] - 0.15
    assert values["pr_auc.random"] == pytest.approx(0.1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_with_rare_positives_accuracy_flatters_and_a_lower_threshold_raises_f1(seed):
    values = demo.run(params(), seed=seed).values
    assert values["accuracy.all_negative"] == pytest.approx(0.9)
    assert values["accuracy"] - values["accuracy.all_negative"] < 0.05  # accuracy barely beats "always negative"
    assert values["best_f1.threshold"] < 0.5 and values["best_f1"] > values["f1"]
    assert values["recall"] < 0.6


def test_recall_never_rises_with_the_threshold():
    recall = demo.run(params(), seed=0).charts[0].series[1].y
    assert all(a >= b for a, b in zip(recall, recall[1:]))
    assert recall[0] > 0.95 and recall[-1] < 0.1


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=4).to_dict() == demo.run(params(), seed=4).to_dict()


@pytest.mark.parametrize("raw, field", [({"threshold": 1}, "threshold"), ({"threshold": 0}, "threshold"),
                                        ({"positive_rate": 0.6}, "positive_rate"), ({"samples": 50}, "samples"),
                                        ({"separation": -1}, "separation"), ({"cutoff": 0.5}, "cutoff")])
def test_out_of_bounds_parameters_are_refused_with_the_field_named(raw, field):
    _, errors = registry.validated_params("classification-threshold", raw)
    assert set(errors) == {field}
