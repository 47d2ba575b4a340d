"""English words that must not appear in Korean text, outside technical terms.

Shared by the demo-text tests and the browser page checks: a word of two or more Latin
letters is a leak unless it is on the allow-list below (names of methods, libraries,
units, and symbols an interview uses as they are).
"""

from __future__ import annotations

import re

TECHNICAL = {
    # activations, layers, models
    "relu", "leaky", "elu", "gelu", "selu", "swish", "maxout", "sigmoid", "tanh", "softmax", "softplus", "mlp", "cnn",
    "rnn", "lstm", "gru", "gan", "rbm", "mcp", "conv", "pool", "pooling", "linear", "flatten", "dropout", "batchnorm",
    "resnet", "transformer", "attention", "xor", "and", "or",
    # initialisation, optimisation, losses
    "xavier", "glorot", "he", "sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw", "nesterov", "lr", "fsrs",
    "mse", "mae", "bce", "ce", "nll", "logit", "logits", "kl", "argmin", "argmax", "rosenbrock", "loocv", "auc",
    "roc", "pr", "k-fold", "fold", "hold-out", "holdout", "epoch", "batch", "mini-batch",
    # frameworks, hardware, data types
    "pytorch", "torch", "tensorflow", "keras", "jax", "numpy", "autograd", "gpu", "cpu", "tpu", "cuda", "amp",
    "fp", "fp32", "fp16", "bf16", "bf", "int8", "int64", "float32", "float64", "dtype", "meta", "autocast",
    "saved_tensors_hooks", "nn", "optim", "api", "id", "svg", "csv", "json", "anki", "htmx", "katex",
    "mnist", "cifar", "imagenet", "tf", "sklearn", "scikit",
    # units and symbols
    "mb", "gb", "kb", "tb", "ms", "min", "eps", "max", "exp", "log", "ln", "sqrt", "std", "var", "mean",
    "grad", "dx", "dy", "dw", "db", "sum", "abs", "sign", "true", "false", "params", "param", "tol",
    # product names
    "dl", "interview", "prep", "vs", "huber", "rms", "sin", "cos", "mlp",
    # keys
    "space", "enter",
    # terms Korean ML writing keeps in English (seen in the shipped cards)
    "one-shot", "few-shot", "learning", "network", "siamese", "prototypical", "dying", "feedforward", "affine",
    "rank", "capacity", "stride", "dilated", "convolution", "residual", "shape", "cross-entropy", "crossentropy",
    "categorical", "sparse", "cross", "entropy", "leave-one-out", "c_in", "c_out", "numel", "gap", "rgb", "vgg",
    "lenet", "alexnet", "fc", "nand", "not", "nor", "gib", "mib", "kib", "kv", "llm", "zero", "cublas", "cudnn",
    "flop", "flops", "hbm", "nvidia", "volta", "layernorm", "nan", "inf", "mcculloch", "pitts", "rosenblatt",
    "prelu", "silu", "kaiming", "xgboost", "lightgbm", "nats", "average", "fit", "transform", "scikit-learn",
    "pipeline", "gridsearchcv",
    # names of models, methods, APIs and people in the cards merged from main (December)
    "bert", "gpt", "llama", "yolo", "swiglu", "efficientnet", "densenet", "word2vec", "skip-gram", "rope", "vae",
    "bptt", "svm", "map", "lasso", "ridge", "elastic", "net", "bn", "batchnorm1d", "groupnorm", "syncbn",
    "syncbatchnorm", "eval", "running_var", "running_mean", "tp", "tn", "fp", "fn", "tpr", "fpr", "confusion_matrix",
    "macro", "micro", "lecun", "ampere", "micikevicius", "veit", "all-reduce", "one-cycle", "pre-ln", "post-ln",
    "pre-activation", "minimax", "gradscaler",  # torch.cuda.amp.GradScaler, a class name
    # English terms the December cards use unglossed in Korean text; each could be written in Korean
    # (listed for the content authors): weight decay, hinge / focal / contrastive / triplet loss,
    # cosine annealing, step decay, patience, master weights, underflow, unscale, shortcut, projection,
    # plain network, proximal gradient, inductive bias, Group Normalization, running statistics, Error
    "weight", "decay", "hinge", "focal", "contrastive", "triplet", "loss", "cosine", "annealing", "step",
    "patience", "master", "weights", "underflow", "unscale", "shortcut", "projection", "plain", "proximal",
    "gradient", "inductive", "bias", "group", "normalization", "running", "error",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*[A-Za-z0-9]")


# "경사 하강법(Gradient Descent)", "ReLU(Rectified Linear Unit)": Korean technical writing glosses a
# term with its English name in parentheses; a gloss (no Hangul inside) right after a word is not a leak.
_GLOSS = re.compile(r"(?<=\w)\s?\([^()\uac00-\ud7a3]*\)")


def english_words(text: str, allowed: set[str] = TECHNICAL) -> list[str]:
    """The Latin-letter words of `text` that are not technical terms (single letters are symbols: x, y, W)."""
    text = _GLOSS.sub(" ", text)
    out = []
    for word in _WORD.findall(text):
        parts = [p.rstrip("0123456789") or p for p in re.split(r"[-_]", word.lower()) if p]  # conv1, log10
        if word.lower() in allowed or all(p in allowed or len(p) == 1 or p.isdigit() for p in parts):
            continue
        if re.fullmatch(r"[a-z]?\d+[a-z]?\d*", word.lower()):  # x1, 3d, w2
            continue
        out.append(word)
    return out
