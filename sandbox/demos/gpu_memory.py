"""How much memory does training take? Parameters, gradients, optimizer state, activations.

Parameters, gradients and optimizer state follow from the parameter count and the
dtype (Adam keeps two tensors per parameter, momentum SGD one, plain SGD none).
Activations are what autograd keeps for the backward pass; the layer-by-layer
estimate is checked against the tensors PyTorch actually saves, captured with
`saved_tensors_hooks`, each storage counted once and parameters left out (a naive
sum of the hooked tensors counts shared storages and weights again and again).
Everything runs on the `meta` device: shapes only, so a billion-parameter model is
sized without allocating a byte.
"""

from __future__ import annotations

import math
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 3
TITLE = {"ko": "학습에 필요한 GPU 메모리", "en": "GPU memory needed for training"}
DESCRIPTION = {
    "ko": "파라미터, 그래디언트, 옵티마이저 상태, 역전파용으로 저장되는 활성값을 바이트 단위로 나눕니다. "
    "활성값 추정치는 PyTorch가 실제로 저장하는 텐서(saved_tensors_hooks)와 비교합니다.",
    "en": "Splits training memory into parameters, gradients, optimizer state and the activations saved "
    "for backward, in bytes; the activation estimate is checked against the tensors PyTorch actually saves.",
}
PARAMS = (
    Param(name="model", kind="choice", default="mlp", choices=("mlp", "cnn", "params"),
          label_ko="모델", label_en="Model",
          help_ko="mlp: 784-512-512-10 MLP, cnn: CIFAR 크기 입력의 작은 CNN, params: 파라미터 수만 지정(활성값 제외)",
          help_en="mlp: 784-512-512-10 MLP, cnn: small CNN on CIFAR-sized input, params: a raw parameter count "
                  "(activations not included)"),
    Param(name="width", kind="int", default=1, min=1, max=64,
          label_ko="너비 배수", label_en="Width multiplier",
          help_ko="프리셋 모델의 모든 층 너비(채널 수)에 곱하는 값",
          help_en="Multiplies every layer width (channel count) of the preset"),
    Param(name="param_millions", kind="float", default=1.0, min=0.001, max=1_000_000,
          label_ko="파라미터 수(백만)", label_en="Parameters (millions)",
          help_ko="model=params일 때 쓰는 파라미터 수(백만 단위)", help_en="Parameter count in millions, used when model=params"),
    Param(name="dtype", kind="choice", default="fp32", choices=("fp32", "fp16", "bf16", "amp-fp16", "amp-bf16"),
          label_ko="자료형", label_en="Data type",
          help_ko="fp32 4바이트, fp16/bf16: 모든 것을 2바이트로 학습, amp-fp16/amp-bf16: PyTorch AMP(가중치·그래디언트·옵티마이저는 "
                  "fp32, 활성값과 연산용 가중치 사본은 2바이트)",
          help_en="fp32: 4 bytes; fp16/bf16: everything in 2 bytes; amp-fp16/amp-bf16: PyTorch AMP (weights, gradients and "
                  "optimizer state stay fp32; activations and the low-precision weight copies autocast makes are 2 bytes)"),
    Param(name="batch_size", kind="int", default=64, min=1, max=4096,
          label_ko="배치 크기", label_en="Batch size",
          help_ko="한 스텝의 샘플 수; 활성값 메모리는 이에 비례", help_en="Samples per step; activation memory grows in proportion"),
    Param(name="optimizer", kind="choice", default="adam", choices=("sgd", "sgd-momentum", "adam"),
          label_ko="옵티마이저", label_en="Optimizer",
          help_ko="sgd: 상태 없음, sgd-momentum: 파라미터당 1개, adam: 파라미터당 2개(m, v)",
          help_en="sgd: no state, sgd-momentum: one tensor per parameter, adam: two (m and v)"),
)
ELEMENT_BYTES = {"fp32": 4, "fp16": 2, "bf16": 2}
STATE_PER_PARAM = {"sgd": 0, "sgd-momentum": 1, "adam": 2}
CLASSES = 10
MB = 1_000_000  # decimal megabytes, as interview answers count them


def layers(model: str, width: int) -> tuple[tuple[int, ...], list[tuple]]:
    """Input shape (without batch) and the preset's layers as data."""
    if model == "mlp":
        h = 512 * width
        return (784,), [("linear", 784, h), ("relu",), ("linear", h, h), ("relu",), ("linear", h, CLASSES)]
    c1, c2, h = 32 * width, 64 * width, 128 * width
    return (3, 32, 32), [("conv", 3, c1), ("relu",), ("pool",), ("conv", c1, c2), ("relu",), ("pool",),
                         ("flatten",), ("linear", c2 * 8 * 8, h), ("relu",), ("linear", h, CLASSES)]


