"""CNN output shapes and parameter counts: by formula, checked against torch.nn.

Conv: out = floor((n + 2p - k) / s) + 1 and k*k*c_in*c_out + c_out parameters;
pooling keeps the channels, has no parameters; a fully connected layer has
in*out + out. Every number is then checked against real `torch.nn` modules: the
shapes from a forward pass on the `meta` device (no memory, so VGG-16 is as quick
as LeNet), the counts from `numel()`.
"""

from __future__ import annotations

from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series, Table

VERSION = 2
TITLE = {"ko": "CNN 출력 크기와 파라미터 수", "en": "CNN output shapes and parameter counts"}
DESCRIPTION = {
    "ko": "층마다 출력 크기 ⌊(n+2p−k)/s⌋+1과 파라미터 수 k²·C_in·C_out+C_out을 공식으로 계산하고, "
    "실제 torch.nn 모듈의 순전파 결과와 numel()로 확인합니다.",
    "en": "Computes each layer's output size floor((n+2p-k)/s)+1 and parameter count k²·C_in·C_out+C_out by "
    "formula and checks them against real torch.nn modules (forward pass and numel()).",
}
PARAMS = (
    Param(name="preset", kind="choice", default="custom", choices=("custom", "lenet-5", "alexnet", "vgg-16"),
          label_ko="구조", label_en="Architecture",
          help_ko="custom은 아래 값으로 쌓은 구조, 나머지는 고전 구조(나머지 값은 무시)",
          help_en="custom builds a stack from the values below; the others are classic networks (which ignore them)"),
    Param(name="input_size", kind="int", default=32, min=4, max=512,
          label_ko="입력 크기", label_en="Input size",
          help_ko="정사각형 입력의 한 변(픽셀)", help_en="Side of the square input (pixels)"),
    Param(name="in_channels", kind="int", default=3, min=1, max=16,
          label_ko="입력 채널", label_en="Input channels",
          help_ko="흑백 1, RGB 3", help_en="1 for grayscale, 3 for RGB"),
    Param(name="channels", kind="int", default=16, min=1, max=256,
          label_ko="첫 채널 수", label_en="First channels",
          help_ko="첫 합성곱의 필터 수; 블록마다 2배", help_en="Filters in the first conv; doubles every block"),
    Param(name="kernel", kind="int", default=3, min=1, max=11,
          label_ko="커널 크기", label_en="Kernel size",
          help_ko="합성곱 필터의 한 변", help_en="Side of the conv filter"),
    Param(name="stride", kind="int", default=1, min=1, max=4,
          label_ko="스트라이드", label_en="Stride",
          help_ko="합성곱 필터의 이동 간격", help_en="Step of the conv filter"),
    Param(name="padding", kind="int", default=1, min=0, max=5,
          label_ko="패딩", label_en="Padding",
          help_ko="합성곱 입력 둘레에 붙이는 0의 폭", help_en="Zeros added around the conv input"),
    Param(name="blocks", kind="int", default=2, min=1, max=6,
          label_ko="블록 수", label_en="Blocks",
          help_ko="합성곱+풀링 블록의 수", help_en="Number of conv + pool blocks"),
    Param(name="pool", kind="int", default=2, min=1, max=4,
          label_ko="풀링 크기", label_en="Pool size",
          help_ko="최대 풀링의 창 크기=스트라이드 (1이면 풀링 없음)", help_en="Max-pool window and stride (1 means no pooling)"),
    Param(name="fc_width", kind="int", default=64, min=0, max=4096,
          label_ko="완전연결 너비", label_en="FC width",
          help_ko="은닉 완전연결층의 뉴런 수 (0이면 없음)", help_en="Units of the hidden fully connected layer (0 for none)"),
    Param(name="classes", kind="int", default=10, min=1, max=1000,
          label_ko="클래스 수", label_en="Classes",
          help_ko="출력층의 뉴런 수", help_en="Units of the output layer"),
)
_VGG16 = [64, 64, "P", 128, 128, "P", 256, 256, 256, "P", 512, 512, 512, "P", 512, 512, 512, "P"]


