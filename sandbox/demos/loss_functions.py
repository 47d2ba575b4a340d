"""Loss functions: MAE vs MSE under one outlier, and cross-entropy written out by hand.

Regression: `samples` residuals drawn from N(0, 0.5^2), then the last one replaced by
`outlier`. The same points (as targets around 3) are fitted with a single constant by
Adam under each loss: MAE lands on the median, MSE on the mean, which the outlier drags.
Classification: logits `logit_scale * [2, 1, 0.1, -1]`; cross-entropy is -log softmax of
the true class, computed with Python's math (`ce.manual`) and by torch in three ways
(class index, one-hot, log_softmax + nll). Binary CE from one logit, by hand and with
BCEWithLogits.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "손실 함수: MAE, MSE, 교차 엔트로피", "en": "Loss functions: MAE, MSE, cross-entropy"}
DESCRIPTION = {
    "ko": "이상치 하나가 MAE와 MSE를 얼마나 바꾸는지, 상수 하나를 맞출 때 MAE는 중앙값, MSE는 평균이 된다는 것을 보이고, "
    "교차 엔트로피를 −log softmax로 직접 계산해 PyTorch 값과 비교합니다.",
    "en": "Shows how much one outlier moves MAE and MSE, that fitting one constant gives the median under MAE and the "
    "mean under MSE, and computes cross-entropy as −log softmax by hand next to PyTorch's value.",
}
BASE_LOGITS = (2.0, 1.0, 0.1, -1.0)
FIT_STEPS = 300
PARAMS = (
    Param(name="outlier", kind="float", default=10.0, min=-100, max=100,
          label_ko="이상치 크기", label_en="Outlier size",
          help_ko="마지막 점의 잔차(예측 − 정답)", help_en="Residual (prediction − target) of the last point"),
    Param(name="samples", kind="int", default=10, min=3, max=200,
          label_ko="샘플 수", label_en="Samples",
          help_ko="이상치를 포함한 점의 수", help_en="Points, the outlier included"),
    Param(name="true_class", kind="int", default=0, min=0, max=3,
          label_ko="정답 클래스", label_en="True class",
          help_ko="로짓 [2, 1, 0.1, −1] 중 정답 위치", help_en="Index of the true class among the logits [2, 1, 0.1, −1]"),
    Param(name="logit_scale", kind="float", default=1.0, min=0, max=10,
          label_ko="로짓 배율", label_en="Logit scale",
          help_ko="로짓에 곱하는 값 (클수록 확신)", help_en="Multiplies the logits (larger = more confident)"),
    Param(name="bce_logit", kind="float", default=2.0, min=-20, max=20,
          label_ko="이진 로짓", label_en="Binary logit",
          help_ko="이진 교차 엔트로피의 로짓 z (p = sigmoid(z))", help_en="Logit z for binary cross-entropy (p = sigmoid(z))"),
    Param(name="bce_target", kind="float", default=1.0, min=0, max=1,
          label_ko="이진 정답", label_en="Binary target",
          help_ko="이진 정답 y (0~1, 소프트 라벨 가능)", help_en="Binary target y (0 to 1; soft labels allowed)"),
)


def fit_constants(y) -> tuple[float, float]:
    """The constant c minimising mean|y - c| and mean (y - c)^2, found by Adam from c = y[0]."""
    import torch

    c = torch.full((2,), y[0].item(), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([c], lr=0.02 * (1 + y.abs().max().item()))  # step scaled to the data's range
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, FIT_STEPS)
    for _ in range(FIT_STEPS):
        loss = (y - c[0]).abs().mean() + (y - c[1]).pow(2).mean()  # separable: one constant per loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    return c[0].item(), c[1].item()


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch
    import torch.nn.functional as F

    gen = torch.Generator().manual_seed(seed)
    n = params["samples"]
    clean = torch.randn(n, generator=gen, dtype=torch.float64) * 0.5
    dirty = clean.clone()
    dirty[-1] = params["outlier"]
    values: dict[str, Any] = {
        "mae.clean": clean.abs().mean().item(),
        "mae.with_outlier": dirty.abs().mean().item(),
        "mse.clean": clean.pow(2).mean().item(),
        "mse.with_outlier": dirty.pow(2).mean().item(),
        "outlier_share_of_mae": (dirty[-1].abs() / dirty.abs().sum()).item(),
        "outlier_share_of_mse": (dirty[-1] ** 2 / dirty.pow(2).sum()).item(),
    }
    targets = 3 + dirty
    mae_c, mse_c = fit_constants(targets)
    clean_mae_c, clean_mse_c = fit_constants(3 + clean[:-1])  # the same points without the outlier
    values.update({"fit.mae_constant": mae_c, "fit.mse_constant": mse_c,
                   "fit.mae_constant_clean": clean_mae_c, "fit.mse_constant_clean": clean_mse_c})

    z = [params["logit_scale"] * v for v in BASE_LOGITS]
    t = params["true_class"]
    m = max(z)
    log_sum_exp = m + math.log(sum(math.exp(v - m) for v in z))
    logits = torch.tensor([z], dtype=torch.float64)
    index = torch.tensor([t])
    onehot = F.one_hot(index, len(z)).double()
    values.update({
        "ce.manual": log_sum_exp - z[t],
        "ce.torch": F.cross_entropy(logits, index).item(),
        "ce.onehot": -(onehot * F.log_softmax(logits, 1)).sum().item(),
        "ce.sparse": F.nll_loss(F.log_softmax(logits, 1), index).item(),
        "ce.p_true": math.exp(z[t] - log_sum_exp),
    })
    zb, yb = params["bce_logit"], params["bce_target"]
    p = 1 / (1 + math.exp(-zb))
    log_p, log_1mp = -math.log1p(math.exp(-zb)), -math.log1p(math.exp(zb))  # log p and log(1-p), stable
    values.update({
        "bce.manual": -(yb * log_p + (1 - yb) * log_1mp),
        "bce.torch": F.binary_cross_entropy_with_logits(torch.tensor(zb, dtype=torch.float64),
                                                        torch.tensor(yb, dtype=torch.float64)).item(),
        "bce.p": p,
    })

    r = torch.linspace(-3, 3, 121, dtype=torch.float64)
    huber = F.huber_loss(r, torch.zeros_like(r), reduction="none", delta=1.0)
    probs = torch.linspace(0.01, 1, 100, dtype=torch.float64)
    idx = [float(i) for i in range(n)]
    charts = [
        Chart("line", {"ko": "잔차에 따른 손실", "en": "Loss vs residual"}, {"ko": "잔차", "en": "residual"},
              {"ko": "손실", "en": "loss"},
              [Series("MAE |r|", r.tolist(), r.abs().tolist()), Series("MSE r²", r.tolist(), r.pow(2).tolist()),
               Series("Huber (δ=1)", r.tolist(), huber.tolist())]),
        Chart("scatter", {"ko": "상수 하나 맞추기: MAE → 중앙값, MSE → 평균", "en": "Fitting one constant: MAE → median, MSE → mean"},
              {"ko": "샘플 번호", "en": "sample"}, {"ko": "값", "en": "value"},
              [Series({"ko": "목표값", "en": "targets"}, idx, targets.tolist()),
               Series({"ko": "MAE 최적값", "en": "MAE fit"}, [0.0, n - 1.0], [mae_c, mae_c]),
               Series({"ko": "MSE 최적값", "en": "MSE fit"}, [0.0, n - 1.0], [mse_c, mse_c])]),
        Chart("line", {"ko": "정답 확률에 따른 교차 엔트로피", "en": "Cross-entropy vs probability of the true class"},
              {"ko": "p(정답)", "en": "p(true class)"}, {"ko": "−log p", "en": "−log p"},
              [Series("−log p", probs.tolist(), (-probs.log()).tolist())]),
    ]
    table = Table(columns=[{"ko": "손실", "en": "loss"}, {"ko": "이상치 없음", "en": "clean"},
                           {"ko": "이상치 포함", "en": "with outlier"}, {"ko": "이상치의 몫", "en": "outlier's share"}],
                  rows=[["MAE", values["mae.clean"], values["mae.with_outlier"], values["outlier_share_of_mae"]],
                        ["MSE", values["mse.clean"], values["mse.with_outlier"], values["outlier_share_of_mse"]]])
    share, mae_share = values["outlier_share_of_mse"], values["outlier_share_of_mae"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"regression": table},
        summary={
            "ko": f"크기 {params['outlier']:g}인 이상치 하나가 MSE의 {share:.0%}를 차지합니다(MAE에서는 "
            f"{mae_share:.0%}). 상수를 맞추면 MAE는 {mae_c:.2f}(중앙값), MSE는 {mse_c:.2f}(평균)입니다. "
            f"교차 엔트로피 −log p = {values['ce.manual']:.4f}는 PyTorch 값 {values['ce.torch']:.4f}와 같습니다.",
            "en": f"One outlier of size {params['outlier']:g} makes up {share:.0%} of the MSE ({mae_share:.0%} of the "
            f"MAE). Fitting a constant gives {mae_c:.2f} (the median) under MAE and {mse_c:.2f} (the mean) under MSE. "
            f"Cross-entropy −log p = {values['ce.manual']:.4f} equals PyTorch's {values['ce.torch']:.4f}.",
        },
    )
