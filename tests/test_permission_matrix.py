"""The permission matrix: every URL × every role × objects in and out of scope.

tests/permission_matrix.toml holds the expected outcome of each request; this module walks
the URL configuration (the walker of tests/test_url_access.py), visits every URL as every
role of tests/permission_world.py, and compares the status code and what the body reveals
(personal data, team-only and police-only content, screening detail) with the table.

- A URL in the URL configuration without an entry fails; so does an entry for a URL that no
  longer exists.
- Every URL is also POSTed (empty form). A POST line in the table gives the expected
  statuses of every role; without one, every role its GET refuses POSTs too and must be
  refused the same way. A refused request (sign-in, 403, 404, 405), a POST without a line and
  every GET must not write a single row (PostgreSQL's per-transaction tuple counters), except
  that a GET showing personal data must write its read-log row (or its entry names the gap in
  `read_log_gap`).
- Three rules hold whatever the table says: anonymous visitors are sent to sign-in on every
  non-public page; whoever gets 404 on a case gets 404 on all its URLs (a 403 only
  where it depends on the role alone, the same for every case); and a signed-in user's 404
  on a case's URL writes exactly one kind of row, the refused access attempt
  (`audit_refusedaccess`: who, when, which case id), while no other answer writes one. An
  entry may name why its 404s are not recorded in `refusal_unrecorded`.

Every request runs in a savepoint that is rolled back, so one role's POST never changes what
the next one sees. How to read and update the table: docs/permissions.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.permission_world import (
    MARKERS,
    ROLES,
    SCENARIOS,
    build_world,
    corporation_signal,
    markers_in,
    pdf_with_text,
)
from tests.test_url_access import ROUTES, _rule

TABLE_PATH = Path(__file__).parent / "permission_matrix.toml"
METHODS = ("GET", "POST")
REFUSED = {"login", "403", "404", "405"}
# Tables any request may write to: the session. The append-only read log takes a row for a
# page that was shown, never for a refused request. A URL that writes elsewhere on a GET or
# a refused POST names the tables in its entry: `writes = [...]`.
WRITES_ALLOWED = {"django_session"}
READ_LOG = "privacy_readlogentry"
# A signed-in user's 404 on a case's URL is recorded as a refused access attempt (issue 11).
REFUSED_LOG = "audit_refusedaccess"
PERSONAL_DATA = "pqr"  # the markers of persons' data: a GET showing them is in the read log


# --- The table -----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    status: str  # "200", "302", "login" (302 to sign-in), "403", "404", "405", "?"
    markers: str  # letters of MARKERS found in the body

    @classmethod
    def parse(cls, text: str) -> Cell:
        if text == "?" or text == "login":
            return cls(text, "")
        status = text[:3]
        if not status.isdigit() or not set(text[3:]) <= set(MARKERS):
            raise ValueError(f"bad cell {text!r}: e.g. 200, 200pc, 302, login, 403, 404, 405")
        return cls(status, "".join(m for m in MARKERS if m in text[3:]))

    def __str__(self) -> str:
        return self.status + self.markers

    @property
    def refused(self) -> bool:
        return self.status in REFUSED


@dataclass(frozen=True)
class Line:
    url_name: str
    method: str
    scenario: str
    cells: dict[str, Cell]  # role -> expected


def _routes() -> dict[str, str]:
    """url name -> route, for every routed view (unnamed ones by their route)."""
    return {name or route: route for route, name, _ in ROUTES}


def load_table(path: Path = TABLE_PATH) -> tuple[list[str], dict[str, dict[str, Any]]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    columns = data.pop("columns")
    return columns, data


def parse_lines(url_name: str, entry: dict[str, Any], columns: list[str]) -> list[Line]:
    lines = []
    for method in METHODS:
        for raw in entry.get(method, "").splitlines():
            raw = raw.split("#", 1)[0].strip()
            if not raw:
                continue
            scenario, *cells = raw.split()
            if len(cells) != len(columns):
                raise ValueError(
                    f"[{url_name!r}] {method} {scenario}: {len(cells)} cells for "
                    f"{len(columns)} columns"
                )
            lines.append(
                Line(
                    url_name,
                    method,
                    scenario,
                    {role: Cell.parse(cell) for role, cell in zip(columns, cells, strict=True)},
                )
            )
    return lines


def format_line(scenario: str, cells: list[str]) -> str:
    return f"{scenario:<14}" + " ".join(f"{c:<10}" for c in cells).rstrip()


# --- Table hygiene (no database) ---------------------------------------------------------


def test_the_table_names_the_roles_of_the_world():
    columns, _ = load_table()
    assert columns == list(ROLES), "the `columns` of the table must be the roles of the world"


def test_every_url_has_an_entry_and_every_entry_a_url():
    columns, table = load_table()
    routes = _routes()
    missing = sorted(set(routes) - set(table))
    stale = sorted(set(table) - set(routes))
    problems = []
    for name in missing:
        kwargs = _route_kwargs(routes[name])
        fitting = [
            s for s, sc in SCENARIOS.items() if _kwarg_names(sc) == kwargs and not sc.query
        ] or ["<new>"]
        template = format_line(fitting[0], ["?"] * len(columns))
        problems.append(
            f"{name} (/{routes[name]}) has no entry in {TABLE_PATH.name}. Add:\n\n"
            f'["{name}"]\nnote = "<what the page is; who should reach it>"\n'
            f'GET = """\n{template}\n"""\n\n'
            f"with one line per scenario (scenarios fitting its arguments {sorted(kwargs)}: "
            f"{', '.join(fitting)}), and a POST block when the view takes POST. Run "
            "tests/test_permission_matrix.py: for `?` cells it prints what each role got. "
            "Check every cell against docs/permissions.md before you paste it."
        )
    for name in stale:
        problems.append(f"[{name!r}] in {TABLE_PATH.name} is no longer a URL: remove the entry")
    for name, entry in table.items():
        try:
            lines = parse_lines(name, entry, columns)
        except ValueError as error:
            problems.append(str(error))
            continue
        if not any(line.method == "GET" for line in lines):
            problems.append(f"[{name!r}] has no GET line")
        for line in lines:
            if line.scenario not in SCENARIOS:
                problems.append(
                    f"[{name!r}] {line.method} {line.scenario}: unknown scenario; "
                    f"add it to SCENARIOS in tests/permission_world.py"
                )
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def _route_kwargs(route: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route))


def _kwarg_names(scenario: Any) -> set[str]:
    """The kwarg names a scenario provides, read without a database (dummy objects)."""

    class Anything:
        pk = 0

        def __getitem__(self, key: str) -> Any:
            return self

    class Dummy:
        users = Anything()
        objects = Anything()

    return set(scenario.kwargs(Dummy()))


# --- The world and its clients ---------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once in a transaction that is rolled back after the module, one
    verified (2FA) client per role, and what the case page answered each role on this worker
    (every slice needs it for the 404 rule; the same requests on the same world answer the
    same, so a worker asks once for the slices it runs)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    media = tmp_path_factory.mktemp("matrix-media")
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    with django_db_blocker.unblock(), override_settings(STORAGES=storages):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            clients: dict[str, Client] = {}
            for role in ROLES:
                client = Client(raise_request_exception=False)
                user = world.users.get(role)
                if user is not None:
                    device, _ = TOTPDevice.objects.get_or_create(
                        user=user, name="default", confirmed=True
                    )
                    client.force_login(user)
                    session = client.session
                    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                    session.save()
                clients[role] = client
            case_page: dict[tuple[str, str, str], dict[str, Outcome]] = {}
            yield world, clients, case_page
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Requests --------------------------------------------------------------------------


@dataclass
class Outcome:
    cell: Cell
    written: list[str]  # tables written to, outside WRITES_ALLOWED
    location: str = ""
    read_logged: bool = False
    refusal_logged: bool = False


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        # The test client closes the response once the content is consumed (closing it
        # again here would fire request_finished and close the database connection).
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def _status(response: Any) -> str:
    if response.status_code == 302:
        login = reverse(settings.LOGIN_URL)
        if response["Location"].split("?")[0] == login:
            return "login"
    return str(response.status_code)


class Writes:
    """PostgreSQL's tuple counters of this transaction, per table. A savepoint rolled back
    keeps its counts, so the counters after one request are the baseline of the next."""

    def __init__(self) -> None:
        self.baseline: dict[str, int] | None = None

    # The counters through their functions, for the application's tables only: the view
    # pg_stat_xact_user_tables computes every column for every relation (~5 ms a call here
    # against 0.5 ms), and the matrix asks some 5,800 times.
    COUNTS = (
        "SELECT relname, n FROM (SELECT c.relname, pg_stat_get_xact_tuples_inserted(c.oid)"
        " + pg_stat_get_xact_tuples_updated(c.oid) + pg_stat_get_xact_tuples_deleted(c.oid) AS n"
        " FROM pg_class c WHERE c.relkind IN ('r', 'p')"
        " AND c.relnamespace = 'public'::regnamespace) AS written WHERE n > 0"
    )

    @classmethod
    def counts(cls) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(cls.COUNTS)
            return dict(cursor.fetchall())

    def since_baseline(self, allowed: frozenset[str]) -> list[str]:
        before = self.baseline if self.baseline is not None else {}
        try:
            after = self.counts()
        except DatabaseError:  # the view left the transaction broken: its 500 says enough
            self.baseline = None
            return []
        self.baseline = after
        return sorted(
            t
            for t, n in after.items()
            if n != before.get(t, 0) and t not in WRITES_ALLOWED and t not in allowed
        )


def request(
    client: Client, method: str, path: str, writes: Writes, allowed: frozenset[str]
) -> Outcome:
    """One request in a savepoint that is rolled back: what it answered, what it wrote."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if writes.baseline is None:
            writes.baseline = writes.counts()
        response = client.get(path) if method == "GET" else client.post(path, {})
        body = _body(response)
        written = writes.since_baseline(allowed)
        transaction.set_rollback(True)
    client.cookies = cookies  # sign-out or a language switch must not carry over
    cell = Cell(_status(response), markers_in(body))
    read_logged = READ_LOG in written
    refusal_logged = REFUSED_LOG in written
    if not cell.refused:
        written = [t for t in written if t != READ_LOG]
    if cell.status == "404":
        written = [t for t in written if t != REFUSED_LOG]
    return Outcome(
        cell,
        written,
        response.get("Location", "") if response.status_code in (301, 302) else "",
        read_logged,
        refusal_logged,
    )


