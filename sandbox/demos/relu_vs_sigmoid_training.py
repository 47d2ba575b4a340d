"""The same deep MLP trained with sigmoid and with ReLU: loss curves side by side.

Task: two interleaved moons (2-D inputs, standardised, Gaussian noise 0.1), a binary
label, `samples` points, full-batch training on binary cross-entropy. Both networks
start from the *same* weights (PyTorch's default U(±1/√fan_in) init, seeded) and use the
same optimizer, learning rate and step count; only the hidden activation differs.
A run whose loss turns inf/NaN (too large a learning rate) stops there, `diverged.<act>` is true,
and it is scored at its last finite step. Accuracy is measured on the training points; a net that still answers about 0.5
everywhere (`prediction_std` near 0) gets an accuracy decided by noise, possibly below 50%.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 3
TITLE = {"ko": "ReLU vs sigmoid 학습 곡선", "en": "Training with ReLU vs sigmoid"}
DESCRIPTION = {
    "ko": "같은 초기 가중치, 같은 옵티마이저와 학습률로 깊은 MLP를 sigmoid와 ReLU로 각각 학습해 손실 곡선과 최종 정확도를 비교합니다.",
    "en": "Trains one deep MLP twice from the same initial weights with the same optimizer and learning rate, once with "
    "sigmoid and once with ReLU, and compares the loss curves and final accuracy.",
}
ACTS = ("sigmoid", "relu")
PARAMS = (
    # with 8 layers of 48 and Adam: ~2 s on one busy core
    Param(name="steps", kind="int", default=150, min=10, max=200,
          label_ko="학습 단계", label_en="Steps",
          help_ko="전체 배치 학습 단계 수", help_en="Full-batch training steps"),
    Param(name="hidden_layers", kind="int", default=6, min=1, max=8,
          label_ko="은닉층 수", label_en="Hidden layers",
          help_ko="은닉층의 수", help_en="Number of hidden layers"),
    Param(name="width", kind="int", default=32, min=4, max=48,
          label_ko="너비", label_en="Width",
          help_ko="은닉층의 뉴런 수", help_en="Units per hidden layer"),
    Param(name="learning_rate", kind="float", default=0.05, min=0.0001, max=1,
          label_ko="학습률", label_en="Learning rate",
          help_ko="두 네트워크에 같은 학습률", help_en="The same learning rate for both networks"),
    Param(name="optimizer", kind="choice", default="sgd-momentum", choices=("sgd-momentum", "adam"),
          label_ko="옵티마이저", label_en="Optimizer",
          help_ko="sgd-momentum: SGD(모멘텀 0.9), adam: Adam (기울기 크기를 정규화해 sigmoid도 어느 정도 학습)",
          help_en="sgd-momentum: SGD with momentum 0.9; adam: Adam (rescales gradients, so sigmoid learns somewhat)"),
    Param(name="samples", kind="int", default=128, min=32, max=256,
          label_ko="샘플 수", label_en="Samples",
          help_ko="두 반달 데이터의 점 수", help_en="Points in the two-moons data"),
)


def moons(n: int, gen):
    """Two interleaved half circles with labels 0/1, standardised."""
    import torch

    t = torch.rand(n, generator=gen) * math.pi
    label = (torch.arange(n) % 2).float()
    upper = torch.stack([torch.cos(t), torch.sin(t)], 1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
    x = torch.where(label[:, None] == 1, lower, upper) + 0.1 * torch.randn(n, 2, generator=gen)
    return (x - x.mean(0)) / x.std(0), label


def train(params: dict[str, Any], activation: str, seed: int) -> tuple[list[float], float, float, bool]:
    """Loss before every step and after the last, the final training accuracy, the spread (std over
    the points) of the predicted probability (about 0 when the net answers the same everywhere), and
    whether training diverged. A diverged run stops at its last finite loss and is scored there."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    x, y = moons(params["samples"], gen)
    dims = [2] + [params["width"]] * params["hidden_layers"] + [1]
    ps = []
    for fan_in, fan_out in itertools.pairwise(dims):
        bound = fan_in**-0.5
        ps += [((torch.rand(fan_out, fan_in, generator=gen) * 2 - 1) * bound).requires_grad_(),
               ((torch.rand(fan_out, generator=gen) * 2 - 1) * bound).requires_grad_()]
    f = getattr(torch, activation)
    if params["optimizer"] == "adam":
        opt = torch.optim.Adam(ps, lr=params["learning_rate"])
    else:
        opt = torch.optim.SGD(ps, lr=params["learning_rate"], momentum=0.9)

    def logits():
        h = x
        for i in range(0, len(ps) - 2, 2):
            h = f(torch.addmm(ps[i + 1], h, ps[i].T))
        return torch.addmm(ps[-1], h, ps[-2].T)[:, 0]

    losses, last, diverged = [], None, False
    for step in range(params["steps"] + 1):  # the extra pass only scores the final weights
        out = logits()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(out, y)
        if not torch.isfinite(loss):
            diverged = True
            break
        losses.append(loss.item())
        last = out.detach()
        if step < params["steps"]:
            opt.zero_grad()
            loss.backward()
            opt.step()
    accuracy = ((last > 0).float() == y).float().mean().item()
    return losses, accuracy, torch.sigmoid(last).std().item(), diverged


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    curves, values = {}, {}
    for act in ACTS:
        curves[act], accuracy, spread, diverged = train(params, act, seed)
        values[f"initial_loss.{act}"] = curves[act][0]
        values[f"final_loss.{act}"] = curves[act][-1]
        values[f"final_accuracy.{act}"] = accuracy
        values[f"prediction_std.{act}"] = spread
        values[f"diverged.{act}"] = diverged
    values["steps"] = params["steps"]
    values["hidden_layers"] = params["hidden_layers"]
    values["learning_rate"] = params["learning_rate"]
    values["optimizer"] = params["optimizer"]
    values["chance_loss"] = math.log(2)  # BCE of always predicting 0.5

    # Losses at steps 0..steps (the last after the final update; shorter if a run diverged), <= 201 points.
    stride = max(1, math.ceil(params["steps"] / 200))
    series = [Series(act, [float(i) for i in range(0, len(c), stride)], c[::stride]) for act, c in curves.items()]
    series.append(Series({"ko": "우연 수준 (ln 2)", "en": "chance (ln 2)"}, [0.0, float(params["steps"])], [math.log(2)] * 2))
    chart = Chart(
        "line",
        {"ko": f"학습 손실 ({params['hidden_layers']}개 은닉층, 같은 초기값)",
         "en": f"Training loss ({params['hidden_layers']} hidden layers, same initial weights)"},
        {"ko": "단계", "en": "step"},
        {"ko": "이진 교차 엔트로피", "en": "binary cross-entropy"},
        series,
    )
    table = Table(columns=[{"ko": "활성화", "en": "activation"}, {"ko": "초기 손실", "en": "initial loss"},
                           {"ko": "최종 손실", "en": "final loss"}, {"ko": "최종 정확도", "en": "final accuracy"},
                           {"ko": "발산", "en": "diverged"}],
                  rows=[[act, *(values[f"{name}.{act}"] for name in ("initial_loss", "final_loss", "final_accuracy",
                                                                     "diverged"))] for act in ACTS])
    blew_up = [act for act in ACTS if values[f"diverged.{act}"]]
    s, r = values["final_loss.sigmoid"], values["final_loss.relu"]
    sa, ra = values["final_accuracy.sigmoid"], values["final_accuracy.relu"]
    return DemoResult(
        values=values,
        charts=[chart],
        tables={"final": table},
        summary={
            "ko": f"{params['steps']}단계 뒤 손실은 sigmoid {s:.3g}(정확도 {sa:.0%}), ReLU {r:.3g}(정확도 {ra:.0%})입니다. "
            f"모든 점에 50%라고 답하면 손실은 ln 2 ≈ 0.693입니다."
            + (f" 발산한 학습({', '.join(blew_up)})은 마지막 유한한 손실로 보고합니다." if blew_up else ""),
            "en": f"After {params['steps']} steps the loss is {s:.3g} with sigmoid (accuracy {sa:.0%}) and {r:.3g} with "
            f"ReLU (accuracy {ra:.0%}); answering 50% everywhere scores ln 2 ≈ 0.693."
            + (f" Diverged ({', '.join(blew_up)}): reported at the last finite loss." if blew_up else ""),
        },
    )
