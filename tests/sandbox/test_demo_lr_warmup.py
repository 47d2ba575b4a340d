"""The lr-warmup demo: Adam at a large rate spikes and kills ReLUs without warm-up; a linear warm-up avoids both."""

import pytest
import torch

from sandbox import registry
from sandbox.demos import lr_warmup as demo


def params(**overrides):
    values, errors = registry.validated_params("lr-warmup", overrides)
    assert errors == {}
    return values


def torch_reference(p, seed, warmup):
    """The same training with autograd, torch.optim.Adam and a LambdaLR linear warm-up."""
    x, y, initial = demo.problem(p, seed)
    weights = [w.clone().requires_grad_() for w in initial]
    opt = torch.optim.Adam(weights, lr=p["learning_rate"], betas=(0.9, 0.999), eps=1e-8)
    ramp = p["warmup_steps"] if warmup else 1
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / ramp))
    losses = []
    for _ in range(p["steps"]):
        w1, b1, w2, b2, w3, b3 = weights
        out = torch.relu(torch.relu(x @ w1.T + b1) @ w2.T + b2) @ w3.T + b3
        loss = (out[:, 0] - y).pow(2).mean()
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    return losses


@pytest.mark.parametrize("warmup", [False, True])
@pytest.mark.parametrize("lr", [0.001, 0.05])
def test_the_hand_written_training_matches_torch_adam_with_lambdalr(warmup, lr):
    p = params(learning_rate=lr, steps=60, warmup_steps=20, width=8)
    losses, _, _ = demo.train(p, 2, warmup=warmup)
    assert losses[:-1] == pytest.approx(torch_reference(p, 2, warmup), rel=1e-8, abs=1e-12)


def test_the_hand_written_gradients_match_autograd():
    p = params(width=6)
    x, y, weights = demo.problem(p, 0)
    weights = [w.requires_grad_() for w in weights]
    _, _, out = demo.forward(weights, x)
    expected = torch.autograd.grad((out[:, 0] - y).pow(2).mean(), weights)
    _, flat = demo.loss_and_grads([w.detach() for w in weights], x, y)
    torch.testing.assert_close(flat, torch.cat([g.reshape(-1) for g in expected]), rtol=1e-12, atol=1e-14)


def test_adams_first_step_moves_weights_by_the_full_learning_rate_whatever_the_gradient():
    values = demo.run(params(learning_rate=0.05, warmup_steps=30), seed=0).values
    assert values["first_step.no_warmup"] == pytest.approx(0.05, rel=1e-6)  # lr * g / |g|
    assert values["first_step.warmup"] == pytest.approx(0.05 / 30, rel=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_without_warm_up_the_loss_spikes_and_relus_die_and_with_it_neither(seed):
    values = demo.run(params(), seed=seed).values
    assert values["spike.no_warmup"] > 2 and values["spike.warmup"] == 1.0
    assert values["dead_units.no_warmup"] > 2 * values["dead_units.warmup"]
    assert values["final_loss.warmup"] < values["final_loss.no_warmup"] / 10


def test_a_small_learning_rate_needs_no_warm_up():
    values = demo.run(params(learning_rate=0.002), seed=0).values
    assert values["spike.no_warmup"] == 1.0


def test_the_schedule_rises_linearly_then_holds():
    lrs = demo.schedule(params(learning_rate=0.1, warmup_steps=4, steps=10), warmup=True)
    assert lrs == pytest.approx([0.025, 0.05, 0.075] + [0.1] * 7)


def test_same_seed_gives_the_same_result():
    assert demo.run(params(steps=50), seed=3).to_dict() == demo.run(params(steps=50), seed=3).to_dict()


@pytest.mark.parametrize("raw, field", [({"learning_rate": 0}, "learning_rate"), ({"learning_rate": 5}, "learning_rate"),
                                        ({"warmup_steps": 0}, "warmup_steps"), ({"steps": 5000}, "steps"),
                                        ({"width": 512}, "width"), ({"optimizer": "sgd"}, "optimizer")])
def test_out_of_bounds_parameters_are_refused_with_the_field_named(raw, field):
    _, errors = registry.validated_params("lr-warmup", raw)
    assert set(errors) == {field}