# --- The matrix ------------------------------------------------------------------------


# The matrix is some 4,000 requests. It runs in slices of whole URLs (every scenario of a URL
# in the same slice: the rules below compare a URL's scenarios), so that pytest-xdist spreads
# it over its workers instead of one worker carrying it alone.
MATRIX_SLICES = 6
CASE_PAGE = "cases:detail"


def matrix_slice(table: dict[str, Any], index: int) -> set[str]:
    return set(sorted(table)[index::MATRIX_SLICES])


@pytest.mark.django_db
@pytest.mark.parametrize("slice_index", range(MATRIX_SLICES))
def test_permission_matrix(matrix, slice_index):
    world, clients, case_page = matrix
    columns, table = load_table()
    routes = _routes()
    callbacks = {name or route: cb for route, name, cb in ROUTES}
    mismatches: list[str] = []
    observed_detail: dict[tuple[str, str], Outcome] = {}  # (case key, role) -> GET detail
    checked = matrix_slice(table, slice_index)

    plan: list[tuple[str, str, str, dict[str, Cell] | None]] = []
    for url_name, entry in table.items():
        if url_name not in checked and url_name != CASE_PAGE:
            continue
        try:
            lines = parse_lines(url_name, entry, columns)
        except ValueError:
            continue  # reported by test_every_url_has_an_entry_and_every_entry_a_url
        if url_name not in routes or any(line.scenario not in SCENARIOS for line in lines):
            continue  # reported there too
        if url_name not in checked:  # the case page's answers only, for the 404 rule
            plan.extend(
                (url_name, "GET", line.scenario, line.cells)
                for line in lines
                if line.method == "GET"
            )
            continue
        post_lines = {line.scenario for line in lines if line.method == "POST"}
        for line in lines:
            plan.append((url_name, line.method, line.scenario, line.cells))
            if line.method == "GET" and line.scenario not in post_lines:
                plan.append((url_name, "POST", line.scenario, None))  # no POST line

    results: dict[tuple[str, str, str], dict[str, Outcome]] = {}
    writes = Writes()
    unfit: set[tuple[str, str]] = set()
    for url_name, method, scenario_name, _cells in plan:
        scenario = SCENARIOS[scenario_name]
        try:
            path = reverse(url_name, kwargs=scenario.kwargs(world)) + scenario.query
        except NoReverseMatch:
            if (url_name, scenario_name) not in unfit:
                unfit.add((url_name, scenario_name))
                mismatches.append(
                    f"[{url_name!r}] {scenario_name}: the scenario's arguments "
                    f"{sorted(_kwarg_names(scenario))} do not fit /{routes[url_name]}"
                )
            continue
        allowed = frozenset(table[url_name].get("writes", []))
        roles = columns
        if _cells is None:  # POST without a line: by the roles its GET refuses
            get_outcomes = results.get((url_name, "GET", scenario_name), {})
            roles = [r for r in columns if r in get_outcomes and get_outcomes[r].cell.refused]
        key = (url_name, method, scenario_name)
        if key in case_page:
            results[key] = case_page[key]
        else:
            results[key] = {
                role: request(clients[role], method, path, writes, allowed) for role in roles
            }
            if url_name == CASE_PAGE and method == "GET":
                case_page[key] = results[key]
        if url_name == "cases:detail" and method == "GET" and scenario.case:
            for role, outcome in results[(url_name, method, scenario_name)].items():
                observed_detail[(scenario.case, role)] = outcome

    for url_name, method, scenario_name, cells in plan:
        if (url_name, scenario_name) in unfit or url_name not in checked:
            continue
        outcomes = results[(url_name, method, scenario_name)]
        scenario = SCENARIOS[scenario_name]
        got = {role: outcomes[role].cell for role in columns if role in outcomes}
        where = f"[{url_name!r}] {method} {scenario_name}"
        problems: list[str] = []
        gap = table[url_name].get("read_log_gap", "")
        if gap and method == "GET":
            unlogged_by_anyone = any(
                set(o.cell.markers) & set(PERSONAL_DATA) and not o.read_logged
                for (u, m, _sc), found in results.items()
                if u == url_name and m == "GET"
                for o in found.values()
            )
            if not unlogged_by_anyone:
                problems.append("every page is in the read log now: remove `read_log_gap`")
        if cells is None:  # POST without a line: refused like the GET, writes nothing
            get_cells = results[(url_name, "GET", scenario_name)]
            for role in got:
                refusal = get_cells[role].cell
                if refusal.refused and got[role].status not in (refusal.status, "405"):
                    problems.append(
                        f"{role}: GET is refused with {refusal} but POST answers {got[role]}"
                    )
        else:
            for role in columns:
                if cells[role] != got[role]:
                    to = f" (to {outcomes[role].location})" if outcomes[role].location else ""
                    problems.append(f"{role}: expected {cells[role]}, got {got[role]}{to}")
        for role in got:
            outcome = outcomes[role]
            expected_refused = cells[role].refused if cells else True
            if outcome.written and (method == "GET" or expected_refused or outcome.cell.refused):
                problems.append(f"{role}: {method} wrote to {', '.join(outcome.written)}")
            shows_persons = set(outcome.cell.markers) & set(PERSONAL_DATA)
            if method == "GET" and shows_persons and not outcome.read_logged and not gap:
                problems.append(
                    f"{role}: shows personal data but wrote no read-log row (audit.readlog)"
                )
        unrecorded = table[url_name].get("refusal_unrecorded", "")
        for role in got:
            outcome = outcomes[role]
            if outcome.refusal_logged and outcome.cell.status != "404":
                problems.append(f"{role}: recorded a refused attempt but answered {outcome.cell}")
            must_record = scenario.case and role != "anon" and outcome.cell.status == "404"
            if must_record and not outcome.refusal_logged and not unrecorded:
                problems.append(
                    f"{role}: 404 on a case's URL but no refused access attempt was recorded"
                )
        anon = got.get("anon")
        if _rule(callbacks[url_name]) != "public" and anon and anon.status not in ("login", "405"):
            problems.append(f"anon: a non-public page must send to sign-in, got {got['anon']}")
        if scenario.case:
            # Outsiders get 404 on a case's URLs, so its existence does not leak. A 403 that
            # depends on the role alone (the same on every case) leaks nothing.
            siblings = [
                outcomes_
                for (u, m, sc), outcomes_ in results.items()
                if u == url_name and m == method and SCENARIOS[sc].case
            ]
            for role in columns:
                detail = observed_detail.get((scenario.case, role))
                outsider = detail is not None and detail.cell.status == "404"
                role_level = all(o[role].cell.status == "403" for o in siblings if role in o)
                if outsider and role in got and got[role].status == "403" and not role_level:
                    problems.append(
                        f"{role}: 403 on a URL of a case they get 404 on; outsiders get 404"
                    )
        if problems:
            observed = format_line(scenario_name, [str(got.get(r, "-")) for r in columns])
            text = f"{where}\n    " + "\n    ".join(problems)
            if cells is not None:
                expected = format_line(scenario_name, [str(cells[r]) for r in columns])
                text += f"\n    expected: {expected}\n    observed: {observed}"
            mismatches.append(text)

    if mismatches:
        pytest.fail(
            f"{len(mismatches)} line(s) of {TABLE_PATH.name} do not match what the application "
            "does. Fix the view, or (after checking the observed cells against "
            "docs/permissions.md) the table:\n\n" + "\n\n".join(mismatches),
            pytrace=False,
        )


