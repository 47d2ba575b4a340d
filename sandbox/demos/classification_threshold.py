"""Precision, recall and F1 as the decision threshold moves; ROC and PR curves and their areas; class imbalance.

`samples` examples, a share `positive_rate` of them positive (exactly, rounded). Each gets a
raw score x ~ N(+separation/2, 1) if positive and N(-separation/2, 1) if negative, and the
model outputs the calibrated probability P(positive | x) = sigmoid(separation * x + log(pi / (1 - pi))),
so a threshold of 0.5 is the accuracy-maximizing choice. Everything is counted exactly from
the scores (float64, seeded): the confusion matrix at `threshold`, the threshold that
maximizes F1, the ROC curve and its area (trapezoids over every distinct score), and the
PR curve with its area as average precision (the step-wise sum sum_k (R_k - R_{k-1}) P_k, which
does not interpolate optimistically). The same separation at a 50 % positive rate shows what
imbalance does: ROC-AUC hardly moves, PR-AUC falls towards the positive rate.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 1
TITLE = {"ko": "분류 임계값: 정밀도, 재현율, F1과 ROC·PR 곡선",
         "en": "Classification threshold: precision, recall, F1, ROC and PR curves"}
DESCRIPTION = {
    "ko": "임계값을 움직이며 정밀도, 재현율, F1이 어떻게 바뀌는지 보고, ROC 곡선과 PR 곡선, 그 아래 넓이(AUC)를 "
    "계산합니다. 양성이 드문 데이터에서 정확도와 PR-AUC가 무엇을 말하는지도 비교합니다.",
    "en": "Moves the decision threshold and shows how precision, recall and F1 change, draws the ROC and PR curves "
    "with their areas (AUC), and compares what accuracy and PR-AUC say when positives are rare.",
}
PARAMS = (
    Param(name="positive_rate", kind="float", default=0.1, min=0.01, max=0.5,
          label_ko="양성 비율", label_en="Positive rate",
          help_ko="데이터에서 양성 클래스의 비율", help_en="Share of the data in the positive class"),
    Param(name="separation", kind="float", default=2.0, min=0.0, max=5.0,
          label_ko="클래스 분리도", label_en="Class separation",
          help_ko="두 클래스 점수 분포의 평균 차이 (표준편차 단위, d′)",
          help_en="Distance between the two classes' score means, in standard deviations (d′)"),
    Param(name="samples", kind="int", default=2000, min=100, max=20000,
          label_ko="샘플 수", label_en="Samples",
          help_ko="평가 데이터의 샘플 수", help_en="Examples in the evaluation set"),
    Param(name="threshold", kind="float", default=0.5, min=0.01, max=0.99,
          label_ko="임계값", label_en="Threshold",
          help_ko="예측 확률이 이 값 이상이면 양성으로 판정",
          help_en="Predict positive when the predicted probability is at least this"),
)
CURVE_POINTS = 200


def scores(params: dict[str, Any], seed: int, positive_rate: float | None = None):
    """Labels (1 = positive) and the model's log-odds for each example."""
    rng = np.random.default_rng(seed)
    rate = params["positive_rate"] if positive_rate is None else positive_rate
    n, d = params["samples"], params["separation"]
    n_pos = max(1, min(n - 1, round(rate * n)))
    labels = np.r_[np.ones(n_pos), np.zeros(n - n_pos)]
    x = rng.standard_normal(n) + np.where(labels == 1, d / 2, -d / 2)
    prior = n_pos / (n - n_pos)
    return labels, d * x + math.log(prior)


def confusion(labels: np.ndarray, log_odds: np.ndarray, threshold: float) -> dict[str, float]:
    predicted = log_odds >= math.log(threshold / (1 - threshold))  # sigmoid(s) >= t
    tp = int(np.sum(predicted & (labels == 1)))
    fp = int(np.sum(predicted & (labels == 0)))
    fn = int(np.sum(~predicted & (labels == 1)))
    tn = int(np.sum(~predicted & (labels == 0)))
    precision = tp / (tp + fp) if tp + fp else 0.0  # no positive predictions: reported as 0
    recall = tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall, "f1": f1,
            "accuracy": (tp + tn) / len(labels), "fpr": fp / (fp + tn)}


def curves(labels: np.ndarray, log_odds: np.ndarray):
    """ROC (fpr, tpr) and PR (recall, precision) at every distinct score, highest first, and both areas."""
    order = np.argsort(-log_odds, kind="stable")
    s, y = log_odds[order], labels[order]
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]  # the last index of each group of tied scores
    tp, fp = np.cumsum(y)[last], np.cumsum(1 - y)[last]
    tpr, fpr = np.r_[0.0, tp / tp[-1]], np.r_[0.0, fp / fp[-1]]
    precision = tp / (tp + fp)
    roc_auc = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    average_precision = float(np.sum(np.diff(tpr) * precision))
    return fpr, tpr, precision, roc_auc, average_precision


