"""Batch vs stochastic vs mini-batch gradient descent on one linear regression.

`samples` points with 3 standard-normal features, y = x·w* + N(0, 0.5²). The loss is
L(w) = mean ½(x·w − y)², minimised from w = 0 by plain gradient descent with the same
learning rate in three modes: batch (B = N, one update per epoch), SGD (B = 1, N updates)
and mini-batch (B = `batch_size`, ceil(N/B) updates, the last batch holding the rest).
Each epoch reshuffles the data. Gradient noise is the root-mean-square distance of a
batch's gradient from the full-batch gradient at the start w = 0, over the batches of
random reshuffles (about 400 batches; for B = 1 every sample exactly once).
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 3  # summaries spell 에포크
TITLE = {"ko": "배치, 확률적, 미니배치 경사 하강법", "en": "Batch, stochastic and mini-batch gradient descent"}
DESCRIPTION = {
    "ko": "같은 선형 회귀를 배치(B = N), SGD(B = 1), 미니배치(B)로 학습해 에포크당 업데이트 수, 손실 곡선, "
    "미니배치 기울기의 잡음(전체 기울기와의 거리)을 비교합니다. 잡음은 대략 1/√B로 줄어듭니다.",
    "en": "Trains one linear regression with batch (B = N), SGD (B = 1) and mini-batch (B) gradient descent and "
    "compares updates per epoch, loss curves and gradient noise (distance from the full-batch gradient), which "
    "shrinks roughly as 1/√B.",
}
FEATURES = 3
NOISE_DRAWS = 400
CURVE_UPDATES = 200
PARAMS = (
    Param(name="samples", kind="int", default=200, min=10, max=1000,
          label_ko="샘플 수 N", label_en="Samples N",
          help_ko="훈련 데이터의 개수", help_en="Training points"),
    Param(name="batch_size", kind="int", default=16, min=1, max=999,
          label_ko="배치 크기 B", label_en="Batch size B",
          help_ko="미니배치 하나의 샘플 수 (N 미만)", help_en="Samples per mini-batch (less than N)"),
    Param(name="epochs", kind="int", default=20, min=1, max=50,
          label_ko="에포크 수", label_en="Epochs",
          help_ko="데이터 전체를 몇 번 도는지", help_en="Passes over the data"),
    Param(name="learning_rate", kind="float", default=0.05, min=0.001, max=0.1,
          label_ko="학습률", label_en="Learning rate",
          help_ko="세 방식에 같은 학습률 η", help_en="The same learning rate η for all three modes"),
)


def check(values: dict[str, Any]) -> dict[str, str]:
    if values["batch_size"] >= values["samples"]:  # B = N is the batch mode, always shown
        return {"batch_size": f"must be less than samples = {values['samples']} (got {values['batch_size']})"}
    return {}


def make_data(n: int, seed: int):
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, FEATURES))
    w_true = rng.standard_normal(FEATURES)
    return x, x @ w_true + 0.5 * rng.standard_normal(n)


def per_sample_grads(x, y, w):
    """Row i is the gradient of ½(x_i·w − y_i)² with respect to w."""
    return x * (x @ w - y)[:, None]


def gradient_noise(grads, batch: int, rng) -> float:
    """RMS of ‖mean gradient of a batch − full gradient‖ over the full batches of random epochs.

    Each reshuffle splits the data into ⌊N/B⌋ whole batches, so every sample counts
    equally often (for B = 1 and B = N the value is exact); enough reshuffles for ~NOISE_DRAWS batches.
    """
    import numpy as np

    n = len(grads)
    per_shuffle = n // batch
    shuffles = 1 if batch in (1, n) else -(-NOISE_DRAWS // per_shuffle)
    order = rng.random((shuffles, n)).argsort(axis=1)[:, :per_shuffle * batch]
    idx = np.sort(order.reshape(-1, batch), axis=1)  # sorted: for B = N the sum runs in the same order as the mean
    diff = grads[idx].mean(axis=1) - grads.mean(axis=0)
    return float(np.sqrt((diff**2).sum(axis=1).mean()))


def train(x, y, batch: int, epochs: int, lr: float, rng):
    """Full-data loss after each epoch (epoch 0 = start) and after each of the first CURVE_UPDATES updates."""
    import numpy as np

    n = len(y)
    w = np.zeros(x.shape[1])
    loss = lambda w: float(0.5 * ((x @ w - y) ** 2).mean())  # noqa: E731
    per_epoch, per_update = [loss(w)], [loss(w)]
    for _ in range(epochs):
        order = rng.permutation(n) if batch < n else np.arange(n)
        for start in range(0, n, batch):
            b = order[start:start + batch]
            w = w - lr * x[b].T @ (x[b] @ w - y[b]) / len(b)
            if len(per_update) <= CURVE_UPDATES:
                per_update.append(loss(w))
        per_epoch.append(loss(w))
    return per_epoch, per_update


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import numpy as np

    n, b, epochs, lr = params["samples"], params["batch_size"], params["epochs"], params["learning_rate"]
    x, y = make_data(n, seed)
    modes = {"batch": n, "sgd": 1, "minibatch": b}
    grads = per_sample_grads(x, y, np.zeros(FEATURES))
    best = np.linalg.lstsq(x, y, rcond=None)[0]
    values: dict[str, Any] = {
        "samples": n, "batch_size": b, "epochs": epochs,
        "iterations_per_epoch": math.ceil(n / b), "total_updates": math.ceil(n / b) * epochs,
        "last_batch_size": n - (math.ceil(n / b) - 1) * b,
        "optimal_loss": float(0.5 * ((x @ best - y) ** 2).mean()),
    }
    curves = {}
    for i, (mode, size) in enumerate(modes.items()):
        curves[mode] = train(x, y, size, epochs, lr, np.random.default_rng([seed, 1, i]))
        values[f"iterations_per_epoch.{mode}"] = math.ceil(n / size)
        values[f"total_updates.{mode}"] = math.ceil(n / size) * epochs
        values[f"final_loss.{mode}"] = curves[mode][0][-1]
        values[f"gradient_noise.{mode}"] = gradient_noise(grads, size, np.random.default_rng([seed, 2, i]))
    values["noise_ratio.sgd_over_minibatch"] = values["gradient_noise.sgd"] / values["gradient_noise.minibatch"]
    values["sqrt_batch_size"] = math.sqrt(b)

    labels = {"batch": f"batch (B = {n})", "sgd": "SGD (B = 1)", "minibatch": f"mini-batch (B = {b})"}
    charts = [
        Chart("line", {"ko": "에포크별 손실 (로그 축)", "en": "Loss per epoch (log scale)"}, {"ko": "에포크", "en": "epoch"},
              {"ko": "전체 데이터 손실", "en": "full-data loss"},
              [Series(labels[m], [float(e) for e in range(epochs + 1)], c[0]) for m, c in curves.items()], log_y=True),
        Chart("line", {"ko": f"업데이트별 손실 (처음 {CURVE_UPDATES}번)", "en": f"Loss per update (first {CURVE_UPDATES})"},
              {"ko": "업데이트", "en": "update"}, {"ko": "전체 데이터 손실", "en": "full-data loss"},
              [Series(labels[m], [float(u) for u in range(len(c[1]))], c[1]) for m, c in curves.items()], log_y=True),
        Chart("bar", {"ko": "기울기 잡음: 측정값과 1/√B 규칙", "en": "Gradient noise: measured vs the 1/√B rule"},
              {"ko": "1 = SGD, 2 = 미니배치, 3 = 배치", "en": "1 = SGD, 2 = mini-batch, 3 = batch"},
              {"ko": "RMS ‖g_B − g‖", "en": "RMS ‖g_B − g‖"},
              [Series({"ko": "측정값", "en": "measured"}, [1.0, 2.0, 3.0],
                      [values[f"gradient_noise.{m}"] for m in ("sgd", "minibatch", "batch")]),
               Series({"ko": "SGD 잡음 / √B", "en": "SGD noise / √B"}, [1.0, 2.0, 3.0],
                      [values["gradient_noise.sgd"] / math.sqrt(s) for s in (1, b, n)])]),
    ]
    table = Table(columns=[{"ko": "방식", "en": "mode"}, {"ko": "배치 크기", "en": "batch size"},
                           {"ko": "에포크당 업데이트", "en": "updates per epoch"}, {"ko": "전체 업데이트", "en": "total updates"},
                           {"ko": "최종 손실", "en": "final loss"}, {"ko": "기울기 잡음", "en": "gradient noise"}],
                  rows=[[m, s, values[f"iterations_per_epoch.{m}"], values[f"total_updates.{m}"],
                         values[f"final_loss.{m}"], values[f"gradient_noise.{m}"]] for m, s in modes.items()])
    v = values
    return DemoResult(
        values=values,
        charts=charts,
        tables={"modes": table},
        summary={
            "ko": f"N = {n}, B = {b}이면 에포크당 업데이트는 배치 1번, SGD {n}번, 미니배치 ⌈N/B⌉ = "
            f"{v['iterations_per_epoch']}번(마지막 배치 {v['last_batch_size']}개)입니다. 기울기 잡음은 SGD "
            f"{v['gradient_noise.sgd']:.3f}, 미니배치 {v['gradient_noise.minibatch']:.3f}로 "
            f"{v['noise_ratio.sgd_over_minibatch']:.2f}배"
            f"(√B = {v['sqrt_batch_size']:.2f}) 차이이고, 배치에서는 0입니다.",
            "en": f"With N = {n} and B = {b} an epoch is 1 update in batch mode, {n} in SGD and ⌈N/B⌉ = "
            f"{v['iterations_per_epoch']} in mini-batch mode (last batch {v['last_batch_size']}). Gradient noise is "
            f"{v['gradient_noise.sgd']:.3f} for SGD and {v['gradient_noise.minibatch']:.3f} for mini-batches, "
            f"{v['noise_ratio.sgd_over_minibatch']:.2f}× apart (√B = {v['sqrt_batch_size']:.2f}), and 0 for the "
            f"full batch.",
        },
    )
