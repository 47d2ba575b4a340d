"""Stacked linear layers collapse to one linear map; one non-linearity breaks that.

Builds `depth` random linear layers, multiplies them out into a single (W, b), and
shows that the stack and the single map give the same outputs to float precision.
With a ReLU between the layers no single linear map fits: the best least-squares
fit leaves a large residual.
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "선형층을 쌓으면 하나의 선형층", "en": "Stacked linear layers collapse to one"}
DESCRIPTION = {
    "ko": "활성화 함수 없이 쌓은 선형층을 하나의 행렬 W와 편향 b로 합치고, 두 출력이 같은지 확인합니다. "
    "ReLU를 끼우면 어떤 선형 사상으로도 맞출 수 없습니다.",
    "en": "Multiplies stacked linear layers into one matrix W and bias b and checks both give the same "
    "outputs. With ReLU in between, no linear map fits.",
}
PARAMS = (
    Param(name="depth", kind="int", default=4, min=2, max=12,
          label_ko="층 수", label_en="Layers",
          help_ko="쌓을 선형층의 수", help_en="How many linear layers to stack"),
    Param(name="width", kind="int", default=16, min=2, max=64,
          label_ko="너비", label_en="Width",
          help_ko="각 층의 뉴런 수", help_en="Units per layer"),
    Param(name="samples", kind="int", default=256, min=16, max=2048,
          label_ko="샘플 수", label_en="Samples",
          help_ko="비교에 쓰는 입력 수", help_en="Inputs used for the comparison"),
)


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch  # imported here so that listing demos never loads torch

    gen = torch.Generator().manual_seed(seed)
    depth, width, n = params["depth"], params["width"], params["samples"]
    layers = [torch.nn.Linear(width, width) for _ in range(depth)]
    with torch.no_grad():
        for layer in layers:
            layer.weight.copy_(torch.randn(width, width, generator=gen) / width**0.5)
            layer.bias.copy_(torch.randn(width, generator=gen) * 0.1)
        x = torch.randn(n, width, generator=gen, dtype=torch.float32)

        # Collapse: y = W_k(...(W_1 x + b_1)...) + b_k  =  W x + b
        w = torch.eye(width)
        b = torch.zeros(width)
        for layer in layers:
            w = layer.weight @ w
            b = layer.weight @ b + layer.bias

        stacked = x
        nonlinear = x
        for i, layer in enumerate(layers):
            stacked = layer(stacked)
            nonlinear = layer(nonlinear)
            if i < depth - 1:
                nonlinear = torch.relu(nonlinear)
        collapsed = x @ w.T + b
        linear_gap = (stacked - collapsed).abs().max().item()

        # Best linear fit (least squares, with bias) to the ReLU network's outputs.
        design = torch.cat([x, torch.ones(n, 1)], dim=1).double()
        coef = torch.linalg.lstsq(design, nonlinear.double(), driver="gelsd").solution
        residual = nonlinear.double() - design @ coef
        relu_fit_error = (residual.pow(2).mean() / nonlinear.double().var()).item()

    return DemoResult(
        values={
            "max_abs_difference": linear_gap,
            "relu_unexplained_variance": relu_fit_error,
            "collapsed_params": width * width + width,
            "stacked_params": depth * (width * width + width),
        },
        charts=[
            Chart(
                kind="scatter",
                title={"ko": "쌓은 선형층 vs 합친 하나의 층 (첫 출력)", "en": "Stacked layers vs the single collapsed layer (output 1)"},
                x_label={"ko": "합친 층의 출력", "en": "collapsed output"},
                y_label={"ko": "쌓은 층의 출력", "en": "stacked output"},
                series=[Series({"ko": "선형", "en": "linear"}, collapsed[:200, 0].tolist(), stacked[:200, 0].tolist())],
            )
        ],
        tables={
            "summary": Table(
                columns=[{"ko": "모델", "en": "model"}, {"ko": "파라미터", "en": "parameters"},
                         {"ko": "최대 |차이|", "en": "max |difference|"}],
                rows=[
                    ["stacked linear", depth * (width * width + width), linear_gap],
                    ["collapsed W, b", width * width + width, 0.0],
                ],
            )
        },
        summary={
            "ko": f"{depth}개 선형층과 합친 한 층의 출력 차이는 최대 {linear_gap:.1e}로 부동소수점 오차 수준입니다. "
            f"ReLU를 넣으면 최선의 선형 근사도 분산의 {relu_fit_error:.0%}를 설명하지 못합니다.",
            "en": f"The {depth} stacked layers and the single collapsed layer differ by at most {linear_gap:.1e}, "
            f"float rounding. With ReLU, the best linear fit leaves {relu_fit_error:.0%} of the variance unexplained.",
        },
    )