def thin(*arrays: np.ndarray) -> list[list[float]]:
    step = max(1, len(arrays[0]) // CURVE_POINTS)
    return [np.r_[a[::step], a[-1]].tolist() for a in arrays]


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    t, d = params["threshold"], params["separation"]
    labels, log_odds = scores(params, seed)
    at = confusion(labels, log_odds, t)
    fpr, tpr, precision, roc_auc, ap = curves(labels, log_odds)
    grid = np.round(np.arange(0.01, 1.0, 0.01), 2)
    sweep = [confusion(labels, log_odds, g) for g in grid]
    best = max(range(len(grid)), key=lambda i: sweep[i]["f1"])
    balanced = curves(*scores(params, seed, positive_rate=0.5))
    rate = float(labels.mean())

    values: dict[str, Any] = dict(at)
    values.update({
        "threshold": t,
        "positive_rate": rate,
        "positives": int(labels.sum()),
        "negatives": int(len(labels) - labels.sum()),
        "roc_auc": roc_auc,
        "roc_auc.theory": 0.5 * (1 + math.erf(d / 2)),  # binormal, equal variances: Phi(d / sqrt 2)
        "pr_auc": ap,
        "roc_auc.balanced": balanced[3],
        "pr_auc.balanced": balanced[4],
        "pr_auc.random": rate,  # a classifier that ranks at random: precision = the positive rate everywhere
        "accuracy.all_negative": 1 - rate,
        "best_f1": sweep[best]["f1"],
        "best_f1.threshold": float(grid[best]),
        "best_f1.precision": sweep[best]["precision"],
        "best_f1.recall": sweep[best]["recall"],
    })

    thresholds = grid.tolist()
    # Precision is undefined where nothing is predicted positive: that part of its line is left out.
    defined = [i for i, m in enumerate(sweep) if m["tp"] + m["fp"] > 0]
    roc_x, roc_y = thin(fpr, tpr)
    pr_x, pr_y = thin(tpr[1:], precision)
    charts = [
        Chart("line", {"ko": f"임계값에 따른 정밀도, 재현율, F1 (양성 {rate:.0%})",
                       "en": f"Precision, recall and F1 by threshold ({rate:.0%} positive)"},
              {"ko": "임계값", "en": "threshold"}, {"ko": "값", "en": "value"},
              [Series({"ko": "정밀도", "en": "precision"}, [thresholds[i] for i in defined],
                      [sweep[i]["precision"] for i in defined]),
               Series({"ko": "재현율", "en": "recall"}, thresholds, [m["recall"] for m in sweep]),
               Series("F1", thresholds, [m["f1"] for m in sweep]),
               Series({"ko": "정확도", "en": "accuracy"}, thresholds, [m["accuracy"] for m in sweep])]),
        Chart("line", {"ko": f"ROC 곡선 (AUC {roc_auc:.3f})", "en": f"ROC curve (AUC {roc_auc:.3f})"},
              {"ko": "거짓 양성 비율 (FPR)", "en": "false positive rate"},
              {"ko": "참 양성 비율 (재현율)", "en": "true positive rate (recall)"},
              [Series({"ko": "모델", "en": "model"}, roc_x, roc_y),
               Series({"ko": "무작위 순위", "en": "random ranking"}, [0.0, 1.0], [0.0, 1.0])]),
        Chart("line", {"ko": f"PR 곡선 (평균 정밀도 {ap:.3f})", "en": f"PR curve (average precision {ap:.3f})"},
              {"ko": "재현율", "en": "recall"}, {"ko": "정밀도", "en": "precision"},
              [Series({"ko": "모델", "en": "model"}, pr_x, pr_y),
               Series({"ko": "무작위 순위 (양성 비율)", "en": "random ranking (positive rate)"}, [0.0, 1.0], [rate, rate])]),
    ]
    table = Table(
        columns=["", {"ko": "실제 양성", "en": "actual positive"}, {"ko": "실제 음성", "en": "actual negative"}],
        rows=[[{"ko": "양성으로 예측", "en": "predicted positive"}, at["tp"], at["fp"]],
              [{"ko": "음성으로 예측", "en": "predicted negative"}, at["fn"], at["tn"]]],
    )
    return DemoResult(
        values=values,
        charts=charts,
        tables={"confusion_matrix": table},
        summary={
            "ko": f"임계값 {t:g}에서 정밀도 {at['precision']:.2f}, 재현율 {at['recall']:.2f}, F1 {at['f1']:.2f}, "
            f"정확도 {at['accuracy']:.2f}입니다 (모두 음성이라고 해도 정확도 {1 - rate:.2f}). F1이 가장 높은 임계값은 "
            f"{grid[best]:g}이고, 그때 F1은 {sweep[best]['f1']:.2f}입니다. ROC-AUC {roc_auc:.3f}, PR-AUC {ap:.3f}이고, "
            f"양성이 절반이면 각각 {balanced[3]:.3f}, {balanced[4]:.3f}입니다.",
            "en": f"At threshold {t:g}: precision {at['precision']:.2f}, recall {at['recall']:.2f}, F1 {at['f1']:.2f}, "
            f"accuracy {at['accuracy']:.2f} (calling everything negative scores {1 - rate:.2f}). F1 peaks at "
            f"{sweep[best]['f1']:.2f} at threshold {grid[best]:g}. ROC-AUC is {roc_auc:.3f} and PR-AUC {ap:.3f}; "
            f"with half the data positive they are {balanced[3]:.3f} and {balanced[4]:.3f}.",
        },
    )
