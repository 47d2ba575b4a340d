"""Dying ReLU: units whose activation is zero for the whole batch get zero gradient and never recover.

A one-hidden-layer regressor (inputs U(-1, 1), He-initialised hidden layer, targets with
mean about 5 while the network starts near 0) takes one SGD step on the mean squared
error, optionally after shifting every hidden bias by `bias_shift`. A ReLU unit is
*dead* when its output is 0 for every input of the batch; its gradient is then exactly 0
(`max_grad.relu_dead_units`), so no later step can revive it. Leaky ReLU is never 0-sloped,
so for it "dead" means zero gradient for the whole batch, which does not happen, even
for units pushed below 0 for every input (`all_negative_fraction.leaky_after`).
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "죽은 ReLU", "en": "Dying ReLU"}
DESCRIPTION = {
    "ko": "음수 편향 이동이나 너무 큰 학습률의 SGD 한 걸음 뒤, 배치의 모든 입력에서 출력이 0인(기울기도 0인) ReLU 뉴런의 "
    "비율을 셉니다. Leaky ReLU는 음수 쪽에도 기울기가 있어 죽지 않습니다.",
    "en": "Counts the hidden ReLU units that output 0 (and so get zero gradient) for every input after a negative "
    "bias shift or one SGD step with too large a learning rate. Leaky ReLU keeps a gradient and does not die.",
}
INPUTS = 10
PARAMS = (
    Param(name="learning_rate", kind="float", default=3.0, min=0.0001, max=100,
          label_ko="학습률", label_en="Learning rate",
          help_ko="한 번의 SGD 단계에 쓰는 학습률", help_en="Learning rate of the single SGD step"),
    Param(name="bias_shift", kind="float", default=0.0, min=-5, max=5,
          label_ko="편향 이동", label_en="Bias shift",
          help_ko="학습 전에 모든 은닉 편향에 더하는 값 (음수면 뉴런이 꺼짐)",
          help_en="Added to every hidden bias before the step (negative switches units off)"),
    Param(name="hidden", kind="int", default=64, min=8, max=256,
          label_ko="은닉 뉴런 수", label_en="Hidden units",
          help_ko="은닉층의 뉴런 수", help_en="Units in the hidden layer"),
    Param(name="batch", kind="int", default=128, min=16, max=512,
          label_ko="배치 크기", label_en="Batch size",
          help_ko="회귀 배치의 샘플 수", help_en="Samples in the regression batch"),
    Param(name="leaky_alpha", kind="float", default=0.01, min=0.001, max=0.5,
          label_ko="Leaky ReLU α", label_en="Leaky ReLU α",
          help_ko="비교용 Leaky ReLU의 음수 쪽 기울기", help_en="Negative-side slope of the Leaky ReLU used for contrast"),
)


def setup(params: dict[str, Any], seed: int):
    """The batch and the initial weights [W, b, v, c] (float64, the same for every run of one seed)."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    n, h = params["batch"], params["hidden"]
    x = torch.rand(n, INPUTS, generator=gen, dtype=torch.float64) * 2 - 1
    y = 5 + x @ torch.randn(INPUTS, generator=gen, dtype=torch.float64)
    w = torch.randn(h, INPUTS, generator=gen, dtype=torch.float64) * (2 / INPUTS) ** 0.5
    v = torch.randn(h, generator=gen, dtype=torch.float64) * h**-0.5
    return x, y, [w, torch.zeros(h, dtype=torch.float64), v, torch.zeros(1, dtype=torch.float64)]


def measure(params: dict[str, Any], seed: int, *, lr: float, shift: float, alpha: float):
    """Per-unit state before and after one SGD step (alpha = 0 is ReLU).

    Returns (silent_before, grad_before, silent_after, grad_after): `silent` marks units
    whose pre-activation is <= 0 for every input; `grad` is each unit's gradient norm on
    its incoming weights and bias.
    """
    import torch

    x, y, weights = setup(params, seed)
    weights[1] = weights[1] + shift
    weights = [p.clone().requires_grad_() for p in weights]

    def forward():
        w, b, v, c = weights
        z = x @ w.T + b
        loss = (torch.nn.functional.leaky_relu(z, alpha) @ v + c - y).pow(2).mean()
        grads = torch.autograd.grad(loss, weights)
        return (z <= 0).all(0), (grads[0].pow(2).sum(1) + grads[1].pow(2)).sqrt(), grads

    silent_before, grad_before, grads = forward()
    with torch.no_grad():
        for p, g in zip(weights, grads):
            p -= lr * g
    silent_after, grad_after, _ = forward()
    return silent_before, grad_before, silent_after, grad_after


