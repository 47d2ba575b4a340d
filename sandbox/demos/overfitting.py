"""Overfitting: training error falls with capacity while validation error is U-shaped.

Data: y = sin(πx) + N(0, `noise`²) with `samples` training x drawn from U(−1, 1) and 200
validation x drawn inside the training range (no extrapolation). Polynomials of degree
1..`max_degree` are fitted by least squares (`torch.linalg.lstsq`) on a Legendre basis of
x rescaled to [−1, 1]. Then a one-hidden-layer tanh MLP of `width` units (N(0, 3²) input
weights, N(0, 1) biases, N(0, 1/width) output weights) is trained full-batch with Adam
(lr 0.03) for `epochs` epochs; the best validation epoch is where early stopping would stop.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 3  # summaries spell 에포크
TITLE = {"ko": "과적합: 모델 용량과 검증 오차", "en": "Overfitting: capacity vs validation error"}
DESCRIPTION = {
    "ko": "잡음 섞인 1차원 데이터에 차수를 늘려 가며 다항식을 맞추면 훈련 오차는 계속 줄지만 검증 오차는 U자 모양입니다. "
    "과대 매개변수화된 MLP도 오래 학습하면 검증 손실이 다시 올라가므로 조기 종료 지점이 생깁니다.",
    "en": "Fitting polynomials of growing degree to noisy 1-D data, training error keeps falling while validation "
    "error is U-shaped. An over-parameterised MLP trained for long also sees its validation loss rise again, which "
    "defines the early-stopping point.",
}
VALIDATION = 200
MLP_LR = 0.03
PARAMS = (
    Param(name="samples", kind="int", default=20, min=10, max=200,
          label_ko="훈련 샘플 수", label_en="Training samples",
          help_ko="훈련 점의 개수", help_en="Training points"),
    Param(name="noise", kind="float", default=0.3, min=0, max=2,
          label_ko="잡음 표준편차", label_en="Noise std",
          help_ko="정답 sin(πx)에 더하는 가우스 잡음의 표준편차", help_en="Std of the Gaussian noise added to sin(πx)"),
    Param(name="max_degree", kind="int", default=15, min=2, max=20,
          label_ko="최대 차수", label_en="Maximum degree",
          help_ko="1부터 이 차수까지 다항식을 맞춥니다", help_en="Polynomials of degree 1 up to this are fitted"),
    Param(name="width", kind="int", default=100, min=10, max=200,
          label_ko="MLP 너비", label_en="MLP width",
          help_ko="은닉층 하나의 뉴런 수", help_en="Units in the single hidden layer"),
    Param(name="epochs", kind="int", default=400, min=10, max=500,
          label_ko="MLP 에포크 수", label_en="MLP epochs",
          help_ko="전체 배치 Adam 업데이트 횟수", help_en="Full-batch Adam updates"),  # 500 x width 200: ~2 s on one busy core
)


def make_data(n: int, noise: float, seed: int):
    """(x_train, y_train, x_val, y_val) as float64 tensors."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(n, generator=gen, dtype=torch.float64) * 2 - 1
    y = torch.sin(math.pi * x) + noise * torch.randn(n, generator=gen, dtype=torch.float64)
    xv = x.min() + (x.max() - x.min()) * torch.rand(VALIDATION, generator=gen, dtype=torch.float64)
    yv = torch.sin(math.pi * xv) + noise * torch.randn(VALIDATION, generator=gen, dtype=torch.float64)
    return x, y, xv, yv


TRAIN_NAME = {"ko": "훈련", "en": "train"}
VALIDATION_NAME = {"ko": "검증", "en": "validation"}


def legendre(u, degree: int):
    """Columns P_0(u)..P_degree(u) by Bonnet's recursion."""
    import torch

    cols = [torch.ones_like(u), u]
    for k in range(1, degree):
        cols.append(((2 * k + 1) * u * cols[k] - k * cols[k - 1]) / (k + 1))
    return torch.stack(cols[: degree + 1], dim=1)


def polynomial_fits(x, y, xv, yv, max_degree: int):
    """{degree: (train MSE, validation MSE, predict)} for least-squares polynomials of degree 1..max_degree."""
    import torch

    lo, hi = x.min(), x.max()
    scale = lambda t: 2 * (t - lo) / (hi - lo) - 1  # noqa: E731
    fits = {}
    for d in range(1, max_degree + 1):
        # gelsd (SVD): MKL's default gelsy can differ in the last bit between identical calls.
        coef = torch.linalg.lstsq(legendre(scale(x), d), y[:, None], driver="gelsd").solution[:, 0]
        predict = lambda t, d=d, coef=coef: legendre(scale(t), d) @ coef  # noqa: E731
        fits[d] = ((predict(x) - y).pow(2).mean().item(), (predict(xv) - yv).pow(2).mean().item(), predict)
    return fits


