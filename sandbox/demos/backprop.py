"""Backpropagation by hand: the chain rule on a 2-2-1 network, checked against autograd.

x (2 inputs) -> z1 = W1 x + b1 -> a1 = sigmoid(z1) -> z2 = W2 a1 + b2 -> yhat
(linear or sigmoid) -> L = (yhat - y)^2. Every intermediate of the forward pass
and every local derivative of the backward pass is computed with plain Python
floats, then compared with PyTorch autograd on the same numbers (float64). A few
gradient-descent steps with the hand-made gradients show the loss going down.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "역전파 손으로 계산하기 (2-2-1 신경망)", "en": "Backpropagation by hand (2-2-1 network)"}
DESCRIPTION = {
    "ko": "시그모이드 은닉층과 MSE 손실을 쓰는 2-2-1 신경망에서 연쇄 법칙으로 z, a, dL/da, dL/dz, dL/dW를 "
    "하나씩 계산하고 autograd의 기울기와 같은지 확인합니다.",
    "en": "Applies the chain rule step by step (z, a, dL/da, dL/dz, dL/dW) on a 2-2-1 network with a sigmoid "
    "hidden layer and MSE loss, and checks every gradient against autograd.",
}
PARAMS = (
    Param(name="x1", kind="float", default=1.0, min=-5, max=5,
          label_ko="입력 x1", label_en="Input x1",
          help_ko="첫 번째 입력값", help_en="First input"),
    Param(name="x2", kind="float", default=0.5, min=-5, max=5,
          label_ko="입력 x2", label_en="Input x2",
          help_ko="두 번째 입력값", help_en="Second input"),
    Param(name="y", kind="float", default=1.0, min=-5, max=5,
          label_ko="정답 y", label_en="Target y",
          help_ko="맞혀야 할 값 (출력이 sigmoid면 0~1 사이가 자연스러움)",
          help_en="Value to predict (between 0 and 1 makes sense for a sigmoid output)"),
    Param(name="output", kind="choice", default="linear", choices=("linear", "sigmoid"),
          label_ko="출력 활성화", label_en="Output activation",
          help_ko="출력층 활성화: 회귀는 linear, 이진 분류는 sigmoid",
          help_en="Output activation: linear for regression, sigmoid for a probability"),
    Param(name="weight_scale", kind="float", default=1.0, min=0.01, max=3,
          label_ko="가중치 크기", label_en="Weight scale",
          help_ko="초기 가중치와 편향의 표준편차", help_en="Standard deviation of the initial weights and biases"),
    Param(name="lr", kind="float", default=0.5, min=0, max=5,
          label_ko="학습률", label_en="Learning rate",
          help_ko="경사 하강 한 스텝의 크기", help_en="Step size of gradient descent"),
    Param(name="steps", kind="int", default=20, min=1, max=200,
          label_ko="스텝 수", label_en="Steps",
          help_ko="손실 곡선에 쓰는 경사 하강 스텝 수", help_en="Gradient-descent steps for the loss curve"),
)
NAMES = ("W1.11", "W1.12", "W1.21", "W1.22", "b1.1", "b1.2", "W2.1", "W2.2", "b2")  # W1.ij: input j -> hidden i


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def chain_rule(w: dict[str, float], x: list[float], y: float, output: str) -> dict[str, float]:
    """Forward and backward pass by hand; returns every intermediate, gradients as dL_d<name>."""
    v: dict[str, float] = {}
    for i in (1, 2):
        v[f"z1.{i}"] = w[f"W1.{i}1"] * x[0] + w[f"W1.{i}2"] * x[1] + w[f"b1.{i}"]
        v[f"a1.{i}"] = sigmoid(v[f"z1.{i}"])
    v["z2"] = w["W2.1"] * v["a1.1"] + w["W2.2"] * v["a1.2"] + w["b2"]
    v["yhat"] = v["z2"] if output == "linear" else sigmoid(v["z2"])
    v["loss"] = (v["yhat"] - y) * (v["yhat"] - y)  # not ** 2: a diverging run overflows to inf, not an error
    v["dL_dyhat"] = 2 * (v["yhat"] - y)
    v["dL_dz2"] = v["dL_dyhat"] * (1.0 if output == "linear" else v["yhat"] * (1 - v["yhat"]))
    v["dL_db2"] = v["dL_dz2"]
    for i in (1, 2):
        v[f"dL_dW2.{i}"] = v["dL_dz2"] * v[f"a1.{i}"]
        v[f"dL_da1.{i}"] = v["dL_dz2"] * w[f"W2.{i}"]
        v[f"dL_dz1.{i}"] = v[f"dL_da1.{i}"] * v[f"a1.{i}"] * (1 - v[f"a1.{i}"])
        v[f"dL_db1.{i}"] = v[f"dL_dz1.{i}"]
        for j in (1, 2):
            v[f"dL_dW1.{i}{j}"] = v[f"dL_dz1.{i}"] * x[j - 1]
    return v


def autograd_grads(w: dict[str, float], x: list[float], y: float, output: str) -> dict[str, float]:
    import torch

    t = {k: torch.tensor(val, dtype=torch.float64, requires_grad=True) for k, val in w.items()}
    w1 = torch.stack([torch.stack([t["W1.11"], t["W1.12"]]), torch.stack([t["W1.21"], t["W1.22"]])])
    a1 = torch.sigmoid(w1 @ torch.tensor(x, dtype=torch.float64) + torch.stack([t["b1.1"], t["b1.2"]]))
    z2 = torch.stack([t["W2.1"], t["W2.2"]]) @ a1 + t["b2"]
    yhat = z2 if output == "linear" else torch.sigmoid(z2)
    torch.nn.functional.mse_loss(yhat, torch.tensor(y, dtype=torch.float64)).backward()
    return {k: t[k].grad.item() for k in NAMES}


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    gen = torch.Generator().manual_seed(seed)
    init = (torch.randn(len(NAMES), generator=gen, dtype=torch.float64) * params["weight_scale"]).tolist()
    w = dict(zip(NAMES, init))
    x, y, out = [params["x1"], params["x2"]], params["y"], params["output"]
    hand = chain_rule(w, x, y, out)
    auto = autograd_grads(w, x, y, out)
    diffs = {k: abs(hand[f"dL_d{k}"] - auto[k]) for k in NAMES}
    losses, cur = [hand["loss"]], dict(w)
    for _ in range(params["steps"]):
        g = chain_rule(cur, x, y, out)
        cur = {k: cur[k] - params["lr"] * g[f"dL_d{k}"] for k in NAMES}
        losses.append(chain_rule(cur, x, y, out)["loss"])
    values = {**w, **hand, "max_abs_diff_vs_autograd": max(diffs.values()),
              "loss_after_step": losses[1], "loss_after_steps": losses[-1],
              "diverged": not losses[-1] < losses[0]}  # also true when the loss overflowed to inf/nan
    idx = [float(i + 1) for i in range(len(NAMES))]
    charts = [
        Chart("bar", {"ko": "연쇄 법칙 vs autograd 기울기", "en": "Chain rule vs autograd gradients"},
              {"ko": "파라미터 (W1.11 … b2 순)", "en": "parameter (W1.11 … b2)"}, {"ko": "dL/dθ", "en": "dL/dθ"},
              [Series({"ko": "연쇄 법칙", "en": "chain rule"}, idx, [hand[f"dL_d{k}"] for k in NAMES]),
               Series("autograd", idx, [auto[k] for k in NAMES])]),
        Chart("line", {"ko": "경사 하강에 따른 손실", "en": "Loss during gradient descent"},
              {"ko": "스텝", "en": "step"}, {"ko": "손실 L", "en": "loss L"},
              [Series({"ko": "손실", "en": "loss"}, [float(i) for i in range(len(losses))], losses)]),
    ]
    act = "ŷ = z2" if out == "linear" else "ŷ = σ(z2)"
    local = "1" if out == "linear" else "ŷ(1−ŷ)"
    steps = [("z1.i", "Σ_j W1.ij x_j + b1.i", ["z1.1", "z1.2"]), ("a1.i", "σ(z1.i)", ["a1.1", "a1.2"]),
             ("z2", "W2.1 a1.1 + W2.2 a1.2 + b2", ["z2"]), ("ŷ", act, ["yhat"]), ("L", "(ŷ − y)²", ["loss"]),
             ("dL/dŷ", "2(ŷ − y)", ["dL_dyhat"]), ("dL/dz2", f"dL/dŷ · {local}", ["dL_dz2"]),
             ("dL/dW2.i", "dL/dz2 · a1.i", ["dL_dW2.1", "dL_dW2.2"]), ("dL/db2", "dL/dz2", ["dL_db2"]),
             ("dL/da1.i", "dL/dz2 · W2.i", ["dL_da1.1", "dL_da1.2"]),
             ("dL/dz1.i", "dL/da1.i · a1.i(1 − a1.i)", ["dL_dz1.1", "dL_dz1.2"]),
             ("dL/dW1.ij", "dL/dz1.i · x_j", ["dL_dW1.11", "dL_dW1.12", "dL_dW1.21", "dL_dW1.22"]),
             ("dL/db1.i", "dL/dz1.i", ["dL_db1.1", "dL_db1.2"])]
    tables = {
        "chain_rule": Table([{"ko": "양", "en": "quantity"}, {"ko": "공식", "en": "formula"},
                             {"ko": "값 이름", "en": "value name"}, {"ko": "값", "en": "value"}],
                            [[q, f, n, hand[n]] for q, f, names in steps for n in names]),
        "gradients": Table([{"ko": "파라미터", "en": "parameter"}, {"ko": "값", "en": "value"},
                            {"ko": "연쇄 법칙", "en": "chain rule"}, "autograd", {"ko": "|차이|", "en": "|difference|"}],
                           [[k, w[k], hand[f"dL_d{k}"], auto[k], diffs[k]] for k in NAMES]),
    }
    diff = values["max_abs_diff_vs_autograd"]
    summary = {
        "ko": f"손으로 계산한 기울기 9개가 autograd와 최대 {diff:.1e} 차이로 같습니다. 손실 {hand['loss']:.4f}는 "
              f"학습률 {params['lr']:g}로 한 스텝 뒤 {losses[1]:.4f}, {params['steps']}스텝 뒤 {losses[-1]:.4f}가 됩니다.",
        "en": f"All 9 hand-computed gradients match autograd to within {diff:.1e}. With learning rate {params['lr']:g} "
              f"the loss goes from {hand['loss']:.4f} to {losses[1]:.4f} after one step and {losses[-1]:.4f} after "
              f"{params['steps']}.",
    }
    return DemoResult(values=values, charts=charts, tables=tables, summary=summary)
