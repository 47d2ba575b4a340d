"""Every demo's parameter space lies inside the one bench/demo_bounds.py validated against the CPU budget.

A learner may run a demo at any values its PARAMS allow, and a run is killed after
SANDBOX_TIMEOUT_S = 10 s on a busy 2-core machine. bench/demo_bounds.py runs each demo at its
worst case (every numeric parameter at its costly bound, every choice/bool combination) on one
thread and checks it finishes within 2.5 s there (3-4x headroom for load). On 2 Dec 2026, with a
load average of 7-11 on the 2 cores, all 26 passed at the bounds below; the slowest were
initialization 1.96 s, optimizers 1.57 s, relu-vs-sigmoid-training 1.53 s, minibatch 1.34 s and
overfitting 1.31 s (before: overfitting 3.0 s, leakage 3.5 s, relu-vs-sigmoid 4.9 s, initialization 2.6 s).

Time is not asserted here (it depends on the machine); what is asserted is that no demo lets a
learner ask for more than was measured: each numeric range within the validated one, each set of
choices within the validated set, and no demo or parameter that the bench has not seen. Widening a
bound, or adding a demo or a parameter, means running the bench and updating VALIDATED.
"""

import pytest

from sandbox import registry

# (min, max) per numeric parameter, the allowed values per choice/bool parameter, as benched.
VALIDATED = {
    "linear-collapse": {"depth": (2, 12), "width": (2, 64), "samples": (16, 2048)},
    "activations": {"x_min": (-20.0, 20.0), "x_max": (-20.0, 20.0), "points": (21, 201), "point": (-20.0, 20.0),
        "leaky_alpha": (0.0, 1.0), "elu_alpha": (0.01, 5.0), "swish_beta": (0.1, 10.0), "threshold": (0.0001, 0.2)},
    "vanishing-gradients": {"depth": (2, 30), "width": (4, 128), "activation": ("sigmoid", "tanh", "relu"),
        "init": ("xavier", "he", "default", "small-normal"), "batch": (8, 256)},
    "dying-relu": {"learning_rate": (0.0001, 100.0), "bias_shift": (-5.0, 5.0), "hidden": (8, 256),
        "batch": (16, 512), "leaky_alpha": (0.001, 0.5)},
    "initialization": {"depth": (2, 30), "width": (16, 512), "activation": ("tanh", "relu"),
        "constant": (-2.0, 2.0), "steps": (1, 200)},
    "perceptron": {"epochs": (1, 1000), "perceptron_lr": (0.01, 10.0), "learning_rate": (0.001, 1.0),
        "hidden": (2, 16)},
    "loss-functions": {"outlier": (-100.0, 100.0), "samples": (3, 200), "true_class": (0, 3),
        "logit_scale": (0.0, 10.0), "bce_logit": (-20.0, 20.0), "bce_target": (0.0, 1.0)},
    "relu-vs-sigmoid-training": {"steps": (10, 200), "hidden_layers": (1, 8), "width": (4, 48),
        "learning_rate": (0.0001, 1.0), "optimizer": ("sgd-momentum", "adam"), "samples": (32, 256)},
    "gpu-memory": {"model": ("mlp", "cnn", "params"), "width": (1, 64), "param_millions": (0.001, 1000000.0),
        "dtype": ("fp32", "fp16", "bf16", "amp-fp16", "amp-bf16"), "batch_size": (1, 4096),
        "optimizer": ("sgd", "sgd-momentum", "adam")},
    "cnn-shapes": {"preset": ("custom", "lenet-5", "alexnet", "vgg-16"), "input_size": (4, 512),
        "in_channels": (1, 16), "channels": (1, 256), "kernel": (1, 11), "stride": (1, 4), "padding": (0, 5),
        "blocks": (1, 6), "pool": (1, 4), "fc_width": (0, 4096), "classes": (1, 1000)},
    "rnn-gradients": {"seq_len": (5, 200), "hidden": (4, 128), "input_size": (1, 32), "gate_bias": (-3.0, 5.0)},
    "backprop": {"x1": (-5.0, 5.0), "x2": (-5.0, 5.0), "y": (-5.0, 5.0), "output": ("linear", "sigmoid"),
        "weight_scale": (0.01, 3.0), "lr": (0.0, 5.0), "steps": (1, 200)},
    "learning-rate": {"learning_rate": (0.0001, 40.0), "curvature": (0.1, 10.0), "steps": (1, 200),
        "start": (0.1, 100.0)},
    "minibatch": {"samples": (10, 1000), "batch_size": (1, 999), "epochs": (1, 50), "learning_rate": (0.001, 0.1)},
    "optimizers": {"surface": ("elongated", "rosenbrock"), "steps": (1, 1000), "lr_sgd": (1e-06, 10.0),
        "lr_momentum": (1e-06, 10.0), "lr_adagrad": (1e-06, 10.0), "lr_rmsprop": (1e-06, 10.0),
        "lr_adam": (1e-06, 10.0), "tolerance": (1e-12, 1.0)},
    "overfitting": {"samples": (10, 200), "noise": (0.0, 2.0), "max_degree": (2, 20), "width": (10, 200),
        "epochs": (10, 500)},
    "leakage": {"samples": (20, 400), "features": (10, 4000), "top_k": (1, 200), "folds": (2, 20),
        "models": (2, 500)},
    "cross-validation": {"samples": (20, 300), "folds": (2, 20), "repeats": (10, 1000),
        "test_fraction": (0.1, 0.5), "separation": (0.0, 4.0)},
    "dropout": {"p": (0.05, 0.9), "units": (16, 2048), "masks": (10, 4000)},
    "l1-vs-l2": {"lam": (0.0001, 2.0), "features": (2, 100), "informative": (1, 100), "samples": (10, 2000),
        "noise": (0.0, 5.0), "steps": (10, 2000)},
    "batch-norm": {"batch": (2, 512), "momentum": (0.001, 1.0), "steps": (1, 2000), "mean": (-10.0, 10.0),
        "std": (0.1, 10.0)},
    "classification-threshold": {"positive_rate": (0.01, 0.5), "separation": (0.0, 5.0), "samples": (100, 20000),
        "threshold": (0.01, 0.99)},
    "attention-scaling": {"d": (1, 4096), "keys": (2, 512), "queries": (1, 512)},
    "residual-gradient-flow": {"depth": (2, 100), "width": (4, 128), "activation": ("sigmoid", "tanh", "relu"),
        "init": ("xavier", "he", "default"), "batch": (8, 128)},
    "lr-warmup": {"learning_rate": (0.0001, 0.5), "warmup_steps": (1, 600), "steps": (10, 600), "width": (4, 64)},
    "fp16-loss-scaling": {"grad_log10_mean": (-12.0, 0.0), "grad_log10_std": (0.1, 4.0),
        "loss_scale_log2": (0, 40), "count": (100, 200000)},
}


