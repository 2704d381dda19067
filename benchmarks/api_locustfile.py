"""Locust clients of the API load benchmark (`benchmarks/api_load.py` runs it headless).

Each simulated client makes 85% reads (a case's record 40, its assessment 20, a page of
the case list 25), 10% opinions (a ministry reviewer's consent on a case in review that
asked its body) and 5% submissions (an exporter's new application), each with the API
token of the account entitled to it. `LOAD_PLAN` names the plan written by
`api_site.prepare`; `LOAD_RATE` is each client's pace in requests per second (0: the next
request as soon as the answer came). Any answer but 2xx is a failure named by its status
("HTTP 409"; "HTTP 0": no connection), so the failures table counts errors by status.
With `LOAD_ACKS` set, every acknowledged write (2xx) is appended to that file as it is
acknowledged (`submit ID` or `opinion ID BODY REASON`), for the SIGKILL durability check.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, constant_throughput, task

from benchmarks.api_site import Plan

PLAN = Plan.load(Path(os.environ["LOAD_PLAN"]))
RATE = float(os.environ.get("LOAD_RATE", "0"))
ACKS = open(os.environ["LOAD_ACKS"], "a", buffering=1) if os.environ.get("LOAD_ACKS") else None  # noqa: SIM115
READERS = [PLAN.tokens["officer"], PLAN.tokens["analyst"]]
BODIES = {"defence": PLAN.tokens["defence"], "foreign_affairs": PLAN.tokens["foreign"]}


class Client(FastHttpUser):  # type: ignore[misc]
    wait_time = constant_throughput(RATE) if RATE > 0 else constant(0)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.reader = {"Authorization": f"Bearer {self.rng.choice(READERS)}"}
        self.name = uuid.uuid4().hex[:8]
        self.submitted = 0

    def _call(self, method: str, path: str, name: str, headers: dict[str, str],
              json: Any = None) -> bool:
        with self.client.request(method, path, name=name, headers=headers, json=json,
                                 catch_response=True) as answer:
            if 200 <= answer.status_code < 300:
                answer.success()
                return True
            answer.failure(f"HTTP {answer.status_code}")
        if answer.status_code == 0:  # no connection (the server is down): do not spin
            time.sleep(0.1)
        return False

    @task(40)
    def read_case(self) -> None:
        app_id = self.rng.choice(PLAN.cases)
        self._call("GET", f"/api/cases/{app_id}", "GET /api/cases/{id}", self.reader)

    @task(20)
    def read_assessment(self) -> None:
        app_id = self.rng.choice(PLAN.cases)
        self._call("GET", f"/api/cases/{app_id}/assessment", "GET /api/cases/{id}/assessment",
                   self.reader)

    @task(25)
    def list_cases(self) -> None:
        offset = self.rng.randrange(0, max(1, len(PLAN.cases) - 20))
        self._call("GET", f"/api/cases?limit=20&offset={offset}", "GET /api/cases",
                   self.reader)

    @task(10)
    def give_opinion(self) -> None:
        body = self.rng.choice(sorted(BODIES))
        app_id = self.rng.choice(PLAN.consents[body])
        reason = f"load-{self.name}-{self.rng.getrandbits(48):012x}"
        headers = {"Authorization": f"Bearer {BODIES[body]}"}
        opinion = {"body": body, "decision": "consent", "reason": reason}
        if self._call("POST", f"/api/cases/{app_id}/opinions", "POST /api/cases/{id}/opinions",
                      headers, opinion) and ACKS is not None:
            ACKS.write(f"opinion {app_id} {body} {reason}\n")

    @task(5)
    def submit(self) -> None:
        template = self.rng.choice(PLAN.templates)
        self.submitted += 1
        app_id = f"L-{self.name}-{self.submitted}"
        doc = {**template, "id": app_id}
        if doc.get("euc"):
            doc["euc"] = {**doc["euc"], "number": f"EUC-{app_id}"}
        headers = {"Authorization": f"Bearer {PLAN.exporters[doc['exporter']]}"}
        if self._call("POST", "/api/cases", "POST /api/cases", headers, doc) and ACKS:
            ACKS.write(f"submit {app_id}\n")
