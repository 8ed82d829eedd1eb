"""OR-Tools is loaded only when the optimiser runs: a server process that serves pages, lists
clients and signs people in never pays its memory and start-up time. Checked in a fresh
interpreter (this test process has long imported it), through real HTTP into the ASGI app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, sys
from datetime import date, timedelta
from fastapi.testclient import TestClient
from sqlalchemy import select
from corneum.app import create_app
from corneum.config import Settings
from corneum.db.engine import make_engine, session_factory
from corneum.db.migrate import upgrade
from corneum.knowledge import default_knowledge_base
from corneum.records.demo.data import DEMO_PASSWORD
from corneum.records.demo.service import seed_demo_clinic
from corneum.records.plans.tables import TreatmentPlan

url = sys.argv[1]
upgrade(url)
engine = make_engine(url)
with session_factory(engine).begin() as session:
    seed_demo_clinic(session=session, kb=default_knowledge_base(), today=date.today())
    plan_id = session.scalars(select(TreatmentPlan.id)).first()
engine.dispose()
seen = {}
with TestClient(create_app(Settings(mode="demo", database_url=url))) as http:
    login = {"email": "front.desk@demo-clinic.example", "password": DEMO_PASSWORD}
    token = http.post("/api/auth/token", json=login).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    api_paths = ("/api/clients", "/api/auth/me")
    statuses = [http.get(path, headers=auth).status_code for path in api_paths]
    http.post("/api/auth/session", json=login)
    statuses += [http.get(path).status_code for path in ("/", "/clients", "/calendar")]
    seen["statuses"] = statuses
    seen["before"] = "ortools" in sys.modules
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    friday = monday + timedelta(days=4)
    entry = {"plan_id": plan_id, "earliest": monday.isoformat(), "latest": friday.isoformat()}
    body = {"week_start": monday.isoformat(), "seconds": 1, "requests": [entry]}
    seen["optimised"] = http.post("/api/calendar/optimise", json=body, headers=auth).status_code
    seen["after"] = "ortools" in sys.modules
print(json.dumps(seen))
"""


def test_the_server_imports_ortools_only_when_the_optimiser_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lazy.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, url], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["statuses"] == [200, 200, 200, 200, 200]
    assert seen["before"] is False, "ortools was imported before the optimiser ran"
    assert seen["optimised"] == 200
    assert seen["after"] is True, "the optimiser ran without ortools?"
