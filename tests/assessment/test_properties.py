"""Properties that must hold for every profile hypothesis can build from the vocabulary."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from corneum.assessment import Assessment, assess, validate_profile
from corneum.knowledge import default_knowledge_base

KB = default_knowledge_base()
ON = date(2026, 11, 23)
STRICTNESS = {"suitable": 0, "caution": 1, "contraindicated": 2}


def codes(kind: str) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(KB.codes(kind)), max_size=5, unique=True)


medication = st.builds(
    lambda code, days: (
        {"code": code}
        if days is None
        else {"code": code, "last_taken": (ON - timedelta(days=days)).isoformat()}
    ),
    st.sampled_from(KB.codes("medications")),
    st.none() | st.integers(min_value=0, max_value=800),
)

profiles = st.fixed_dictionaries(
    {
        "age": st.integers(min_value=0, max_value=120),
        "skin_type": st.sampled_from(KB.codes("skin_types")),
        "fitzpatrick": st.integers(min_value=1, max_value=6),
        "area": st.sampled_from(KB.codes("areas")),
        "concerns": codes("concerns"),
        "conditions": codes("conditions"),
        "medications": st.lists(medication, max_size=3),
    }
)


def run(data: dict[str, Any]) -> Assessment:
    return assess(validate_profile(data, KB), KB, assessed_on=ON)


@settings(max_examples=300, deadline=None)
@given(profiles, st.sampled_from(KB.codes("conditions")))
def test_adding_a_condition_never_makes_a_verdict_more_permissive(
    data: dict[str, Any], extra: str
) -> None:
    before = run(data)
    after = run({**data, "conditions": [*data["conditions"], extra]})
    for old, new in zip(before.procedures, after.procedures, strict=True):
        assert STRICTNESS[new.verdict] >= STRICTNESS[old.verdict], (old.id, extra)


@settings(max_examples=200, deadline=None)
@given(profiles, medication)
def test_adding_a_medication_never_makes_a_verdict_more_permissive(
    data: dict[str, Any], extra: dict[str, str]
) -> None:
    before = run(data)
    after = run({**data, "medications": [*data["medications"], extra]})
    for old, new in zip(before.procedures, after.procedures, strict=True):
        assert STRICTNESS[new.verdict] >= STRICTNESS[old.verdict], (old.id, extra)


@settings(max_examples=200, deadline=None)
@given(profiles)
def test_output_is_byte_identical_for_the_same_profile(data: dict[str, Any]) -> None:
    first = json.dumps(run(data).to_dict(), ensure_ascii=False).encode()
    again = json.dumps(run(json.loads(json.dumps(data))).to_dict(), ensure_ascii=False).encode()
    assert first == again


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_every_verdict_carries_a_reason_and_the_list_is_safe(data: dict[str, Any]) -> None:
    result = run(data)
    assert [v.id for v in result.procedures] == [p.id for p in KB.procedures]
    for verdict in result.procedures:
        assert verdict.reasons, verdict.id
        assert 0.0 <= verdict.score <= 1.0
        for reason in verdict.reasons:
            assert reason.source in KB.sources
            assert reason.rule
            assert reason.text
        if verdict.verdict == "contraindicated":
            assert any(r.effect in ("contraindicated", "refer") for r in verdict.reasons)
    verdicts = {v.id: v.verdict for v in result.procedures}
    assert all(verdicts[pid] != "contraindicated" for pid in result.recommended)
    assert result.knowledge_base_sha256 == KB.sha256