# --- Valid forms: the allowed roles' POST takes effect ---------------------------------
#
# The table above sends empty forms: it shows who is let in, not that the step works. For
# every URL that changes a case's status, each role the workflow allows posts a VALID form
# (after the intake steps the step needs, done through the services in the same rolled-back
# savepoint) and the effect is checked: the status changed, the status-change row written,
# and the notices the workflow table lists were queued (issue 10: accepting from the case
# page once skipped the referrers' notice).


def _ready_case1(world: Any) -> None:
    """Case 1 ready for acceptance: Mitros consents, criteria met, KRIS recorded (the police
    screening of case 1 is answered in the world already)."""
    from cases import services
    from cases.choices import ConsentDecision
    from tests.cases import intake_steps

    coord = world.users["coord"]
    services.consent_answer(
        request=world.objects["consent1"],
        decision=ConsentDecision.CONSENT,
        reason="",
        by=world.users["corp"],
    )
    intake_steps.assess_criteria(world.objects["case1"], coord)
    intake_steps.record_kris(world.objects["case1"], coord)


def _submitted_draft(world: Any, *, like: str | None = None) -> Any:
    """Mitros's draft submitted (on case `like`'s address: an open duplicate of it)."""
    from cases import services
    from cases.choices import CaseStatus

    referral = world.objects["draft1"]
    referrer = world.users["referrer"]
    if like is not None:
        other = world.objects[like]
        services.referral_update(
            referral=referral,
            by=referrer,
            version=referral.version,
            referral_data={"nuisance_forms": ["noise"]},
            case_data={"postcode": other.postcode, "house_number": other.house_number},
            persons=[],
        )
    case = services.case_transition(
        case=referral.case, to=CaseStatus.REFERRED, by=referrer, referral=referral
    )
    if like is not None:  # the world's cases are made by factories: give both the same key
        from cases import keys
        from cases.models import Case

        key = keys.address_key(other.postcode, other.house_number, other.house_number_addition)
        Case.objects.filter(pk__in=[case.pk, other.pk]).update(address_key=key)
    return case


@dataclass(frozen=True)
class ValidPost:
    url_name: str
    roles: tuple[str, ...]
    status: str  # the status the case has afterwards
    prepare: Any  # world -> the case the URL points at
    data: Any  # world -> the valid form
    notices: tuple[str, ...] = ()  # notification keys "case:<pk>:<event>" queued on commit


def _referral_data(world: Any) -> dict[str, Any]:
    from tests.cases.test_referral import complete_data

    return complete_data(world.objects["draft1"])


VALID_POSTS = (
    ValidPost(
        "cases:referral_edit",
        ("referrer",),
        "referred",
        lambda w: w.objects["draft1"],
        _referral_data,
        ("new_referral",),
    ),
    ValidPost(
        "cases:intake_take",
        ("coord",),
        "intake",
        _submitted_draft,
        lambda w: {},
    ),
    ValidPost(
        "cases:intake_accept",
        ("coord",),
        "accepted",
        lambda w: (_ready_case1(w), w.objects["case1"])[1],
        lambda w: {"accept-motivation": "Voldoet aan de criteria."},
        ("decision",),
    ),
    ValidPost(
        "cases:transition",
        ("coord",),
        "accepted",
        lambda w: (_ready_case1(w), w.objects["case1"])[1],
        lambda w: {"to": "accepted", "motivation": "Voldoet aan de criteria."},
        ("decision",),
    ),
    ValidPost(
        "cases:transition",
        ("coord", "cm_b"),
        "investigation",
        lambda w: w.objects["case2"],
        lambda w: {"to": "investigation", "motivation": ""},
    ),
    ValidPost(
        "cases:intake_redirect",
        ("coord",),
        "redirected",
        lambda w: w.objects["case1"],
        lambda w: {"redirect-target": "mediation", "redirect-reason": "Buurtbemiddeling past."},
        ("decision",),
    ),
    ValidPost(
        "cases:intake_attach",
        ("coord",),
        "attached",
        lambda w: _submitted_draft(w, like="case1"),
        lambda w: {"attach-target": str(w.objects["case1"].pk)},
    ),
)


def test_valid_posts_cover_every_status_changing_url():
    """Every view that calls `case_transition` has its valid POST here."""
    import inspect

    changing = {
        name
        for _route, name, callback in ROUTES
        if "case_transition(" in inspect.getsource(inspect.unwrap(callback))
    }
    assert changing, "the walk found no status-changing view"
    assert {v.url_name for v in VALID_POSTS} == changing


