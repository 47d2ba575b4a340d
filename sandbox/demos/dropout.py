"""Dropout: random units switched off in training, none at evaluation, and the 1/(1-p) scale that joins the two.

A fixed input goes through a ReLU layer of `units` units (float64, seeded). In training
mode inverted dropout keeps each unit with probability 1-p and multiplies the kept ones by
1/(1-p), so every unit's *expected* training output equals its evaluation output, and
evaluation needs no change. Without the scale (the original formulation) the training
outputs are (1-p) times too small on average, and evaluation must multiply by 1-p instead.

Each mask picks one of 2^units sub-networks. Averaging a readout over `masks` masks (the
ensemble view, "Monte Carlo dropout") converges to the evaluation output when the readout
is linear in the dropped units, and to something close to it, but not equal, when a
non-linearity follows the dropout: evaluation is a cheap approximation of the ensemble.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 1
TITLE = {"ko": "드롭아웃: 학습과 평가의 출력, 1/(1-p) 스케일", "en": "Dropout: train vs eval outputs and the 1/(1-p) scale"}
DESCRIPTION = {
    "ko": "학습 때 뉴런을 확률 p로 끄고 남은 뉴런을 1/(1-p)배 키우는 역드롭아웃(inverted dropout)이 평가 출력과 "
    "기댓값을 맞추는 것을 보이고, 여러 마스크의 평균(앙상블)이 평가 출력에 수렴하는지 확인합니다.",
    "en": "Shows that inverted dropout (drop each unit with probability p, scale the survivors by 1/(1-p)) keeps the "
    "expected training output equal to the evaluation output, and checks how an average over many masks "
    "(the ensemble view) approaches the evaluation output.",
}
INPUTS = 16
HEAD = 16  # units of the non-linear head that follows the dropout in the ensemble comparison
PARAMS = (
    Param(name="p", kind="float", default=0.5, min=0.05, max=0.9,
          label_ko="드롭 확률 p", label_en="Drop probability p",
          help_ko="학습 때 각 뉴런을 끌 확률", help_en="Probability of switching each unit off in training"),
    Param(name="units", kind="int", default=256, min=16, max=2048,
          label_ko="뉴런 수", label_en="Units",
          help_ko="드롭아웃을 적용하는 은닉층의 뉴런 수", help_en="Units in the hidden layer that dropout is applied to"),
    Param(name="masks", kind="int", default=1000, min=10, max=4000,
          label_ko="마스크 수", label_en="Masks",
          help_ko="평균을 내는 무작위 마스크(부분 네트워크)의 수", help_en="Random masks (sub-networks) averaged in the ensemble view"),
)


def network(params: dict[str, Any], seed: int):
    """The input's hidden activations h (units,), a linear readout v, and the tanh layer's weights W2."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    n = params["units"]
    x = torch.randn(INPUTS, generator=gen, dtype=torch.float64)
    w1 = torch.randn(n, INPUTS, generator=gen, dtype=torch.float64) * (2 / INPUTS) ** 0.5
    h = torch.relu(w1 @ x)
    v = torch.randn(n, generator=gen, dtype=torch.float64) / n**0.5
    w2 = torch.randn(HEAD, n, generator=gen, dtype=torch.float64) * (2 / n) ** 0.5
    return h, v, w2


def masks(params: dict[str, Any], seed: int):
    """`masks` x `units` keep-masks (1.0 = kept), each unit kept with probability 1-p."""
    import torch

    gen = torch.Generator().manual_seed(seed + 1)
    return (torch.rand(params["masks"], params["units"], generator=gen, dtype=torch.float64) >= params["p"]).double()


