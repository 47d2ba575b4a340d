"""Learning rate on a quadratic: too small crawls, too large oscillates, above 2/a diverges.

Gradient descent on L(θ) = ½·a·θ² from θ_0 = `start`, the gradient taken by autograd.
The step is θ ← θ − η·a·θ = (1 − ηa)·θ, so θ_t = (1 − ηa)^t·θ_0 and the loss is
multiplied by (1 − ηa)² per step: it shrinks exactly when η < 2/a. The chosen
`learning_rate` runs beside a fixed comparison set derived from the curvature:
0.05/a (too small), 0.5/a (good), 1.9/a (large: oscillates), 2.1/a (divergent).
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "학습률: 너무 작으면 느리고, 2/a를 넘으면 발산", "en": "Learning rate: too small crawls, above 2/a diverges"}
DESCRIPTION = {
    "ko": "곡률 a인 이차 손실 ½·a·θ²에서 경사 하강법을 돌립니다. 한 걸음마다 θ에 (1 − ηa)가 곱해지므로 η < 2/a이면 "
    "수렴하고(η = 1/a이면 한 걸음에 최솟값), η > 2/a이면 손실이 매 걸음 커집니다.",
    "en": "Runs gradient descent on the quadratic loss ½·a·θ² with curvature a. Each step multiplies θ by (1 − ηa), "
    "so it converges for η < 2/a (η = 1/a lands on the minimum in one step) and the loss grows every step for η > 2/a.",
}
# Comparison rates as multiples of 1/a (the one-step optimum).
COMPARISON = {"small": 0.05, "good": 0.5, "large": 1.9, "divergent": 2.1}
MAX_RATE_TIMES_CURVATURE = 4.0  # |1 − ηa| ≤ 3 keeps 200 steps inside float64 range
PARAMS = (
    Param(name="learning_rate", kind="float", default=0.3, min=0.0001, max=40,
          label_ko="학습률", label_en="Learning rate",
          help_ko="비교 세트와 함께 보여 줄 학습률 η (η·a ≤ 4)",
          help_en="Learning rate η of the extra run shown beside the comparison set (η·a ≤ 4)"),
    Param(name="curvature", kind="float", default=1.0, min=0.1, max=10,
          label_ko="곡률 a", label_en="Curvature a",
          help_ko="손실 ½·a·θ²의 2계 도함수 a", help_en="Second derivative a of the loss ½·a·θ²"),
    Param(name="steps", kind="int", default=50, min=1, max=200,
          label_ko="걸음 수", label_en="Steps",
          help_ko="경사 하강 반복 횟수", help_en="Gradient-descent steps"),
    Param(name="start", kind="float", default=5.0, min=0.1, max=100,
          label_ko="시작점 θ₀", label_en="Start θ₀",
          help_ko="처음 매개변수 값", help_en="Initial parameter value"),
)


def check(values: dict[str, Any]) -> dict[str, str]:
    limit = MAX_RATE_TIMES_CURVATURE / values["curvature"]
    if values["learning_rate"] > limit:
        return {"learning_rate": f"must be at most 4/curvature = {limit:g} (got {values['learning_rate']:g})"}
    return {}


def descend(curvature: float, rates: list[float], steps: int, start: float):
    """θ_t and L(θ_t) for t = 0..steps, one column per rate, by autograd gradient descent."""
    import torch

    lr = torch.tensor(rates, dtype=torch.float64)
    theta = torch.full((len(rates),), start, dtype=torch.float64, requires_grad=True)
    thetas = [theta.detach()]
    for _ in range(steps):
        loss = (0.5 * curvature * theta.pow(2)).sum()  # the runs are independent: one term each
        (grad,) = torch.autograd.grad(loss, theta)
        theta = (theta.detach() - lr * grad).requires_grad_()
        thetas.append(theta.detach())
    thetas = torch.stack(thetas)
    return thetas, 0.5 * curvature * thetas.pow(2)


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    a, steps, start = params["curvature"], params["steps"], params["start"]
    rates = {name: k / a for name, k in COMPARISON.items()} | {"chosen": params["learning_rate"]}
    names = list(rates)
    thetas, losses = descend(a, list(rates.values()), steps, start)
    factor = torch.tensor([1 - eta * a for eta in rates.values()], dtype=torch.float64)
    # Each step multiplies θ by (1 − ηa), hence θ_t = (1 − ηa)^t·θ_0. Checked per step, relative to θ_{t−1}
    # (at η = 1/a the closed form is 0, so an error relative to it means nothing), skipping θ_{t−1} below
    # 1e-280, where floats lose relative precision.
    before = thetas[:-1]
    normal = before.abs() > 1e-280
    step_error = ((thetas[1:] - factor * before).abs() / before.abs())[normal].max().item()  # θ_0 is always in
    rose = (losses[1:] > losses[:-1]).sum(0)
    flips = (thetas[1:] * thetas[:-1] < 0).sum(0)

    values: dict[str, Any] = {"divergence_threshold": 2 / a, "optimal_learning_rate": 1 / a, "steps": steps,
                              "initial_loss": losses[0, 0].item(), "max_rel_error_per_step": step_error}
    for i, name in enumerate(names):
        values[f"learning_rate.{name}"] = rates[name]
        values[f"contraction.{name}"] = abs(factor[i].item())
        values[f"final_loss.{name}"] = losses[-1, i].item()
        values[f"loss_increased_steps.{name}"] = int(rose[i])
        values[f"sign_flips.{name}"] = int(flips[i])
    names_ko = {"small": "작음", "good": "적당", "large": "큼", "divergent": "발산", "chosen": "선택"}
    labels = {n: {"ko": f"{names_ko[n]}: η = {COMPARISON[n]:g}/a", "en": f"{n}: η = {COMPARISON[n]:g}/a"}
              for n in COMPARISON}
    labels["chosen"] = {"ko": f"선택: η = {rates['chosen']:g}", "en": f"chosen: η = {rates['chosen']:g}"}
    x = [float(s) for s in range(steps + 1)]
    shown = min(steps, 20) + 1
    charts = [
        Chart("line", {"ko": "걸음별 손실 (로그 축)", "en": "Loss per step (log scale)"}, {"ko": "걸음", "en": "step"},
              {"ko": "L(θ) = ½·a·θ²", "en": "L(θ) = ½·a·θ²"},
              [Series(labels[n], x, [max(v, 1e-300) for v in losses[:, i].tolist()]) for i, n in enumerate(names)],
              log_y=True),
        Chart("line", {"ko": "걸음별 θ (처음 20걸음): 1/a를 넘으면 부호가 바뀌며 진동",
                       "en": "θ per step (first 20): above 1/a it flips sign every step"},
              {"ko": "걸음", "en": "step"}, {"ko": "θ", "en": "θ"},
              [Series(labels[n], x[:shown], thetas[:shown, i].tolist()) for i, n in enumerate(names[:4])]),
    ]
    table = Table(columns=[{"ko": "실행", "en": "run"}, "η", "η·a", "|1 − ηa|", {"ko": "최종 손실", "en": "final loss"},
                           {"ko": "손실이 오른 걸음 수", "en": "steps where loss rose"},
                           {"ko": "부호가 바뀐 횟수", "en": "sign flips"}],
                  rows=[[n, rates[n], rates[n] * a, values[f"contraction.{n}"], values[f"final_loss.{n}"],
                         values[f"loss_increased_steps.{n}"], values[f"sign_flips.{n}"]] for n in names])
    v = values
    return DemoResult(
        values=values,
        charts=charts,
        tables={"runs": table},
        summary={
            "ko": f"곡률 a = {a:g}이면 발산 경계는 2/a = {2 / a:g}입니다. {steps}걸음 뒤 손실은 η = 0.05/a에서 "
            f"{v['final_loss.small']:.2e}(느림), 0.5/a에서 {v['final_loss.good']:.2e}, 1.9/a에서 "
            f"{v['final_loss.large']:.2e}(매 걸음 부호가 바뀌며 수렴), 2.1/a에서 {v['final_loss.divergent']:.2e}"
            f"(매 걸음 증가)입니다.",
            "en": f"With curvature a = {a:g} the divergence threshold is 2/a = {2 / a:g}. After {steps} steps the loss "
            f"is {v['final_loss.small']:.2e} at η = 0.05/a (slow), {v['final_loss.good']:.2e} at 0.5/a, "
            f"{v['final_loss.large']:.2e} at 1.9/a (converging while flipping sign) and "
            f"{v['final_loss.divergent']:.2e} at 2.1/a (rising every step).",
        },
    )
