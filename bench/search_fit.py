"""Refit the covered decision of `concepts.search` on the tuning half of the independent eval set.

    .venv/bin/python bench/search_fit.py                       # every Korean tokenizer, writes the model file
    .venv/bin/python bench/search_fit.py --korean kiwi-bigram  # one tokenizer
    .venv/bin/python bench/search_fit.py --dry-run             # print, write nothing

The decision is a logistic model over the features `SearchIndex.features` computes for a query
(score and coverage of the first card, its margin over the second, how much of the query the
cards are about at all, whether one of the first card's names stands whole in the query, the
query's length). Labels: an in-scope case of the tuning sets (v2, v3, v4) is "covered"; an off-topic one,
and one whose cards are not in the database yet (pending: today nothing answers it), is not.
Classes are weighted to count equally; L2 keeps the weights small. The threshold is the lowest
that still turns away REJECT of the not-covered cases. The untouched set (v5) is never read.
Writes concepts/search/search_covered.json, one model per Korean tokenizer.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from search_eval import ROOT, config_from, existing_slugs, is_pending, setup_database, tuning_cases

L2 = 1.0
#: a pending case counts this much as "not covered" (an off-topic case: 1); it is near the content
#: as off-topic questions are, but its card will come
PENDING_WEIGHT = 0.15
#: the share of not-covered cases the threshold must turn away (the target is 90 % on the test half)
REJECT = 0.92


def feature_rows(index, cases: list[dict], pending_weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, case weights): in-scope cases are covered (1); off-topic ones are not (0),
    nor, with a smaller weight, pending ones (their cards are not written yet: nothing answers them)."""
    from concepts import search

    slugs = existing_slugs()
    rows, labels, weights = [], [], []
    for case in cases:
        ranking = index.rank(case["q"])
        pending = is_pending(case, slugs)
        if not ranking.hits or (pending and not pending_weight):
            continue  # nothing matched at all: "not covered" whatever the model says
        rows.append([ranking.features[name] for name in search.FEATURES])
        labels.append(1.0 if case["expect"] and not pending else 0.0)
        weights.append(pending_weight if pending else 1.0)
    return np.array(rows), np.array(labels), np.array(weights)


def fit_logistic(x: np.ndarray, y: np.ndarray, weights: np.ndarray,
                 l2: float = L2) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Class-balanced L2-regularized logistic regression by Newton's method on standardized features."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    sample = weights * np.where(y == 1, 0.5 / weights[y == 1].sum(), 0.5 / weights[y == 0].sum()) * len(y)
    penalty = l2 * np.eye(z.shape[1])
    penalty[0, 0] = 0.0  # the bias is not shrunk
    w = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (sample * (p - y)) + penalty @ w
        hessian = (z * (sample * p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[1:], float(w[0]), mean, scale


def best_threshold(p: np.ndarray, y: np.ndarray, weights: np.ndarray) -> float:
    """The lowest threshold that still answers "not covered" to REJECT of the off-topic cases:
    the fewest in-scope questions turned away for that honesty."""
    neg = (y == 0) & (weights == 1)  # the off-topic cases (pending ones will be covered)
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        if (p[neg] < t).mean() >= REJECT:
            return float(t)
    return 0.95


def fit(korean: str, cases: list[dict], pending_weight: float = PENDING_WEIGHT, overrides=None) -> dict:
    from concepts import search

    placeholder = search.CoveredModel(weights=(0.0,) * len(search.FEATURES), bias=0.0,
                                      mean=(0.0,) * len(search.FEATURES), scale=(1.0,) * len(search.FEATURES))
    config = config_from(korean, overrides)
    index = search.SearchIndex(search.card_texts(), config, model=placeholder)
    x, y, case_weights = feature_rows(index, cases, pending_weight)
    weights, bias, mean, scale = fit_logistic(x, y, case_weights)
    p = 1 / (1 + np.exp(-(bias + ((x - mean) / scale) @ weights)))
    threshold = best_threshold(p, y, case_weights)
    print(f"{korean}: {len(y)} cases ({int(y.sum())} covered, {int(len(y) - y.sum())} not); "
          f"threshold {threshold:.2f}: covered kept {(p[y == 1] >= threshold).mean():.1%}, "
          f"not covered kept {(p[y == 0] < threshold).mean():.1%}")
    for name, w in zip(search.FEATURES, weights):
        print(f"    {name:<14} {w:+.3f}")
    return {"features": list(search.FEATURES), "weights": [round(float(w), 5) for w in weights],
            "bias": round(bias, 5), "mean": [round(float(m), 5) for m in mean],
            "scale": [round(float(s), 5) for s in scale], "threshold": threshold,
            "fitted_on": f"search_eval_v2/v3/v4.yaml (tuning), {len(y)} cases, pending weight {pending_weight}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--korean", action="append", help="a Korean tokenizer to fit for (default: all)")
    parser.add_argument("--pending-weight", type=float, default=PENDING_WEIGHT,
                        help="weight of a pending case as 'not covered' (0: leave them out)")
    parser.add_argument("--config", action="append", help="override a search.Config field: name=value")
    parser.add_argument("--dry-run", action="store_true", help="print the fit, write nothing")
    args = parser.parse_args()
    setup_database()
    from concepts import search

    cases = tuning_cases()
    path = search.COVERED_MODEL_FILE
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.setdefault("about", "Covered decision of concepts/search (covered.py), one logistic model per Korean "
                             "tokenizer; written by bench/search_fit.py, do not edit by hand.")
    models = data.setdefault("models", {})
    for korean in args.korean or search.KOREAN_TOKENIZERS:
        models[korean] = fit(korean, cases, args.pending_weight, args.config)
    if not args.dry_run:
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