def layers(p: dict[str, Any]) -> tuple[tuple[int, int], list[tuple]]:
    """(input channels, input side) and layers as ("conv", c_out, k, s, pad) / ("pool", k, s) / ("fc", out)."""
    if p["preset"] == "lenet-5":
        return (1, 32), [("conv", 6, 5, 1, 0), ("pool", 2, 2), ("conv", 16, 5, 1, 0), ("pool", 2, 2),
                         ("fc", 120), ("fc", 84), ("fc", 10)]
    if p["preset"] == "alexnet":  # the 2012 paper's layer sizes, one GPU (no channel groups)
        return (3, 227), [("conv", 96, 11, 4, 0), ("pool", 3, 2), ("conv", 256, 5, 1, 2), ("pool", 3, 2),
                          ("conv", 384, 3, 1, 1), ("conv", 384, 3, 1, 1), ("conv", 256, 3, 1, 1), ("pool", 3, 2),
                          ("fc", 4096), ("fc", 4096), ("fc", 1000)]
    if p["preset"] == "vgg-16":
        convs = [("pool", 2, 2) if c == "P" else ("conv", c, 3, 1, 1) for c in _VGG16]
        return (3, 224), convs + [("fc", 4096), ("fc", 4096), ("fc", 1000)]
    stack: list[tuple] = []
    for b in range(p["blocks"]):
        stack.append(("conv", p["channels"] * 2**b, p["kernel"], p["stride"], p["padding"]))
        if p["pool"] > 1:
            stack.append(("pool", p["pool"], p["pool"]))
    fc = [("fc", p["fc_width"])] if p["fc_width"] else []
    return (p["in_channels"], p["input_size"]), stack + fc + [("fc", p["classes"])]


def by_formula(inp: tuple[int, int], stack: list[tuple]) -> list[dict[str, Any]]:
    """Name, output shape (C, H, W) or (features,), parameter count and the size formula, per layer."""
    (c, n), rows, counts, features = inp, [], {"conv": 0, "pool": 0, "fc": 0}, None
    for layer in stack:
        kind = layer[0]
        counts[kind] += 1
        name = f"{kind}{counts[kind]}"
        if kind == "conv":
            _, c_out, k, s, pad = layer
            out = (n + 2 * pad - k) // s + 1
            rows.append(dict(name=name, shape=(c_out, out, out), params=k * k * c * c_out + c_out,
                             formula=f"⌊({n}+2·{pad}−{k})/{s}⌋+1 = {out}"))
            c, n = c_out, out
        elif kind == "pool":
            _, k, s = layer
            out = (n - k) // s + 1
            rows.append(dict(name=name, shape=(c, out, out), params=0, formula=f"⌊({n}−{k})/{s}⌋+1 = {out}"))
            n = out
        else:
            fan_in = features if features is not None else c * n * n
            rows.append(dict(name=name, shape=(layer[1],), params=fan_in * layer[1] + layer[1],
                             formula=f"{fan_in}·{layer[1]}+{layer[1]}"))
            features = layer[1]
    return rows


def check(values: dict[str, Any]) -> dict[str, str]:
    if values["preset"] != "custom":
        return {}
    for row in by_formula(*layers(values)):
        if row["shape"][-1] < 1:
            return {"blocks": f"the feature map shrinks to nothing at {row['name']} ({row['formula']}); "
                              "use fewer blocks, a larger input, more padding or a smaller stride/pool"}
    return {}


