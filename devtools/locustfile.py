"""The load test's users (locust), started by `manage.py loadtest` with the plan it writes.

Each simulated user has its own signed-in sessions (one per role it plays) and its own
sign-in account; it waits WAIT seconds between requests and picks a scenario by weight. A
page counts as failed unless it answers 200; the sign-in (form, password, code) is also
reported as one request named "sign_in". Loopback only: the host is the plan's.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from typing import Any

from locust import HttpUser, between, task

from devtools.benchserver import hidden_fields, totp

with open(os.environ["WOONOVERLAST_LOAD_PLAN"]) as plan_file:
    PLAN: dict[str, Any] = json.load(plan_file)
SCENARIOS: list[dict[str, Any]] = PLAN["scenarios"]
WEIGHTS = [scenario["weight"] for scenario in SCENARIOS]
_numbers = itertools.count()
HEADERS = {"X-Forwarded-Proto": "https"}
TOTP_WINDOW = 31  # seconds: a code is accepted once per 30 s window


class Visitor(HttpUser):
    host = PLAN["host"]
    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])

    def on_start(self) -> None:
        self.me = PLAN["users"][next(_numbers) % len(PLAN["users"])]
        self.signed_in_at = 0.0
        self.rng = random.Random()  # noqa: S311 - a mix, not a secret

    @task
    def visit(self) -> None:
        scenario = self.rng.choices(SCENARIOS, WEIGHTS)[0]
        if scenario["name"] == "sign_in":
            if time.monotonic() - self.signed_in_at > TOTP_WINDOW:
                self.sign_in()
                return
            scenario = SCENARIOS[0]
        cookie = f"{PLAN['cookie']}={self.me['sessions'][scenario['role']]}"
        with self.client.get(
            scenario["path"],
            name=scenario["name"],
            headers={**HEADERS, "Cookie": cookie},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")

    def sign_in(self) -> None:
        self.signed_in_at = time.monotonic()
        self.client.cookies.clear()
        started = time.perf_counter()
        cookies: dict[str, str] = {}
        origin = {"Origin": PLAN["origin"], "Referer": f"{PLAN['origin']}/account/login/"}
        failure: str | None = None
        fields: dict[str, str] = {}
        prefix = ""
        for step in ("form", "auth", "token"):
            headers = {**HEADERS, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
            if step == "form":
                response = self.client.get("/account/login/", name="sign_in: form", headers=headers)
            else:
                data = {**fields, f"{prefix}-current_step": step, "next": "/"}
                if step == "auth":
                    data |= {"auth-username": self.me["email"], "auth-password": PLAN["password"]}
                else:
                    data["token-otp_token"] = totp(self.me["key"])
                response = self.client.post(
                    "/account/login/",
                    data=data,
                    name=f"sign_in: {step}",
                    headers={**headers, **origin},
                    allow_redirects=False,
                )
            for raw in response.raw.headers.getlist("Set-Cookie") if response.raw else []:
                name, _, rest = raw.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
            expected = 302 if step == "token" else 200
            if response.status_code != expected:
                failure = f"{step} answered {response.status_code}"
                break
            fields = hidden_fields(response.content)
            prefix = next(
                (n[: -len("-current_step")] for n in fields if n.endswith("-current_step")), ""
            )
        self.environment.events.request.fire(
            request_type="FLOW",
            name="sign_in",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=RuntimeError(failure) if failure else None,
            context={},
        )
