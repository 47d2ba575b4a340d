"""The perceptron: AND by hand, the perceptron rule, and why XOR needs a hidden layer.

1. The notes' AND unit: bias -30, weights 20 and 20, sigmoid output, step by step
   for the four inputs (z = -30 + 20 x1 + 20 x2, then sigmoid(z)).
2. The perceptron rule (w += lr (y - step(w.x + b)) x, starting from zero weights, the
   four inputs in a fixed order each epoch) learns AND but never XOR: no line splits
   XOR, so a single layer tops out at 3 of 4 correct.
3. A 2-H-1 MLP (tanh hidden layer, sigmoid output, binary cross-entropy, Adam, full
   batch, seeded N(0, 1) init of the hidden layer) solves XOR. With 8 hidden units it
   does so for every seed we tried; 2-2-1 often sticks at 50-75%.
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "퍼셉트론: AND는 되고 XOR은 안 된다", "en": "Perceptron: AND yes, XOR no"}
DESCRIPTION = {
    "ko": "편향 −30, 가중치 20, 20인 AND 퍼셉트론을 단계별로 계산하고, 퍼셉트론 규칙이 AND는 배우지만 XOR은 배우지 못하며 "
    "은닉층 하나를 가진 MLP는 XOR을 푼다는 것을 보여 줍니다.",
    "en": "Works the AND perceptron (bias −30, weights 20, 20) step by step, then shows the perceptron rule learning "
    "AND but never XOR, while an MLP with one hidden layer solves XOR.",
}
INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
AND, XOR = (0.0, 0.0, 0.0, 1.0), (0.0, 1.0, 1.0, 0.0)
PARAMS = (
    Param(name="epochs", kind="int", default=200, min=1, max=1000,
          label_ko="에포크", label_en="Epochs",
          help_ko="퍼셉트론 규칙과 MLP의 학습 에포크 수", help_en="Training epochs for both the perceptron rule and the MLP"),
    Param(name="perceptron_lr", kind="float", default=1.0, min=0.01, max=10,
          label_ko="퍼셉트론 학습률", label_en="Perceptron learning rate",
          help_ko="퍼셉트론 규칙의 학습률 (0에서 시작하므로 결과 분류에는 영향 없음)",
          help_en="Step of the perceptron rule (starting from zero it does not change which points are right)"),
    Param(name="learning_rate", kind="float", default=0.05, min=0.001, max=1,
          label_ko="MLP 학습률", label_en="MLP learning rate",
          help_ko="MLP를 학습하는 Adam의 학습률", help_en="Adam learning rate for the MLP"),
    Param(name="hidden", kind="int", default=8, min=2, max=16,
          label_ko="은닉 뉴런 수", label_en="Hidden units",
          help_ko="XOR MLP의 은닉 뉴런 수", help_en="Hidden units of the XOR MLP"),
)


def perceptron_rule(targets, epochs: int, lr: float) -> tuple[list[float], list[float]]:
    """Accuracy after each epoch and the final [w1, w2, b] of the perceptron rule."""
    w1 = w2 = b = 0.0
    history = []
    for _ in range(epochs):
        for (x1, x2), y in zip(INPUTS, targets):
            err = y - (1.0 if w1 * x1 + w2 * x2 + b > 0 else 0.0)
            w1, w2, b = w1 + lr * err * x1, w2 + lr * err * x2, b + lr * err
        pred = [1.0 if w1 * x1 + w2 * x2 + b > 0 else 0.0 for x1, x2 in INPUTS]
        history.append(sum(p == y for p, y in zip(pred, targets)) / 4)
    return history, [w1, w2, b]


def train_mlp(params: dict[str, Any], seed: int):
    """Accuracy per epoch on XOR and a function giving P(class 1) for a (n, 2) tensor."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    h = params["hidden"]
    x, y = torch.tensor(INPUTS), torch.tensor(XOR)[:, None]
    ps = [torch.randn(h, 2, generator=gen), torch.randn(h, generator=gen),
          torch.randn(1, h, generator=gen) * h**-0.5, torch.zeros(1)]
    ps = [p.requires_grad_() for p in ps]

    def net(inp):
        return torch.tanh(inp @ ps[0].T + ps[1]) @ ps[2].T + ps[3]

    opt = torch.optim.Adam(ps, lr=params["learning_rate"])
    history = []
    for _ in range(params["epochs"]):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            history.append(((net(x) > 0).float() == y).float().mean().item())
    return history, lambda inp: torch.sigmoid(net(inp)).detach()


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    x = torch.tensor(INPUTS, dtype=torch.float64)
    z = -30 + 20 * x[:, 0] + 20 * x[:, 1]
    out = torch.sigmoid(z)
    values: dict[str, Any] = {}
    names = ("00", "01", "10", "11")
    for i, n in enumerate(names):
        values[f"and.z.{n}"] = z[i].item()
        values[f"and.out.{n}"] = out[i].item()
    and_hist, (w1, w2, b) = perceptron_rule(AND, params["epochs"], params["perceptron_lr"])
    xor_hist, _ = perceptron_rule(XOR, params["epochs"], params["perceptron_lr"])
    mlp_hist, prob = train_mlp(params, seed)
    values.update({
        "and.perceptron_accuracy": and_hist[-1],
        "and.perceptron_epochs_to_100": next((i + 1 for i, a in enumerate(and_hist) if a == 1.0), 0),
        "and.perceptron_w1": w1, "and.perceptron_w2": w2, "and.perceptron_b": b,
        "xor.single_layer_accuracy": xor_hist[-1],
        "xor.single_layer_best_accuracy": max(xor_hist),
        "xor.mlp_accuracy": mlp_hist[-1],
        "xor.mlp_epochs_to_100": next((i + 1 for i, a in enumerate(mlp_hist) if a == 1.0), 0),
        "epochs": params["epochs"],
        "hidden": params["hidden"],
    })

    stride = max(1, params["epochs"] // 200)
    ep = [float(i + 1) for i in range(0, params["epochs"], stride)]

    def pick(hist):
        return hist[::stride]

    grid = torch.linspace(-0.5, 1.5, 13)
    pts = torch.cartesian_prod(grid, grid)
    cls = prob(pts)[:, 0] > 0.5
    acc = {"ko": "정확도", "en": "accuracy"}
    charts = [
        Chart("line", {"ko": "에포크별 학습 정확도", "en": "Training accuracy per epoch"},
              {"ko": "에포크", "en": "epoch"}, acc,
              [Series({"ko": "퍼셉트론 규칙, AND", "en": "perceptron rule, AND"}, ep, pick(and_hist)),
               Series({"ko": "퍼셉트론 규칙, XOR", "en": "perceptron rule, XOR"}, ep, pick(xor_hist)),
               Series(f"MLP 2-{params['hidden']}-1, XOR", ep, pick(mlp_hist))]),
        Chart("scatter", {"ko": "MLP의 XOR 결정 영역", "en": "The MLP's decision regions on XOR"},
              {"ko": "x1", "en": "x1"}, {"ko": "x2", "en": "x2"},
              [Series({"ko": "1로 예측", "en": "predicts 1"}, pts[cls, 0].tolist(), pts[cls, 1].tolist()),
               Series({"ko": "0으로 예측", "en": "predicts 0"}, pts[~cls, 0].tolist(), pts[~cls, 1].tolist()),
               Series("XOR = 1", [0.0, 1.0], [1.0, 0.0]), Series("XOR = 0", [0.0, 1.0], [0.0, 1.0])]),
    ]
    table = Table(columns=["x1", "x2", "z = -30 + 20x1 + 20x2", "sigmoid(z)", "AND"],
                  rows=[[int(a), int(c), values[f"and.z.{n}"], values[f"and.out.{n}"], int(t)]
                        for (a, c), n, t in zip(INPUTS, names, AND)])
    return DemoResult(
        values=values,
        charts=charts,
        tables={"and_truth_table": table},
        summary={
            "ko": f"AND 퍼셉트론은 (1,1)에서 z = {values['and.z.11']:g}, 출력 {values['and.out.11']:.5f}, (0,0)에서 "
            f"{values['and.out.00']:.1e}입니다. 퍼셉트론 규칙의 XOR 정확도는 최고 {values['xor.single_layer_best_accuracy']:.0%}에 "
            f"그치지만 은닉층 MLP는 {values['xor.mlp_accuracy']:.0%}입니다.",
            "en": f"The AND unit gives z = {values['and.z.11']:g} and output {values['and.out.11']:.5f} at (1,1), "
            f"{values['and.out.00']:.1e} at (0,0). The perceptron rule never beats "
            f"{values['xor.single_layer_best_accuracy']:.0%} on XOR; the MLP reaches {values['xor.mlp_accuracy']:.0%}.",
        },
    )
