"""The vanishing-gradients demo: sigmoid's first-layer gradient collapses where ReLU's (He init) does not."""

import numpy as np
import pytest
import torch

from sandbox import registry
from sandbox.demos import vanishing_gradients as demo


def run(seed=0, **overrides):
    params, errors = registry.validated_params("vanishing-gradients", overrides)
    assert errors == {}
    return demo.run(params, seed=seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sigmoid_first_layer_gradient_is_orders_of_magnitude_below_relu(seed):
    values = run(seed, depth=10).values
    assert values["init.sigmoid"] == "xavier" and values["init.relu"] == "he"
    assert values["first_layer_grad.relu"] >= 100 * values["first_layer_grad.sigmoid"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sigmoid_gradient_shrinks_toward_the_input_while_relu_with_he_holds(seed):
    values = run(seed, depth=10).values
    # Each sigmoid layer multiplies the backward signal by at most 0.25; nine of them leave < 1e-3.
    assert values["ratio_first_to_last.sigmoid"] < 1e-3
    assert 0.1 < values["ratio_first_to_last.relu"] < 10


def hand_backprop_norms(params, activation, init, seed):
    """Per-layer ||dL/dW|| by the chain rule in numpy, on the demo's own batch and weights."""
    depth, width, batch = params["depth"], params["width"], params["batch"]
    data = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, width, generator=data, dtype=torch.float64).numpy()
    target = torch.randn(batch, width, generator=data, dtype=torch.float64).numpy()
    gen = torch.Generator().manual_seed(seed + 1)
    ws = [demo.init_weight(width, width, init, gen).numpy() for _ in range(depth)]
    act = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}[activation]
    dact = {"sigmoid": lambda z: act(z) * (1 - act(z)), "relu": lambda z: (z > 0) * 1.0,
            "tanh": lambda z: 1 - np.tanh(z) ** 2}[activation]
    inputs, pre, h = [], [], x
    for i, w in enumerate(ws):
        inputs.append(h)
        z = h @ w.T
        pre.append(z)
        h = act(z) if i < depth - 1 else z
    delta = (h - target) / h.size  # d(0.5 * mean squared error)/d(output)
    norms = [0.0] * depth
    for i in reversed(range(depth)):
        if i < depth - 1:
            delta = delta * dact(pre[i])
        norms[i] = np.linalg.norm(delta.T @ inputs[i])
        delta = delta @ ws[i]
    return norms


@pytest.mark.parametrize("activation,init", [("sigmoid", "xavier"), ("relu", "he"), ("tanh", "default"),
                                             ("relu", "small-normal")])
def test_layer_gradients_match_hand_written_backprop(activation, init):
    params = registry.validated_params("vanishing-gradients", {"depth": 5, "width": 12, "batch": 16})[0]
    got = demo.layer_grad_norms(params, activation, init, seed=4)
    np.testing.assert_allclose(got, hand_backprop_norms(params, activation, init, 4), rtol=1e-9)


def test_chosen_run_repeats_the_comparison_run_with_the_same_settings():
    values = run(activation="relu", init="he").values
    assert values["first_layer_grad.chosen"] == values["first_layer_grad.relu"]


def test_chart_is_log_scaled_with_one_positive_point_per_layer():
    (chart,) = run(depth=7).charts
    assert chart.log_y
    assert len(chart.series) == 4
    assert all(len(s.y) == 7 and min(s.y) > 0 for s in chart.series)


def test_same_seed_gives_the_same_result():
    assert run(seed=5).to_dict() == run(seed=5).to_dict()


def test_it_refuses_an_unknown_activation_and_a_too_deep_network():
    _, errors = registry.validated_params("vanishing-gradients", {"activation": "gelu", "depth": 500})
    assert set(errors) == {"activation", "depth"}