def head(hidden, w2):
    """A non-linear layer after the dropout: tanh(W2 h), one row per mask."""
    import torch

    return torch.tanh(hidden @ w2.T)


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    p = params["p"]
    scale = 1 / (1 - p)
    h, v, w2 = network(params, seed)
    keep = masks(params, seed)
    train = h * keep * scale  # inverted dropout: one row per mask
    unscaled = h * keep
    count = torch.arange(1, params["masks"] + 1, dtype=torch.float64)
    linear_eval, nonlinear_eval = (h @ v).item(), head(h, w2)
    linear_runs, nonlinear_runs = train @ v, head(train, w2)
    # Distance of the running average over the first k masks from the eval output, for k = 1..masks.
    linear_gap = (linear_runs.cumsum(0) / count - linear_eval).abs()
    nonlinear_gap = (nonlinear_runs.cumsum(0) / count[:, None] - nonlinear_eval).norm(dim=1)
    mean_eval = h.mean().item()

    values = {
        "p": p,
        "keep_prob": 1 - p,
        "scale": scale,
        "kept_fraction": keep.mean().item(),
        "mean_activation.eval": mean_eval,
        "mean_activation.train": train.mean().item(),
        "mean_activation.train_unscaled": unscaled.mean().item(),
        "ratio.train_to_eval": train.mean().item() / mean_eval,
        "ratio.unscaled_to_eval": unscaled.mean().item() / mean_eval,
        "zero_fraction.train": (train == 0).double().mean().item(),
        "zero_fraction.eval": (h == 0).double().mean().item(),
        "linear.eval": linear_eval,
        "linear.ensemble": linear_runs.mean().item(),
        "linear.single_mask_std": linear_runs.std().item(),
        "linear.ensemble_error": linear_gap[-1].item(),
        "linear.ensemble_stderr": linear_runs.std().item() / params["masks"] ** 0.5,
        # The tanh layer's output vector: distance of the mask average from the eval output, and the
        # part of that distance sampling noise alone explains (root of the summed squared standard errors).
        "nonlinear.eval_norm": nonlinear_eval.norm().item(),
        "nonlinear.ensemble_error": nonlinear_gap[-1].item(),
        "nonlinear.ensemble_stderr": (nonlinear_runs.var(0).sum() / params["masks"]).sqrt().item(),
        "nonlinear.relative_error": nonlinear_gap[-1].item() / nonlinear_eval.norm().item(),
        "subnetworks_log10": params["units"] * math.log10(2),
        "masks": params["masks"],
        "units": params["units"],
    }

    step = max(1, params["masks"] // 200)
    xs = count[::step].tolist()
    charts = [
        Chart("line", {"ko": "마스크 평균(앙상블)과 평가 출력의 거리",
                       "en": "Distance of the mask average (the ensemble) from the eval output"},
              {"ko": "평균낸 마스크 수", "en": "masks averaged"}, {"ko": "|평균 − 평가| (로그 축)", "en": "|average − eval| (log scale)"},
              [Series({"ko": "선형 출력", "en": "linear readout"}, xs, linear_gap[::step].clamp_min(1e-12).tolist()),
               Series({"ko": "드롭아웃 뒤 tanh 층", "en": "tanh layer after dropout"}, xs,
                      nonlinear_gap[::step].clamp_min(1e-12).tolist())],
              log_y=True),
        Chart("bar", {"ko": f"뉴런의 평균 출력 (p = {p:g})", "en": f"Mean unit output (p = {p:g})"},
              {"ko": "모드", "en": "mode"}, {"ko": "평균 출력", "en": "mean output"},
              [Series({"ko": "평균 출력", "en": "mean output"}, [0.0, 1.0, 2.0],
                      [mean_eval, values["mean_activation.train"], values["mean_activation.train_unscaled"]])],
              x_ticks={"ko": ["평가", "학습 (역드롭아웃)", "학습 (스케일 없음)"],
                       "en": ["eval", "train (inverted)", "train (no scale)"]}),
    ]
    table = Table(
        columns=[{"ko": "모드", "en": "mode"}, {"ko": "평균 출력", "en": "mean output"},
                 {"ko": "평가 대비", "en": "ratio to eval"}, {"ko": "0인 뉴런 비율", "en": "zero fraction"}],
        rows=[[{"ko": "평가", "en": "eval"}, mean_eval, 1.0, values["zero_fraction.eval"]],
              [{"ko": "학습 (역드롭아웃)", "en": "train (inverted)"}, values["mean_activation.train"],
               values["ratio.train_to_eval"], values["zero_fraction.train"]],
              [{"ko": "학습 (스케일 없음)", "en": "train (no scale)"}, values["mean_activation.train_unscaled"],
               values["ratio.unscaled_to_eval"], values["zero_fraction.train"]]],
    )
    r, ru = values["ratio.train_to_eval"], values["ratio.unscaled_to_eval"]
    rel = values["nonlinear.relative_error"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"modes": table},
        summary={
            "ko": f"p = {p:g}에서 남은 뉴런을 {scale:.3g}배 키우면 학습 때 평균 출력이 평가 때의 {r:.3f}배로 맞고, "
            f"키우지 않으면 {ru:.3f}배로 작아집니다. 마스크 {params['masks']}개의 평균은 선형 출력에서는 평가 출력에 "
            f"수렴하지만, 드롭아웃 뒤에 tanh가 오면 평가 출력과 {rel:.0%} 차이가 남습니다.",
            "en": f"With p = {p:g}, scaling the kept units by {scale:.3g} makes the mean training output {r:.3f} times "
            f"the eval output; without the scale it is {ru:.3f} times. The average of {params['masks']} masks "
            f"converges to the eval output for a linear readout, but stays {rel:.0%} away when a tanh follows the dropout.",
        },
    )