@pytest.mark.django_db
def test_valid_posts_take_effect(matrix, django_capture_on_commit_callbacks):
    from cases.models import Case, CaseStatusChange
    from notifications.models import Notification

    world, clients, _case_page = matrix
    problems: list[str] = []
    for valid in VALID_POSTS:
        for role in valid.roles:
            cookies = copy.deepcopy(clients[role].cookies)
            with transaction.atomic():
                target = valid.prepare(world)
                case_pk = getattr(target, "case_id", None) or target.pk
                changes = CaseStatusChange.objects.filter(case_id=case_pk).count()
                path = reverse(valid.url_name, kwargs={"pk": target.pk})
                with django_capture_on_commit_callbacks(execute=True):
                    response = clients[role].post(path, valid.data(world))
                case = Case.objects.get(pk=case_pk)
                where = f"[{valid.url_name!r}] {role} → {valid.status}"
                if response.status_code != 302:
                    problems.append(f"{where}: answered {response.status_code}, not a redirect")
                if case.status != valid.status:
                    problems.append(f"{where}: the case is {case.status}")
                if CaseStatusChange.objects.filter(case_id=case_pk).count() != changes + 1:
                    problems.append(f"{where}: no status-change row")
                for event in valid.notices:
                    if not Notification.objects.filter(key=f"case:{case_pk}:{event}").exists():
                        problems.append(f"{where}: the {event} notice was not queued")
                transaction.set_rollback(True)
            clients[role].cookies = cookies
    assert not problems, "\n".join(problems)


# --- Every allowed form, filled in and sent --------------------------------------------
#
# For each POST the table allows a role (200/302), the form as the role's browser shows it
# is filled in as a user would and sent: a redirect (success) must have written a row to
# each table EFFECTS names for the URL (its effect), a refusal must carry a message, nothing
# may answer 500, and the number of (URL, role) pairs whose form took effect may not fall
# (FORMS_WITH_EFFECT: raise it when a form starts working). The form is looked for on the
# URL's own page, on the pages FORM_PAGES names (the header's language switch, the support
# page's requests), then on the pages above it (the goal's page for "remove this goal", the
# plan page for "agree"). Filling in honours min/max/minlength, leaves optional lists empty,
# attaches a small file where the form asks for one, and when the form comes back with field
# errors (200 or 400) tries the next options of the lists with errors (a lawful basis that
# must fit the kind of data) a few times. A state the world lacks is made first by the steps
# in BEFORE, in the same rolled-back savepoint; a step that fails fails the test. Run with -s
# for the pairs that miss and why. Effects beyond "the right table was written" are the
# subject of each feature's own tests and of VALID_POSTS above.


FORMS_WITH_EFFECT = 285  # measured 2026-12-05: 285 of 293 allowed (URL, role) pairs
# The 8 that miss are NOT_FOR_THE_ROLE: the rules give the role no such step.
NOT_FOR_THE_ROLE: dict[tuple[str, str, str], str] = {
    ("cases:intake_accept", "case1", "cm_a"): "the coordinator decides at intake",
    ("cases:intake_accept", "case2", "cm_b"): "the coordinator decides at intake",
    ("cases:intake_redirect", "case1", "cm_a"): "the coordinator decides at intake",
    ("cases:intake_redirect", "case2", "cm_b"): "the coordinator decides at intake",
    ("cases:transition", "case1", "corp"): "partners take no workflow step",
    ("cases:transition", "case1", "police"): "partners take no workflow step",
    ("cases:transition", "case2", "care"): "partners take no workflow step",
    ("cases:referral_edit", "referral1", "referrer"): "a submitted referral is not edited",
}
# Where a URL's effect shows: the tables its successful POST must write a row to (insert,
# update or delete) — the object the form is about, and for a status change the append-only
# status-change row. A dict here rather than an `effect` key in the table: it is the walk's
# concern, not who may do what. A URL that takes effect without an entry fails with the
# tables it wrote; history, deadline and permission rows are left out (their own tests).
STATUS_CHANGE = ("cases_case", "cases_casestatuschange")
EFFECTS: dict[str, tuple[str, ...]] = {
    "cases:action_add": ("cases_action",),
    "cases:action_cancel": ("cases_action",),
    "cases:action_done": ("cases_action",),
    "cases:aftercare": ("cases_aftercareplan",),
    "cases:aftercare_action_add": ("cases_action",),
    "cases:consent_answer": ("cases_consentrequest",),
    "cases:document_upload": ("cases_document",),
    "cases:edit": ("cases_case",),
    "cases:evaluation_add": (
        "cases_evaluation",
        "cases_goalevaluation",
        "cases_lifedomainassessment",
    ),
    "cases:evaluation_final": ("cases_evaluation", "cases_lifedomainassessment"),
    "cases:eviction_advise": ("cases_evictionadvice",),
    "cases:goal_add": ("cases_goal",),
    "cases:goal_edit": ("cases_goal",),
    "cases:goal_remove": ("cases_goal",),
    "cases:intake_accept": STATUS_CHANGE,
    "cases:intake_assign": ("cases_case",),
    "cases:intake_attach": (*STATUS_CHANGE, "cases_referral"),
    "cases:intake_consent": ("cases_consentrequest",),
    "cases:intake_criteria": ("cases_criterionassessment",),
    "cases:intake_kris": ("cases_krischeck",),
    "cases:intake_override": ("cases_case",),
    "cases:intake_recidivism": ("cases_recidivismmatch",),
    "cases:intake_redirect": STATUS_CHANGE,
    "cases:intake_screening_request": ("cases_policescreening",),
    "cases:intake_screening_waive": ("cases_case",),
    "cases:intake_take": STATUS_CHANGE,
    "cases:investigation": ("cases_investigation",),
    "cases:involvement_add": ("cases_caseinvolvement", "cases_casegroupobjectpermission"),
    "cases:involvement_end": ("cases_caseinvolvement", "cases_casegroupobjectpermission"),
    "cases:journal_add": ("cases_journalentry",),
    "cases:person_edit": ("cases_person",),
    "cases:plan_agree": ("cases_planagreement",),
    "cases:plan_edit": ("cases_plan",),
    "cases:plan_mark_agreed": ("cases_plan",),
    "cases:plan_scores": ("cases_lifedomainassessment", "cases_lifedomainscore"),
    "cases:referral_edit": ("cases_referral",),
    "cases:referral_start": ("cases_case", "cases_referral"),
    "cases:relocation_advise": ("cases_relocation",),
    "cases:relocation_permit": ("cases_relocation",),
    "cases:relocation_propose": ("cases_relocation",),
    "cases:screening_record": ("cases_policescreening",),
    "cases:sensitive_share": ("cases_sensitiveshare",),
    "cases:situation_report": ("cases_policesituationreport",),
    "cases:support_decide": ("cases_materialsupport",),
    "cases:support_request": ("cases_materialsupport",),
    "cases:transition": STATUS_CHANGE,
    "early_signals:close": ("early_signals_signal",),
    "early_signals:invite": ("early_signals_signal", "early_signals_signalnote"),
    "early_signals:link": ("early_signals_signal",),
    "early_signals:new": ("early_signals_signal",),
    "early_signals:note": ("early_signals_signalnote",),
    "early_signals:refer": ("early_signals_signal", "cases_case", "cases_referral"),
    "figures:agreement_edit": ("figures_resultagreement",),
    "figures:agreements": ("figures_resultagreement",),
    "meetings:addendum_add": ("meetings_minutesaddendum",),
    "meetings:agenda_bottlenecks": ("meetings_agendaitem",),
    "meetings:agenda_item_add": ("meetings_agendaitem",),
    "meetings:agenda_item_drop": ("meetings_agendaitem",),
    "meetings:agenda_item_edit": ("meetings_agendaitem",),
    "meetings:agenda_item_move": ("meetings_agendaitem",),
    "meetings:agenda_publish": ("meetings_meeting", "notifications_notification"),
    "meetings:attendance": ("meetings_attendance",),
    "meetings:bottleneck_resolve": ("meetings_bottleneck",),
    "meetings:bottlenecks": ("meetings_bottleneck",),
    "meetings:document_request": ("meetings_meetingdocument",),
    "meetings:item_call": ("meetings_invitation",),
    "meetings:item_minutes": ("meetings_agendaitem",),
    "meetings:member_invite": ("meetings_invitation",),
    "meetings:minutes_finalise": ("meetings_meeting", "notifications_notification"),
    "meetings:plan": ("meetings_meeting",),
    "notifications:mark_all_read": ("notifications_notification",),
    "notifications:mark_read": ("notifications_notification",),
    "notifications:settings": ("notifications_notificationpreference",),
    "partners:covenant_edit": ("partners_covenant",),
    "partners:district_create": ("partners_district",),
    "partners:district_deactivate": ("partners_district",),
    "partners:district_edit": ("partners_district",),
    "partners:district_reactivate": ("partners_district",),
    "partners:network_create": ("partners_network",),
    "partners:network_deactivate": ("partners_network",),
    "partners:network_edit": ("partners_network",),
    "partners:network_reactivate": ("partners_network",),
    "partners:network_representative_add": ("partners_networkrepresentative",),
    "partners:network_representative_deactivate": ("partners_networkrepresentative",),
    "partners:network_representative_remove": ("partners_networkrepresentative",),
    "partners:organisation_create": ("partners_organisation",),
    "partners:organisation_deactivate": ("partners_organisation",),
    "partners:organisation_edit": ("partners_organisation",),
    "partners:organisation_reactivate": ("partners_organisation",),
    "partners:user_create": ("partners_user",),
    "partners:user_deactivate": ("partners_user",),
    "partners:user_edit": ("partners_user",),
    "partners:user_reactivate": ("partners_user",),
    "password_reset_confirm": ("partners_user",),
    "privacy_rights:basis_edit": ("cases_lawfulbasis",),
    "privacy_rights:basis_new": ("cases_lawfulbasis",),
    "privacy_rights:basis_review": ("cases_journalentry",),
    "privacy_rights:basis_set_active": ("cases_lawfulbasis",),
    "privacy_rights:export_review": ("privacy_exportreview",),
    "privacy_rights:export_start": ("privacy_datasubjectrequest",),
    "privacy_rights:request_decide": ("privacy_datasubjectrequest",),
    "privacy_rights:request_extend": ("privacy_datasubjectrequest",),
    "privacy_rights:request_new": ("privacy_datasubjectrequest",),
    "two_factor:backup_tokens": ("otp_static_statictoken",),
    "two_factor:disable": ("otp_totp_totpdevice",),
}
# Succeeds without a row of its own: the language lives in a cookie, a password-reset request
# for an unknown address says the same as for a known one, a password-setup link is a mail;
# proposing the agenda says how many it added (none here: the world's meeting has them all).
NO_ROW_NEEDED = {
    "set_language",
    "password_reset",
    "partners:user_send_password_setup",
    "meetings:agenda_propose",
}
# Forms shown on a page that is neither the URL's own nor above it: url name -> the pages
# (url names) to look on, reversed with those of the URL's arguments the page takes (`pk` is
# the scenario's case when the URL has none).
FORM_PAGES: dict[str, tuple[str, ...]] = {
    "set_language": ("dashboard", "two_factor:login"),  # the header of every page
    "notifications:mark_read": ("notifications:list",),
    "notifications:mark_all_read": ("notifications:list",),
    "cases:transition": ("cases:plan",),
    "cases:action_done": ("cases:plan",),  # the case team's forms at the goal's action rows
    "cases:action_cancel": ("cases:plan",),
    "cases:support_request": ("cases:support",),
    "cases:relocation_advise": ("cases:support",),
    "privacy_rights:request_new": ("privacy_rights:request_new?person={causer1}",),  # found
    "meetings:agenda_item_add": ("meetings:agenda_edit",),
    "meetings:agenda_bottlenecks": ("meetings:agenda_edit",),
    "meetings:agenda_item_edit": ("meetings:agenda_edit",),
    "meetings:agenda_item_move": ("meetings:agenda_edit",),
    "meetings:agenda_item_drop": ("meetings:agenda_edit",),
}
# A form sent back with field errors is sent again with the next option of the list that
# has errors (then of the list above it: the kind of data above a lawful basis), or with
# every box of a group ticked, at most this many times.
RETRIES = 8


