"""Hold-out vs K-fold vs leave-one-out: the same accuracy estimated three ways, and how much each varies.

One seeded dataset: `samples` points, half per class, x ~ N(±(`separation`/2, 0), I₂), so the
best possible accuracy is Φ(separation/2). The model is a nearest-centroid classifier.
Hold-out: `repeats` random stratified splits with `test_fraction` held out (1 fit each).
K-fold: `repeats` stratified shuffles into `folds` folds; each estimate is the MEAN of the
K fold accuracies (K fits). LOOCV: N fits, one estimate (no shuffling, so no spread).
`true_accuracy` scores the model fitted on all the data on 20,000 fresh points.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "교차 검증: 홀드아웃, K-겹, LOOCV", "en": "Cross-validation: hold-out, K-fold, LOOCV"}
DESCRIPTION = {
    "ko": "같은 데이터에서 홀드아웃, K-겹, LOOCV로 정확도를 추정하고, 분할을 바꿀 때 추정값이 얼마나 흔들리는지 비교합니다. "
    "K-겹 추정값은 폴드 점수의 평균입니다(합이 아님).",
    "en": "Estimates one model's accuracy on one dataset by hold-out, K-fold and LOOCV, and compares how much each "
    "estimate moves when the split changes. The K-fold estimate is the mean of the fold scores (not their sum).",
}
FRESH = 20_000
PARAMS = (
    Param(name="samples", kind="int", default=60, min=20, max=300,
          label_ko="샘플 수 N", label_en="Samples N",
          help_ko="데이터 점의 수 (클래스마다 절반)", help_en="Data points (half per class)"),
    Param(name="folds", kind="int", default=5, min=2, max=20,
          label_ko="폴드 수 K", label_en="Folds K",
          help_ko="K-겹 교차 검증의 K", help_en="K of K-fold cross-validation"),
    Param(name="repeats", kind="int", default=200, min=10, max=1000,
          label_ko="반복 수", label_en="Repeats",
          help_ko="홀드아웃 분할 수, K-겹을 다시 섞는 횟수", help_en="Hold-out splits, and K-fold reshuffles"),
    Param(name="test_fraction", kind="float", default=0.25, min=0.1, max=0.5,
          label_ko="홀드아웃 비율", label_en="Hold-out fraction",
          help_ko="홀드아웃에서 테스트로 떼는 비율", help_en="Share of the data held out for testing"),
    Param(name="separation", kind="float", default=1.5, min=0, max=4,
          label_ko="클래스 간격", label_en="Class separation",
          help_ko="두 클래스 평균 사이의 거리 (표준편차 단위)",
          help_en="Distance between the class means (in noise standard deviations)"),
)


def check(values: dict[str, Any]) -> dict[str, str]:
    if values["folds"] > values["samples"] // 4:
        return {"folds": f"must be at most samples / 4 = {values['samples'] // 4} (at least 4 points per fold)"}
    return {}


def make_data(n: int, separation: float, rng):
    import numpy as np

    y = np.arange(n) % 2
    x = rng.standard_normal((n, 2))
    x[:, 0] += (y - 0.5) * separation
    return x, y


def class_ranks(y, repeats: int, rng):
    """(repeats, N): each point's random rank among the points of its class, reshuffled per repeat."""
    import numpy as np

    ranks = np.empty((repeats, len(y)), dtype=int)
    for c in (0, 1):
        rows = np.flatnonzero(y == c)
        ranks[:, rows] = rng.random((repeats, len(rows))).argsort(axis=1).argsort(axis=1)
    return ranks


