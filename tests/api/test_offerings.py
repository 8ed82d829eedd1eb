"""The procedures the clinic offers over HTTP: everyone reads them, only an admin sets them,
and minutes outside the knowledge base's range or a negative price are refused naming the field."""

from __future__ import annotations

import pytest

from tests.api import builders
from tests.api.conftest import LiveApi

PATH = "/api/offerings/microdermabrasion"


@pytest.mark.parametrize("who", ["practitioner", "reception"])
def test_only_an_admin_sets_an_offering(api: LiveApi, who: str) -> None:
    with api.as_(who) as http:
        assert http.get(PATH).status_code == 200
        assert http.put(PATH, json={"price": "10.00"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"), [({"minutes": 44}, "minutes"), ({"price": "-1"}, "price")]
)
def test_bad_minutes_or_price_are_refused_naming_the_field(
    api: LiveApi, body: dict[str, object], field: str
) -> None:
    with api.as_("admin") as http:
        response = http.put(PATH, json=body)
    assert response.status_code == 422
    assert [problem["field"] for problem in response.json()["detail"]] == [field]


def test_an_admin_prices_a_procedure_and_the_change_is_audited(api: LiveApi) -> None:
    with api.as_("admin") as http:
        response = http.put(PATH, json={"price": "55.50", "minutes": 60})
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("price", "minutes", "min_minutes", "max_minutes")} == {
        "price": "55.50", "minutes": 60, "min_minutes": 45, "max_minutes": 90,
    }  # fmt: skip
    events = builders.audit_events(api, resource="offering")
    assert events[0]["resource_id"] == "microdermabrasion"
    assert events[0]["action"] in {"create", "update"}
