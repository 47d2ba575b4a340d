"""L1 vs L2: the same linear regression with either penalty; L1 sets weights exactly to zero, L2 only shrinks them.

`features` standard-normal inputs, of which only the first `informative` carry signal
(planted weights of size 1 to 3, random signs); the rest are noise features whose true
weight is 0. Each model minimises (1/2n)||Xw - y||^2 + lambda * R(w) (float64), from w = 0,
for `steps` full-batch steps of size 1/L (L the largest eigenvalue of X^T X / n):

* L1, R = ||w||_1, by proximal gradient descent (ISTA): a gradient step on the squared error,
  then soft-thresholding, which sets any weight whose step lands within lambda/L of 0 to
  exactly 0. The corner of the L1 ball at each axis is where the optimum often sits.
* L2, R = ||w||^2 / 2, by gradient descent: each weight is pulled towards 0 in proportion to
  its size, so it gets small but never reaches 0 unless its data gradient is exactly 0.
* L1 by plain (sub)gradient descent, which is what adding lambda * |w|.sum() to a loss in a
  framework does: the weights that should be 0 jitter around it and are rarely exactly 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 1
TITLE = {"ko": "L1 규제 vs L2 규제: 정확히 0이 되는 가중치", "en": "L1 vs L2 regularization: weights driven exactly to zero"}
DESCRIPTION = {
    "ko": "같은 선형 회귀를 L1 규제(regularization)와 L2 규제로 학습합니다. 신호가 없는 특성의 가중치가 L1에서는 "
    "정확히 0이 되고, L2에서는 작아질 뿐 0이 되지 않습니다.",
    "en": "Trains the same linear regression with an L1 and with an L2 penalty. The weights of features that carry "
    "no signal become exactly 0 under L1 and only small under L2.",
}
NEAR_ZERO = 1e-2  # |w| below this counts as "near zero" for the plain subgradient run
PARAMS = (
    Param(name="lam", kind="float", default=0.2, min=0.0001, max=2.0,
          label_ko="규제 강도 λ", label_en="Penalty strength λ",
          help_ko="손실에 더하는 규제 항의 계수", help_en="Coefficient of the penalty added to the loss"),
    Param(name="features", kind="int", default=20, min=2, max=100,
          label_ko="특성 수", label_en="Features",
          help_ko="입력 특성의 수 (앞의 일부만 신호를 가짐)", help_en="Input features (only the first few carry signal)"),
    Param(name="informative", kind="int", default=5, min=1, max=100,
          label_ko="유효 특성 수", label_en="Informative features",
          help_ko="실제 가중치가 0이 아닌 특성의 수", help_en="Features whose true weight is not 0"),
    Param(name="samples", kind="int", default=100, min=10, max=2000,
          label_ko="샘플 수", label_en="Samples",
          help_ko="학습 데이터의 행 수", help_en="Rows of training data"),
    Param(name="noise", kind="float", default=0.5, min=0.0, max=5.0,
          label_ko="잡음 표준편차", label_en="Noise std",
          help_ko="목표값에 더하는 가우스 잡음의 표준편차", help_en="Standard deviation of the Gaussian noise added to the targets"),
    Param(name="steps", kind="int", default=1000, min=10, max=2000,
          label_ko="반복 횟수", label_en="Steps",
          help_ko="각 모델의 전체 배치 경사 하강 횟수", help_en="Full-batch gradient steps per model"),
)


def check(values: dict[str, Any]) -> dict[str, str]:
    if values["informative"] > values["features"]:
        return {"informative": f"must be at most the number of features ({values['features']})"}
    return {}


def problem(params: dict[str, Any], seed: int):
    """X, y, the planted weights, and the Gram form (G = X^T X / n, c = X^T y / n) the solvers use."""
    rng = np.random.default_rng(seed)
    n, d, k = params["samples"], params["features"], params["informative"]
    x = rng.standard_normal((n, d))
    true_w = np.zeros(d)
    true_w[:k] = rng.uniform(1, 3, k) * rng.choice([-1.0, 1.0], k)
    y = x @ true_w + params["noise"] * rng.standard_normal(n)
    return x, y, true_w, x.T @ x / n, x.T @ y / n


def soft_threshold(w: np.ndarray, t: float) -> np.ndarray:
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def fit(g: np.ndarray, c: np.ndarray, lam: float, steps: int, method: str, w0: np.ndarray | None = None) -> np.ndarray:
    """`steps` steps of size 1/L from w0 (default 0); method is "l1" (ISTA), "l2" or "l1-subgradient"."""
    eta = 1.0 / np.linalg.eigvalsh(g)[-1]
    w = np.zeros(len(c)) if w0 is None else w0.copy()
    for _ in range(steps):
        grad = g @ w - c
        if method == "l1":
            w = soft_threshold(w - eta * grad, eta * lam)
        elif method == "l2":
            w = w - eta / (1 + eta * lam) * (grad + lam * w)  # step 1/(L + lambda): stable for any lambda
        else:
            w = w - eta * (grad + lam * np.sign(w))
    return w


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    lam, steps, k = params["lam"], params["steps"], params["informative"]
    x, y, true_w, g, c = problem(params, seed)
    fits = {m: fit(g, c, lam, steps, m) for m in ("l1", "l2", "l1-subgradient")}
    noise = slice(k, None)  # the features whose true weight is 0
    values: dict[str, Any] = {"lam": lam, "features": params["features"], "true_nonzero": k}
    for name, w in (("l1", fits["l1"]), ("l2", fits["l2"]), ("l1_subgradient", fits["l1-subgradient"])):
        values[f"zeros.{name}"] = int(np.sum(w == 0))
        values[f"nonzero.{name}"] = int(np.sum(w != 0))
        values[f"near_zero.{name}"] = int(np.sum(np.abs(w) < NEAR_ZERO))
        values[f"max_abs_noise_weight.{name}"] = float(np.abs(w[noise]).max()) if k < len(w) else 0.0
        values[f"min_abs_weight.{name}"] = float(np.abs(w).min())
        values[f"l1_norm.{name}"] = float(np.abs(w).sum())
        values[f"l2_norm.{name}"] = float(np.linalg.norm(w))
        values[f"train_mse.{name}"] = float(np.mean((x @ w - y) ** 2))
    values["support_recovered.l1"] = bool(np.array_equal(fits["l1"] != 0, true_w != 0))
    values["informative_kept.l1"] = int(np.sum(fits["l1"][:k] != 0))

    # Regularization path: how many weights are non-zero as lambda grows (warm starts, large to small).
    lams = np.logspace(-3, np.log10(2.0), 16)[::-1]
    path_steps = min(steps, 300)
    w, l1_nonzero, l2_nonzero = None, [], []
    for lam_i in lams:
        w = fit(g, c, lam_i, path_steps, "l1", w)
        l1_nonzero.append(int(np.sum(w != 0)))
        l2_nonzero.append(int(np.sum(np.linalg.solve(g + lam_i * np.eye(len(c)), c) != 0)))
    index = [float(i) for i in range(1, len(true_w) + 1)]
    nonzero = {"ko": "0이 아닌 가중치 수", "en": "non-zero weights"}
    charts = [
        Chart("bar", {"ko": f"특성별 가중치 (앞의 {k}개만 신호, λ = {lam:g})",
                      "en": f"Weight per feature (only the first {k} carry signal, λ = {lam:g})"},
              {"ko": "특성 번호", "en": "feature"}, {"ko": "가중치", "en": "weight"},
              [Series({"ko": "실제 가중치", "en": "true weight"}, index, true_w.tolist()),
               Series({"ko": "L1 규제", "en": "L1 penalty"}, index, fits["l1"].tolist()),
               Series({"ko": "L2 규제", "en": "L2 penalty"}, index, fits["l2"].tolist())]),
        Chart("line", {"ko": "λ에 따른 0이 아닌 가중치 수", "en": "Non-zero weights as λ grows"},
              {"ko": "log10(λ)", "en": "log10(λ)"}, nonzero,
              [Series({"ko": "L1 규제", "en": "L1 penalty"}, np.log10(lams).tolist(), l1_nonzero),
               Series({"ko": "L2 규제", "en": "L2 penalty"}, np.log10(lams).tolist(), l2_nonzero),
               Series({"ko": "실제로 0이 아닌 수", "en": "truly non-zero"}, np.log10(lams).tolist(), [k] * len(lams))]),
    ]
    method = {"l1": {"ko": "L1 (근접 경사 하강법)", "en": "L1 (proximal gradient)"},
              "l2": {"ko": "L2 (경사 하강법)", "en": "L2 (gradient descent)"},
              "l1_subgradient": {"ko": "L1 (일반 경사 하강법)", "en": "L1 (plain subgradient descent)"}}
    table = Table(
        columns=[{"ko": "규제", "en": "penalty"}, {"ko": "정확히 0", "en": "exactly 0"},
                 {"ko": f"|w| < {NEAR_ZERO:g}", "en": f"|w| < {NEAR_ZERO:g}"},
                 {"ko": "잡음 특성의 최대 |w|", "en": "max |w| of a noise feature"},
                 {"ko": "학습 MSE", "en": "train MSE"}],
        rows=[[method[m], values[f"zeros.{m}"], values[f"near_zero.{m}"], values[f"max_abs_noise_weight.{m}"],
               values[f"train_mse.{m}"]] for m in method],
    )
    d = params["features"]
    z1, z2, m2 = values["zeros.l1"], values["zeros.l2"], values["min_abs_weight.l2"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"penalties": table},
        summary={
            "ko": f"λ = {lam:g}에서 가중치 {d}개 중 L1 규제는 {z1}개를 정확히 0으로 만들었고, L2 규제는 {z2}개입니다 "
            f"(L2에서 가장 작은 |w|는 {m2:.1e}). 신호가 있는 특성은 {k}개입니다.",
            "en": f"At λ = {lam:g}, the L1 penalty set {z1} of {d} weights exactly to 0 and the L2 penalty {z2} "
            f"(its smallest |w| is {m2:.1e}); {k} features carry signal.",
        },
    )
