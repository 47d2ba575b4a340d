"""Weight initialization: activation std through depth, and the symmetry of constant init.

Part 1: a random batch goes through `depth` layers of `width` units (zero biases) for
five schemes, with tanh and with ReLU. The schemes differ only in scale, so all of them
reuse one set of standard-normal matrices: zero (0), small N(0, 0.01^2), large N(0, 1),
Xavier N(0, 2/(fan_in+fan_out)) and He N(0, 2/fan_in). Reported: the std of each layer's
output. `std_ratio_last_to_first.*` is last layer / first layer (not given for zero
init, whose every activation is exactly 0).

Part 2: a 2-8-8-1 tanh MLP trained by full-batch SGD. With zero or constant init every
hidden unit of a layer gets the same gradient, so they stay identical (difference
exactly 0); random init breaks the symmetry.
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "가중치 초기화와 활성값 분산", "en": "Weight initialization and activation scale"}
DESCRIPTION = {
    "ko": "0, 작은/큰 정규분포, Xavier, He 초기화에서 층을 지날 때 활성값 표준편차가 어떻게 변하는지 tanh와 ReLU로 보여 주고, "
    "0(상수) 초기화는 학습해도 한 층의 뉴런들이 똑같이 남는다는 대칭성 문제를 확인합니다.",
    "en": "Tracks the activation std layer by layer for zero, small and large normal, Xavier and He init with tanh "
    "and ReLU, and shows that with zero (constant) init the units of a layer stay identical however long you train.",
}
SCHEMES = ("zero", "small", "large", "xavier", "he")
SCHEME_NAMES = {"zero": {"ko": "0", "en": "zero"}, "small": {"ko": "작은 값 (0.01)", "en": "small (0.01)"},
                "large": {"ko": "큰 값 (1)", "en": "large (1)"}, "xavier": "Xavier", "he": "He"}
ACTS = ("tanh", "relu")
SAMPLES = 128
PARAMS = (
    Param(name="depth", kind="int", default=20, min=2, max=30,
          label_ko="층 수", label_en="Depth",
          help_ko="쌓는 층의 수", help_en="Number of stacked layers"),
    Param(name="width", kind="int", default=256, min=16, max=512,
          label_ko="너비", label_en="Width",
          help_ko="각 층의 뉴런 수", help_en="Units per layer"),
    Param(name="activation", kind="choice", default="relu", choices=ACTS,
          label_ko="활성화 함수", label_en="Activation",
          help_ko="차트에 그릴 활성화 함수 (값은 둘 다 계산)", help_en="Activation drawn in the chart (values cover both)"),
    Param(name="constant", kind="float", default=0.5, min=-2, max=2,
          label_ko="상수 초기값", label_en="Constant init",
          help_ko="대칭성 실험에서 모든 가중치에 넣는 값 (0이면 0 초기화)",
          help_en="Value given to every weight in the symmetry experiment (0 = zero init)"),
    # at depth 30, width 512: ~2 s on one busy core
    Param(name="steps", kind="int", default=50, min=1, max=200,
          label_ko="학습 단계", label_en="Training steps",
          help_ko="대칭성 실험의 SGD 단계 수", help_en="SGD steps in the symmetry experiment"),
)


def layer_stds(depth: int, width: int, seed: int) -> dict[str, list[float]]:
    """'<scheme>_<act>' -> std of each layer's output, layers 1..depth."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(SAMPLES, width, generator=gen, dtype=torch.float64)
    base = [torch.randn(width, width, generator=gen, dtype=torch.float64) for _ in range(depth)]
    scale = {"zero": 0.0, "small": 0.01, "large": 1.0, "xavier": (2 / (2 * width)) ** 0.5, "he": (2 / width) ** 0.5}
    out = {f"{scheme}_{act}": [] for act in ACTS for scheme in SCHEMES}
    for scheme in SCHEMES:
        h = dict.fromkeys(ACTS, x)
        for w in base:
            w = w * scale[scheme]  # scaled once, shared by both activations
            for act in ACTS:
                h[act] = getattr(torch, act)(h[act] @ w)
                out[f"{scheme}_{act}"].append(h[act].std().item())
    return out