def by_torch(inp: tuple[int, int], stack: list[tuple]) -> list[tuple[tuple[int, ...], int]]:
    """(output shape, parameter count) per layer from real modules on the meta device."""
    import torch
    import torch.nn as nn

    meta = torch.device("meta")
    x = torch.empty(1, inp[0], inp[1], inp[1], device=meta)
    out = []
    for layer in stack:
        if layer[0] == "conv":
            module = nn.Conv2d(x.shape[1], layer[1], layer[2], layer[3], layer[4], device=meta)
        elif layer[0] == "pool":
            module = nn.MaxPool2d(layer[1], layer[2])
        else:
            x = x.flatten(1)
            module = nn.Linear(x.shape[1], layer[1], device=meta)
        x = module(x)
        out.append((tuple(x.shape[1:]), sum(t.numel() for t in module.parameters())))
    return out


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    inp, stack = layers(params)
    rows, real = by_formula(inp, stack), by_torch(inp, stack)
    total = sum(r["params"] for r in rows)
    fc_total = sum(r["params"] for r in rows if r["name"].startswith("fc"))
    shapes_ok = all(r["shape"] == t[0] for r, t in zip(rows, real))
    params_ok = all(r["params"] == t[1] for r, t in zip(rows, real))
    values: dict[str, Any] = {}
    for r in rows:
        values[f"output_size.{r['name']}"] = r["shape"][-1]
        values[f"output_shape.{r['name']}"] = "×".join(map(str, r["shape"]))
        values[f"params.{r['name']}"] = r["params"]
    values.update({
        "input_shape": f"{inp[0]}×{inp[1]}×{inp[1]}", "params.total": total,
        "params.total_torch": sum(t[1] for t in real), "params.conv_total": total - fc_total,
        "params.fc_total": fc_total, "fc_share_pct": 100 * fc_total / total, "layers": len(rows),
        "shapes_match": shapes_ok, "params_match": params_ok,
    })
    idx = [float(i + 1) for i in range(len(rows))]
    spatial = [(i, r["shape"][-1]) for i, r in zip(idx, rows) if len(r["shape"]) == 3]
    charts = [
        Chart("bar", {"ko": "층별 파라미터 수", "en": "Parameters per layer"}, {"ko": "층 번호", "en": "layer"},
              {"ko": "파라미터 수", "en": "parameters"}, [Series({"ko": "파라미터", "en": "parameters"}, idx, [r["params"] for r in rows])],
              log_y=True),
        Chart("line", {"ko": "특성 맵 크기", "en": "Feature map size"}, {"ko": "층 번호", "en": "layer"},
              {"ko": "한 변 (픽셀)", "en": "side (pixels)"},
              [Series({"ko": "출력 크기", "en": "output size"}, [i for i, _ in spatial], [s for _, s in spatial])]),
    ]
    table = Table([{"ko": "층", "en": "layer"}, {"ko": "크기 공식", "en": "size formula"},
                   {"ko": "출력 (공식)", "en": "output (formula)"}, {"ko": "출력 (torch)", "en": "output (torch)"},
                   {"ko": "파라미터 (공식)", "en": "params (formula)"}, {"ko": "파라미터 (torch)", "en": "params (torch)"}],
                  [[r["name"], r["formula"], values[f"output_shape.{r['name']}"], "×".join(map(str, t[0])),
                    r["params"], t[1]] for r, t in zip(rows, real)])
    first, last = rows[0], rows[-1]
    ok_ko = "모두 일치합니다" if shapes_ok and params_ok else "일치하지 않는 층이 있습니다"
    ok_en = "all match" if shapes_ok and params_ok else "some layers do not match"
    summary = {
        "ko": f"입력 {values['input_shape']}에서 {first['name']}의 출력은 {values['output_shape.' + first['name']]}, "
              f"전체 파라미터는 {total:,}개이며 그중 완전연결층이 {values['fc_share_pct']:.0f}%입니다. "
              f"공식과 torch.nn의 출력 크기·파라미터 수가 {ok_ko}.",
        "en": f"From a {values['input_shape']} input, {first['name']} outputs {values['output_shape.' + first['name']]}; "
              f"the network has {total:,} parameters, {values['fc_share_pct']:.0f}% of them in fully connected layers "
              f"(output {last['name']}). Formula and torch.nn shapes and counts: {ok_en}.",
    }
    return DemoResult(values=values, charts=charts, tables={"layers": table}, summary=summary)