def _unread_notification(world: Any, role: str, client: Client) -> None:
    """Something for the role to mark as read (the world has one notification, cm_a's)."""
    from notifications.choices import Event
    from notifications.models import Notification

    Notification.objects.create(
        recipient=world.users[role], event=Event.AGENDA_PUBLISHED, key=f"walk:{role}", context={}
    )


def _second_signal(world: Any, role: str, client: Client) -> None:
    """Another signal on signal 1's address, for the coordinator to link."""
    signal = world.objects["signal1"]
    corporation_signal(house_number=signal.house_number, by=world.users["corp"])


def _officer_in_approach(world: Any, role: str, client: Client) -> None:
    """The neighbourhood officer (police) finished the police's action in case 1."""
    from cases.services import plan as plan_services

    plan_services.action_complete(action=world.objects["action1"], by=world.users["police"])


def _on_call_representative(world: Any, role: str, client: Client) -> None:
    """An on-call organisation with a representative to ask (the world's have none)."""
    from partners import access
    from partners.choices import Role
    from tests.factories.partners import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(name="Openbare Orde", on_call_only=True)
    user = UserFactory(organisation=organisation, roles=[Role.PARTNER_REPRESENTATIVE])
    access.sync_user_organisation_group(user)


def _case1_ready_or_accepted(world: Any, role: str, client: Client) -> None:
    """Case 1 ready for acceptance: the coordinator accepts it (the step only they take);
    for the casemanager accepted already, so the case team's next step is offered."""
    from cases import services
    from cases.choices import CaseStatus

    _ready_case1(world)
    if role != "coord":
        services.case_transition(
            case=world.objects["case1"],
            to=CaseStatus.ACCEPTED,
            by=world.users["coord"],
            motivation="Voldoet aan de criteria.",
        )


def _case_like(
    like: str, *, status: str = "intake", ready: bool = False, duplicate: bool = False
) -> Any:
    """A step that makes a case of the same casemanager and network as case `like`, in
    `status` (referred or intake), a Mitros home with a causer and a referral, and points the
    form at it. `ready`: every intake step of an acceptance done (DOMAIN.md §4);
    `duplicate`: on `like`'s address (an open duplicate to attach to)."""

    def step(world: Any, role: str, client: Client) -> dict[str, Any]:
        from cases.choices import CaseStatus
        from cases.models import Case
        from tests.cases import intake_steps
        from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory

        other = world.objects[like]
        in_intake = status == CaseStatus.INTAKE
        case = CaseFactory(
            status=status,
            casemanager=other.casemanager,
            network=other.network,
            corporation=world.objects["mitros"],
            created_by=world.users["referrer"],
            street="Wandelpad",
            postcode=other.postcode if duplicate else "3511AB",
            house_number=other.house_number if duplicate else 90,
            intake_started_on=timezone.localdate() if in_intake else None,
        )
        PersonFactory(case=case, first_name="Wim", last_name="Wandelaar")
        ReferralFactory(
            case=case, organisation=world.objects["mitros"], referrer=world.users["referrer"]
        )
        if duplicate:  # the world's cases are made by factories: give both the same key
            from cases import keys

            key = keys.address_key(other.postcode, other.house_number, other.house_number_addition)
            Case.objects.filter(pk__in=[case.pk, other.pk]).update(address_key=key)
        if ready:
            intake_steps.ready_for_acceptance(
                case, coordinator=world.users["coord"], corporation_rep=world.users["corp"]
            )
        return {"pk": case.pk}

    return step


