"""The demo registry and catalogue: one explicit entry per demo, imported lazily.

Each value is the module path of a demo (see `sandbox/demos/linear_collapse.py`
for the contract). Nothing is imported until a demo is asked for, and demo
modules import torch inside `run`, so listing demos or validating a reference
never loads torch.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Mapping

from sandbox.params import validate

DEMOS: dict[str, str] = {
    "linear-collapse": "sandbox.demos.linear_collapse",
    "activations": "sandbox.demos.activations",
    "vanishing-gradients": "sandbox.demos.vanishing_gradients",
    "dying-relu": "sandbox.demos.dying_relu",
    "initialization": "sandbox.demos.initialization",
    "perceptron": "sandbox.demos.perceptron",
    "loss-functions": "sandbox.demos.loss_functions",
    "relu-vs-sigmoid-training": "sandbox.demos.relu_vs_sigmoid_training",
    "gpu-memory": "sandbox.demos.gpu_memory",
    "cnn-shapes": "sandbox.demos.cnn_shapes",
    "rnn-gradients": "sandbox.demos.rnn_gradients",
    "backprop": "sandbox.demos.backprop",
    "learning-rate": "sandbox.demos.learning_rate",
    "minibatch": "sandbox.demos.minibatch",
    "optimizers": "sandbox.demos.optimizers",
    "overfitting": "sandbox.demos.overfitting",
    "leakage": "sandbox.demos.leakage",
    "cross-validation": "sandbox.demos.cross_validation",
    "dropout": "sandbox.demos.dropout",
    "l1-vs-l2": "sandbox.demos.l1_vs_l2",
    "batch-norm": "sandbox.demos.batch_norm",
    "classification-threshold": "sandbox.demos.classification_threshold",
    "attention-scaling": "sandbox.demos.attention_scaling",
    "residual-gradient-flow": "sandbox.demos.residual_gradient_flow",
    "lr-warmup": "sandbox.demos.lr_warmup",
    "fp16-loss-scaling": "sandbox.demos.fp16_loss_scaling",
}


class UnknownDemo(KeyError):
    pass


def get(key: str) -> ModuleType:
    """The demo module for `key` (imported on first use)."""
    try:
        path = DEMOS[key]
    except KeyError:
        raise UnknownDemo(key) from None
    return importlib.import_module(path)


def validated_params(key: str, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed parameters for `key` and messages per bad field (including cross-field checks)."""
    demo = get(key)
    values, errors = validate(demo.PARAMS, raw)
    check = getattr(demo, "check", None)
    if not errors and check is not None:
        errors = check(values)
    return values, errors


def parameter_errors(key: str, raw: Mapping[str, Any]) -> dict[str, str]:
    return validated_params(key, raw)[1]


def describe(key: str) -> dict[str, Any]:
    """A demo's catalogue entry: key, title, description, version and parameter schema (no torch import)."""
    demo = get(key)
    return {
        "key": key,
        "title": dict(demo.TITLE),
        "description": dict(demo.DESCRIPTION),
        "version": demo.VERSION,
        "params": [p.as_schema() for p in demo.PARAMS],
    }


def list_demos() -> list[dict[str, Any]]:
    """The catalogue: every registered demo's `describe`, in registry order."""
    return [describe(key) for key in DEMOS]


def versions() -> dict[str, int]:
    """Every registered demo's current VERSION (imports the demo modules, not torch)."""
    return {key: get(key).VERSION for key in DEMOS}
