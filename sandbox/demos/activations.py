"""Activation functions and their derivatives, with the saturation region made visible.

Every function is evaluated on a grid over [x_min, x_max]; its derivative comes from
autograd and is checked against the closed form (`max_abs_error_vs_closed_form`).
Maxout uses two fixed pieces, max(x, -0.5x): a convex piecewise-linear unit that
contains ReLU (second piece 0) and |x| (second piece -x) as special cases.
At a kink the derivative follows PyTorch's autograd (ReLU'(0) = 0, Leaky'(0) = alpha,
ELU'(0) = alpha, Maxout'(0) = 1), and the closed forms use the same convention.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "활성화 함수와 도함수", "en": "Activation functions and their derivatives"}
DESCRIPTION = {
    "ko": "sigmoid, tanh, ReLU, Leaky ReLU, ELU, Swish, Maxout의 값과 도함수를 autograd로 계산하고 닫힌 식과 비교합니다. "
    "도함수가 임계값보다 작은 포화 구간도 보여 줍니다.",
    "en": "Computes sigmoid, tanh, ReLU, Leaky ReLU, ELU, Swish and Maxout and their derivatives with autograd, "
    "checks them against the closed forms, and shows where each derivative falls below a saturation threshold.",
}
PARAMS = (
    Param(name="x_min", kind="float", default=-6.0, min=-20, max=20,
          label_ko="x 최솟값", label_en="x min",
          help_ko="그래프 구간의 왼쪽 끝", help_en="Left end of the plotted range"),
    Param(name="x_max", kind="float", default=6.0, min=-20, max=20,
          label_ko="x 최댓값", label_en="x max",
          help_ko="그래프 구간의 오른쪽 끝", help_en="Right end of the plotted range"),
    Param(name="points", kind="int", default=161, min=21, max=201,
          label_ko="점 개수", label_en="Points",
          help_ko="구간에서 계산할 점의 수", help_en="Grid points in the range"),
    Param(name="point", kind="float", default=2.0, min=-20, max=20,
          label_ko="미분 지점", label_en="Derivative at",
          help_ko="도함수 값을 따로 보고할 x", help_en="The x at which every derivative is reported"),
    Param(name="leaky_alpha", kind="float", default=0.01, min=0, max=1,
          label_ko="Leaky ReLU α", label_en="Leaky ReLU α",
          help_ko="음수 구간의 기울기", help_en="Slope for negative inputs"),
    Param(name="elu_alpha", kind="float", default=1.0, min=0.01, max=5,
          label_ko="ELU α", label_en="ELU α",
          help_ko="음수 쪽 포화 값 −α", help_en="ELU saturates at −α for very negative x"),
    Param(name="swish_beta", kind="float", default=1.0, min=0.1, max=10,
          label_ko="Swish β", label_en="Swish β",
          help_ko="x·sigmoid(βx)의 β; 클수록 ReLU에 가까움", help_en="β in x·sigmoid(βx); large β approaches ReLU"),
    Param(name="threshold", kind="float", default=0.01, min=0.0001, max=0.2,
          label_ko="포화 임계값", label_en="Saturation threshold",
          help_ko="|도함수|가 이보다 작으면 포화로 봄", help_en="|derivative| below this counts as saturated"),
)
NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "swish", "maxout")


def check(values: dict[str, Any]) -> dict[str, str]:
    if values["x_min"] >= values["x_max"]:
        return {"x_max": f"must be greater than x_min ({values['x_min']:g})"}
    return {}


def _functions(p: dict[str, Any]):
    import torch

    a, e, b = p["leaky_alpha"], p["elu_alpha"], p["swish_beta"]
    return {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, a),
        "elu": lambda x: torch.nn.functional.elu(x, e),
        "swish": lambda x: x * torch.sigmoid(b * x),
        "maxout": lambda x: torch.where(x >= -0.5 * x, x, -0.5 * x),  # max(x, -0.5x), ties to the first piece
    }


def closed_form_derivatives(x, p: dict[str, Any]):
    """d/dx of each function written out by hand (the oracle for autograd)."""
    import torch

    s, t, sb = torch.sigmoid(x), torch.tanh(x), torch.sigmoid(p["swish_beta"] * x)
    one, pos = torch.ones_like(x), x > 0
    return {
        "sigmoid": s * (1 - s),
        "tanh": 1 - t**2,
        "relu": pos.to(x.dtype),
        "leaky_relu": torch.where(pos, one, p["leaky_alpha"] * one),
        "elu": torch.where(pos, one, p["elu_alpha"] * torch.exp(x)),
        "swish": sb + p["swish_beta"] * x * sb * (1 - sb),
        "maxout": torch.where(x >= 0, one, -0.5 * one),
    }


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:  # seed unused: nothing here is random
    import torch

    p, thr = params, params["threshold"]
    x = torch.linspace(p["x_min"], p["x_max"], p["points"], dtype=torch.float64, requires_grad=True)
    at = torch.tensor([p["point"]], dtype=torch.float64, requires_grad=True)
    exact = closed_form_derivatives(x.detach(), p)
    ys, ds, values, error = {}, {}, {}, 0.0
    for name, f in _functions(p).items():
        y = f(x)
        (d,) = torch.autograd.grad(y.sum(), x)
        (d_at,) = torch.autograd.grad(f(at).sum(), at)
        error = max(error, (d - exact[name]).abs().max().item())
        ys[name], ds[name] = y.detach(), d
        values[f"max_derivative.{name}"] = d.max().item()
        values[f"derivative_at.{name}"] = d_at.item()
        values[f"value_at.{name}"] = f(at).item()
        values[f"saturated_fraction.{name}"] = (d.abs() < thr).double().mean().item()
    values["leaky_relu_at_minus3"] = torch.nn.functional.leaky_relu(torch.tensor(-3.0, dtype=torch.float64),
                                                                    p["leaky_alpha"]).item()
    # |x| beyond which the derivative drops below the threshold: s(1-s) = thr and 1 - tanh^2 = thr.
    values["saturation_edge.sigmoid"] = math.log((1 + math.sqrt(1 - 4 * thr)) / (1 - math.sqrt(1 - 4 * thr)))
    values["saturation_edge.tanh"] = math.atanh(math.sqrt(1 - thr))
    values["max_abs_error_vs_closed_form"] = error
    values["point"] = p["point"]
    values["threshold"] = thr

    xs = x.detach().tolist()
    # For the log chart, tanh' as sech^2: 1 - tanh^2 rounds to 0 beyond |x| ~ 19, which a log axis cannot show.
    sech2 = torch.cosh(x.detach()).pow(-2)
    band = [p["x_min"], p["x_max"]]

    def curves(source, names=NAMES):
        return [Series(n, xs, source[n].tolist()) for n in names]

    charts = [
        Chart("line", {"ko": "활성화 함수", "en": "Activation functions"}, {"ko": "입력 x", "en": "input x"},
              {"ko": "출력 f(x)", "en": "output f(x)"}, curves(ys)),
        Chart("line", {"ko": f"도함수 (임계선 {thr:g} 아래 = 포화)", "en": f"Derivatives (below the {thr:g} line = saturated)"},
              {"ko": "입력 x", "en": "input x"}, {"ko": "f'(x) (autograd)", "en": "f'(x) (autograd)"},
              curves(ds) + [Series({"ko": f"임계값 {thr:g}", "en": f"threshold {thr:g}"}, band, [thr, thr])]),
        Chart("line", {"ko": "sigmoid·tanh 도함수 (로그 축)", "en": "Sigmoid and tanh derivatives (log scale)"},
              {"ko": "입력 x", "en": "input x"}, {"ko": "f'(x)", "en": "f'(x)"},
              [Series("sigmoid", xs, exact["sigmoid"].tolist()), Series("tanh", xs, sech2.tolist()),
               Series({"ko": f"임계값 {thr:g}", "en": f"threshold {thr:g}"}, band, [thr, thr])], log_y=True),
    ]
    table = Table(
        columns=[{"ko": "함수", "en": "function"}, "max f'", f"f'({p['point']:g})",
                 {"ko": f"|f'| < {thr:g}인 비율", "en": f"share with |f'| < {thr:g}"}],
        rows=[[n, values[f"max_derivative.{n}"], values[f"derivative_at.{n}"], values[f"saturated_fraction.{n}"]]
              for n in NAMES],
    )
    sat_s, sat_t = values["saturated_fraction.sigmoid"], values["saturated_fraction.tanh"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"derivatives": table},
        summary={
            "ko": f"sigmoid 도함수의 최댓값은 {values['max_derivative.sigmoid']:.3g}, tanh는 "
            f"{values['max_derivative.tanh']:.3g}입니다. 구간의 {sat_s:.0%}(sigmoid), {sat_t:.0%}(tanh)에서 "
            f"도함수가 {thr:g}보다 작아 기울기가 사실상 사라집니다.",
            "en": f"Sigmoid's derivative peaks at {values['max_derivative.sigmoid']:.3g} and tanh's at "
            f"{values['max_derivative.tanh']:.3g}; on {sat_s:.0%} (sigmoid) and {sat_t:.0%} (tanh) of the range the "
            f"derivative is below {thr:g}, so almost no gradient passes.",
        },
    )
