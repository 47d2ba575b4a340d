"""The RNN gradients demo: the plain RNN's gradient to early steps vanishes far faster than LSTM/GRU's."""

import math

import torch

from sandbox import registry
from sandbox.demos import rnn_gradients


def params(**overrides):
    values, errors = registry.validated_params("rnn-gradients", overrides)
    assert errors == {}
    return values


def test_at_default_length_the_plain_rnn_gradient_to_the_first_step_is_many_orders_smaller():
    values = rnn_gradients.run(params()).values
    assert values["grad_ratio_first_to_last.rnn"] < 1e-10
    assert values["orders_of_magnitude_gap.lstm"] > 6
    assert values["orders_of_magnitude_gap.gru"] > 6
    assert values["steps_to_1pct.rnn"] < values["steps_to_1pct.gru"] < values["steps_to_1pct.lstm"]


def test_with_pytorch_default_gate_biases_all_three_vanish_but_the_rnn_still_fastest():
    values = rnn_gradients.run(params(gate_bias=0)).values
    for kind in ("rnn", "lstm", "gru"):
        assert values[f"grad_ratio_first_to_last.{kind}"] < 1e-6
    assert values["orders_of_magnitude_gap.lstm"] > 2 and values["orders_of_magnitude_gap.gru"] > 2


def test_the_rnn_gradients_equal_the_product_of_step_jacobians():
    """Oracle: dL/dx_t = W_ih^T D_t W_hh^T D_{t+1} ... W_hh^T D_T 1, with D_s = diag(1 - h_s^2), no autograd."""
    p = params(seq_len=12, hidden=6, input_size=3)
    layer = rnn_gradients.build("rnn", p, seed=0)
    x = rnn_gradients.inputs(p, seed=0)[:, 0, :]
    w_ih, w_hh = layer.weight_ih_l0.detach(), layer.weight_hh_l0.detach()
    bias = (layer.bias_ih_l0 + layer.bias_hh_l0).detach()
    hs, h = [], torch.zeros(6, dtype=torch.float64)
    for x_t in x:
        h = torch.tanh(w_ih @ x_t + w_hh @ h + bias)
        hs.append(h)
    upstream = torch.ones(6, dtype=torch.float64)  # dL/dh_T for L = sum(h_T)
    expected = [0.0] * 12
    for t in reversed(range(12)):
        dz = upstream * (1 - hs[t] ** 2)
        expected[t] = (w_ih.T @ dz).norm().item()
        upstream = w_hh.T @ dz
    got = rnn_gradients.grad_norms("rnn", p, seed=0)
    for a, b in zip(got, expected):
        assert math.isclose(a, b, rel_tol=1e-10)


def test_the_lstm_gradient_agrees_with_finite_differences():
    p = params(seq_len=8, hidden=5, input_size=2)
    layer = rnn_gradients.build("lstm", p, seed=0)
    x = rnn_gradients.inputs(p, seed=0)
    got = rnn_gradients.grad_norms("lstm", p, seed=0)
    eps = 1e-6
    with torch.no_grad():
        numeric = torch.zeros_like(x)
        for index in torch.cartesian_prod(*(torch.arange(n) for n in x.shape)):
            up, down = x.clone(), x.clone()
            up[tuple(index)] += eps
            down[tuple(index)] -= eps
            numeric[tuple(index)] = (layer(up)[0][-1].sum() - layer(down)[0][-1].sum()) / (2 * eps)
    for a, b in zip(got, numeric.norm(dim=(1, 2)).tolist()):
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def test_the_same_seed_gives_the_same_result_and_the_global_rng_is_untouched():
    state = torch.random.get_rng_state()
    assert rnn_gradients.run(params(), seed=2) == rnn_gradients.run(params(), seed=2)
    assert torch.equal(state, torch.random.get_rng_state())


def test_bad_parameters_are_refused_with_messages_naming_the_field():
    errors = registry.validated_params("rnn-gradients", {"seq_len": 1000, "gate_bias": "high"})[1]
    assert "at most 200" in errors["seq_len"]
    assert "number" in errors["gate_bias"]