def train_mlp(x, y, xv, yv, width: int, epochs: int, gen):
    """Training and validation MSE per epoch (epoch e = after e full-batch Adam updates)."""
    import torch

    w1 = (3 * torch.randn(1, width, generator=gen, dtype=torch.float64)).requires_grad_()
    b1 = torch.randn(width, generator=gen, dtype=torch.float64).requires_grad_()
    w2 = (torch.randn(width, 1, generator=gen, dtype=torch.float64) / width**0.5).requires_grad_()
    b2 = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([w1, b1, w2, b2], lr=MLP_LR)
    inputs, targets, n = torch.cat([x, xv])[:, None], torch.cat([y, yv]), len(x)
    train, val = [], []
    for _ in range(epochs):
        err = (torch.tanh(inputs @ w1 + b1) @ w2 + b2)[:, 0] - targets
        loss = err[:n].pow(2).mean()  # validation rows ride along without entering the loss
        train.append(loss.item())
        val.append(err[n:].detach().pow(2).mean().item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return train, val, 3 * width + 1


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    n, top, epochs = params["samples"], params["max_degree"], params["epochs"]
    x, y, xv, yv = make_data(n, params["noise"], seed)
    fits = polynomial_fits(x, y, xv, yv, top)
    best = min(fits, key=lambda d: fits[d][1])
    values: dict[str, Any] = {"best_degree": best, "max_degree": top, "noise_variance": params["noise"] ** 2}
    for d, (tr, va, _) in fits.items():
        values[f"train_mse.deg{d}"], values[f"val_mse.deg{d}"] = tr, va
    values["train_val_gap.max_degree"] = fits[top][1] - fits[top][0]
    values["train_val_gap.best_degree"] = fits[best][1] - fits[best][0]
    train, val, n_params = train_mlp(x, y, xv, yv, params["width"], epochs, torch.Generator().manual_seed(seed + 1))
    stop = min(range(epochs), key=val.__getitem__)
    values.update({"mlp.parameters": n_params, "mlp.best_epoch": stop, "mlp.best_val_mse": val[stop],
                   "mlp.train_mse_at_best": train[stop], "mlp.final_val_mse": val[-1],
                   "mlp.final_train_mse": train[-1]})

    degrees = [float(d) for d in fits]
    every = max(1, math.ceil(epochs / 200))
    grid = torch.linspace(x.min().item(), x.max().item(), 150, dtype=torch.float64)
    curves = [Series({"ko": "참 함수 sin(πx)", "en": "true sin(πx)"}, grid.tolist(), torch.sin(math.pi * grid).tolist())]
    for d in sorted({best, top}):
        pts = [(g, p) for g, p in zip(grid.tolist(), fits[d][2](grid).tolist()) if abs(p) <= 3]  # wild swings cut off
        curves.append(Series({"ko": f"{d}차", "en": f"degree {d}"}, [g for g, _ in pts], [p for _, p in pts]))
    charts = [
        Chart("line", {"ko": "차수별 훈련/검증 MSE (로그 축)", "en": "Training and validation MSE by degree (log scale)"},
              {"ko": "다항식 차수", "en": "polynomial degree"}, {"ko": "MSE", "en": "MSE"},
              [Series(TRAIN_NAME, degrees, [fits[d][0] for d in fits]),
               Series(VALIDATION_NAME, degrees, [fits[d][1] for d in fits])],
              log_y=True),
        Chart("line", {"ko": f"MLP(너비 {params['width']}) 에포크별 손실",
                       "en": f"MLP (width {params['width']}) loss per epoch"},
              {"ko": "에포크", "en": "epoch"}, {"ko": "MSE", "en": "MSE"},
              [Series(TRAIN_NAME, [float(e) for e in range(0, epochs, every)], train[::every]),
               Series(VALIDATION_NAME, [float(e) for e in range(0, epochs, every)], val[::every]),
               Series({"ko": "조기 종료", "en": "early stop"}, [float(stop)], [val[stop]])], log_y=True),
        Chart("scatter", {"ko": "훈련 데이터와 다항식 (|ŷ| > 3은 생략)", "en": "Training data and fits (|ŷ| > 3 not shown)"},
              {"ko": "x", "en": "x"}, {"ko": "y", "en": "y"},
              [Series({"ko": "훈련 데이터", "en": "training points"}, x.tolist(), y.tolist()), *curves]),
    ]
    table = Table(columns=[{"ko": "차수", "en": "degree"}, {"ko": "훈련 MSE", "en": "train MSE"},
                           {"ko": "검증 MSE", "en": "validation MSE"}],
                  rows=[[d, tr, va] for d, (tr, va, _) in fits.items()])
    v = values
    return DemoResult(
        values=values,
        charts=charts,
        tables={"by_degree": table},
        summary={
            "ko": f"훈련 MSE는 1차 {v['train_mse.deg1']:.3f}에서 {top}차 {fits[top][0]:.3f}로 줄지만 검증 MSE는 {best}차에서 "
            f"가장 작고({fits[best][1]:.3f}) {top}차에서 {fits[top][1]:.3g}입니다. MLP는 {stop}에포크에서 검증 손실이 최소"
            f"({val[stop]:.3f})이고 마지막에는 {val[-1]:.3f}입니다.",
            "en": f"Training MSE falls from {v['train_mse.deg1']:.3f} at degree 1 to {fits[top][0]:.3f} at degree "
            f"{top}, while validation MSE is lowest at degree {best} ({fits[best][1]:.3f}) and {fits[top][1]:.3g} at "
            f"degree {top}. The MLP's validation loss bottoms out at epoch {stop} ({val[stop]:.3f}) and ends at "
            f"{val[-1]:.3f}.",
        },
    )
