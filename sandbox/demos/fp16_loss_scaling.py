"""Mixed precision: fp16 loses small gradients (underflow) and large ones (overflow); loss scaling and bf16 fix it.

`count` gradient values with random signs and magnitudes 10^N(mean, std) (log-normal, as
gradients of a deep net spread over many decades) are stored in fp16 the way mixed
precision does: multiplied by the loss scale S (scaling the loss scales every gradient by
S, by the chain rule), rounded to fp16 by torch, then divided by S in fp32. fp16 has 5
exponent bits: its largest value is 65504, its smallest normal 2^-14 (about 6.1e-5) and its
smallest subnormal 2^-24 (about 6.0e-8); anything under half of that rounds to 0 and is lost,
and below 2^-14 the relative precision falls as values approach it. bf16 keeps fp32's 8
exponent bits (range to about 3.4e38, smallest normal 2^-126) with only 8 bits of precision,
so it needs no loss scaling, at the price of a coarser rounding (relative step 2^-8).
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 1
TITLE = {"ko": "fp16의 언더플로·오버플로와 손실 스케일링", "en": "fp16 underflow, overflow and loss scaling"}
DESCRIPTION = {
    "ko": "작은 기울기가 fp16에서 0이 되는(언더플로) 비율과, 손실에 2^k를 곱해 기울기를 fp16 범위로 옮기면 되살아나는 것, "
    "너무 크게 곱하면 65504를 넘어 inf가 되는(오버플로) 것을 셉니다. 같은 기울기를 bf16으로도 저장해 비교합니다.",
    "en": "Counts the small gradients that round to 0 in fp16 (underflow), shows that multiplying the loss by 2^k moves "
    "them into fp16's range, and that too large a scale pushes the largest past 65504 to inf (overflow). The same "
    "gradients stored in bf16 are shown for comparison.",
}
FP16_MAX = 65504.0
SWEEP = tuple(range(0, 33, 2))  # log2 of the loss scales in the charts
PARAMS = (
    Param(name="grad_log10_mean", kind="float", default=-6.0, min=-12, max=0,
          label_ko="기울기 크기 (log10 평균)", label_en="Gradient size (log10 mean)",
          help_ko="기울기 절댓값의 log10 평균 (−6이면 보통 10⁻⁶ 크기)", help_en="Mean of log10 |gradient| (−6: typically 10⁻⁶)"),
    Param(name="grad_log10_std", kind="float", default=1.0, min=0.1, max=4,
          label_ko="기울기 크기 퍼짐 (log10 표준편차)", label_en="Gradient spread (log10 std)",
          help_ko="기울기 절댓값의 log10 표준편차 (몇 자릿수에 걸쳐 퍼지는지)",
          help_en="Standard deviation of log10 |gradient| (how many decades they spread over)"),
    Param(name="loss_scale_log2", kind="int", default=16, min=0, max=40,
          label_ko="손실 스케일 (log2)", label_en="Loss scale (log2)",
          help_ko="손실에 곱하는 2^k의 k (PyTorch GradScaler의 초깃값은 2^16)",
          help_en="k of the 2^k the loss is multiplied by (PyTorch's GradScaler starts at 2^16)"),
    Param(name="count", kind="int", default=20000, min=100, max=200_000,
          label_ko="기울기 개수", label_en="Gradients",
          help_ko="표본으로 뽑는 기울기 값의 수", help_en="Gradient values sampled"),
)


def gradients(params: dict[str, Any], seed: int):
    """`count` fp32 gradient values: random signs, log10 magnitudes ~ N(mean, std)."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    n = params["count"]
    exponent = params["grad_log10_mean"] + params["grad_log10_std"] * torch.randn(n, generator=gen, dtype=torch.float64)
    sign = torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0).double()
    return (sign * 10.0**exponent).float()


