"""SGD, Momentum, AdaGrad, RMSProp and Adam (the real `torch.optim` classes) on a 2-D surface.

Surfaces: "elongated", the ill-conditioned bowl f(x, y) = 10·x² + 900·y² (curvatures 20
and 1800, condition number 90) from (−1.5, 0.5), and "rosenbrock", f = (1 − x)² +
100·(y − x²)² from (−1.2, 1) with its minimum at (1, 1). Every optimizer starts at the
same point and takes `steps` steps with its own learning rate (momentum 0.9; everything
else at torch's defaults). One Adam step is also computed by hand (m, v, bias correction)
and compared with torch's first step. Losses in the chart are floored at 1e-30.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "옵티마이저 비교: SGD, 모멘텀, AdaGrad, RMSProp, Adam", "en": "Optimizers: SGD, Momentum, AdaGrad, RMSProp, Adam"}
DESCRIPTION = {
    "ko": "torch.optim의 다섯 옵티마이저를 같은 시작점에서 길쭉한 이차 함수나 Rosenbrock 함수 위에서 돌려 궤적과 손실을 "
    "비교합니다. Adam의 첫 걸음을 m, v, 편향 보정으로 직접 계산해 PyTorch와 맞춰 봅니다.",
    "en": "Runs five torch.optim optimizers from the same start on an elongated quadratic or the Rosenbrock function "
    "and compares trajectories and losses. Adam's first step is computed by hand (m, v, bias correction) and checked "
    "against PyTorch.",
}
SURFACES = {"elongated": ((-1.5, 0.5), (0.0, 0.0)), "rosenbrock": ((-1.2, 1.0), (1.0, 1.0))}  # start, minimum
OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
MOMENTUM = 0.9
DIVERGED = 1e12  # a run stops once its loss passes this
LR_DEFAULTS = {"sgd": 0.001, "momentum": 0.001, "adagrad": 1.0, "rmsprop": 0.01, "adam": 0.1}
NAMES = {"sgd": "SGD", "momentum": "Momentum", "adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam"}
PARAMS = (
    Param(name="surface", kind="choice", default="elongated", choices=tuple(SURFACES),
          label_ko="곡면", label_en="Surface",
          help_ko="elongated: 10x² + 900y² (조건수 90), rosenbrock: (1 − x)² + 100(y − x²)²",
          help_en="elongated: 10x² + 900y² (condition number 90), rosenbrock: (1 − x)² + 100(y − x²)²"),
    Param(name="steps", kind="int", default=300, min=1, max=1000,
          label_ko="걸음 수", label_en="Steps",
          help_ko="각 옵티마이저의 업데이트 횟수", help_en="Updates per optimizer"),
    *(Param(name=f"lr_{o}", kind="float", default=LR_DEFAULTS[o], min=1e-6, max=10,
            label_ko=f"{NAMES[o]} 학습률", label_en=f"{NAMES[o]} learning rate",
            help_ko=f"{NAMES[o]}의 학습률" + (" (모멘텀 0.9)" if o == "momentum" else ""),
            help_en=f"Learning rate of {NAMES[o]}" + (" (momentum 0.9)" if o == "momentum" else ""))
      for o in OPTIMIZERS),
    Param(name="tolerance", kind="float", default=0.001, min=1e-12, max=1,
          label_ko="허용 손실", label_en="Loss tolerance",
          help_ko="이 값보다 손실이 작아진 첫 걸음을 셉니다", help_en="Counts the first step whose loss is below this"),
)


def surface(name: str, p):
    x, y = p[0], p[1]
    return 10 * x**2 + 900 * y**2 if name == "elongated" else (1 - x) ** 2 + 100 * (y - x**2) ** 2


def make_optimizer(name: str, params, lr: float):
    import torch

    if name in ("sgd", "momentum"):
        return torch.optim.SGD(params, lr=lr, momentum=MOMENTUM if name == "momentum" else 0.0)
    cls = {"adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}[name]
    return cls(params, lr=lr)


def trajectory(surface_name: str, optimizer: str, lr: float, steps: int):
    """Points visited (start included) and the loss at each; stops early if the loss passes DIVERGED."""
    import torch

    p = torch.tensor(SURFACES[surface_name][0], dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(optimizer, [p], lr)
    points, losses = [], []
    for _ in range(steps + 1):
        loss = surface(surface_name, p)
        points.append(p.tolist())
        losses.append(loss.item())
        if len(losses) > steps or not losses[-1] < DIVERGED:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    return points, losses


def adam_first_step(surface_name: str, lr: float, betas=(0.9, 0.999), eps=1e-8) -> list[float]:
    """θ_1 = θ_0 − lr·m̂/(√v̂ + ε), m = (1−β1)g, v = (1−β2)g², m̂ = m/(1−β1), v̂ = v/(1−β2), in plain floats."""
    import torch

    p = torch.tensor(SURFACES[surface_name][0], dtype=torch.float64, requires_grad=True)
    surface(surface_name, p).backward()
    out = []
    for theta, g in zip(p.tolist(), p.grad.tolist()):
        m, v = (1 - betas[0]) * g, (1 - betas[1]) * g * g
        m_hat, v_hat = m / (1 - betas[0]), v / (1 - betas[1])
        out.append(theta - lr * m_hat / (math.sqrt(v_hat) + eps))
    return out


def adagrad_note(values: dict[str, Any], params: dict[str, Any]) -> dict[str, str]:
    """Why AdaGrad's loss can look absurdly small on the elongated bowl, so no one reads it as "the best".

    For f = a·x² the step is lr·g/√Σg² = lr·x/√Σx², whatever the curvature a: on a bowl whose
    axes are the coordinate axes, AdaGrad's per-coordinate scaling cancels the ill-conditioning
    exactly. Its default learning rate is also far larger than SGD's.
    """
    losses = {o: values[f"final_loss.{o}"] for o in OPTIMIZERS}
    if min(losses, key=losses.get) != "adagrad":
        return {"ko": "", "en": ""}
    ratio = params["lr_adagrad"] / params["lr_sgd"]
    return {
        "ko": f" AdaGrad의 손실이 가장 작은 것은 이 곡면의 두 축이 좌표축과 나란해서, 좌표마다 기울기 제곱합으로 나누는 "
        f"AdaGrad의 보정이 두 방향의 곡률 차이를 정확히 상쇄하기 때문이고, 학습률도 SGD의 {ratio:g}배입니다. "
        "1e-16보다 작은 손실끼리의 차이는 의미가 없으며, 곡면을 회전시키거나 Rosenbrock에서는 이 이점이 사라집니다. "
        "또 기울기 제곱이 계속 쌓이므로 긴 학습에서는 걸음이 점점 작아져 멈춥니다. AdaGrad가 가장 좋은 옵티마이저라는 뜻은 아닙니다.",
        "en": f" AdaGrad ends lowest because this bowl's axes are the coordinate axes: dividing each coordinate by "
        f"its own root sum of squared gradients cancels the difference in curvature exactly, and its learning rate "
        f"is {ratio:g} times SGD's. Differences between losses below 1e-16 mean nothing; rotate the bowl or use "
        "Rosenbrock and the advantage is gone, and since the squared gradients keep adding up, its steps shrink "
        "towards zero in long training. It does not make AdaGrad the best optimizer.",
    }


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    name, steps, tol = params["surface"], params["steps"], params["tolerance"]
    minimum = SURFACES[name][1]
    runs = {o: trajectory(name, o, params[f"lr_{o}"], steps) for o in OPTIMIZERS}
    values: dict[str, Any] = {"surface": name, "steps": steps, "tolerance": tol}
    for o, (points, losses) in runs.items():
        values[f"final_loss.{o}"] = losses[-1]
        values[f"distance_to_min.{o}"] = math.dist(points[-1], minimum)
        values[f"steps_to_tol.{o}"] = next((t for t, v in enumerate(losses) if v < tol), -1)
        values[f"diverged.{o}"] = not losses[-1] < DIVERGED
        values[f"learning_rate.{o}"] = params[f"lr_{o}"]
    manual = adam_first_step(name, params["lr_adam"])
    diff = max(abs(a - b) for a, b in zip(manual, runs["adam"][0][1]))
    values["adam_first_step_abs_diff"] = diff
    values["adam_first_step_matches_manual"] = diff <= 1e-6

    every = max(1, math.ceil((steps + 1) / 200))  # at most ~200 points per series
    start = SURFACES[name][0]
    charts = [
        # Every step (no thinning, which would hide zigzags), the first 200 at most.
        Chart("line", {"ko": "궤적 (같은 시작점, 처음 200걸음까지)", "en": "Trajectories (same start, up to 200 steps)"},
              {"ko": "x", "en": "x"}, {"ko": "y", "en": "y"},
              [Series(NAMES[o], [q[0] for q in pts[:201]], [q[1] for q in pts[:201]]) for o, (pts, _) in runs.items()]
              + [Series({"ko": "시작점", "en": "start"}, [start[0]], [start[1]]),
                 Series({"ko": "최솟점", "en": "minimum"}, [minimum[0]], [minimum[1]])]),
        Chart("line", {"ko": "걸음별 손실 (로그 축, 1e-30 아래는 1e-30)", "en": "Loss per step (log scale, floored at 1e-30)"},
              {"ko": "걸음", "en": "step"}, {"ko": "f(x, y)", "en": "f(x, y)"},
              [Series(NAMES[o], [float(t) for t in range(0, len(ls), every)], [max(v, 1e-30) for v in ls[::every]])
               for o, (_, ls) in runs.items()], log_y=True),
    ]
    table = Table(columns=[{"ko": "옵티마이저", "en": "optimizer"}, {"ko": "학습률", "en": "learning rate"},
                           {"ko": "최종 손실", "en": "final loss"}, {"ko": "최솟점까지 거리", "en": "distance to minimum"},
                           {"ko": f"손실 < {tol:g}인 첫 걸음", "en": f"first step with loss < {tol:g}"}],
                  rows=[[NAMES[o], params[f"lr_{o}"], values[f"final_loss.{o}"], values[f"distance_to_min.{o}"],
                         values[f"steps_to_tol.{o}"]] for o in OPTIMIZERS])
    v = values
    note = adagrad_note(values, params) if name == "elongated" else {"ko": "", "en": ""}
    surface_ko = {"elongated": "길쭉한 이차", "rosenbrock": "Rosenbrock"}[name]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"optimizers": table},
        summary={
            "ko": f"{surface_ko} 곡면에서 {steps}걸음 뒤 손실은 SGD {v['final_loss.sgd']:.2e}, 모멘텀 {v['final_loss.momentum']:.2e}, "
            f"AdaGrad {v['final_loss.adagrad']:.2e}, RMSProp {v['final_loss.rmsprop']:.2e}, "
            f"Adam {v['final_loss.adam']:.2e}"
            f"입니다. 손으로 계산한 Adam 첫 걸음과 PyTorch의 차이는 {diff:.1e}입니다.{note['ko']}",
            "en": f"On the {name} surface after {steps} steps the loss is {v['final_loss.sgd']:.2e} for SGD, "
            f"{v['final_loss.momentum']:.2e} for Momentum, {v['final_loss.adagrad']:.2e} for AdaGrad, "
            f"{v['final_loss.rmsprop']:.2e} for RMSProp and {v['final_loss.adam']:.2e} for Adam. Adam's first step "
            f"by hand differs from PyTorch's by {diff:.1e}.{note['en']}",
        },
    )
