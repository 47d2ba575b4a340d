"""Learning-rate warm-up: Adam with a large learning rate, with and without a linear warm-up.

A two-hidden-layer ReLU network (He init, zero biases, float64, seeded) fits a smooth
non-linear target on a fixed batch by full-batch Adam (beta1 0.9, beta2 0.999, eps 1e-8),
twice from the same initial weights: once at the full learning rate from step 1, once with
the rate ramped linearly, lr * min(1, t / warmup) at step t = 1, 2, ... (what
`LambdaLR(opt, lambda s: min(1, (s + 1) / warmup))` does).

Why it matters: Adam divides the first moment by the root of the second, so its first update
is lr * g / |g| = lr * sign(g) for every weight, however small its gradient; at the start the
moment estimates rest on one or two gradients. A large rate then moves every weight by the
full lr at once, the loss spikes, and ReLU units that the jump pushes below 0 for every input
die. Warm-up keeps those first, poorly estimated steps small. Forward and backward passes
and Adam are written out by hand in torch (small ops, one thread; numpy's BLAS would pick
its own thread count); the tests replay them with autograd and torch.optim.Adam.
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 1
TITLE = {"ko": "학습률 워밍업: 큰 학습률의 Adam", "en": "Learning-rate warm-up: Adam at a large learning rate"}
DESCRIPTION = {
    "ko": "같은 초기 가중치에서 Adam을 큰 학습률로 바로 시작할 때와 선형 워밍업(warm-up)으로 키울 때의 손실 곡선을 "
    "비교합니다. 워밍업이 없으면 첫 걸음들에서 손실이 치솟고 죽은 ReLU가 생깁니다.",
    "en": "Compares the loss curves of Adam started at a large learning rate and of Adam whose rate is ramped up "
    "linearly (warm-up), from the same initial weights. Without warm-up the loss spikes in the first steps and "
    "ReLU units die.",
}
INPUTS = 8
SAMPLES = 128
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8
PARAMS = (
    Param(name="learning_rate", kind="float", default=0.05, min=0.0001, max=0.5,
          label_ko="학습률", label_en="Learning rate",
          help_ko="워밍업이 끝난 뒤의 (최대) 학습률", help_en="The (peak) learning rate, reached after the warm-up"),
    Param(name="warmup_steps", kind="int", default=30, min=1, max=600,
          label_ko="워밍업 단계 수", label_en="Warm-up steps",
          help_ko="학습률을 0 근처에서 최대까지 선형으로 키우는 단계 수", help_en="Steps over which the rate rises linearly to its peak"),
    Param(name="steps", kind="int", default=200, min=10, max=600,
          label_ko="학습 단계 수", label_en="Training steps",
          help_ko="전체 배치 Adam 업데이트 횟수", help_en="Full-batch Adam updates"),
    Param(name="width", kind="int", default=32, min=4, max=64,
          label_ko="너비", label_en="Width",
          help_ko="두 은닉층 각각의 뉴런 수", help_en="Units in each of the two hidden layers"),
)


def problem(params: dict[str, Any], seed: int):
    """The batch (x, y) and the initial weights [W1, b1, W2, b2, W3, b3] (He init, zero biases)."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(SAMPLES, INPUTS, generator=gen, dtype=torch.float64)
    direction = torch.randn(INPUTS, generator=gen, dtype=torch.float64)
    y = torch.sin(2 * x @ direction / INPUTS**0.5) + 0.5 * x[:, 0] ** 2
    w = params["width"]
    weights = []
    for fan_out, fan_in in [(w, INPUTS), (w, w), (1, w)]:
        weights += [torch.randn(fan_out, fan_in, generator=gen, dtype=torch.float64) * (2 / fan_in) ** 0.5,
                    torch.zeros(fan_out, dtype=torch.float64)]
    return x, y, weights


def forward(weights, x):
    """Pre-activations of both hidden layers and the output."""
    w1, b1, w2, b2, w3, b3 = weights
    z1 = x @ w1.T + b1
    z2 = z1.clamp_min(0) @ w2.T + b2
    return z1, z2, z2.clamp_min(0) @ w3.T + b3


def loss_and_grads(weights, x, y):
    """Mean squared error and its gradients, by hand (one flat vector, in the order of `weights`)."""
    import torch

    _, w2, _, w3, _ = weights[1:]
    z1, z2, out = forward(weights, x)
    a1, a2 = z1.clamp_min(0), z2.clamp_min(0)
    err = out[:, 0] - y
    d_out = (2 / len(y)) * err[:, None]
    d_z2 = (d_out @ w3) * (z2 > 0)
    d_z1 = (d_z2 @ w2) * (z1 > 0)
    grads = [d_z1.T @ x, d_z1.sum(0), d_z2.T @ a1, d_z2.sum(0), d_out.T @ a2, d_out.sum(0)]
    return err.pow(2).mean(), torch.cat([g.reshape(-1) for g in grads])


def dead_units(weights, x) -> int:
    """Hidden ReLU units whose output is 0 for every input of the batch."""
    z1, z2, _ = forward(weights, x)
    return int((z1 <= 0).all(0).sum().item() + (z2 <= 0).all(0).sum().item())


