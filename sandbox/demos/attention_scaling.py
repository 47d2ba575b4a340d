"""Scaled dot-product attention: why the scores are divided by sqrt(d).

`queries` query vectors and `keys` key vectors have d independent N(0, 1) entries (float64,
seeded), so a score q . k is a sum of d products with variance 1: its standard deviation is
sqrt(d). Without scaling, the softmax over the keys sees scores spread by sqrt(d); as d grows
it puts almost all weight on one key (max weight -> 1, entropy -> 0) and its Jacobian
diag(p) - p p^T goes to 0, so the gradient that reaches the scores (and through them the
queries and keys) vanishes. Dividing by sqrt(d) keeps the scores at standard deviation 1
whatever d is. The gradient shown is that of the attention output sum_j p_j v_j, for random
values v_j ~ N(0, 1), with respect to the scores, by autograd (the median over queries).
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 1
TITLE = {"ko": "어텐션 점수를 √d로 나누는 이유", "en": "Why attention divides the scores by √d"}
DESCRIPTION = {
    "ko": "쿼리와 키의 차원 d가 커질 때 q·k 점수의 표준편차가 √d로 커져, 나누지 않으면 softmax가 한 키에 거의 모든 "
    "가중치를 주고(포화) 기울기가 사라지는 것을 보입니다. √d로 나누면 차원과 상관없이 유지됩니다.",
    "en": "Shows that the q·k scores spread as √d when the query/key dimension d grows, so without the scale the "
    "softmax puts nearly all weight on one key (it saturates) and its gradient vanishes; dividing by √d keeps it "
    "the same at every d.",
}
SATURATED = 0.99  # a softmax whose largest weight is above this counts as saturated
SWEEP = tuple(2**i for i in range(1, 11))  # d = 2 .. 1024 for the charts
PARAMS = (
    Param(name="d", kind="int", default=256, min=1, max=4096,
          label_ko="차원 d", label_en="Dimension d",
          help_ko="쿼리와 키 벡터의 차원", help_en="Dimension of the query and key vectors"),
    Param(name="keys", kind="int", default=32, min=2, max=512,
          label_ko="키 개수", label_en="Keys",
          help_ko="softmax가 나눠 주는 키(토큰)의 수", help_en="Keys (tokens) the softmax spreads weight over"),
    Param(name="queries", kind="int", default=128, min=1, max=512,
          label_ko="쿼리 개수", label_en="Queries",
          help_ko="평균을 내는 쿼리의 수", help_en="Queries averaged over"),
)


def draw(params: dict[str, Any], d: int, seed: int):
    """Queries (queries, d), keys (keys, d) and scalar values (keys,), N(0, 1), float64."""
    import torch

    gen = torch.Generator().manual_seed(seed * 10_007 + d)
    q = torch.randn(params["queries"], d, generator=gen, dtype=torch.float64)
    k = torch.randn(params["keys"], d, generator=gen, dtype=torch.float64)
    v = torch.randn(params["keys"], generator=gen, dtype=torch.float64)
    return q, k, v


def attention_stats(q, k, v, scale: float) -> dict[str, float]:
    """Over the queries: score std, mean max softmax weight, mean entropy (nats), the share of queries
    whose softmax is saturated (max weight > 0.99), and the median |d output / d scores| (the median,
    because the few queries with two near-tied keys keep a gradient and would dominate a mean)."""
    import torch

    scores = (q @ k.T * scale).requires_grad_()
    p = torch.softmax(scores, dim=1)
    (grad,) = torch.autograd.grad((p @ v).sum(), scores)
    p = p.detach()
    entropy = -(p * torch.log(p.clamp_min(1e-300))).sum(1)
    return {"score_std": scores.detach().std().item(), "max_weight": p.max(1).values.mean().item(),
            "entropy": entropy.mean().item(), "saturated": (p.max(1).values > SATURATED).double().mean().item(),
            "grad_norm": grad.norm(dim=1).quantile(0.5).item()}


def measure(params: dict[str, Any], d: int, seed: int) -> dict[str, dict[str, float]]:
    q, k, v = draw(params, d, seed)
    return {"scaled": attention_stats(q, k, v, d**-0.5), "unscaled": attention_stats(q, k, v, 1.0)}


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    d, n = params["d"], params["keys"]
    chosen = measure(params, d, seed)
    values: dict[str, Any] = {"d": d, "keys": n, "sqrt_d": math.sqrt(d), "entropy.uniform": math.log(n),
                              "max_weight.uniform": 1 / n}
    for mode, stats in chosen.items():
        for name, value in stats.items():
            values[f"{name}.{mode}"] = value
    values["grad_ratio"] = chosen["scaled"]["grad_norm"] / max(chosen["unscaled"]["grad_norm"], 1e-300)

    sweep = {dd: measure(params, dd, seed) for dd in SWEEP}
    xs = [float(math.log2(dd)) for dd in SWEEP]
    modes = {"scaled": {"ko": "√d로 나눔", "en": "divided by √d"}, "unscaled": {"ko": "나누지 않음", "en": "not scaled"}}
    log2d = {"ko": "log2(d)", "en": "log2(d)"}

    def lines(stat: str) -> list[Series]:
        return [Series(label, xs, [max(sweep[dd][mode][stat], 1e-300) for dd in SWEEP]) for mode, label in modes.items()]

    charts = [
        Chart("line", {"ko": f"가장 큰 어텐션 가중치 (키 {n}개)", "en": f"Largest attention weight ({n} keys)"},
              log2d, {"ko": "최대 가중치 (쿼리 평균)", "en": "max weight (mean over queries)"},
              [*lines("max_weight"), Series({"ko": "균등 (1/키 수)", "en": "uniform (1/keys)"}, xs, [1 / n] * len(xs))]),
        Chart("line", {"ko": "어텐션 가중치의 엔트로피", "en": "Entropy of the attention weights"},
              log2d, {"ko": "엔트로피 (nat)", "en": "entropy (nats)"},
              [*lines("entropy"), Series({"ko": "균등 (ln 키 수)", "en": "uniform (ln keys)"}, xs, [math.log(n)] * len(xs))]),
        Chart("line", {"ko": "softmax를 지나 점수에 닿는 기울기", "en": "Gradient reaching the scores through the softmax"},
              log2d, {"ko": "‖∂출력/∂점수‖ 중앙값 (로그 축)", "en": "median ‖∂output/∂scores‖ (log scale)"},
              lines("grad_norm"), log_y=True),
    ]
    table = Table(
        columns=[{"ko": "점수", "en": "scores"}, {"ko": "점수 표준편차", "en": "score std"},
                 {"ko": "최대 가중치", "en": "max weight"}, {"ko": "엔트로피 (nat)", "en": "entropy (nats)"},
                 {"ko": "포화된 쿼리 비율", "en": "saturated queries"}, {"ko": "기울기 노름 (중앙값)", "en": "gradient norm (median)"}],
        rows=[[modes[m], *(chosen[m][s] for s in ("score_std", "max_weight", "entropy", "saturated", "grad_norm"))]
              for m in modes],
    )
    u, s = chosen["unscaled"], chosen["scaled"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"at_d": table},
        summary={
            "ko": f"d = {d}에서 나누지 않은 점수의 표준편차는 {u['score_std']:.1f}(√d = {math.sqrt(d):.1f})이고, softmax의 최대 "
            f"가중치는 평균 {u['max_weight']:.3f}, 포화된 쿼리는 {u['saturated']:.0%}, 기울기 노름 중앙값은 {u['grad_norm']:.1e}입니다. √d로 나누면 각각 "
            f"{s['score_std']:.2f}, {s['max_weight']:.3f}, {s['saturated']:.0%}, {s['grad_norm']:.1e}입니다.",
            "en": f"At d = {d} the unscaled scores have std {u['score_std']:.1f} (√d = {math.sqrt(d):.1f}); the softmax's "
            f"largest weight averages {u['max_weight']:.3f}, {u['saturated']:.0%} of queries are saturated and the "
            f"median gradient norm is {u['grad_norm']:.1e}. Divided by √d: "
            f"{s['score_std']:.2f}, {s['max_weight']:.3f}, {s['saturated']:.0%} and {s['grad_norm']:.1e}.",
        },
    )
