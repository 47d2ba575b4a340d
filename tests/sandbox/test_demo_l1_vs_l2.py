"""The L1-vs-L2 demo: the L1 penalty drives the noise features' weights exactly to 0; L2 only shrinks them."""

import numpy as np
import pytest

from sandbox import registry
from sandbox.demos import l1_vs_l2 as demo


def params(**overrides):
    values, errors = registry.validated_params("l1-vs-l2", overrides)
    assert errors == {}
    return values


def lasso_coordinate_descent(g, c, lam, sweeps=2000):
    """Minimises w^T G w / 2 - c^T w + lam ||w||_1 one coordinate at a time (a different algorithm from ISTA)."""
    w = np.zeros(len(c))
    for _ in range(sweeps):
        for j in range(len(c)):
            rho = c[j] - g[j] @ w + g[j, j] * w[j]
            w[j] = np.sign(rho) * max(abs(rho) - lam, 0.0) / g[j, j]
    return w


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_l2_weights_match_the_closed_form_ridge_solution(seed):
    p = params()
    _, _, _, g, c = demo.problem(p, seed)
    ridge = np.linalg.solve(g + p["lam"] * np.eye(len(c)), c)
    np.testing.assert_allclose(demo.fit(g, c, p["lam"], p["steps"], "l2"), ridge, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_l1_weights_match_coordinate_descent_and_satisfy_the_optimality_conditions(seed):
    p = params()
    _, _, _, g, c = demo.problem(p, seed)
    w = demo.fit(g, c, p["lam"], p["steps"], "l1")
    np.testing.assert_allclose(w, lasso_coordinate_descent(g, c, p["lam"]), atol=1e-8)
    residual = c - g @ w  # the data gradient's negative
    active = w != 0
    np.testing.assert_allclose(residual[active], p["lam"] * np.sign(w[active]), atol=1e-8)
    assert np.all(np.abs(residual[~active]) <= p["lam"] + 1e-12)


def test_with_orthonormal_features_l1_soft_thresholds_and_l2_divides_by_one_plus_lambda():
    c = np.array([2.0, -0.5, 0.1, -0.05, 1.0])
    g = np.eye(5)
    np.testing.assert_allclose(demo.fit(g, c, 0.3, 50, "l1"), [1.7, -0.2, 0.0, 0.0, 0.7], atol=1e-12)
    np.testing.assert_allclose(demo.fit(g, c, 0.3, 200, "l2"), c / 1.3, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_l1_zeroes_every_noise_feature_exactly_while_l2_zeroes_none(seed):
    values = demo.run(params(), seed=seed).values
    assert values["zeros.l1"] == 20 - 5 and values["support_recovered.l1"]
    assert values["max_abs_noise_weight.l1"] == 0.0
    assert values["zeros.l2"] == 0 and values["min_abs_weight.l2"] > 0
    assert values["max_abs_noise_weight.l2"] > 0.01


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_plain_subgradient_descent_on_the_l1_penalty_leaves_no_exact_zeros(seed):
    values = demo.run(params(), seed=seed).values
    assert values["zeros.l1_subgradient"] == 0


def test_the_l1_path_loses_weights_as_lambda_grows_and_the_l2_path_keeps_all():
    l1, l2, _ = demo.run(params(), seed=0).charts[1].series  # x runs from the largest lambda down
    assert l1.y[0] < l1.y[-1] and l1.y[0] <= 5
    assert set(l2.y) == {20}


def test_values_agree_with_a_recount_of_the_weights():
    p = params(lam=0.05)
    x, y, _, g, c = demo.problem(p, 1)
    w = demo.fit(g, c, 0.05, p["steps"], "l1")
    values = demo.run(p, seed=1).values
    assert values["zeros.l1"] == int(np.sum(w == 0))
    assert values["train_mse.l1"] == pytest.approx(np.mean((x @ w - y) ** 2), rel=1e-12)


def test_same_seed_gives_the_same_result():
    assert demo.run(params(), seed=3).to_dict() == demo.run(params(), seed=3).to_dict()


@pytest.mark.parametrize("raw, field", [({"lam": 0}, "lam"), ({"lam": 3}, "lam"), ({"features": 101}, "features"),
                                        ({"steps": 2001}, "steps"), ({"features": 4, "informative": 5}, "informative"),
                                        ({"alpha": 1}, "alpha")])
def test_out_of_bounds_parameters_are_refused_with_the_field_named(raw, field):
    _, errors = registry.validated_params("l1-vs-l2", raw)
    assert set(errors) == {field}
