"""The residual-gradient-flow demo: skips keep the first block's gradient near the last one's; a plain net loses it."""

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import residual_gradient_flow as demo


def params(**overrides):
    values, errors = registry.validated_params("residual-gradient-flow", overrides)
    assert errors == {}
    return values


def hand_backprop(p, seed, residual):
    """Per-block ||dL/dW|| and ||dL/dh|| by the chain rule in numpy, on the demo's own batch and weights."""
    x, target, ws = demo.weights(p, seed)
    x, target, ws = x.numpy(), target.numpy(), [w.numpy() for w in ws]
    act = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
    dact = {"sigmoid": lambda z: act["sigmoid"](z) * (1 - act["sigmoid"](z)), "tanh": lambda z: 1 - np.tanh(z) ** 2,
            "relu": lambda z: (z > 0) * 1.0}
    f, df = act[p["activation"]], dact[p["activation"]]
    inputs, h = [], x
    for w in ws:
        inputs.append(h)
        h = h + f(h) @ w.T if residual else f(h) @ w.T
    delta = (h - target) / h.size  # dL/dh_depth for L = 0.5 * mean squared error
    w_norms, h_norms = [0.0] * len(ws), [0.0] * len(ws)
    for i in reversed(range(len(ws))):
        w_norms[i] = np.linalg.norm(delta.T @ f(inputs[i]))
        through_branch = (delta @ ws[i]) * df(inputs[i])
        delta = delta + through_branch if residual else through_branch
        h_norms[i] = np.linalg.norm(delta)
    return w_norms, h_norms


@pytest.mark.parametrize("activation, init", [("sigmoid", "xavier"), ("relu", "he"), ("tanh", "default")])
@pytest.mark.parametrize("residual", [False, True])
def test_gradients_match_hand_written_backprop(activation, init, residual):
    p = params(depth=6, width=10, batch=8, activation=activation, init=init)
    w_norms, h_norms, _ = demo.gradients(p, 3, residual=residual)
    expected_w, expected_h = hand_backprop(p, 3, residual)
    np.testing.assert_allclose(w_norms, expected_w, rtol=1e-9)
    np.testing.assert_allclose(h_norms, expected_h, rtol=1e-9)


def test_with_zero_branch_weights_the_identity_path_delivers_the_same_gradient_to_every_block():
    p = params(depth=8, width=6, batch=8)
    zeros = [torch.zeros(6, 6, dtype=torch.float64) for _ in range(8)]
    _, h_norms, _ = demo.gradients(p, 0, residual=True, ws=zeros)
    np.testing.assert_allclose(h_norms, h_norms[-1], rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_deep_plain_sigmoid_net_loses_the_gradient_and_the_residual_one_keeps_it_within_5x(seed):
    values = demo.run(params(), seed=seed).values
    assert values["ratio_first_to_last.plain"] < 1e-12
    assert 0.2 < values["ratio_first_to_last.residual"] < 5
    assert 0.2 < values["signal_ratio.residual"] < 5
    assert values["residual_over_plain.first_grad"] > 1e12


@pytest.mark.parametrize("depth", [10, 30, 60])
def test_the_plain_ratio_shrinks_geometrically_with_depth_while_the_residual_one_stays_bounded(depth):
    values = demo.run(params(depth=depth), seed=0).values
    assert values["ratio_first_to_last.plain"] < 0.25 ** (depth / 3)
    assert 0.2 < values["ratio_first_to_last.residual"] < 5


def test_relu_with_he_init_keeps_the_residual_ratio_bounded_too():
    values = demo.run(params(activation="relu", init="he"), seed=0).values
    assert 0.2 < values["ratio_first_to_last.residual"] < 5


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=4).to_dict() == demo.run(params(), seed=4).to_dict()


@pytest.mark.parametrize("raw, field", [({"depth": 1}, "depth"), ({"depth": 500}, "depth"), ({"width": 512}, "width"),
                                        ({"activation": "gelu"}, "activation"), ({"init": "orthogonal"}, "init"),
                                        ({"skip": True}, "skip")])
def test_out_of_bounds_parameters_are_refused_with_the_field_named(raw, field):
    _, errors = registry.validated_params("residual-gradient-flow", raw)
    assert set(errors) == {field}
