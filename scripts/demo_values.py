#!/usr/bin/env python
"""Print a demo's parameters and the values its result offers for quoting in content.

    .venv/bin/python scripts/demo_values.py                      # list demos
    .venv/bin/python scripts/demo_values.py vanishing-gradients '{"depth": 10}'
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from concepts.quoting import format_value  # noqa: E402
from sandbox import registry, runner  # noqa: E402

settings.SANDBOX_IN_PROCESS = True
if len(sys.argv) < 2:
    for key in registry.DEMOS:
        print(key, "-", registry.get(key).TITLE["en"])
    sys.exit()
key = sys.argv[1]
params = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
demo = registry.get(key)
print("parameters:")
for p in demo.PARAMS:
    print(f"  {p.name} ({p.kind}) default={p.default!r} min={p.min} max={p.max} choices={list(p.choices)} - {p.label_en}")
outcome = runner.run_demo(key, params, lang="en")
print("summary:", outcome.summary)
print("values (quote as [[name]] or [[name:.3g]]):")
for name, value in outcome.values.items():
    print(f"  [[{name}]] = {format_value(value)}")
