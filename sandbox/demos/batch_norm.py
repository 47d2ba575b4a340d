"""Batch normalization: batch statistics in training, running statistics at evaluation, and small-batch noise.

Inputs have `features` features, each drawn from N(mean, std^2) (float64, seeded). A real
`torch.nn.BatchNorm1d` (no affine part, so what is shown is the normalization itself) sees
`steps` training batches of `batch` rows: in training mode it normalizes each batch with
that batch's own mean and (biased) variance, and updates its running mean and running
(unbiased) variance as exponential moving averages with weight `momentum`. In evaluation
mode it normalizes with those running statistics instead, so one input always gives one
output. In training mode one input's output depends on which other rows share its batch;
the smaller the batch, the noisier the batch statistics (the mean's spread is std/sqrt(B))
and the further training-mode outputs are from what the model sees at evaluation.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 1
TITLE = {"ko": "배치 정규화: 학습과 평가의 통계, 작은 배치의 잡음",
         "en": "Batch normalization: train vs eval statistics, small-batch noise"}
DESCRIPTION = {
    "ko": "BatchNorm1d가 학습 때는 배치의 평균과 분산으로, 평가 때는 이동 평균(running) 통계로 정규화하는 것을 "
    "보이고, 배치가 작을수록 배치 통계의 잡음이 커져 같은 입력의 출력이 배치마다 흔들리는 것을 잽니다.",
    "en": "Shows BatchNorm1d normalizing with the batch's own mean and variance in training and with its running "
    "statistics at evaluation, and measures how smaller batches make the batch statistics noisy, so one input's "
    "output moves from batch to batch.",
}
FEATURES = 4
EPS = 1e-5
SWEEP = (2, 4, 8, 16, 32, 64, 128, 256)  # batch sizes of the small-batch chart
TRIALS = 200  # batches drawn per batch size in the sweep
PARAMS = (
    Param(name="batch", kind="int", default=16, min=2, max=512,
          label_ko="배치 크기", label_en="Batch size",
          help_ko="학습 배치의 행 수 (2 이상: 한 행으로는 분산이 없음)",
          help_en="Rows per training batch (at least 2: one row has no variance)"),
    Param(name="momentum", kind="float", default=0.1, min=0.001, max=1.0,
          label_ko="모멘텀", label_en="Momentum",
          help_ko="이동 평균 통계를 갱신할 때 새 배치 통계의 비중 (PyTorch 기본 0.1)",
          help_en="Weight of the new batch statistics in the running averages (PyTorch's default is 0.1)"),
    Param(name="steps", kind="int", default=200, min=1, max=2000,
          label_ko="학습 배치 수", label_en="Training batches",
          help_ko="이동 평균 통계를 쌓는 학습 모드 배치의 수", help_en="Training-mode batches that build the running statistics"),
    Param(name="mean", kind="float", default=3.0, min=-10, max=10,
          label_ko="입력 평균", label_en="Input mean",
          help_ko="각 특성의 모평균", help_en="Population mean of every feature"),
    Param(name="std", kind="float", default=2.0, min=0.1, max=10,
          label_ko="입력 표준편차", label_en="Input std",
          help_ko="각 특성의 모표준편차", help_en="Population standard deviation of every feature"),
)


def draw(gen, params: dict[str, Any], *shape: int):
    import torch

    return params["mean"] + params["std"] * torch.randn(*shape, FEATURES, generator=gen, dtype=torch.float64)


def trained_layer(params: dict[str, Any], seed: int):
    """A BatchNorm1d after `steps` training batches, the batches it saw, and its running-mean history."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    bn = torch.nn.BatchNorm1d(FEATURES, eps=EPS, momentum=params["momentum"], affine=False, dtype=torch.float64)
    bn.train()
    batches = draw(gen, params, params["steps"], params["batch"])
    history = []
    with torch.no_grad():
        for b in batches:
            bn(b)
            history.append(bn.running_mean[0].item())
    return bn, batches, history


def normalize_in_batches(batches):
    """Training-mode batch norm of every batch in a (trials, B, features) tensor, by its own statistics."""
    mean = batches.mean(1, keepdim=True)
    var = batches.var(1, unbiased=False, keepdim=True)
    return (batches - mean) / (var + EPS).sqrt()


