"""Compare the gpu-memory demo's numbers with what CUDA actually allocates for a training step.

    .venv/bin/python bench/gpu_memory_cuda.py

For each configuration: build the demo's model on the GPU, take one warm-up step
(creates the optimizer state and cuBLAS/cuDNN workspaces), then measure a second
step's peak with `torch.cuda.max_memory_allocated()`. Gradients are kept between
steps (`zero_grad(set_to_none=False)`) so that parameters, gradients, optimizer
state and activations are all resident at once, which is what the demo adds up.
Also prints the activation part: peak minus what was allocated before the
forward pass, against the demo's activation estimate. On a machine without CUDA
it says so and exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CONFIGS = [
    {"model": "mlp", "dtype": "fp32", "batch_size": 64, "optimizer": "adam"},
    {"model": "mlp", "width": 8, "dtype": "fp32", "batch_size": 1024, "optimizer": "adam"},
    {"model": "mlp", "width": 8, "dtype": "fp16", "batch_size": 1024, "optimizer": "sgd-momentum"},
    {"model": "cnn", "dtype": "fp32", "batch_size": 256, "optimizer": "adam"},
    {"model": "cnn", "width": 4, "dtype": "bf16", "batch_size": 512, "optimizer": "sgd"},
    {"model": "cnn", "width": 8, "dtype": "fp32", "batch_size": 256, "optimizer": "adam"},
]
MB = 1e6


def measure(config: dict, torch) -> dict:
    from sandbox import registry
    from sandbox.demos import gpu_memory

    params, errors = registry.validated_params("gpu-memory", config)
    assert not errors, errors
    values = gpu_memory.run(params).values
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[params["dtype"]]
    in_shape, spec = gpu_memory.layers(params["model"], params["width"])
    device = torch.device("cuda")
    model = gpu_memory.build_model(spec, dtype, device)
    optimizer = {
        "sgd": lambda p: torch.optim.SGD(p, lr=1e-3),
        "sgd-momentum": lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9),
        "adam": lambda p: torch.optim.Adam(p, lr=1e-3, foreach=False),  # foreach keeps temporary copies
    }[params["optimizer"]](model.parameters())
    batch = params["batch_size"]
    gen = torch.Generator(device=device).manual_seed(0)
    x = torch.randn((batch, *in_shape), generator=gen, device=device, dtype=dtype)
    y = torch.randint(0, gpu_memory.CLASSES, (batch,), generator=gen, device=device)

    def step():
        optimizer.zero_grad(set_to_none=False)
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()

    step()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    before = torch.cuda.memory_allocated()  # parameters + gradients + state + input batch + workspaces
    step()
    torch.cuda.synchronize()
    peak = torch.cuda.max_memory_allocated()
    state = values["bytes.parameters"] + values["bytes.gradients"] + values["bytes.optimizer_state"]
    del model, optimizer, x, y
    torch.cuda.empty_cache()
    input_bytes = batch * int(torch.tensor(in_shape).prod()) * gpu_memory.ELEMENT_BYTES[params["dtype"]]
    return {
        "calc_total": values["bytes.total"],
        "peak": peak,
        "calc_acts": values["bytes.activations_estimated"],
        # the input batch is allocated before the step, yet the demo counts it among saved activations
        "acts_seen": peak - before + input_bytes,
        "other": before - state - input_bytes,  # workspaces and allocator rounding
    }


def main() -> int:
    import torch

    if not torch.cuda.is_available():
        print(f"CUDA is absent (torch {torch.__version__}); nothing to compare.")
        return 0
    print(f"{torch.cuda.get_device_name()}, torch {torch.__version__}")
    header = (f"{'configuration':52} {'calc total MB':>13} {'peak MB':>9} {'peak/calc':>9} "
              f"{'calc act MB':>11} {'seen act MB':>11} {'other MB':>9}")
    print(header)
    print("-" * len(header))
    for config in CONFIGS:
        r = measure(config, torch)
        label = " ".join(f"{k}={v}" for k, v in config.items())
        print(f"{label:52} {r['calc_total'] / MB:13.1f} {r['peak'] / MB:9.1f} {r['peak'] / r['calc_total']:9.3f} "
              f"{r['calc_acts'] / MB:11.1f} {r['acts_seen'] / MB:11.1f} {r['other'] / MB:9.1f}")
    print("peak: torch.cuda.max_memory_allocated() during a second training step. seen act: peak minus what was\n"
          "allocated before it, plus the input batch; it also holds backward's temporaries (activation gradients).\n"
          "other: allocated before the step beyond parameters, gradients, optimizer state and input (workspaces).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