def split_accuracy(x, y, train, test):
    """Accuracy on `test` of a nearest-centroid model fitted on `train`, for each row of the (S, N) masks."""
    import numpy as np

    dist = []
    for c in (0, 1):
        w = (train & (y == c)).astype(float)
        mu = w @ x / w.sum(1, keepdims=True)  # (S, 2) centroid of class c per split
        dist.append((x**2).sum(1)[None] - 2 * mu @ x.T + (mu**2).sum(1, keepdims=True))
    hit = (dist[1] < dist[0]) == (y == 1)[None]
    return (hit & test).sum(1) / test.sum(1)


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import numpy as np

    n, k, r, frac = params["samples"], params["folds"], params["repeats"], params["test_fraction"]
    rng = np.random.default_rng(seed)
    x, y = make_data(n, params["separation"], rng)
    held = class_ranks(y, r, rng) < round(frac * n / 2)  # the same share of each class held out
    holdout = split_accuracy(x, y, ~held, held)
    fold = class_ranks(y, r, rng) % k
    fold_scores = np.stack([split_accuracy(x, y, fold != f, fold == f) for f in range(k)], axis=1)  # (R, K)
    kfold = fold_scores.mean(1)  # the estimate is the mean of the K fold scores
    eye = np.eye(n, dtype=bool)
    loocv = float(split_accuracy(x, y, ~eye, eye).mean())
    fresh_x, fresh_y = make_data(FRESH, params["separation"], rng)
    mu = np.stack([x[y == c].mean(0) for c in (0, 1)])
    true_acc = float((((fresh_x[:, None] - mu) ** 2).sum(-1).argmin(1) == fresh_y).mean())
    values: dict[str, Any] = {
        "mean.holdout": float(holdout.mean()), "std.holdout": float(holdout.std()),
        "mean.kfold": float(kfold.mean()), "std.kfold": float(kfold.std()), "estimate.loocv": loocv,
        "fits.holdout": 1, "fits.kfold": k, "fits.loocv": n, "fits_total.holdout": r, "fits_total.kfold": r * k,
        "holdout_test_size": int(held[0].sum()), "kfold_first.estimate": float(kfold[0]),
        "true_accuracy": true_acc, "bayes_accuracy": 0.5 * (1 + math.erf(params["separation"] / 2 / math.sqrt(2))),
    }

    q = np.linspace(0, 1, min(r, 200))
    idx = np.round(q * (r - 1)).astype(int)
    charts = [Chart(
        "line", {"ko": "분할을 바꿀 때 추정값의 분포 (정렬)", "en": "Distribution of the estimates over splits (sorted)"},
        {"ko": "분위 (0 = 가장 낮은 추정)", "en": "quantile (0 = lowest estimate)"},
        {"ko": "추정 정확도", "en": "estimated accuracy"},
        [Series({"ko": f"hold-out (테스트 {values['holdout_test_size']}개)",
                 "en": f"hold-out ({values['holdout_test_size']} test points)"}, q.tolist(), np.sort(holdout)[idx].tolist()),
         Series({"ko": f"{k}-fold (폴드 평균)", "en": f"{k}-fold (mean of folds)"}, q.tolist(), np.sort(kfold)[idx].tolist()),
         Series({"ko": f"LOOCV ({n}번 학습)", "en": f"LOOCV ({n} fits)"}, [0.0, 1.0], [loocv, loocv]),
         Series({"ko": "새 데이터에서의 정확도", "en": "accuracy on fresh data"}, [0.0, 1.0], [true_acc, true_acc])])]
    tables = {
        "estimators": Table(columns=[{"ko": "추정 방법", "en": "estimator"},
                                     {"ko": "추정당 학습 횟수", "en": "fits per estimate"},
                                     {"ko": "평균", "en": "mean"}, "std", "min", "max"],
                            rows=[["hold-out", 1, *(float(f(holdout)) for f in (np.mean, np.std, np.min, np.max))],
                                  [f"{k}-fold", k, *(float(f(kfold)) for f in (np.mean, np.std, np.min, np.max))],
                                  ["LOOCV", n, loocv, 0.0, loocv, loocv]]),
        "first_kfold": Table(columns=[{"ko": "폴드", "en": "fold"}, {"ko": "테스트 점 수", "en": "test points"},
                                      {"ko": "정확도", "en": "accuracy"}],
                             rows=[[f + 1, int((fold[0] == f).sum()), float(fold_scores[0, f])] for f in range(k)]),
    }
    v = values
    return DemoResult(
        values=values,
        charts=charts,
        tables=tables,
        summary={
            "ko": f"홀드아웃 추정은 평균 {v['mean.holdout']:.3f}, 표준편차 {v['std.holdout']:.3f}이고 {k}-겹(폴드 점수의 평균)은 "
            f"평균 {v['mean.kfold']:.3f}, 표준편차 {v['std.kfold']:.3f}입니다. 추정 하나에 홀드아웃은 1번, {k}-겹은 {k}번, "
            f"LOOCV는 {n}번 학습하며 LOOCV 추정은 {loocv:.3f}입니다.",
            "en": f"Hold-out estimates average {v['mean.holdout']:.3f} with std {v['std.holdout']:.3f}; {k}-fold (the "
            f"mean of the fold scores) averages {v['mean.kfold']:.3f} with std {v['std.kfold']:.3f}. One estimate "
            f"takes 1 fit by hold-out, {k} by {k}-fold and {n} by LOOCV, which gives {loocv:.3f}.",
        },
    )
