"""Speed of one assessment against the whole knowledge base.

Reports medians over repeated batches, and the ratio of assessing to validating the same profile
alone, both measured in this process. Targets (issue 2): median under 200 us, ratio under 5.

    .venv/bin/python benchmarks/bench_assess.py [--rounds 200] [--batch 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from corneum.assessment import assess, validate_profile
from corneum.knowledge import default_knowledge_base

TYPICAL: dict[str, Any] = {
    "age": 29,
    "skin_type": "oily",
    "fitzpatrick": 3,
    "area": "back",
    "concerns": ["blackheads"],
    "conditions": ["psoriasis"],
    "medications": [],
}
HEAVY: dict[str, Any] = {
    "age": 34,
    "skin_type": "combination",
    "fitzpatrick": 4,
    "area": "back",
    "concerns": ["blackheads", "excess_sebum", "enlarged_pores", "post_acne_scars"],
    "conditions": [
        "rosacea",
        "herpes_history",
        "sunburn",
        {"code": "psoriasis", "in_treated_area": False},
    ],
    "medications": [{"code": "isotretinoin", "last_taken": "2026-08-01"}, "anticoagulant"],
    "allergies": ["latex_allergy"],
}


def median_us(action: Callable[[], object], rounds: int, batch: int) -> float:
    """Median time of one call in microseconds, over ``rounds`` batches of ``batch`` calls."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(batch):
            action()
        samples.append((time.perf_counter_ns() - start) / batch / 1000)
    return statistics.median(samples)


def measure(name: str, data: dict[str, Any], rounds: int, batch: int) -> dict[str, float]:
    kb = default_knowledge_base()
    profile = validate_profile(data, kb)
    on = date(2026, 11, 23)
    for _ in range(1000):  # warm caches before measuring either side
        validate_profile(data, kb)
        assess(profile, kb, assessed_on=on)
    validate = median_us(lambda: validate_profile(data, kb), rounds, batch)
    run = median_us(lambda: assess(profile, kb, assessed_on=on), rounds, batch)
    both = median_us(lambda: assess(validate_profile(data, kb), kb, assessed_on=on), rounds, batch)
    ratio = run / validate
    print(f"{name} profile, {len(kb.procedures)} procedures")
    print(f"  validate profile alone    median {validate:7.1f} us  (baseline)")
    print(f"  assess validated profile  median {run:7.1f} us  ratio {ratio:5.2f}x")
    print(f"  validate + assess         median {both:7.1f} us  ratio {both / validate:5.2f}x")
    verdict = "met" if run < 200 and ratio < 5 else "MISSED"
    print(f"  target (assess < 200 us and < 5x validation): {verdict}")
    return {
        "validate_us": validate,
        "assess_us": run,
        "ratio": ratio,
        "target_met": run < 200 and ratio < 5,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="end with the figures as JSON")
    args = parser.parse_args()
    figures = {
        "typical": measure("typical (the issue's example)", TYPICAL, args.rounds, args.batch),
        "heavy": measure(
            "heavy (9 codes, located, allergy, dated drug)", HEAVY, args.rounds, args.batch
        ),
    }
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
