"""The covered decision: a logistic model over features of a ranking, whose weights are data
(search_covered.json beside this module), fitted on the tune half of the independent eval set
by bench/search_fit.py."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

COVERED_MODEL_FILE = Path(__file__).resolve().parent / "search_covered.json"
#: what the model reads of a ranking (see `SearchIndex.features`)
FEATURES = ("log_score", "coverage", "margin", "core_share", "known_share", "unknown_share", "phrase_share",
            "log_terms")


@dataclass(frozen=True)
class CoveredModel:
    """P(covered) = sigmoid(bias + sum of weight * standardized feature); covered when >= threshold."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float = 0.5

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(w * (features[name] - m) / s for name, w, m, s
                            in zip(FEATURES, self.weights, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    @classmethod
    def from_dict(cls, data: dict) -> CoveredModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"covered model was fitted on features {data['features']}, search computes {FEATURES}")
        return cls(weights=tuple(data["weights"]), bias=float(data["bias"]), mean=tuple(data["mean"]),
                   scale=tuple(data["scale"]), threshold=float(data.get("threshold", 0.5)))


@functools.lru_cache(maxsize=8)
def covered_model(korean: str) -> CoveredModel:
    """The committed model for one Korean tokenizer (the file holds one per tokenizer)."""
    models = json.loads(COVERED_MODEL_FILE.read_text(encoding="utf-8"))["models"]
    if korean not in models:
        raise ValueError(f"{COVERED_MODEL_FILE.name} has no model for the {korean!r} tokenizer: "
                         f"run bench/search_fit.py --korean {korean}")
    return CoveredModel.from_dict(models[korean])
