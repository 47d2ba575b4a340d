"""Residual connections: the gradient reaching each layer of a deep network, with and without skips.

Two networks of `depth` blocks share one random batch, targets and weights (float64, seeded):

* plain:    h_{l+1} = W_l act(h_l)
* residual: h_{l+1} = h_l + W_l act(h_l)   (the pre-activation form of a residual block)

and the loss is half the mean squared error of h_depth against the targets. Backpropagation
multiplies the gradient by one Jacobian per block. In the plain net that is W_l diag(act'),
so with sigmoid (act' <= 1/4) it shrinks geometrically towards the input. In the residual
net it is I + W_l diag(act'): the identity term carries the gradient from the loss to every
block unchanged, and the branch only adds to it. Shown per block: the weight gradient
||dL/dW_l|| and the backward signal ||dL/dh_l|| (block 1 = input side). Nothing normalizes the
activations here, so a residual net with ReLU and He init grows its forward signal with
depth; real ResNets add normalization or scale the branches for that.
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 1
TITLE = {"ko": "잔차 연결과 기울기 흐름", "en": "Residual connections and gradient flow"}
DESCRIPTION = {
    "ko": "같은 가중치로 만든 깊은 평범한(plain) 네트워크와 잔차(residual) 네트워크에서 블록별 기울기 크기를 잽니다. "
    "평범한 네트워크는 입력 쪽으로 갈수록 기울기가 사라지고, 잔차 연결의 항등 경로는 기울기를 그대로 전달합니다.",
    "en": "Measures the gradient at every block of a deep plain network and of a residual network built from the same "
    "weights. In the plain net the gradient vanishes towards the input; the identity path of the skip connections "
    "carries it through.",
}
ACTIVATIONS = ("sigmoid", "tanh", "relu")
INITS = ("xavier", "he", "default")
PARAMS = (
    Param(name="depth", kind="int", default=30, min=2, max=100,
          label_ko="블록 수", label_en="Depth",
          help_ko="쌓은 블록(층)의 수", help_en="Number of stacked blocks (layers)"),
    Param(name="width", kind="int", default=64, min=4, max=128,
          label_ko="너비", label_en="Width",
          help_ko="각 층의 뉴런 수", help_en="Units per layer"),
    Param(name="activation", kind="choice", default="sigmoid", choices=ACTIVATIONS,
          label_ko="활성화 함수", label_en="Activation",
          help_ko="블록 안의 활성화 함수", help_en="Activation inside each block"),
    Param(name="init", kind="choice", default="xavier", choices=INITS,
          label_ko="초기화", label_en="Initialization",
          help_ko="xavier: N(0, 2/(입력+출력)), he: N(0, 2/입력), default: PyTorch 기본 U(±1/√입력)",
          help_en="xavier: N(0, 2/(fan_in+fan_out)), he: N(0, 2/fan_in), default: PyTorch's U(±1/√fan_in)"),
    Param(name="batch", kind="int", default=64, min=8, max=128,
          label_ko="배치 크기", label_en="Batch size",
          help_ko="고정된 무작위 입력의 개수", help_en="Rows in the fixed random batch"),
)


def weights(params: dict[str, Any], seed: int):
    """The batch, the targets and one weight matrix per block."""
    import torch

    width = params["width"]
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(params["batch"], width, generator=gen, dtype=torch.float64)
    target = torch.randn(params["batch"], width, generator=gen, dtype=torch.float64)
    ws = []
    for _ in range(params["depth"]):
        if params["init"] == "default":
            w = (torch.rand(width, width, generator=gen, dtype=torch.float64) * 2 - 1) * width**-0.5
        else:
            gain = 2.0 / (2 * width) if params["init"] == "xavier" else 2.0 / width
            w = torch.randn(width, width, generator=gen, dtype=torch.float64) * gain**0.5
        ws.append(w)
    return x, target, ws


def gradients(params: dict[str, Any], seed: int, *, residual: bool, ws=None):
    """Per block (1 = input side): ||dL/dW_l||, ||dL/dh_l|| (the gradient arriving at the block's input),
    and the output's standard deviation."""
    import torch

    x, target, drawn = weights(params, seed)
    ws = [w.clone().requires_grad_() for w in (drawn if ws is None else ws)]
    act = getattr(torch, params["activation"])
    h, inputs = x.clone().requires_grad_(), []
    for w in ws:
        inputs.append(h)
        branch = act(h) @ w.T
        h = h + branch if residual else branch
    loss = 0.5 * (h - target).pow(2).mean()
    grads = torch.autograd.grad(loss, ws + inputs)
    depth = len(ws)
    return ([g.norm().item() for g in grads[:depth]], [g.norm().item() for g in grads[depth:]], h.detach().std().item())


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    nets = {name: gradients(params, seed, residual=name == "residual") for name in ("plain", "residual")}
    values: dict[str, Any] = {"depth": params["depth"], "activation": params["activation"], "init": params["init"]}
    for name, (w_norms, h_norms, out_std) in nets.items():
        values[f"first_grad.{name}"] = w_norms[0]
        values[f"last_grad.{name}"] = w_norms[-1]
        values[f"ratio_first_to_last.{name}"] = w_norms[0] / w_norms[-1] if w_norms[-1] > 0 else 0.0
        values[f"signal_ratio.{name}"] = h_norms[0] / h_norms[-1] if h_norms[-1] > 0 else 0.0
        values[f"output_std.{name}"] = out_std
    values["residual_over_plain.first_grad"] = nets["residual"][0][0] / max(nets["plain"][0][0], 1e-300)

    blocks = [float(i) for i in range(1, params["depth"] + 1)]
    labels = {"plain": {"ko": "평범한 네트워크", "en": "plain"}, "residual": {"ko": "잔차 네트워크", "en": "residual"}}
    block = {"ko": "블록 (1 = 입력 쪽)", "en": "block (1 = input side)"}
    setting = f"{params['activation']}, {params['init']}"
    charts = [
        Chart("line", {"ko": f"블록별 가중치 기울기 노름 ({setting})", "en": f"Weight-gradient norm per block ({setting})"},
              block, {"ko": "‖∂L/∂W‖ (로그 축)", "en": "‖∂L/∂W‖ (log scale)"},
              [Series(labels[n], blocks, [max(v, 1e-300) for v in nets[n][0]]) for n in nets], log_y=True),
        Chart("line", {"ko": "블록 입력에 도착하는 기울기", "en": "Gradient arriving at each block's input"},
              block, {"ko": "‖∂L/∂h‖ (로그 축)", "en": "‖∂L/∂h‖ (log scale)"},
              [Series(labels[n], blocks, [max(v, 1e-300) for v in nets[n][1]]) for n in nets], log_y=True),
    ]
    table = Table(
        columns=[{"ko": "네트워크", "en": "network"}, {"ko": "첫 블록 ‖∂L/∂W‖", "en": "first block ‖∂L/∂W‖"},
                 {"ko": "마지막 블록 ‖∂L/∂W‖", "en": "last block ‖∂L/∂W‖"}, {"ko": "첫/마지막", "en": "first/last"},
                 {"ko": "출력 표준편차", "en": "output std"}],
        rows=[[labels[n], values[f"first_grad.{n}"], values[f"last_grad.{n}"], values[f"ratio_first_to_last.{n}"],
               values[f"output_std.{n}"]] for n in nets],
    )
    d, rp, rr = params["depth"], values["ratio_first_to_last.plain"], values["ratio_first_to_last.residual"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"networks": table},
        summary={
            "ko": f"{d}개 블록({setting})에서 첫 블록의 가중치 기울기는 마지막 블록의 {rp:.1e}배(평범한 네트워크), "
            f"{rr:.2g}배(잔차 네트워크)입니다. 잔차 네트워크의 첫 블록 기울기가 "
            f"{values['residual_over_plain.first_grad']:.1e}배 큽니다.",
            "en": f"With {d} blocks ({setting}) the first block's weight gradient is {rp:.1e} times the last block's in "
            f"the plain net and {rr:.2g} times in the residual net, whose first-block gradient is "
            f"{values['residual_over_plain.first_grad']:.1e} times larger.",
        },
    )
