"""The CNN shapes demo: formula shapes and counts agree with torch.nn and with published totals."""

import pytest

from sandbox import registry
from sandbox.demos import cnn_shapes


def run(**overrides):
    params, errors = registry.validated_params("cnn-shapes", overrides)
    assert errors == {}
    return cnn_shapes.run(params, seed=0).values


@pytest.mark.parametrize(
    "preset, total",
    [("lenet-5", 61_706), ("alexnet", 62_378_344), ("vgg-16", 138_357_544)],
)
def test_classic_networks_have_their_published_parameter_counts(preset, total):
    values = run(preset=preset)
    assert values["params.total"] == total
    assert values["params.total_torch"] == total
    assert values["shapes_match"] and values["params_match"]


def test_alexnet_first_conv_gives_55_by_55_by_96_and_most_weights_sit_in_the_fc_layers():
    values = run(preset="alexnet")
    assert values["output_shape.conv1"] == "96×55×55"
    assert values["params.conv1"] == 11 * 11 * 3 * 96 + 96
    assert values["output_size.pool3"] == 6
    assert values["fc_share_pct"] > 90


def test_a_custom_stack_follows_the_output_size_formula():
    values = run(input_size=28, in_channels=1, channels=8, kernel=5, stride=2, padding=1, blocks=2, pool=2,
                 fc_width=32, classes=10)
    # conv1: floor((28 + 2 - 5) / 2) + 1 = 13; pool1: floor((13 - 2) / 2) + 1 = 6
    # conv2: floor((6 + 2 - 5) / 2) + 1 = 2;  pool2: floor((2 - 2) / 2) + 1 = 1
    assert [values[f"output_size.{n}"] for n in ("conv1", "pool1", "conv2", "pool2")] == [13, 6, 2, 1]
    assert values["params.conv2"] == 5 * 5 * 8 * 16 + 16
    assert values["params.fc1"] == 16 * 1 * 1 * 32 + 32
    assert values["output_size.fc2"] == 10
    assert values["shapes_match"] and values["params_match"]


def test_same_padding_keeps_the_size_and_pool_size_one_means_no_pooling():
    values = run(input_size=20, kernel=5, padding=2, stride=1, blocks=3, pool=1)
    assert [values[f"output_size.conv{i}"] for i in (1, 2, 3)] == [20, 20, 20]
    assert "output_size.pool1" not in values


def test_a_stack_that_shrinks_to_nothing_is_refused_before_running():
    errors = registry.validated_params("cnn-shapes", {"input_size": 8, "blocks": 6})[1]
    assert "blocks" in errors and "shrinks" in errors["blocks"]


def test_the_same_seed_gives_the_same_result():
    params = registry.validated_params("cnn-shapes", {})[0]
    assert cnn_shapes.run(params, seed=1) == cnn_shapes.run(params, seed=1)


def test_bad_parameters_are_refused_with_messages_naming_the_field():
    errors = registry.validated_params("cnn-shapes", {"kernel": 13, "preset": "resnet"})[1]
    assert "at most 11" in errors["kernel"]
    assert "lenet-5" in errors["preset"]
