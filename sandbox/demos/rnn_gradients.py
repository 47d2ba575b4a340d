"""Why long sequences are hard for a plain RNN: the gradient to early steps vanishes.

A plain RNN, an LSTM and a GRU read the same random sequence. The loss is the sum
of the last hidden state; autograd gives its gradient with respect to the input at
every earlier step. In the plain RNN that gradient is a product of one Jacobian
(W_hh^T diag(1 - h^2)) per step and shrinks geometrically; the LSTM's cell state
and the GRU's update gate give it an additive path that decays far more slowly,
especially with the gate biased towards "keep" (Keras' unit_forget_bias = 1).
Computed in float64 so that tiny gradients do not underflow.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "RNN·LSTM·GRU의 기울기 소실", "en": "Vanishing gradients in RNN, LSTM and GRU"}
DESCRIPTION = {
    "ko": "마지막 시점의 손실을 각 시점의 입력으로 미분한 기울기 크기를 RNN, LSTM, GRU에서 비교합니다. "
    "일반 RNN은 앞쪽 시점으로 갈수록 기울기가 기하급수적으로 작아집니다.",
    "en": "Compares, for a plain RNN, an LSTM and a GRU, the gradient of the last step's loss with respect to "
    "the input at each earlier step. The plain RNN's gradient shrinks geometrically with distance.",
}
PARAMS = (
    Param(name="seq_len", kind="int", default=50, min=5, max=200,
          label_ko="시퀀스 길이", label_en="Sequence length",
          help_ko="입력 시퀀스의 시점 수", help_en="Time steps in the input sequence"),
    Param(name="hidden", kind="int", default=32, min=4, max=128,
          label_ko="은닉 크기", label_en="Hidden size",
          help_ko="은닉 상태의 차원", help_en="Size of the hidden state"),
    Param(name="input_size", kind="int", default=8, min=1, max=32,
          label_ko="입력 크기", label_en="Input size",
          help_ko="각 시점 입력의 차원", help_en="Size of each step's input"),
    Param(name="gate_bias", kind="float", default=1.0, min=-3, max=5,
          label_ko="게이트 편향", label_en="Gate bias",
          help_ko="LSTM 망각 게이트와 GRU 업데이트 게이트 편향에 더하는 값 (1은 Keras의 unit_forget_bias, 0은 PyTorch 기본 초기화)",
          help_en="Added to the LSTM forget-gate and GRU update-gate biases (1 is Keras' unit_forget_bias, 0 is PyTorch's "
                  "default init)"),
)
KINDS = ("rnn", "lstm", "gru")


def build(kind: str, params: dict[str, Any], seed: int):
    """The recurrent layer with PyTorch's default distribution U(±1/√H), drawn from a seeded generator."""
    import torch

    hidden, inp = params["hidden"], params["input_size"]
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    # Built on meta then materialised: the constructor's own init never touches the global RNG.
    layer = cls(inp, hidden, device="meta", dtype=torch.float64).to_empty(device="cpu")
    gen = torch.Generator().manual_seed(seed)
    bound = 1 / math.sqrt(hidden)
    with torch.no_grad():
        for _, p in sorted(layer.named_parameters()):
            p.copy_((torch.rand(p.shape, generator=gen, dtype=torch.float64) * 2 - 1) * bound)
        if kind in ("lstm", "gru"):  # gate order: LSTM i|f|g|o, GRU r|z|n; both second block
            layer.bias_ih_l0[hidden:2 * hidden] += params["gate_bias"]
    return layer


def inputs(params: dict[str, Any], seed: int):
    import torch

    gen = torch.Generator().manual_seed(seed + 1)
    return torch.randn(params["seq_len"], 1, params["input_size"], generator=gen, dtype=torch.float64)


def grad_norms(kind: str, params: dict[str, Any], seed: int = 0) -> list[float]:
    """||d(sum h_T) / d x_t|| for t = 1..T."""
    x = inputs(params, seed).requires_grad_()
    out, _ = build(kind, params, seed)(x)
    out[-1].sum().backward()
    return x.grad.norm(dim=(1, 2)).tolist()


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    steps = params["seq_len"]
    norms = {kind: grad_norms(kind, params, seed) for kind in KINDS}
    values: dict[str, Any] = {}
    for kind, g in norms.items():
        ratio = g[0] / g[-1]
        below = [lag for lag in range(steps) if g[steps - 1 - lag] < 0.01 * g[-1]]
        values[f"grad_ratio_first_to_last.{kind}"] = ratio
        values[f"grad_norm_first.{kind}"] = g[0]
        values[f"grad_norm_last.{kind}"] = g[-1]
        values[f"decay_per_step.{kind}"] = ratio ** (1 / (steps - 1)) if ratio > 0 else 0.0
        values[f"steps_to_1pct.{kind}"] = below[0] if below else steps  # = seq_len: never fell below 1%
    for kind in ("lstm", "gru"):
        rnn, other = values["grad_ratio_first_to_last.rnn"], values[f"grad_ratio_first_to_last.{kind}"]
        values[f"orders_of_magnitude_gap.{kind}"] = math.log10(other / rnn) if rnn > 0 else math.inf
    t = [float(i) for i in range(1, steps + 1)]
    charts = [Chart(
        "line", {"ko": "마지막 손실의 시점별 입력 기울기 (마지막 시점 = 1)", "en": "Gradient of the last loss per input step (last = 1)"},
        {"ko": "시점 t", "en": "time step t"}, {"ko": "‖∂L/∂x_t‖ / ‖∂L/∂x_T‖", "en": "‖∂L/∂x_t‖ / ‖∂L/∂x_T‖"},
        [Series(kind.upper(), t, [v / g[-1] for v in g]) for kind, g in norms.items()], log_y=True)]
    table = Table([{"ko": "모델", "en": "model"}, {"ko": "첫/마지막 기울기", "en": "first/last gradient"},
                   {"ko": "걸음당 감소율", "en": "decay per step"}, {"ko": "1%까지 거슬러 간 걸음", "en": "steps back to 1%"}],
                  [[k.upper(), values[f"grad_ratio_first_to_last.{k}"], values[f"decay_per_step.{k}"],
                    values[f"steps_to_1pct.{k}"]] for k in KINDS])
    r = {k: values[f"grad_ratio_first_to_last.{k}"] for k in KINDS}
    gap = min(values["orders_of_magnitude_gap.lstm"], values["orders_of_magnitude_gap.gru"])
    summary = {
        "ko": f"길이 {steps}인 시퀀스에서 첫 시점 입력에 닿는 기울기는 마지막 시점 대비 RNN {r['rnn']:.1e}, LSTM {r['lstm']:.1e}, "
              f"GRU {r['gru']:.1e}입니다. 일반 RNN의 기울기가 {gap:.0f}자릿수 이상 더 작습니다.",
        "en": f"Relative to the last step, the gradient reaching the first of {steps} inputs is {r['rnn']:.1e} for the "
              f"RNN, {r['lstm']:.1e} for the LSTM and {r['gru']:.1e} for the GRU: the plain RNN's is at least "
              f"{gap:.0f} orders of magnitude smaller.",
    }
    return DemoResult(values=values, charts=charts, tables={"models": table}, summary=summary)