def frac(mask) -> float:
    return mask.double().mean().item()


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    lr, shift, alpha = params["learning_rate"], params["bias_shift"], params["leaky_alpha"]
    relu_before, _, relu_after, relu_grad = measure(params, seed, lr=lr, shift=shift, alpha=0.0)
    _, leaky_grad_before, leaky_negative, leaky_grad = measure(params, seed, lr=lr, shift=shift, alpha=alpha)
    values = {
        # ReLU: dead = output 0 for every input. Leaky ReLU: dead = zero gradient (never, since alpha > 0).
        "dead_fraction.relu_before": frac(relu_before),
        "dead_fraction.relu_after": frac(relu_after),
        "dead_fraction.leaky_before": frac(leaky_grad_before == 0),
        "dead_fraction.leaky_after": frac(leaky_grad == 0),
        "dead_units.relu_after": int(relu_after.sum().item()),
        "max_grad.relu_dead_units": relu_grad[relu_after].max().item() if relu_after.any() else 0.0,
        "min_grad.leaky_units": leaky_grad.min().item(),
        # Leaky units pushed below 0 for every input: the same fate as the dead ReLUs, yet still learning.
        "all_negative_fraction.leaky_after": frac(leaky_negative),
        "hidden_units": params["hidden"],
        "learning_rate": lr,
        "bias_shift": shift,
    }

    exponents = torch.linspace(-3, 2, 16).tolist()
    relu_by_lr = [frac(measure(params, seed, lr=10**e, shift=shift, alpha=0.0)[2]) for e in exponents]
    leaky_by_lr = [frac(measure(params, seed, lr=10**e, shift=shift, alpha=alpha)[3] == 0) for e in exponents]
    shifts = torch.linspace(-4, 1, 21).tolist()
    by_shift = [frac(measure(params, seed, lr=0.0, shift=s, alpha=0.0)[0]) for s in shifts]
    dead = {"ko": "죽은 뉴런 비율", "en": "dead fraction"}
    charts = [
        Chart("line", {"ko": f"SGD 한 걸음 뒤 죽은 뉴런 비율 (편향 이동 {shift:g})",
                       "en": f"Dead units after one SGD step (bias shift {shift:g})"},
              {"ko": "log10(학습률)", "en": "log10(learning rate)"}, dead,
              [Series("ReLU", exponents, relu_by_lr), Series(f"Leaky ReLU (α={alpha:g})", exponents, leaky_by_lr)]),
        Chart("line", {"ko": "학습 전 편향 이동에 따른 죽은 ReLU 비율", "en": "Dead ReLU units vs bias shift (no step)"},
              {"ko": "편향 이동", "en": "bias shift"}, dead, [Series("ReLU", shifts, by_shift)]),
    ]
    table = Table(columns=[{"ko": "활성화", "en": "activation"}, {"ko": "걸음 전 죽은 비율", "en": "dead before step"},
                           {"ko": "걸음 후 죽은 비율", "en": "dead after step"}],
                  rows=[["ReLU", values["dead_fraction.relu_before"], values["dead_fraction.relu_after"]],
                        [f"Leaky ReLU (α={alpha:g})", values["dead_fraction.leaky_before"],
                         values["dead_fraction.leaky_after"]]])
    rb, ra = values["dead_fraction.relu_before"], values["dead_fraction.relu_after"]
    la = values["dead_fraction.leaky_after"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"dead_fraction": table},
        summary={
            "ko": f"학습률 {lr:g}의 SGD 한 걸음 뒤 모든 입력에서 0을 내는 ReLU 뉴런이 {rb:.0%}에서 {ra:.0%}가 되었습니다. "
            f"이 뉴런들의 기울기는 정확히 0이라 다시 살아나지 않습니다. Leaky ReLU에서 죽은 뉴런은 {la:.0%}입니다.",
            "en": f"One SGD step with learning rate {lr:g} took the share of ReLU units that output 0 for every input "
            f"from {rb:.0%} to {ra:.0%}; their gradient is exactly 0, so they never come back. Leaky ReLU: {la:.0%} dead.",
        },
    )