def test_every_registered_demo_was_benched_at_its_bounds():
    assert set(registry.DEMOS) == set(VALIDATED)


@pytest.mark.parametrize("key", list(registry.DEMOS))
def test_no_parameter_reaches_beyond_what_the_bench_validated(key):
    params = registry.get(key).PARAMS
    validated = VALIDATED[key]
    assert [p.name for p in params] == list(validated), "a parameter the bench has not seen"
    for p in params:
        if p.kind in ("int", "float"):
            low, high = validated[p.name]
            assert p.min is not None and p.max is not None, f"{key}.{p.name} is unbounded"
            assert low <= p.min <= p.max <= high, f"{key}.{p.name} is [{p.min}, {p.max}], benched [{low}, {high}]"
        else:
            allowed = p.choices if p.kind == "choice" else (False, True)
            assert set(allowed) <= set(validated[p.name]), f"{key}.{p.name} allows {allowed}"


def test_the_heaviest_demos_keep_the_bounds_that_brought_them_within_budget():
    """The four demos that were over budget at their old bounds (3.0-6.5 s) refuse those values now."""
    old_maxima = {"overfitting": {"epochs": 1000}, "leakage": {"features": 5000, "models": 1000},
                  "relu-vs-sigmoid-training": {"steps": 400, "hidden_layers": 10, "width": 64},
                  "initialization": {"steps": 500}}
    for key, raw in old_maxima.items():
        assert set(registry.parameter_errors(key, raw)) == set(raw), key
