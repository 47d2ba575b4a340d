"""linear-collapse: stacked linear layers equal one linear map; a ReLU between them does not."""

import pytest

from sandbox import registry
from sandbox.demos import linear_collapse


def run(**params):
    values, errors = registry.validated_params("linear-collapse", params)
    assert errors == {}
    return linear_collapse.run(values, seed=0)


@pytest.mark.parametrize("depth", [2, 5, 12])
def test_the_stack_and_the_multiplied_out_layer_agree_to_float_precision(depth):
    result = run(depth=depth, width=16)
    assert result.values["max_abs_difference"] < 1e-4


def test_a_relu_between_layers_leaves_variance_no_linear_map_explains():
    assert run().values["relu_unexplained_variance"] > 0.05


def test_parameter_counts_follow_the_closed_form():
    values = run(depth=4, width=16).values
    assert values["collapsed_params"] == 16 * 16 + 16
    assert values["stacked_params"] == 4 * (16 * 16 + 16)


def test_the_same_seed_gives_the_same_result():
    assert run().to_dict() == run().to_dict()


@pytest.mark.parametrize("params, field", [({"depth": 1}, "depth"), ({"width": "wide"}, "width"),
                                           ({"samples": 5000}, "samples"), ({"layers": 3}, "layers")])
def test_bad_parameters_are_refused_with_the_field_named(params, field):
    _, errors = registry.validated_params("linear-collapse", params)
    assert field in errors
