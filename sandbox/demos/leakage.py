"""Data leakage: on random labels, selecting features with all the data fakes a good score.

`samples` rows of `features` independent N(0, 1) features and balanced labels drawn
independently of them, so no classifier can beat chance on new data. The classifier is a
nearest centroid on `top_k` features chosen by |correlation| with the label, scored by
stratified `folds`-fold cross-validation (the same folds for every pipeline):
(a) leaky: features chosen once on ALL rows; (b) correct: chosen on each training fold;
(c) standardising with all rows vs with the training fold (both choose features in-fold).
(d) Model selection: `models` centroid classifiers on random `top_k`-feature subsets are
trained on one (stratified) half and scored on the other; the best one is then scored on 1,000 fresh rows.
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "데이터 누수: 무작위 라벨에서 부풀려진 점수", "en": "Data leakage: inflated scores on random labels"}
DESCRIPTION = {
    "ko": "라벨이 특성과 무관한 데이터에서, 전체 데이터로 특성을 고른 뒤 교차 검증하면 정확도가 우연 수준(0.5)을 크게 "
    "넘습니다. 특성 선택을 각 훈련 폴드 안에서 하면 0.5 근처로 돌아옵니다. 여러 모델 중 테스트 점수로 고른 최고 점수도 "
    "새 데이터에서는 0.5입니다.",
    "en": "With labels independent of the features, choosing features on all the data and then cross-validating "
    "scores far above chance (0.5); choosing them inside each training fold brings it back near 0.5. The best of many "
    "models picked by its test score also falls to 0.5 on fresh data.",
}
FRESH = 1000
PARAMS = (
    Param(name="samples", kind="int", default=100, min=20, max=400,
          label_ko="샘플 수", label_en="Samples",
          help_ko="행(표본)의 수", help_en="Rows (examples)"),
    Param(name="features", kind="int", default=2000, min=10, max=4000,
          label_ko="특성 수", label_en="Features",
          help_ko="라벨과 무관한 무작위 특성의 수", help_en="Random features, all unrelated to the label"),
    Param(name="top_k", kind="int", default=20, min=1, max=200,
          label_ko="선택할 특성 수 k", label_en="Features kept (k)",
          help_ko="라벨과 상관이 가장 큰 k개 특성을 씁니다", help_en="The k features most correlated with the label are kept"),
    Param(name="folds", kind="int", default=5, min=2, max=20,
          label_ko="폴드 수 K", label_en="Folds (K)",
          help_ko="K-겹 교차 검증의 K", help_en="K of K-fold cross-validation"),
    Param(name="models", kind="int", default=200, min=2, max=500,
          label_ko="후보 모델 수 M", label_en="Candidate models (M)",
          help_ko="테스트 점수로 최고를 고를 무작위 모델 수", help_en="Random models whose best test score is picked"),
)


def check(values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if values["top_k"] > values["features"]:
        errors["top_k"] = f"must be at most features = {values['features']} (got {values['top_k']})"
    if values["folds"] > values["samples"] // 4:
        errors["folds"] = f"must be at most samples / 4 = {values['samples'] // 4} (at least 4 rows per fold)"
    return errors


def make_data(n: int, p: int, rng):
    """Features and balanced 0/1 labels drawn independently of each other."""
    import numpy as np

    return rng.standard_normal((n, p)), rng.permutation(np.arange(n) % 2)


def stratified_folds(y, k: int, rng):
    """Fold number per row, each label spread evenly over the folds (so every training part holds both)."""
    import numpy as np

    fold = np.empty(len(y), dtype=int)
    for c in (0, 1):
        rows = np.flatnonzero(y == c)
        fold[rows] = rng.permutation(len(rows)) % k
    return fold


def abs_correlations(x, y):
    """|Pearson correlation| of each column of x with y."""
    import numpy as np

    xc, yc = x - x.mean(0), y - y.mean()
    return np.abs(xc.T @ yc) / (np.sqrt((xc**2).sum(0)) * np.sqrt((yc**2).sum()))


def top_features(x, y, k: int):
    """Indices of the k columns with the largest |correlation| with y."""
    import numpy as np

    return np.argpartition(-abs_correlations(x, y), k - 1)[:k]


def centroid_accuracy(x_train, y_train, x_test, y_test) -> float:
    """Share of test rows whose nearer class centroid (Euclidean) has their label."""
    import numpy as np

    mu = np.stack([x_train[y_train == c].mean(0) for c in (0, 1)])
    pred = ((x_test[:, None, :] - mu[None]) ** 2).sum(-1).argmin(1)
    return float((pred == y_test).mean())


def cross_validate(x, y, fold, columns, *, scale_on_all: bool) -> list[float]:
    """Accuracy of each fold; `fold[i]` is row i's fold, `columns[f]` the features used for fold f.

    Standardising a column does not change its correlation with the label, so the features
    can be chosen before scaling; only the chosen columns are standardised.
    """
    scores = []
    for f, cols in enumerate(columns):
        tr, te = fold != f, fold == f
        sub = x[:, cols]
        ref = sub if scale_on_all else sub[tr]  # the rows the standardisation is fitted on
        z = (sub - ref.mean(0)) / ref.std(0)
        scores.append(centroid_accuracy(z[tr], y[tr], z[te], y[te]))
    return scores


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import numpy as np

    n, p, k, n_folds, m = (params[name] for name in ("samples", "features", "top_k", "folds", "models"))
    rng = np.random.default_rng(seed)
    x, y = make_data(n, p, rng)
    fold = stratified_folds(y, n_folds, rng)
    in_fold = [top_features(x[fold != f], y[fold != f], k) for f in range(n_folds)]
    on_all = [top_features(x, y, k)] * n_folds
    per_fold = {"leaky_selection": cross_validate(x, y, fold, on_all, scale_on_all=False),
                "leaky_scaling": cross_validate(x, y, fold, in_fold, scale_on_all=True),
                "in_fold": cross_validate(x, y, fold, in_fold, scale_on_all=False)}
    values: dict[str, Any] = {"chance": float(max(y.mean(), 1 - y.mean())), "samples": n, "features": p,
                              "top_k": k, "folds": n_folds}
    for name, scores in per_fold.items():
        values[f"accuracy.{name}"] = float(np.mean(scores))
    # The in-fold pipeline is the correct counterpart of both leaks.
    values["accuracy.correct_selection"] = values["accuracy.correct_scaling"] = values.pop("accuracy.in_fold")
    values["selection_effect"] = values["accuracy.leaky_selection"] - values["accuracy.correct_selection"]
    values["scaling_effect"] = values["accuracy.leaky_scaling"] - values["accuracy.correct_scaling"]
    values["max_abs_correlation"] = float(abs_correlations(x, y).max())

    half = stratified_folds(y, 2, rng)
    (x_tr, y_tr), (x_te, y_te) = ((x[half == part], y[half == part]) for part in (0, 1))
    subsets = [rng.choice(p, k, replace=False) for _ in range(m)]
    # x[:, s] gathers k scattered columns from every row (slow for wide x); rows of x.T are
    # contiguous, and the C-ordered copy back holds the same numbers in the same layout.
    cols_tr, cols_te = x_tr.T.copy(), x_te.T.copy()
    test_acc = np.array([centroid_accuracy(np.ascontiguousarray(cols_tr[s].T), y_tr,
                                           np.ascontiguousarray(cols_te[s].T), y_te) for s in subsets])
    best = int(test_acc.argmax())
    fresh_x, fresh_y = make_data(FRESH, k, rng)  # features are i.i.d., so fresh columns for the chosen subset suffice
    fresh_acc = centroid_accuracy(x_tr[:, subsets[best]], y_tr, fresh_x, fresh_y)
    values.update({"model_selection.best_test_acc": float(test_acc[best]),
                   "model_selection.mean_test_acc": float(test_acc.mean()),
                   "model_selection.fresh_holdout_acc": fresh_acc, "model_selection.models": m,
                   "model_selection.test_size": len(y_te)})

    labels = {"leaky_selection": {"ko": "전체 데이터로 특성 선택", "en": "selection on all data"},
              "leaky_scaling": {"ko": "전체 데이터로 스케일링", "en": "scaling on all data"},
              "in_fold": {"ko": "둘 다 폴드 안에서 (올바름)", "en": "both in fold (correct)"}}
    charts = [
        Chart("bar", {"ko": "무작위 라벨에서의 교차 검증 정확도 (우연 = 0.5)",
                      "en": "Cross-validated accuracy on random labels (chance = 0.5)"},
              {"ko": "파이프라인", "en": "pipeline"}, {"ko": "정확도", "en": "accuracy"},
              [Series(labels[name], [float(i)], [float(np.mean(scores))])
               for i, (name, scores) in enumerate(per_fold.items(), 1)]),
        Chart("scatter", {"ko": f"후보 모델 {m}개의 테스트 정확도와 최고 모델의 새 데이터 정확도",
                          "en": f"Test accuracy of {m} candidate models, and the best one on fresh data"},
              {"ko": "순위 (낮은 점수부터)", "en": "rank (lowest score first)"}, {"ko": "정확도", "en": "accuracy"},
              [Series({"ko": "테스트 점수", "en": "test score"}, [float(i) for i in range(m)], np.sort(test_acc).tolist()),
               Series({"ko": "최고 모델의 새 데이터 점수", "en": "best model on fresh data"}, [float(m - 1)], [fresh_acc])]),
    ]
    table = Table(columns=[{"ko": "폴드", "en": "fold"}, *labels.values()],
                  rows=[[f + 1, *(scores[f] for scores in per_fold.values())] for f in range(n_folds)])
    v = values
    return DemoResult(
        values=values,
        charts=charts,
        tables={"per_fold": table},
        summary={
            "ko": f"라벨이 무작위인데도 전체 데이터로 특성 {k}개를 고르면 교차 검증 정확도가 {v['accuracy.leaky_selection']:.2f}, "
            f"폴드 안에서 고르면 {v['accuracy.correct_selection']:.2f}입니다(우연 {v['chance']:.2f}). 스케일링 누수의 효과는 "
            f"{v['scaling_effect']:+.2f}입니다. 모델 {m}개 중 테스트 최고 {v['model_selection.best_test_acc']:.2f}는 새 데이터에서 "
            f"{fresh_acc:.2f}입니다.",
            "en": f"Although the labels are random, choosing {k} features on all the data gives a cross-validated "
            f"accuracy of {v['accuracy.leaky_selection']:.2f}; choosing them in each fold gives "
            f"{v['accuracy.correct_selection']:.2f} (chance {v['chance']:.2f}). Leaky scaling changes it by "
            f"{v['scaling_effect']:+.2f}. The best of {m} models "
            f"scores {v['model_selection.best_test_acc']:.2f} on the test half and {fresh_acc:.2f} on fresh data.",
        },
    )
