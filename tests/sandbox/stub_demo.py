"""A demo that exists only for the runner tests: slow, bulky or broken on request.

Registered per test by the `stub_demo` fixture (tests/sandbox/conftest.py), never
in the real registry.
"""

from __future__ import annotations

import os
import time
from typing import Any

from sandbox.params import Param
from sandbox.result import Chart, DemoResult, Series

VERSION = 1
TITLE = {"ko": "테스트용 데모", "en": "Test stub"}
DESCRIPTION = {"ko": "러너 시험용", "en": "For runner tests"}
PARAMS = (
    Param(name="seconds", kind="float", default=0.0, min=0, max=600,
          label_ko="초", label_en="Seconds",
          help_ko="이만큼 torch 연산을 계속", help_en="Keep torch busy this long"),
    Param(name="payload_kb", kind="int", default=0, min=0, max=10_000,
          label_ko="크기", label_en="Payload",
          help_ko="결과에 붙이는 문자열 크기(kB)", help_en="Size of a string added to the result"),
    Param(name="fail", kind="bool", default=False,
          label_ko="실패", label_en="Fail",
          help_ko="예외를 던짐", help_en="Raise an exception"),
)


def run(params: dict[str, Any], *, seed: int = 0) -> DemoResult:
    import torch

    if params["fail"]:
        raise ValueError("stub demo asked to fail")
    deadline = time.monotonic() + params["seconds"]
    a = torch.ones(256, 256)
    while time.monotonic() < deadline:  # one long stretch of torch ops: no signal can stop this
        a = torch.tanh(a @ a)
    return DemoResult(
        values={"threads": torch.get_num_threads(), "pid": os.getpid(), "payload": "x" * (1000 * params["payload_kb"])},
        charts=[Chart("line", {"ko": "스텁", "en": "stub"}, {"ko": "x", "en": "x"}, {"ko": "y", "en": "y"},
                      [Series("stub series", [0.0, 1.0], [1.0, 2.0])])],
        summary={"ko": "스텁 결과", "en": "stub result"},
    )