def _repeat_in_intake(world: Any, role: str, client: Client) -> dict[str, Any]:
    """A case of case 2's casemanager in intake with a possible repeat on the address alone
    (earlier: case 3), for the coordinator to confirm or reject."""
    from cases.models import RecidivismMatch

    moved = _case_like("case2")(world, role, client)
    match = RecidivismMatch.objects.create(case_id=moved["pk"], earlier=world.objects["case3"])
    return {**moved, "match_pk": match.pk}


def _reset_link_followed(world: Any, role: str, client: Client) -> dict[str, Any]:
    """A valid password-reset link for cm_b, followed as Django's view does: the token moves
    into the session and the link becomes .../set-password/ (the form's page)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world.users["cm_b"]
    session = client.session
    session[INTERNAL_RESET_SESSION_TOKEN] = default_token_generator.make_token(user)
    session.save()
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": PasswordResetConfirmView.reset_url_token,
    }


def _minutes_final(world: Any, role: str, client: Client) -> None:
    """The coordinator makes meeting 1's minutes final (an addendum corrects final minutes)."""
    from meetings import services as meeting_services

    meeting_services.minutes_finalise(meeting=world.objects["meeting1"], by=world.users["coord"])


def _goal_without_actions(world: Any, role: str, client: Client) -> dict[str, Any]:
    """A second goal in goal 1's draft plan, without actions (goal 1 has one assigned, so its
    removal is not offered), and the form pointed at it."""
    from cases.services import plan as plan_services

    goal1 = world.objects["goal1"]
    goal = plan_services.goal_add(
        plan=goal1.plan,
        by=world.users["coord"],
        specific="Schone tuin",
        indicator="Tuin opgeruimd",
        target="Geen afval in de tuin",
        agreed_partners=list(goal1.agreed_partners.all()),
        feasibility="De bewoner wil het zelf",
        target_date=timezone.localdate() + dt.timedelta(days=90),
    )
    return {"pk": goal1.plan.case_id, "goal_pk": goal.pk}


def _advisory_meeting(world: Any, role: str, client: Client) -> dict[str, Any]:
    """An advisory group meeting (it takes members and bottlenecks; meeting 1 is a case
    meeting), and the form pointed at it."""
    from meetings import services as meeting_services
    from meetings.choices import MeetingKind

    meeting = meeting_services.meeting_plan(
        kind=MeetingKind.ADVISORY,
        date=timezone.localdate() + dt.timedelta(days=21),
        start_time=dt.time(10, 0),
        location="Stadskantoor",
        by=world.users["coord"],
    )
    return {"pk": meeting.pk}


AFTERCARE = {"follow_up": "aftercare"}  # what the final evaluation chooses before aftercare
# States a form needs that the shared world lacks (changing the world would change what the
# other tests expect): the steps taken first, in the pair's rolled-back savepoint. A URL name
# is that URL's form filled in by the same role (the URL's arguments, `pk` the scenario's
# case; with a dict, the choices the user makes on it); a function (world, role) is a step
# through the models or services (another role's, or a state no form makes). The key is a
# URL name, or "url name@scenario" for one scenario only.
BEFORE: dict[str, tuple[Any, ...]] = {
    "notifications:mark_all_read": (_unread_notification,),
    "cases:plan_mark_agreed": ("cases:plan_scores",),
    "cases:evaluation_add": ("cases:plan_scores", "cases:plan_mark_agreed"),
    "cases:aftercare": (("cases:evaluation_final", AFTERCARE),),
    "cases:aftercare_action_add": (("cases:evaluation_final", AFTERCARE), "cases:aftercare"),
    "cases:eviction_advise": ("cases:investigation",),
    "cases:intake_accept@case1": (lambda world, role, client: _ready_case1(world),),
    "cases:transition@case1": (_case1_ready_or_accepted,),
    # The intake steps on a case at the step they need: case 1 has its consent asked and its
    # screening answered, case 2 is accepted (the intake is over).
    "cases:goal_remove": (_goal_without_actions,),
    "cases:intake_take@case1": (_case_like("case1", status="referred"),),
    "cases:intake_take@case2": (_case_like("case2", status="referred"),),
    "cases:intake_attach@case1": (_case_like("case1", status="referred", duplicate=True),),
    "cases:intake_attach@case2": (_case_like("case2", status="referred", duplicate=True),),
    "cases:intake_consent": (_case_like("case1"),),
    "cases:intake_consent@case2": (_case_like("case2"),),
    "cases:intake_screening_request": (_case_like("case1"),),
    "cases:intake_screening_request@case2": (_case_like("case2"),),
    "cases:intake_screening_waive": (_case_like("case1"),),
    "cases:intake_screening_waive@case2": (_case_like("case2"),),
    "cases:intake_criteria@case2": (_case_like("case2"),),
    "cases:intake_kris@case2": (_case_like("case2"),),
    "cases:intake_override@case2": (_case_like("case2"),),
    "cases:intake_redirect@case2": (_case_like("case2"),),
    "cases:intake_accept@case2": (_case_like("case2", ready=True),),
    "cases:intake_recidivism@match2": (_repeat_in_intake,),
    "password_reset_confirm": (_reset_link_followed,),
    "meetings:addendum_add": (_minutes_final,),
    "meetings:agenda_bottlenecks": (_advisory_meeting,),
    "meetings:member_invite": (_advisory_meeting,),
    "cases:situation_report": (_officer_in_approach,),
    "early_signals:link": (_second_signal,),
    "meetings:item_call": (_on_call_representative,),
    "partners:organisation_reactivate": ("partners:organisation_deactivate",),
    "partners:user_reactivate": ("partners:user_deactivate",),
    "partners:network_reactivate": ("partners:network_deactivate",),
    "partners:district_reactivate": ("partners:district_deactivate",),
}


@dataclass
class _Form:
    action: str
    fields: dict[str, str]  # name -> the value a user would send
    options: dict[str, list[str]]  # list or radio name -> every value it offers
    files: dict[str, str]  # file input name -> its `accept`
    checkboxes: set[str]  # the names of boxes (a group when it has several options)