def train_small_mlp(init: str, constant: float, steps: int, seed: int):
    """Hidden-layer rows [W | b] (one row per unit) of a 2-8-8-1 tanh MLP, before and after SGD."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(64, 2, generator=gen, dtype=torch.float64)
    y = torch.sin(2 * x[:, :1]) * x[:, 1:]
    shapes = [(8, 2), (8,), (8, 8), (8,), (1, 8), (1,)]
    if init == "random":
        ps = [torch.randn(s, generator=gen, dtype=torch.float64) * 0.5 for s in shapes]
    else:
        ps = [torch.full(s, constant, dtype=torch.float64) for s in shapes]
    ps = [p.requires_grad_() for p in ps]

    def rows():
        return [torch.cat([w, b[:, None]], 1).detach().clone() for w, b in (ps[0:2], ps[2:4])]

    before = rows()
    for _ in range(steps):
        w1, b1, w2, b2, w3, b3 = ps
        pred = torch.tanh(torch.tanh(x @ w1.T + b1) @ w2.T + b2) @ w3.T + b3
        grads = torch.autograd.grad((pred - y).pow(2).mean(), ps)
        with torch.no_grad():
            for p, g in zip(ps, grads):
                p -= 0.1 * g
    return before, rows()


def max_unit_difference(rows) -> float:
    """Largest difference between two units' incoming weights, over the hidden layers."""
    return max((r[:, None, :] - r[None, :, :]).abs().max().item() for r in rows)


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    depth, width, act = params["depth"], params["width"], params["activation"]
    stds = layer_stds(depth, width, seed)
    values: dict[str, Any] = {}
    for name, s in stds.items():
        values[f"std_first_layer.{name}"] = s[0]
        values[f"std_last_layer.{name}"] = s[-1]
        if not name.startswith("zero"):
            values[f"std_ratio_last_to_first.{name}"] = s[-1] / s[0] if s[0] > 0 else 0.0
    trained = {k: train_small_mlp(k, c, params["steps"], seed)
               for k, c in (("zero", 0.0), ("constant", params["constant"]), ("random", 0.0))}
    diffs = {k: max_unit_difference(after) for k, (_, after) in trained.items()}
    before, after = trained["constant"]
    values["zero_init_max_unit_difference"] = diffs["zero"]
    values["zero_init_identical_units"] = diffs["zero"] == 0.0
    values["constant_init_max_unit_difference"] = diffs["constant"]
    values["constant_init_identical_units"] = diffs["constant"] == 0.0
    # The units did learn (their shared weights moved), they just moved in lockstep.
    values["constant_init_weight_change"] = max((a - b).abs().max().item() for a, b in zip(after, before))
    values["random_init_max_unit_difference"] = diffs["random"]
    values.update({"depth": depth, "width": width, "steps": params["steps"], "constant": params["constant"]})

    layers = [float(i) for i in range(1, depth + 1)]
    drawn = [s for s in SCHEMES if s != "zero"]  # zero init is exactly 0: nothing to draw on a log axis
    chart = Chart(
        "line",
        {"ko": f"층별 활성값 표준편차 ({act}, 0 초기화는 전부 0이라 생략)",
         "en": f"Activation std per layer ({act}; zero init is all 0, not drawn)"},
        {"ko": "층", "en": "layer"},
        {"ko": "표준편차 (로그 축)", "en": "std (log scale)"},
        [Series(SCHEME_NAMES[s], layers, [max(v, 1e-300) for v in stds[f"{s}_{act}"]]) for s in drawn],
        log_y=True,
    )
    table = Table(columns=[{"ko": "층", "en": "layer"}, *(SCHEME_NAMES[s] for s in SCHEMES)], rows=[[i + 1, *(stds[f"{s}_{act}"][i] for s in SCHEMES)]
                                                     for i in range(depth)])
    he, small = values["std_ratio_last_to_first.he_relu"], values["std_ratio_last_to_first.small_relu"]
    return DemoResult(
        values=values,
        charts=[chart],
        tables={f"std_per_layer_{act}": table},
        summary={
            "ko": f"ReLU {depth}층에서 마지막/첫 층 표준편차 비는 He {he:.2f}, 작은 초기화 {small:.1e}입니다. "
            f"상수 초기화로 {params['steps']}번 학습한 뒤 같은 층 뉴런 간 최대 차이는 "
            f"{diffs['constant']:g}, 무작위 초기화는 {diffs['random']:.2f}입니다.",
            "en": f"Over {depth} ReLU layers the last/first std ratio is {he:.2f} with He and {small:.1e} with small "
            f"init. After {params['steps']} steps from constant init the units of a layer differ by at most "
            f"{diffs['constant']:g}; from random init by {diffs['random']:.2f}.",
        },
    )