def sample_spread(params: dict[str, Any], gen, bn, sample, size: int) -> tuple[float, float]:
    """One fixed sample put into TRIALS batches of `size` rows: the spread of its training-mode output
    (std over batches, mean over features) and its mean |training-mode - eval-mode| output."""
    import torch

    others = draw(gen, params, TRIALS, size - 1)
    batches = torch.cat([sample.expand(TRIALS, 1, FEATURES), others], dim=1)
    out = normalize_in_batches(batches)[:, 0, :]
    with torch.no_grad():
        bn.eval()
        evaluated = bn(sample)
    return out.std(0).mean().item(), (out - evaluated).abs().mean().item()


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    b, mu, sigma = params["batch"], params["mean"], params["std"]
    bn, batches, history = trained_layer(params, seed)
    gen = torch.Generator().manual_seed(seed + 1)
    test = draw(gen, params, b)
    with torch.no_grad():
        bn.train()
        bn_copy = {k: v.clone() for k, v in bn.state_dict().items()}
        train_out = bn(test)
        bn.load_state_dict(bn_copy)  # the test batch must not move the running statistics
        bn.eval()
        eval_out = bn(test)
    batch_means = batches.mean(1)  # (steps, features)
    sample = draw(gen, params, 1)
    spreads = {size: sample_spread(params, gen, bn, sample, size) for size in sorted({*SWEEP, b})}

    values = {
        "batch": b,
        "population.mean": mu,
        "population.var": sigma**2,
        "running_mean": bn.running_mean.mean().item(),
        "running_var": bn.running_var.mean().item(),
        "running_mean_error": (bn.running_mean - mu).abs().max().item(),
        "train_output.max_abs_mean": train_out.mean(0).abs().max().item(),  # per feature: 0 up to rounding
        "train_output.std": train_out.std(0, unbiased=False).mean().item(),
        "eval_output.mean": eval_out.mean().item(),
        "eval_output.std": eval_out.std(0, unbiased=False).mean().item(),
        "train_eval_gap": (train_out - eval_out).abs().mean().item(),
        "batch_mean_std": batch_means.std(0).mean().item() if params["steps"] > 1 else 0.0,
        "batch_mean_std.theory": sigma / b**0.5,
        "same_input_spread": spreads[b][0],
        "same_input_gap": spreads[b][1],
        "same_input_spread.b2": spreads[2][0],
        "same_input_spread.b256": spreads[256][0],
        "same_input_gap.b2": spreads[2][1],
        "same_input_gap.b256": spreads[256][1],
    }

    sizes = [float(math.log2(s)) for s in SWEEP]
    charts = [
        Chart("line", {"ko": "배치 크기에 따른 같은 입력의 출력 흔들림", "en": "How much one input's output moves, by batch size"},
              {"ko": "log2(배치 크기)", "en": "log2(batch size)"},
              {"ko": "표준화된 출력 단위 (로그 축)", "en": "normalized units (log scale)"},
              [Series({"ko": "학습 모드 출력의 표준편차 (배치마다)", "en": "std of its training-mode output across batches"},
                      sizes, [spreads[s][0] for s in SWEEP]),
               Series({"ko": "|학습 모드 − 평가 모드| 평균", "en": "mean |training mode − eval mode|"},
                      sizes, [spreads[s][1] for s in SWEEP]),
               Series({"ko": "1/√B", "en": "1/√B"}, sizes, [s**-0.5 for s in SWEEP])],
              log_y=True),
        Chart("line", {"ko": f"이동 평균(running mean)의 수렴 (모멘텀 {params['momentum']:g})",
                       "en": f"Running mean converging (momentum {params['momentum']:g})"},
              {"ko": "학습 배치", "en": "training batch"}, {"ko": "첫 특성의 이동 평균", "en": "running mean of feature 1"},
              [Series({"ko": "이동 평균", "en": "running mean"}, [float(i) for i in range(1, len(history) + 1)], history),
               Series({"ko": "모평균", "en": "population mean"}, [1.0, float(len(history))], [mu, mu])]),
    ]
    table = Table(
        columns=[{"ko": "모드", "en": "mode"}, {"ko": "정규화에 쓰는 통계", "en": "statistics used"},
                 {"ko": "출력 평균", "en": "output mean"}, {"ko": "출력 표준편차", "en": "output std"}],
        rows=[[{"ko": "학습", "en": "train"}, {"ko": "이 배치의 평균과 분산", "en": "this batch's mean and variance"},
               train_out.mean().item(), values["train_output.std"]],
              [{"ko": "평가", "en": "eval"}, {"ko": "이동 평균과 이동 분산", "en": "running mean and variance"},
               values["eval_output.mean"], values["eval_output.std"]]],
    )
    s2, s256 = values["same_input_spread.b2"], values["same_input_spread.b256"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"modes": table},
        summary={
            "ko": f"학습 모드에서는 배치마다 평균 0, 표준편차 1로 맞춰지고, 평가 모드는 이동 평균 통계를 씁니다. "
            f"배치 크기 {b}에서 학습 모드와 평가 모드 출력의 평균 차이는 {values['train_eval_gap']:.3f}입니다. "
            f"같은 입력의 학습 모드 출력은 배치 크기 2에서 표준편차 {s2:.2f}, 256에서 {s256:.3f}만큼 흔들립니다.",
            "en": f"Training mode normalizes every batch to mean 0 and std 1; eval mode uses the running statistics. "
            f"At batch size {b} the two modes' outputs differ by {values['train_eval_gap']:.3f} on average. One "
            f"input's training-mode output moves with std {s2:.2f} at batch size 2 and {s256:.3f} at 256.",
        },
    )