def store(g, dtype, scale_log2: int) -> dict[str, float]:
    """Scale by 2^k, round to `dtype`, unscale in fp32: shares underflowed (0), overflowed (inf), and the median
    relative error of the values that survived."""
    import torch

    scale = 2.0**scale_log2
    stored = (g * scale).to(dtype)
    back = stored.float() / scale
    underflow = (stored == 0) & (g != 0)
    overflow = torch.isinf(stored)
    kept = ~underflow & ~overflow
    rel = (back[kept] - g[kept]).abs() / g[kept].abs()  # fp32: exact enough for errors of at most 2^-8
    return {"underflow": underflow.double().mean().item(), "overflow": overflow.double().mean().item(),
            "lost": (underflow | overflow).double().mean().item(),
            # the lower median; when nothing survives, 1.0: a value stored as 0 is 100 % off
            "median_rel_error": rel.median().item() if rel.numel() else 1.0}


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    k = params["loss_scale_log2"]
    g = gradients(params, seed)
    mags = g.abs()
    plain, scaled, bf16 = store(g, torch.float16, 0), store(g, torch.float16, k), store(g, torch.bfloat16, 0)
    fp16, bf = torch.finfo(torch.float16), torch.finfo(torch.bfloat16)
    max_safe = math.floor(math.log2(FP16_MAX / mags.max().item()))
    values: dict[str, Any] = {
        "fp16.max": fp16.max,
        "fp16.min_normal": fp16.tiny,
        "fp16.min_subnormal": fp16.smallest_normal * fp16.eps,  # 2^-14 * 2^-10 = 2^-24
        "fp16.eps": fp16.eps,
        "bf16.max": bf.max,
        "bf16.min_normal": bf.tiny,
        "bf16.eps": bf.eps,
        "loss_scale": 2.0**k,
        "loss_scale_log2": k,
        "subnormal.fp16": ((mags < fp16.tiny) & (mags > 0)).double().mean().item(),
        "max_abs_grad": mags.max().item(),
        "min_abs_grad": mags.min().item(),
        # The largest 2^k that keeps the largest gradient finite in fp16.
        "max_safe_scale_log2": max_safe,
    }
    for name, result in (("fp16", plain), ("fp16_scaled", scaled), ("bf16", bf16)):
        for stat, value in result.items():
            values[f"{stat}.{name}"] = value

    sweep = [store(g, torch.float16, s) for s in SWEEP]
    xs = [float(s) for s in SWEEP]
    log2s = {"ko": "log2(손실 스케일)", "en": "log2(loss scale)"}
    charts = [
        Chart("line", {"ko": "손실 스케일에 따라 fp16에서 잃는 기울기", "en": "Gradients lost in fp16, by loss scale"}, log2s,
              {"ko": "기울기 비율", "en": "share of gradients"},
              [Series({"ko": "fp16 언더플로 (0이 됨)", "en": "fp16 underflow (became 0)"}, xs, [r["underflow"] for r in sweep]),
               Series({"ko": "fp16 오버플로 (inf가 됨)", "en": "fp16 overflow (became inf)"}, xs, [r["overflow"] for r in sweep]),
               Series({"ko": "bf16 언더플로 (스케일 없음)", "en": "bf16 underflow (no scaling)"}, xs,
                      [bf16["underflow"]] * len(xs))]),
        Chart("line", {"ko": "살아남은 기울기의 상대 오차 (중앙값)", "en": "Relative error of the surviving gradients (median)"},
              log2s, {"ko": "상대 오차 (로그 축)", "en": "relative error (log scale)"},
              [Series("fp16", xs, [max(r["median_rel_error"], 1e-12) for r in sweep]),
               Series("bf16", xs, [max(bf16["median_rel_error"], 1e-12)] * len(xs))], log_y=True),
    ]
    modes = [("fp16", {"ko": "fp16, 스케일 없음", "en": "fp16, no scaling"}),
             ("fp16_scaled", {"ko": f"fp16, 스케일 2^{k}", "en": f"fp16, scale 2^{k}"}),
             ("bf16", {"ko": "bf16, 스케일 없음", "en": "bf16, no scaling"})]
    table = Table(
        columns=[{"ko": "저장 방식", "en": "storage"}, {"ko": "언더플로", "en": "underflow"},
                 {"ko": "오버플로", "en": "overflow"}, {"ko": "상대 오차 중앙값", "en": "median relative error"}],
        rows=[[label, values[f"underflow.{m}"], values[f"overflow.{m}"], values[f"median_rel_error.{m}"]]
              for m, label in modes],
    )
    u0, uk, ok, ub = plain["underflow"], scaled["underflow"], scaled["overflow"], bf16["underflow"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"storage": table},
        summary={
            "ko": f"스케일 없이 fp16에 저장하면 기울기의 {u0:.1%}가 0이 됩니다. 손실 스케일 2^{k}에서는 언더플로 {uk:.1%}, "
            f"오버플로 {ok:.1%}입니다 (안전한 최대 스케일은 2^{max_safe}). bf16은 스케일 없이도 언더플로가 {ub:.1%}입니다.",
            "en": f"Stored in fp16 without scaling, {u0:.1%} of the gradients become 0. With the loss multiplied by 2^{k}: "
            f"{uk:.1%} underflow and {ok:.1%} overflow (the largest safe scale is 2^{max_safe}). bf16 needs no "
            f"scaling: {ub:.1%} underflow.",
        },
    )