class _PageForms(HTMLParser):
    """Every POST form of a page: its action and the values a user would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self._select: str | None = None
        self._selected: set[str] = set()  # lists whose value is an option marked selected
        self._required: set[str] = set()  # lists a user must choose from (else left empty)
        self._textarea: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "").lower() == "post":
                self.forms.append(_Form(a.get("action", ""), {}, {}, {}, set()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "option" and self._select:
            value = a.get("value", "")
            options = form.options.setdefault(self._select, [])
            options.append(value)
            if "selected" in a and self._select not in self._selected:
                self._selected.add(self._select)
                form.fields[self._select] = value
            elif value or self._select not in self._required:
                form.fields.setdefault(self._select, value)
            return
        if not a.get("name"):
            return
        name, kind = a["name"], a.get("type", "text").lower()
        if tag == "input":
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                form.files[name] = a.get("accept", "")
            elif kind in ("checkbox", "radio"):
                value = a.get("value") or "on"
                if kind == "checkbox":
                    form.checkboxes.add(name)
                form.options.setdefault(name, []).append(value)
                if "checked" in a and kind == "radio":
                    form.fields[name] = value
                else:
                    form.fields.setdefault(name, value)
            elif kind == "hidden":
                form.fields.setdefault(name, a.get("value", ""))
            else:
                form.fields.setdefault(name, a.get("value") or _plausible(name, kind, a))
        elif tag == "textarea":
            self._textarea = (name, a)
            form.fields.setdefault(name, "")
        elif tag == "select":
            self._select = name
            if "required" in a:
                self._required.add(name)

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            fields = self.forms[-1].fields
            name = self._textarea[0]
            fields[name] = fields[name] or data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea and self.forms and not self.forms[-1].fields[self._textarea[0]]:
                name, a = self._textarea
                text = "Besproken met de betrokken partners."
                minimum = int(a.get("minlength") or 0)
                self.forms[-1].fields[name] = text * (minimum // len(text) + 1)
            self._textarea = None


def _plausible(name: str, kind: str, attrs: dict[str, str]) -> str:
    """A value a user could type: today for dates (neither past nor future is refused),
    within the field's min and max."""
    from django.utils import timezone

    lowered = name.lower()
    low, high = attrs.get("min", ""), attrs.get("max", "")
    if kind == "date" or lowered.endswith(("_on", "date", "_at")):
        today = timezone.localdate().isoformat()
        return max(low, min(high, today)) if high else max(low, today)
    if kind == "email" or "email" in lowered:
        return "nieuw.adres@example.org"
    if kind == "password" or "password" in lowered:
        return "Een-lang-wachtwoord-2026"
    if kind == "time" or lowered.endswith("time"):
        return "11:00" if "end" in lowered else "10:00"
    if lowered == "year":
        return str(timezone.localdate().year)
    if lowered in ("code", "slug"):
        return "nieuwe-code"
    if kind == "number" or "number" in lowered or lowered.endswith(("_months", "score")):
        value = 3
        if low:
            value = max(value, int(float(low)))
        if high:
            value = min(value, int(float(high)))
        return str(value)
    if "postcode" in lowered:
        return "3511 AB"
    if "phone" in lowered:
        return "030 123 45 67"
    if kind == "url":
        return "https://example.org/"
    text = "Besproken met de betrokken partners"
    return text * (int(attrs.get("minlength") or 0) // len(text) + 1)


def _upload(name: str, accept: str) -> Any:
    """A small file of a kind the field accepts: a PDF unless it asks for an image or text."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    kinds = accept.lower()
    if "pdf" in kinds or not kinds or "*" in kinds:
        return SimpleUploadedFile(f"{name}.pdf", pdf_with_text("Verslag"), "application/pdf")
    if "png" in kinds or "image" in kinds:
        png = bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4c20000000049454e44ae426082"
        )
        return SimpleUploadedFile(f"{name}.png", png, "image/png")
    return SimpleUploadedFile(f"{name}.txt", b"Verslag van het gesprek.\n", "text/plain")


def _url_like(name: str, kwargs: dict[str, Any], world: Any, case: str | None) -> str:
    """The URL `name` ("url name?query", the query naming world objects as {key}) with those
    of `kwargs` its route takes; `pk` is the case when `kwargs` has none."""
    page, _, query = name.partition("?")
    wanted = _route_kwargs(_routes()[page])
    given = {k: v for k, v in kwargs.items() if k in wanted}
    if "pk" in wanted and "pk" not in given and case is not None:
        given["pk"] = world.objects[case].pk
    pks = {key: obj.pk for key, obj in world.objects.items() if hasattr(obj, "pk")}
    return reverse(page, kwargs=given) + ("?" + query.format(**pks) if query else "")


def _pages_for(
    url_name: str, path: str, kwargs: dict[str, Any], world: Any, case: str | None
) -> list[str]:
    """Where the form for `path` may be shown: its own page, the pages FORM_PAGES names for
    it, then the pages above it."""
    hinted = [_url_like(hint, kwargs, world, case) for hint in FORM_PAGES.get(url_name, ())]
    parts = path.split("?")[0].rstrip("/").split("/")
    above = ["/".join(parts[:cut]) + "/" for cut in range(len(parts) - 1, 2, -1)]
    return [path, *hinted, *above[:3]]


def _form_for(client: Client, path: str, pages: list[str], seen: dict[str, Any]) -> _Form | None:
    """The first form posting to `path` on `pages`. `seen` keeps each page's forms for this
    client (every POST is rolled back: the pages stay the same)."""
    target = path.split("?")[0]
    for page in pages:
        if page not in seen:
            response = client.get(page)
            html = response.status_code == 200 and "text/html" in response.get("Content-Type", "")
            parser = _PageForms()
            if html:
                parser.feed(_body(response))
            seen[page] = parser.forms if html else None
        for form in seen[page] or []:
            if (form.action or page).split("?")[0] == target:
                return form
    return None


def _form_errors(response: Any) -> dict[str, list[str]]:
    """The errors of the bound forms the response rendered: field name (as posted) -> errors;
    a refusal the page shows (a step the state does not allow) under "refused"."""
    from django.forms import BaseForm, BaseFormSet

    found: dict[str, list[str]] = {}
    done: set[int] = set()

    def add(form: BaseForm) -> None:
        if id(form) in done:
            return
        done.add(id(form))
        for name, errors in form.errors.items():
            key = name if name == "__all__" else form.add_prefix(name)
            found.setdefault(key, []).extend(str(e) for e in errors)

    for context in response.context or []:
        for layer in context:
            for key, value in layer.items():
                if isinstance(value, BaseForm) and value.is_bound:
                    add(value)
                elif isinstance(value, BaseFormSet) and value.is_bound and id(value) not in done:
                    done.add(id(value))
                    for form in value.forms:
                        add(form)
                    found.setdefault("__all__", []).extend(value.non_form_errors())
                elif "refus" in key and value and "refused" not in found:
                    found["refused"] = (
                        [str(v) for v in value] if isinstance(value, list) else [str(value)]
                    )
    return {k: v for k, v in found.items() if v}


def _send(client: Client, path: str, form: _Form) -> tuple[Any, dict[str, list[str]]]:
    """Post the form as filled in. When it comes back with field errors, change what a user
    would change next: the next option of a list with errors, every box of a group of boxes
    ticked, the next option of every list for an error of the whole form."""
    values: dict[str, Any] = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
    errors: dict[str, list[str]] = {}
    response: Any = None
    for _attempt in range(RETRIES + 1):
        data: dict[str, Any] = dict(values)
        data.update({name: _upload(name, accept) for name, accept in form.files.items()})
        response = client.post(path, data)
        if response.status_code not in (200, 400):  # 400: some forms answer their errors so
            return response, {}
        errors = _form_errors(response)
        if not _vary(form, values, errors):
            break
    return response, errors


def _vary(form: _Form, values: dict[str, Any], errors: dict[str, list[str]]) -> bool:
    """Change one thing about the values for the errors; False when nothing is left to try."""
    lists = [n for n in form.options if n not in form.checkboxes]
    untick = [n for n in form.checkboxes if values.get(n) != form.options[n]]
    fields = [n for n in errors if n not in ("__all__", "refused")]
    for name in fields:  # the fields with errors first
        if name in form.checkboxes and name in untick:
            values[name] = list(form.options[name])  # tick every box of the group
            return True
        if name in lists:
            if _next_option(form, values, name):
                return True
            # Every option tried: the next option of another list, the nearest above first
            # (the kind of data above a lawful basis), this one from its first option again.
            at = lists.index(name)
            for other in [*reversed(lists[:at]), *lists[at + 1 :]]:
                if _next_option(form, values, other):
                    values[name] = form.fields.get(name, "")
                    return True
    if fields or "__all__" in errors:  # an error that names another field: tick the groups
        for name in untick:
            values[name] = list(form.options[name])
            return True
    if "__all__" in errors:
        return any(_next_option(form, values, name) for name in lists)
    return False


def _next_option(form: _Form, values: dict[str, Any], name: str) -> bool:
    options = form.options[name]
    position = options.index(values[name]) if values.get(name) in options else -1
    if position + 1 < len(options):
        values[name] = options[position + 1]
        return True
    return False


def _refused_with_a_message(response: Any) -> bool:
    """A redirect that carries a warning or an error: the step was refused, not done."""
    from django.contrib import messages

    return any(m.level >= messages.WARNING for m in messages.get_messages(response.wsgi_request))


def test_the_walks_lists_name_urls_and_pairs_of_the_table():
    """EFFECTS, NO_ROW_NEEDED, BEFORE (its keys and its URL steps) and NOT_FOR_THE_ROLE name
    URLs of the table (the last, pairs it allows), so a renamed URL leaves no check unused."""
    columns, table = load_table()
    allowed = {
        (name, line.scenario, role)
        for name, entry in table.items()
        for line in parse_lines(name, entry, columns)
        if line.method == "POST"
        for role, cell in line.cells.items()
        if cell.status in ("200", "302")
    }
    steps = [
        step[0] if isinstance(step, tuple) else step
        for before in BEFORE.values()
        for step in before
        if not callable(step)
    ]
    named = [*EFFECTS, *NO_ROW_NEEDED, *(key.split("@")[0] for key in BEFORE), *steps]
    assert not [n for n in named if n not in table], "names no URL of the table"
    assert not set(EFFECTS) & NO_ROW_NEEDED, "a URL either writes its effect or needs no row"
    assert not set(NOT_FOR_THE_ROLE) - allowed, "NOT_FOR_THE_ROLE names a pair not allowed"


def _take_steps(
    steps: tuple[Any, ...],
    world: Any,
    role: str,
    client: Client,
    kwargs: dict[str, Any],
    case: str | None,
) -> tuple[dict[str, Any], str]:
    """Take the BEFORE steps in order. Returns the URL's arguments (a step that made the
    object the form is for points the later steps and the form at it) and what failed: ""
    when every step was done, else which step and why (the pair then fails the test)."""
    from django.contrib import messages

    for step in steps:
        if callable(step):
            kwargs = {**kwargs, **(step(world, role, client) or {})}
            continue
        name, chosen = step if isinstance(step, tuple) else (step, {})
        before = _url_like(name, kwargs, world, case)
        on = _pages_for(name, before, kwargs, world, case)
        found = _form_for(client, before, on, {})
        if found is None:
            return kwargs, f"{name}: no form posting to {before} on {', '.join(on)}"
        found = replace(found, fields={**found.fields, **chosen})
        response, errors = _send(client, before, found)
        if response.status_code == 302 and not _refused_with_a_message(response):
            continue
        said = [str(m) for m in messages.get_messages(response.wsgi_request)]
        said += [f"{k}: {' '.join(v)}" for k, v in errors.items()]
        return kwargs, (
            f"{name}: {before} answered {response.status_code}, not a redirect without "
            f"errors ({'; '.join(said) or 'no message'})"
        )
    return kwargs, ""


@pytest.mark.django_db
def test_every_allowed_form_filled_in_takes_effect(matrix):
    from django.contrib import messages

    world, clients, _case_page = matrix
    columns, table = load_table()
    routes = _routes()
    problems: list[str] = []
    effects: list[str] = []
    missed: list[str] = []
    writes = Writes()
    pages: dict[str, dict[str, Any]] = {role: {} for role in columns}
    for url_name, entry in sorted(table.items()):
        if url_name not in routes:
            continue
        for line in parse_lines(url_name, entry, columns):
            if line.method != "POST" or line.scenario not in SCENARIOS:
                continue
            scenario = SCENARIOS[line.scenario]
            try:
                kwargs = scenario.kwargs(world)
                path = reverse(url_name, kwargs=kwargs) + scenario.query
            except NoReverseMatch:
                continue
            candidates = _pages_for(url_name, path, kwargs, world, scenario.case)
            allowed = frozenset(entry.get("writes", []))
            for role, cell in line.cells.items():
                if cell.status not in ("200", "302"):
                    continue
                client = clients[role]
                cookies = copy.deepcopy(client.cookies)
                where = f"[{url_name!r}] {line.scenario} {role}"
                pair = (url_name, line.scenario, role)
                with transaction.atomic():
                    if writes.baseline is None:
                        writes.baseline = writes.counts()
                    steps = BEFORE.get(f"{url_name}@{line.scenario}", BEFORE.get(url_name, ()))
                    moved, failed = _take_steps(steps, world, role, client, kwargs, scenario.case)
                    target, pages_of_target = path, candidates
                    if moved != kwargs:  # a step made the object the form is for
                        target = reverse(url_name, kwargs=moved) + scenario.query
                        pages_of_target = _pages_for(url_name, target, moved, world, scenario.case)
                    if failed:
                        problems.append(f"{where}: a BEFORE step failed: {failed}")
                        transaction.set_rollback(True)
                        client.cookies = cookies
                        continue
                    seen = pages[role] if not steps else {}  # the pages differ after the steps
                    form = _form_for(client, target, pages_of_target, seen)
                    writes.since_baseline(allowed)  # the GETs' own rows (read log) aside
                    if form is None:
                        why = NOT_FOR_THE_ROLE.get(pair, "")
                        missed.append(
                            f"{url_name} {line.scenario} {role}: no form found"
                            + (f" (not for the role: {why})" if why else "")
                        )
                        transaction.set_rollback(True)
                        client.cookies = cookies
                        continue
                    response, errors = _send(client, target, form)
                    written = [
                        t
                        for t in writes.since_baseline(frozenset())
                        if t not in (READ_LOG, REFUSED_LOG)
                    ]
                    transaction.set_rollback(True)
                client.cookies = cookies
                if response.status_code >= 500:
                    problems.append(f"{where}: answered {response.status_code}")
                elif response.status_code == 302 and _refused_with_a_message(response):
                    said = " ".join(str(m) for m in messages.get_messages(response.wsgi_request))
                    missed.append(f"{where}: refused with a message (the world's state): {said}")
                elif response.status_code == 302:
                    wrote = ", ".join(written) or "nothing"
                    lacking = sorted(set(EFFECTS.get(url_name, ())) - set(written))
                    if url_name not in EFFECTS and url_name not in NO_ROW_NEEDED:
                        problems.append(
                            f"{where}: redirected as done and wrote {wrote}: name the "
                            "table(s) its effect shows in EFFECTS"
                        )
                    elif lacking:
                        problems.append(
                            f"{where}: redirected as done but wrote no row to "
                            f"{', '.join(lacking)} (EFFECTS); it wrote {wrote}"
                        )
                    elif pair in NOT_FOR_THE_ROLE:
                        problems.append(f"{where}: took effect: remove it from NOT_FOR_THE_ROLE")
                    else:
                        effects.append(where)
                else:
                    detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items())
                    missed.append(
                        f"{where}: answered {response.status_code} to the filled form ({detail})"
                    )
    assert not problems, "\n".join(problems)
    assert len(effects) >= FORMS_WITH_EFFECT, (
        f"{len(effects)} forms took effect, fewer than {FORMS_WITH_EFFECT}; not filled in:\n"
        + "\n".join(missed)
    )
    print(f"\n{len(effects)} forms took effect; {len(missed)} not:\n" + "\n".join(missed))