def schedule(params: dict[str, Any], warmup: bool) -> list[float]:
    """The learning rate at steps 1..steps."""
    ramp = params["warmup_steps"] if warmup else 1
    return [params["learning_rate"] * min(1.0, t / ramp) for t in range(1, params["steps"] + 1)]


def train(params: dict[str, Any], seed: int, *, warmup: bool):
    """Losses before each step (and after the last), the largest weight change of step 1, dead units at the end."""
    import torch

    x, y, initial = problem(params, seed)
    shapes = [p.shape for p in initial]
    sizes = [p.numel() for p in initial]
    theta = torch.cat([p.reshape(-1) for p in initial])
    m, v = torch.zeros_like(theta), torch.zeros_like(theta)

    def unpack(flat):
        return [part.view(shape) for part, shape in zip(flat.split(sizes), shapes)]

    losses, first_step = [], 0.0
    for t, lr in enumerate(schedule(params, warmup), start=1):
        loss, g = loss_and_grads(unpack(theta), x, y)
        losses.append(loss)
        m.mul_(BETA1).add_(g, alpha=1 - BETA1)
        v.mul_(BETA2).addcmul_(g, g, value=1 - BETA2)
        step = (m / (1 - BETA1**t)).div_((v / (1 - BETA2**t)).sqrt_().add_(EPS)).mul_(lr)
        theta = theta - step
        if t == 1:
            first_step = step.abs().max().item()
    weights = unpack(theta)
    losses.append(loss_and_grads(weights, x, y)[0])
    return torch.stack(losses).tolist(), first_step, dead_units(weights, x)


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    runs = {"no_warmup": train(params, seed, warmup=False), "warmup": train(params, seed, warmup=True)}
    tail = max(1, params["steps"] // 20)  # the final loss is the mean over the last 5% of steps
    values: dict[str, Any] = {"learning_rate": params["learning_rate"], "warmup_steps": params["warmup_steps"],
                              "initial_loss": runs["warmup"][0][0], "hidden_units": 2 * params["width"]}
    for name, (losses, first_step, dead) in runs.items():
        values[f"peak_loss.{name}"] = max(losses)
        values[f"spike.{name}"] = max(losses) / losses[0]
        values[f"final_loss.{name}"] = sum(losses[-tail:]) / tail
        values[f"first_step.{name}"] = first_step
        values[f"dead_units.{name}"] = dead
    values["final_ratio"] = values["final_loss.no_warmup"] / max(values["final_loss.warmup"], 1e-300)

    steps = [float(i) for i in range(params["steps"] + 1)]
    labels = {"no_warmup": {"ko": "워밍업 없음", "en": "no warm-up"},
              "warmup": {"ko": f"워밍업 {params['warmup_steps']}단계", "en": f"{params['warmup_steps']}-step warm-up"}}
    charts = [
        Chart("line", {"ko": f"Adam 손실 곡선 (학습률 {params['learning_rate']:g})",
                       "en": f"Adam loss curves (learning rate {params['learning_rate']:g})"},
              {"ko": "단계", "en": "step"}, {"ko": "MSE 손실 (로그 축)", "en": "MSE loss (log scale)"},
              [Series(labels[n], steps, [max(v, 1e-300) for v in runs[n][0]]) for n in runs], log_y=True),
        Chart("line", {"ko": "학습률 스케줄", "en": "Learning-rate schedule"}, {"ko": "단계", "en": "step"},
              {"ko": "학습률", "en": "learning rate"},
              [Series(labels[n], steps[1:], schedule(params, n == "warmup")) for n in runs]),
    ]
    table = Table(
        columns=[{"ko": "스케줄", "en": "schedule"}, {"ko": "최대 손실", "en": "peak loss"},
                 {"ko": "마지막 손실", "en": "final loss"}, {"ko": "첫 걸음의 최대 |Δw|", "en": "max |Δw| of step 1"},
                 {"ko": "죽은 ReLU", "en": "dead ReLUs"}],
        rows=[[labels[n], values[f"peak_loss.{n}"], values[f"final_loss.{n}"], values[f"first_step.{n}"],
               values[f"dead_units.{n}"]] for n in runs],
    )
    lr, w = params["learning_rate"], params["warmup_steps"]
    return DemoResult(
        values=values,
        charts=charts,
        tables={"schedules": table},
        summary={
            "ko": f"학습률 {lr:g}의 Adam은 워밍업 없이 손실이 처음의 {values['spike.no_warmup']:.1f}배까지 치솟고 "
            f"마지막 손실이 {values['final_loss.no_warmup']:.2e}입니다. {w}단계 워밍업을 쓰면 최대 손실은 처음의 "
            f"{values['spike.warmup']:.1f}배, 마지막 손실은 {values['final_loss.warmup']:.2e}입니다.",
            "en": f"Adam at learning rate {lr:g} without warm-up spikes to {values['spike.no_warmup']:.1f} times the "
            f"initial loss and ends at {values['final_loss.no_warmup']:.2e}; with a {w}-step warm-up the peak is "
            f"{values['spike.warmup']:.1f} times the initial loss and it ends at {values['final_loss.warmup']:.2e}.",
        },
    )