def build_model(spec: list[tuple], dtype: Any, device: Any):
    import torch.nn as nn

    make = {"linear": lambda s: nn.Linear(s[1], s[2]), "conv": lambda s: nn.Conv2d(s[1], s[2], 3, padding=1),
            "relu": lambda s: nn.ReLU(), "pool": lambda s: nn.MaxPool2d(2), "flatten": lambda s: nn.Flatten()}
    with device:  # a torch.device is a context manager: modules are created there, meta allocates nothing
        return nn.Sequential(*[make[s[0]](s) for s in spec]).to(dtype)


def estimate_activation_bytes(spec: list[tuple], in_shape: tuple[int, ...], batch: int, elem: int) -> list[tuple]:
    """(layer, output shape, bytes saved) per layer; a tensor already saved is not counted again."""
    rows, shape, already_saved = [], in_shape, False
    for s in spec:
        saved, n_in = 0, batch * math.prod(shape)
        if s[0] in ("linear", "conv"):  # saves its input (for the weight gradient)
            saved = 0 if already_saved else n_in * elem
            shape, already_saved = ((s[2],) if s[0] == "linear" else (s[2],) + shape[1:]), False
        elif s[0] == "relu":  # saves its output, which the next layer saves too: count once
            saved, already_saved = n_in * elem, True
        elif s[0] == "pool":  # saves its input and int64 argmax indices of its output
            shape = (shape[0], shape[1] // 2, shape[2] // 2)
            saved, already_saved = (0 if already_saved else n_in * elem) + batch * math.prod(shape) * 8, False
        elif s[0] == "flatten":  # a view: same storage
            shape = (math.prod(shape),)
        rows.append((s[0], shape, saved))
    # cross-entropy keeps log-probabilities, the int64 targets and a scalar weight sum
    rows.append(("loss", (CLASSES,), batch * CLASSES * elem + batch * 8 + elem))
    return rows


def measure_saved_bytes(model, x, target) -> tuple[int, int]:
    """Bytes autograd saves for backward (each storage once, parameters excluded) and the naive sum."""
    import torch

    def storage_id(t):  # meta storages all report data_ptr 0; their StorageImpl address is unique
        s = t.untyped_storage()
        return s._cdata if s.device.type == "meta" else s.data_ptr()

    params = {storage_id(p) for p in model.parameters()}
    seen, counted, naive = set(), [0], [0]

    def pack(t):
        key, nbytes = storage_id(t), t.untyped_storage().nbytes()
        naive[0] += nbytes
        if key not in params and key not in seen:
            seen.add(key)
            counted[0] += nbytes
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        torch.nn.functional.cross_entropy(model(x), target)
    return counted[0], naive[0]


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    # AMP keeps the model state in fp32 and runs activations in the low-precision type.
    amp = params["dtype"].startswith("amp-")
    low = params["dtype"].removeprefix("amp-")
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[low]
    elem, batch, model_kind = ELEMENT_BYTES[low], params["batch_size"], params["model"]
    state_elem = 4 if amp else elem
    measured = naive = estimated = 0
    layer_rows: list[tuple] = []
    if model_kind == "params":
        n_params = round(params["param_millions"] * 1e6)
    else:
        in_shape, spec = layers(model_kind, params["width"])
        meta = torch.device("meta")
        model = build_model(spec, dtype, meta)
        n_params = sum(p.numel() for p in model.parameters())
        x = torch.empty((batch, *in_shape), dtype=dtype, device=meta)
        measured, naive = measure_saved_bytes(model, x, torch.empty(batch, dtype=torch.long, device=meta))
        layer_rows = estimate_activation_bytes(spec, in_shape, batch, elem)
        estimated = sum(r[2] for r in layer_rows)
    parts = {"parameters": n_params * state_elem, "gradients": n_params * state_elem,
             "optimizer_state": STATE_PER_PARAM[params["optimizer"]] * n_params * state_elem}
    if amp:  # autocast caches a low-precision copy of each weight for the forward and backward matmuls
        parts["autocast_weight_copies"] = n_params * elem
    parts["activations"] = estimated
    total = sum(parts.values())
    error_pct = abs(estimated - measured) / measured * 100 if measured else 0.0
    values = {"param_count": n_params, "bytes_per_element": elem, "state_bytes_per_element": state_elem,
              "amp": amp, "batch_size": batch,
              **{f"bytes.{k}": v for k, v in parts.items() if k != "activations"},
              "bytes.activations_estimated": estimated, "bytes.activations_measured": measured,
              "bytes.activations_naive_sum": naive, "activation_error_pct": error_pct, "bytes.total": total,
              **{f"mb.{k}": v / MB for k, v in parts.items()}, "mb.total": total / MB, "gb.total": total / 1e9,
              "activations_included": model_kind != "params"}
    names = {"parameters": {"ko": "파라미터", "en": "parameters"}, "gradients": {"ko": "그래디언트", "en": "gradients"},
             "optimizer_state": {"ko": "옵티마이저 상태", "en": "optimizer state"},
             "autocast_weight_copies": {"ko": "autocast 가중치 사본", "en": "autocast weight copies"},
             "activations": {"ko": "활성값", "en": "activations"}}
    # One bar series named by its x ticks (no legend repeating them); a space becomes a line
    # break so that five names fit under the bars of a narrow chart.
    ticks = {lang: [names[k][lang].replace(" ", "\n") for k in parts] for lang in ("ko", "en")}
    charts = [Chart("bar", {"ko": "학습 메모리 구성 (MB)", "en": "Training memory breakdown (MB)"},
                    {"ko": "구성 요소", "en": "component"}, {"ko": "MB (10⁶ 바이트)", "en": "MB (10⁶ bytes)"},
                    [Series("", [float(i) for i in range(len(parts))], [v / MB for v in parts.values()])],
                    x_ticks=ticks)]
    if model_kind != "params":
        sizes = sorted({max(1, round(batch * k / 4)) for k in range(1, 9)})
        fixed = (total - estimated) / MB
        act = [sum(r[2] for r in estimate_activation_bytes(spec, in_shape, b, elem)) / MB for b in sizes]
        charts.append(Chart("line", {"ko": "배치 크기에 따른 메모리", "en": "Memory vs batch size"},
                            {"ko": "배치 크기", "en": "batch size"}, {"ko": "MB", "en": "MB"},
                            [Series({"ko": "파라미터+그래디언트+옵티마이저", "en": "parameters+gradients+optimizer"},
                                    sizes, [fixed] * len(sizes)),
                             Series({"ko": "합계", "en": "total"}, sizes, [fixed + a for a in act])]))
    tables = {"breakdown": Table([{"ko": "구성 요소", "en": "component"}, {"ko": "바이트", "en": "bytes"}, "MB",
                                  {"ko": "비율 %", "en": "share %"}],
                                 [[names[k]["en"], v, v / MB, 100 * v / total if total else 0.0]
                                  for k, v in parts.items()])}
    if layer_rows:
        tables["activations"] = Table([{"ko": "층", "en": "layer"},
                                       {"ko": "출력 모양(샘플당)", "en": "output shape (per sample)"},
                                       {"ko": "역전파용 저장 바이트", "en": "bytes saved for backward"}],
                                      [[kind, "×".join(map(str, shape)), saved] for kind, shape, saved in layer_rows])
    state_ko = {"sgd": "상태가 없고", "sgd-momentum": "파라미터와 같은 크기의 모멘텀을 두고", "adam": "파라미터의 2배(m, v)를 두고"}
    state_en = {"sgd": "keeps no state", "sgd-momentum": "keeps a momentum buffer the size of the parameters",
                "adam": "keeps twice the parameters (m and v)"}
    act_ko = (f" 활성값 추정 {estimated / MB:.2f} MB는 PyTorch가 실제로 저장한 {measured / MB:.2f} MB와 "
              f"{error_pct:.1f}% 차이입니다." if measured else " 활성값은 구조를 알아야 하므로 빠져 있습니다.")
    act_en = (f" The activation estimate, {estimated / MB:.2f} MB, is within {error_pct:.1f}% of the "
              f"{measured / MB:.2f} MB PyTorch actually saves." if measured else
              " Activations depend on the architecture and are not included.")
    summary = {
        "ko": f"{n_params:,}개 파라미터({params['dtype']})는 {parts['parameters'] / MB:.2f} MB, 그래디언트도 같은 크기이며 "
              f"옵티마이저({params['optimizer']})는 {state_ko[params['optimizer']]}, 합계 {total / MB:.2f} MB입니다.{act_ko}",
        "en": f"{n_params:,} parameters in {params['dtype']} take {parts['parameters'] / MB:.2f} MB, gradients as much, "
              f"{params['optimizer']} {state_en[params['optimizer']]}: {total / MB:.2f} MB in all.{act_en}",
    }
    return DemoResult(values=values, charts=charts, tables=tables, summary=summary)
