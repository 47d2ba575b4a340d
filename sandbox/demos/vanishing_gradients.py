"""Vanishing gradients: per-layer weight-gradient norms of a deep MLP after one backward pass.

`depth` linear layers of `width` units (an activation after every layer but the last)
map a fixed random batch to outputs; the loss is half the mean squared error against
fixed random targets. The chosen (activation, init) is shown beside a fixed comparison
set, each with its usual init: sigmoid and tanh with Xavier, ReLU with He. All runs use
the same batch and targets; weights are drawn from the same seeded generator.
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "기울기 소실: 층별 기울기 크기", "en": "Vanishing gradients, layer by layer"}
DESCRIPTION = {
    "ko": "깊은 MLP에서 역전파 한 번 뒤 층별 가중치 기울기 노름을 잽니다. sigmoid는 층을 거슬러 갈수록 기울기가 "
    "기하급수적으로 줄고, He 초기화를 쓴 ReLU는 거의 유지됩니다.",
    "en": "Measures each layer's weight-gradient norm after one backward pass through a deep MLP. With sigmoid the "
    "gradient shrinks geometrically towards the input; ReLU with He init keeps it roughly constant.",
}
ACTIVATIONS = ("sigmoid", "tanh", "relu")
INITS = ("xavier", "he", "default", "small-normal")
# The fixed comparison set: each activation with the init usually paired with it.
COMPARISON = {"sigmoid": "xavier", "tanh": "xavier", "relu": "he"}
PARAMS = (
    Param(name="depth", kind="int", default=10, min=2, max=30,
          label_ko="층 수", label_en="Depth",
          help_ko="선형층 수 (마지막 층 제외하고 각 층 뒤에 활성화)",
          help_en="Number of linear layers (an activation follows all but the last)"),
    Param(name="width", kind="int", default=32, min=4, max=128,
          label_ko="너비", label_en="Width",
          help_ko="각 층의 뉴런 수", help_en="Units per layer"),
    Param(name="activation", kind="choice", default="sigmoid", choices=ACTIVATIONS,
          label_ko="활성화 함수", label_en="Activation",
          help_ko="비교 세트와 함께 보여 줄 활성화 함수", help_en="Activation of the extra run shown beside the comparison set"),
    Param(name="init", kind="choice", default="xavier", choices=INITS,
          label_ko="초기화", label_en="Initialization",
          help_ko="xavier: N(0, 2/(입력+출력)), he: N(0, 2/입력), default: PyTorch 기본 U(±1/√입력), small-normal: N(0, 0.01²)",
          help_en="xavier: N(0, 2/(fan_in+fan_out)), he: N(0, 2/fan_in), default: PyTorch's U(±1/√fan_in), "
                  "small-normal: N(0, 0.01²)"),
    Param(name="batch", kind="int", default=64, min=8, max=256,
          label_ko="배치 크기", label_en="Batch size",
          help_ko="고정된 무작위 입력의 개수", help_en="Rows in the fixed random batch"),
)


def init_weight(fan_in: int, fan_out: int, scheme: str, gen):
    import torch

    w = torch.randn(fan_out, fan_in, generator=gen, dtype=torch.float64)
    if scheme == "xavier":
        return w * (2.0 / (fan_in + fan_out)) ** 0.5
    if scheme == "he":
        return w * (2.0 / fan_in) ** 0.5
    if scheme == "small-normal":
        return w * 0.01
    bound = fan_in**-0.5  # PyTorch's nn.Linear default: kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    return (torch.rand(fan_out, fan_in, generator=gen, dtype=torch.float64) * 2 - 1) * bound


def layer_grad_norms(params: dict[str, Any], activation: str, init: str, *, seed: int) -> list[float]:
    """Frobenius norm of dLoss/dW for layers 1..depth (1 = nearest the input)."""
    import torch

    depth, width, batch = params["depth"], params["width"], params["batch"]
    data = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, width, generator=data, dtype=torch.float64)
    target = torch.randn(batch, width, generator=data, dtype=torch.float64)
    gen = torch.Generator().manual_seed(seed + 1)
    weights = [init_weight(width, width, init, gen).requires_grad_() for _ in range(depth)]
    act = getattr(torch, activation)
    h = x
    for i, w in enumerate(weights):
        h = h @ w.T  # biases are zero, so they are left out
        if i < depth - 1:
            h = act(h)
    loss = 0.5 * (h - target).pow(2).mean()
    grads = torch.autograd.grad(loss, weights)
    return [g.norm().item() for g in grads]


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    runs = {a: (a, init) for a, init in COMPARISON.items()}
    chosen = (params["activation"], params["init"])
    runs["chosen"] = chosen
    norms = {name: layer_grad_norms(params, a, init, seed=seed) for name, (a, init) in runs.items()}
    values: dict[str, Any] = {}
    for name, n in norms.items():
        values[f"first_layer_grad.{name}"] = n[0]
        values[f"last_layer_grad.{name}"] = n[-1]
        values[f"ratio_first_to_last.{name}"] = n[0] / n[-1] if n[-1] > 0 else 0.0
    values["relu_over_sigmoid_first_layer"] = norms["relu"][0] / max(norms["sigmoid"][0], 1e-300)
    values["depth"] = params["depth"]
    values["chosen"] = f"{chosen[0]} + {chosen[1]}"
    for a, init in COMPARISON.items():
        values[f"init.{a}"] = init

    layers = list(range(1, params["depth"] + 1))
    labels: dict[str, Any] = {name: f"{a} ({init})" for name, (a, init) in runs.items()}
    labels["chosen"] = {"ko": f"선택: {chosen[0]} ({chosen[1]})", "en": f"chosen: {chosen[0]} ({chosen[1]})"}
    chart = Chart(
        "line",
        {"ko": "층별 가중치 기울기 노름 (1층 = 입력 쪽)", "en": "Weight-gradient norm per layer (layer 1 = input side)"},
        {"ko": "층", "en": "layer"},
        {"ko": "‖∂L/∂W‖ (로그 축)", "en": "‖∂L/∂W‖ (log scale)"},
        # the chosen run often repeats a comparison run exactly: highlighted, it stays visible on top of it
        [Series(labels[name], [float(i) for i in layers], [max(v, 1e-300) for v in n], highlight=name == "chosen")
         for name, n in norms.items()],
        log_y=True,
    )
    table = Table(columns=[{"ko": "층", "en": "layer"}, *(labels[name] for name in norms)],
                  rows=[[i, *(norms[name][i - 1] for name in norms)] for i in layers])
    s, r, d = values["first_layer_grad.sigmoid"], values["first_layer_grad.relu"], params["depth"]
    return DemoResult(
        values=values,
        charts=[chart],
        tables={"per_layer": table},
        summary={
            "ko": f"{d}층 네트워크에서 첫 층의 기울기 노름은 sigmoid(Xavier) {s:.1e}, ReLU(He) {r:.1e}로 "
            f"ReLU가 {values['relu_over_sigmoid_first_layer']:.1e}배 큽니다.",
            "en": f"In a {d}-layer network the first layer's gradient norm is {s:.1e} with sigmoid (Xavier) and "
            f"{r:.1e} with ReLU (He): ReLU's is {values['relu_over_sigmoid_first_layer']:.1e} times larger.",
        },
    )
