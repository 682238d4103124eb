"""The benchmark data set: `manage.py seed_bench --cases N` (issues 14 and 15).

N cases referred over the last 10 years, each as far along as its dates say today: drafts
(recent only), referred, in intake, redirected, attached, accepted, investigation, plan
agreed, execution, final evaluation, aftercare, passed on and closed. Around them what the
services would have written: referrals from the referring organisations, persons, status
changes, criteria, KRIS checks, consent requests and police screenings, involvements and
their grants (the projection `cases.access.sync_case_grants` writes: one
`CaseGroupObjectPermission` per active involvement, on the organisation's group), journal
entries, investigations, plans with goals, actions and agreements, life-domain analyses,
evaluations with the closing outcomes the figures count, aftercare plans, eviction advices,
relocations and material support, deadlines (met, lapsed or open as their dates say),
recidivism matches, case meetings with attendance, the read log, and one creation row per
record in each history table.

Retention holds as the daily job would leave it: cases closed longer ago than
RETENTION_YEARS_AFTER_CLOSING (redirected ones: RETENTION_REDIRECTED_DAYS) are anonymised
with the privacy app's own rules (`privacy.anonymise.removable_fields`, the tombstone of a
person, the read log redacted), keyed hashes past the recidivism window are purged by
`privacy.services.recidivism_keys_purge`, and no draft is older than DRAFT_RETENTION_DAYS.

Fast: rows are made in Python from a seeded random generator and written with PostgreSQL
COPY, ids assigned here; the history rows are one INSERT … SELECT per table. Synthetic: the
names are drawn from short lists, never real persons.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import NOT_PROVIDED, F, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least
from django.utils import timezone

from audit import readlog
from audit.models import ReadBasis
from cases import keys
from cases.access import CASE_CONTENT_PERMISSION
from cases.choices import (
    Background,
    CaseStatus,
    Confidentiality,
    ConsentDecision,
    HousingType,
    JournalKind,
    KrisResult,
    NuisanceForm,
    PersonRole,
    RedirectTarget,
    RiskLevel,
)
from cases.choices_plan import (
    ActionStatus,
    AssessmentMoment,
    ComplaintSource,
    EvaluationKind,
    FollowUp,
    GoalResult,
    HousingOutcome,
    NuisanceOrigin,
    NuisanceOutcome,
    PassedOnDestination,
    PlanStatus,
    SupportDecision,
)
from cases.domain.workflow import retention_variant
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    CaseInvolvement,
    CaseNumberSequence,
    CaseStatusChange,
    ConsentRequest,
    Criterion,
    CriterionAssessment,
    JournalEntry,
    KrisCheck,
    LawfulBasis,
    Person,
    PoliceScreening,
    RecidivismMatch,
    Referral,
)
from cases.models.plan import (
    Action,
    AftercarePlan,
    Evaluation,
    EvictionAdvice,
    GoalEvaluation,
    Investigation,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    MaterialSupport,
    Plan,
    PlanAgreement,
    Relocation,
)
from cases.models.plan import Goal as GoalModel
from deadlines import kinds as deadline_kinds
from deadlines import registry
from deadlines.models import Deadline
from meetings.choices import MeetingKind, MeetingStatus
from meetings.models import Attendance, Meeting
from partners import access as partners_access
from partners.choices import OrganisationKind, Role
from partners.models import Network, Organisation, User
from privacy import anonymise
from privacy import selectors as privacy_selectors
from privacy import services as privacy_services

YEARS = 10
SEED = 20261204
BENCH_DOMAIN = "bench.example.org"  # every account of the data set

FIRST = ["Jan", "Anna", "Mohamed", "Fatima", "Kees", "Ingrid", "Sven", "Noor", "Ahmet",
         "Sanne", "Piet", "Yasmina", "Henk", "Lotte", "Dirk", "Eva", "Bram", "Samira"]  # fmt: skip
LAST = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "de Wit", "Dijkstra",
        "Yilmaz", "El Amrani", "Kaya", "Verhoef", "Koster", "Prins", "Huisman", "Kok"]  # fmt: skip
STREETS = ["Kanaalstraat", "Amsterdamsestraatweg", "Merelstraat", "Kievitdreef",
           "Zamenhofdreef", "Oudegracht", "Biltstraat", "Vleutenseweg", "Columbusdreef",
           "Marnixlaan", "Hooft Graaflandstraat", "Livingstonelaan"]  # fmt: skip
# Surnames and streets as a city has them: a long tail, the commonest a few in a thousand
# (LAST and STREETS first). With two dozen surnames and a dozen streets a name search matched
# 4% of all cases and a street 4,000 of them (docs/scale.md), which no city has.
_ROOTS = ["Berg", "Brink", "Dam", "Haan", "Heuvel", "Hout", "Kamp", "Kort", "Lange", "Meer",
          "Molen", "Pol", "Ruiter", "Schouten", "Sluis", "Steen", "Veen", "Velde", "Vliet",
          "Wal", "Wijk", "Zand", "Akker", "Beek", "Bosch", "Graaf", "Hoek", "Laan", "Linde",
          "Maas", "Rijn", "Kroon", "Valk", "Vink", "Wouters", "Gerrit", "Willem", "Hendrik",
          "Claas", "Aart"]  # fmt: skip
SURNAMES = LAST + [
    f"{prefix}{root}{suffix}"
    for prefix in ("", "van ", "van de ", "van der ", "ten ")
    for root in _ROOTS
    for suffix in ("", "s", "sen", "ma", "ink", "man", "stra", "huis", "hof", "er")
]
STREET_NAMES = STREETS + [
    f"{root}{kind}"
    for root in _ROOTS
    for kind in ("straat", "laan", "weg", "plein", "dreef", "kade", "singel", "hof", "steeg")
]


def _zipf(names: list[str], offset: int) -> list[float]:
    """Cumulative weights falling as 1 / (rank + offset): the head common, a long tail."""
    total, cumulative = 0.0, []
    for rank in range(len(names)):
        total += 1 / (rank + offset)
        cumulative.append(total)
    return cumulative


SURNAME_WEIGHTS = _zipf(SURNAMES, 50)  # the commonest: about 0.5% of persons
STREET_WEIGHTS = _zipf(STREET_NAMES, 40)  # the longest street: about 1% of cases

REFERRER_KINDS = (
    OrganisationKind.CORPORATION,
    OrganisationKind.POLICE,
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.CARE_PROVIDER,
    OrganisationKind.NEIGHBOURHOOD_TEAM,
)


_VALUES: dict[str, list[str]] = {
    enum.__name__: list(enum.values)
    for enum in (
        NuisanceForm, Background, RedirectTarget, KrisResult, RiskLevel, JournalKind,
        NuisanceOrigin, NuisanceOutcome, PassedOnDestination, GoalResult, ComplaintSource,
    )
}  # fmt: skip


# --- Writing rows --------------------------------------------------------------------------


class Table:
    """Rows of one model, written with COPY; ids are given here (from the table's max)."""

    def __init__(self, model: type[models.Model], now: dt.datetime) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.template = [self._default(f, now) for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.rows: list[list[Any]] = []
        self.written = 0
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{self.name}"')  # noqa: S608
            self.next_id = cursor.fetchone()[0] + 1
        self.first_id = self.next_id

    @staticmethod
    def _default(f: models.Field, now: dt.datetime) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        if f.default is not NOT_PROVIDED:
            value = f.default() if callable(f.default) else f.default
            return now if isinstance(value, dt.datetime) else value
        if f.null:
            return None
        if isinstance(f, models.CharField | models.TextField):
            return ""
        return None

    def add(self, **values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        row = self.template.copy()
        index = self.index
        row[index["id"]] = pk
        for name, value in values.items():
            row[index[name]] = value
        self.rows.append(row)
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{self.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in self.rows:
                copy.write_row(row)
        self.written += len(self.rows)
        self.rows = []

    def finish(self) -> None:
        self.flush()
        with connection.cursor() as cursor:
            # The table name comes from the model, not from input.
            sql = "SELECT setval(pg_get_serial_sequence('\"{0}\"', 'id'), greatest((SELECT max(id) FROM \"{0}\"), 1))"  # noqa: E501
            cursor.execute(sql.format(self.name))


def _history_rows(model: type[models.Model], first_id: int, date_column: str | None) -> int:
    """One creation row ('+') in the model's history table for every row from `first_id`."""
    history = getattr(model, "history", None)
    if history is None:
        return 0
    history_model = history.model
    live = {f.column for f in model._meta.concrete_fields}
    columns = [
        f.column
        for f in history_model._meta.concrete_fields
        if f.column in live and not f.column.startswith("history_")
    ]
    listed = ", ".join(f'"{c}"' for c in columns)
    when = f'"{date_column}"' if date_column else "now()"
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{history_model._meta.db_table}" ({listed}, history_date, '  # noqa: S608
            f"history_type, history_change_reason, history_user_id) "
            f"SELECT {listed}, {when}, '+', NULL, NULL FROM \"{model._meta.db_table}\" "
            f"WHERE id >= %s",
            [first_id],
        )
        return cursor.rowcount


# --- The story of one case ------------------------------------------------------------------


@dataclass
class Story:
    """The dates of one case; None where it did not (yet) get there."""

    referred: dt.date
    intake: dt.date | None = None
    decided: dt.date | None = None
    outcome: str = ""  # accepted, redirected, attached
    investigation: dt.date | None = None
    plan_agreed: dt.date | None = None
    execution: dt.date | None = None
    execution_end: dt.date | None = None
    passed_on: dt.date | None = None
    final_evaluation: dt.date | None = None
    aftercare: dt.date | None = None
    closed: dt.date | None = None
    steps: list[tuple[str, dt.date]] = field(default_factory=list)


def _story(rng: random.Random, referred: dt.date) -> Story:
    s = Story(referred=referred)
    s.intake = referred + dt.timedelta(days=rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 8, 12]))
    s.decided = s.intake + dt.timedelta(days=rng.randint(4, 35))
    roll = rng.random()
    s.outcome = "redirected" if roll < 0.22 else "attached" if roll < 0.24 else "accepted"
    if s.outcome != "accepted":
        return s
    s.investigation = s.decided + dt.timedelta(days=rng.randint(1, 14))
    s.plan_agreed = s.investigation + dt.timedelta(days=rng.randint(20, 60))
    s.execution = s.plan_agreed + dt.timedelta(days=rng.randint(1, 7))
    s.execution_end = s.execution + dt.timedelta(days=int(rng.triangular(45, 600, 150)))
    if rng.random() < 0.12:
        s.passed_on = s.execution_end
        s.closed = s.passed_on + dt.timedelta(days=rng.randint(30, 120))
    else:
        s.final_evaluation = s.execution_end
        if rng.random() < 0.3:
            s.aftercare = s.final_evaluation + dt.timedelta(days=rng.randint(5, 20))
            s.closed = s.aftercare + dt.timedelta(days=rng.randint(90, 270))
        else:
            s.closed = s.final_evaluation + dt.timedelta(days=rng.randint(5, 30))
    return s


def _steps(s: Story) -> list[tuple[str, dt.date]]:
    steps: list[tuple[str, dt.date | None]] = [
        (CaseStatus.REFERRED, s.referred),
        (CaseStatus.INTAKE, s.intake),
    ]
    if s.outcome == "redirected":
        steps.append((CaseStatus.REDIRECTED, s.decided))
    elif s.outcome == "attached":
        steps.append((CaseStatus.ATTACHED, s.decided))
    else:
        steps += [
            (CaseStatus.ACCEPTED, s.decided),
            (CaseStatus.INVESTIGATION, s.investigation),
            (CaseStatus.PLAN_AGREED, s.plan_agreed),
            (CaseStatus.EXECUTION, s.execution),
        ]
        if s.passed_on:
            steps.append((CaseStatus.PASSED_ON, s.passed_on))
        else:
            steps.append((CaseStatus.FINAL_EVALUATION, s.final_evaluation))
            if s.aftercare:
                steps.append((CaseStatus.AFTERCARE, s.aftercare))
        steps.append((CaseStatus.CLOSED, s.closed))
    return [(status, day) for status, day in steps if day is not None]


def _cut(s: Story, today: dt.date) -> Story:
    """Forget what lies after today: the case is as far as its dates have come."""
    for name in (
        "intake", "decided", "investigation", "plan_agreed", "execution", "execution_end",
        "passed_on", "final_evaluation", "aftercare", "closed",
    ):  # fmt: skip
        day = getattr(s, name)
        if day is not None and day > today:
            setattr(s, name, None)
    if s.decided is None:
        s.outcome = ""
    if s.final_evaluation is None and s.passed_on is None:
        s.execution_end = None
    s.steps = _steps(s)
    return s


@cache
def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@cache
def _due(
    kind: str, started_on: dt.date, amount: int | None, given: dt.date | None, variant: str = ""
) -> Any:
    return registry.get(kind).dates(started_on, amount=amount, given=given, variant=variant)


# --- The seeder ------------------------------------------------------------------------------


class BenchSeeder:
    def __init__(
        self, *, cases: int, today: dt.date | None = None, report: Callable[[str], None]
    ) -> None:
        self.n = cases
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.report = report
        self.rng = random.Random(SEED)  # noqa: S311 - synthetic data, not security
        self.counts: dict[str, int] = {}

    # --- reference data and accounts ------------------------------------------------------

    def _accounts(self) -> None:
        self.organisations = list(Organisation.objects.order_by("pk"))
        by_kind: dict[str, list[Organisation]] = {}
        for organisation in self.organisations:
            by_kind.setdefault(organisation.kind, []).append(organisation)
        self.by_kind = by_kind
        self.executing = by_kind[OrganisationKind.EXECUTING][0]
        self.police = by_kind[OrganisationKind.POLICE][0]
        self.corporations = by_kind[OrganisationKind.CORPORATION]
        self.partners = [
            o
            for o in self.organisations
            if o.kind in (OrganisationKind.CARE_PROVIDER, OrganisationKind.NEIGHBOURHOOD_TEAM)
            or o.kind == OrganisationKind.MUNICIPALITY
        ]
        self.networks = list(Network.objects.prefetch_related("districts").order_by("pk"))
        self.district_of = {
            n.pk: min(n.districts.all(), key=lambda d: d.pk).pk
            for n in self.networks
            if n.districts.all()
        }
        self.group_of = {o.pk: partners_access.organisation_group(o).pk for o in self.organisations}
        self.permission_id = Permission.objects.values_list("pk", flat=True).get(
            content_type__app_label="cases", codename=CASE_CONTENT_PERMISSION
        )
        roles = {g.name: g for g in Group.objects.filter(name__in=[r.value for r in Role])}

        def user(email: str, organisation: Organisation, *role: Role) -> User:
            account, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "organisation": organisation,
                    "first_name": "Bench",
                    "last_name": email.split("@")[0],
                },
            )
            if created:
                account.set_unusable_password()
                account.save(update_fields=["password"])
                account.groups.add(*(roles[r.value] for r in role))
                partners_access.sync_user_organisation_group(account)
            return account

        self.coordinators = [
            user(f"coordinator{i}@{BENCH_DOMAIN}", self.executing, Role.COORDINATOR) for i in (1, 2)
        ]
        self.casemanagers = [
            user(f"casemanager{i}@{BENCH_DOMAIN}", self.executing, Role.CASEMANAGER)
            for i in range(1, 31)
        ]
        self.representatives = {
            o.pk: [
                user(f"rep{i}.org{o.pk}@{BENCH_DOMAIN}", o, Role.PARTNER_REPRESENTATIVE)
                for i in (1, 2, 3)
            ]
            for o in self.organisations
            if o.kind != OrganisationKind.EXECUTING
        }
        self.referrers = {
            o.pk: [user(f"referrer{i}.org{o.pk}@{BENCH_DOMAIN}", o, Role.REFERRER) for i in (1, 2)]
            for o in self.organisations
            if o.kind in REFERRER_KINDS
        }
        self.manager = user(
            f"manager@{BENCH_DOMAIN}", self.by_kind["municipality"][0], Role.MANAGER
        )
        self.referring = [o for o in self.organisations if o.kind in REFERRER_KINDS]
        # Corporations and the police refer most.
        self.referring_weights = [
            6 if o.kind == OrganisationKind.CORPORATION else 8 if o.kind == "police" else 1
            for o in self.referring
        ]
        self.criteria = list(Criterion.objects.filter(is_active=True).values_list("pk", flat=True))
        self.domains = list(LifeDomain.objects.filter(is_active=True).values_list("pk", flat=True))
        bases = dict(LawfulBasis.objects.values_list("code", "pk"))
        self.basis = bases.get("gemeente-openbare-orde")
        self.police_basis = bases.get("politie-wpg", self.basis)

    # --- helpers ----------------------------------------------------------------------------

    def _tables(self) -> None:
        models_ = [
            Case, Referral, Person, CaseStatusChange, CriterionAssessment, KrisCheck,
            ConsentRequest, PoliceScreening, CaseInvolvement, CaseGroupObjectPermission,
            JournalEntry, Investigation, Plan, GoalModel, PlanAgreement, Action, Evaluation,
            GoalEvaluation, LifeDomainAssessment, LifeDomainScore, AftercarePlan,
            EvictionAdvice, Relocation, MaterialSupport, RecidivismMatch, Deadline,
            Meeting, Attendance,
        ]  # fmt: skip
        self.t = {m.__name__: Table(m, self.now) for m in models_}

    def _flush(self) -> None:
        for table in self.t.values():
            table.flush()

    def _deadline(
        self,
        kind: str,
        case_id: int,
        started: dt.date,
        *,
        subject: tuple[int, int] | None = None,
        organisation_id: int | None = None,
        amount: int | None = None,
        given: dt.date | None = None,
        variant: str = "",
        met: dt.date | None = None,
        lapsed: dt.date | None = None,
    ) -> None:
        due_on, soon_on, due_at = _due(kind, started, amount, given, variant)
        self.t["Deadline"].add(
            kind=kind,
            case_id=case_id,
            subject_type_id=subject[0] if subject else None,
            subject_id=subject[1] if subject else None,
            organisation_id=organisation_id,
            started_on=started,
            due_on=due_on,
            soon_on=soon_on,
            due_at=due_at,
            met_at=_at(met, 15) if met else None,
            cancelled_at=_at(lapsed, 16) if lapsed and not met else None,
            stage_notified=2 if (met or lapsed) else 0,
            created_at=_at(started, 9),
        )

    def _surname(self) -> str:
        return self.rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]

    def _between(self, start: dt.date, end: dt.date) -> dt.date:
        days = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(days, 0)))

    # --- the run ------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        started = time.perf_counter()
        self._accounts()
        self._tables()
        self.ct = {
            m: ContentType.objects.get_for_model(m).pk for m in (ConsentRequest, Plan, Action)
        }
        start = self.today - dt.timedelta(days=365 * YEARS + 2)
        span = (self.today - start).days
        referred_days = sorted(
            start + dt.timedelta(days=self.rng.randint(0, span)) for _ in range(self.n)
        )
        self.numbers: dict[int, int] = {}
        self.readers: list[tuple[Any, ...]] = []
        self.recent_closed: list[tuple[dt.date, int, tuple[str, str, dt.date], list[str]]] = []
        draft_after = self.today - dt.timedelta(days=settings.DRAFT_RETENTION_DAYS - 5)
        examples = self._examples()
        self._case(self.today - dt.timedelta(days=3), draft=True)
        for referred, story in examples:
            self._case(referred, draft=False, story=story)
        for index, referred in enumerate(referred_days[len(examples) + 1 :]):
            draft = referred >= draft_after and self.rng.random() < 0.05
            self._case(referred, draft=draft)
            if index % 5000 == 4999:
                self._flush()
                self.report(f"{index + 1} cases, {time.perf_counter() - started:.0f} s")
        self._meetings(start)
        self._flush()
        for table in self.t.values():
            table.finish()
            self.counts[table.name] = table.written
        self._read_log()
        self._sequences()
        self.report(f"rows written, {time.perf_counter() - started:.0f} s; history …")
        self._history()
        self.report(f"history written, {time.perf_counter() - started:.0f} s; retention …")
        self._retention()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.counts["seconds"] = round(time.perf_counter() - started)
        return self.counts

    # --- one case -------------------------------------------------------------------------------

    def _examples(self) -> list[tuple[dt.date, Story]]:
        """One case per open phase, referred in the last two years (drawn until one lands in
        it), so that even a small data set has every phase."""
        wanted = [s for s in CaseStatus if s not in (CaseStatus.DRAFT, CaseStatus.CLOSED)]
        found: dict[str, tuple[dt.date, Story]] = {}
        for _ in range(20_000):
            referred = self.today - dt.timedelta(days=self.rng.randint(0, 730))
            story = _cut(_story(self.rng, referred), self.today)
            status = story.steps[-1][0]
            if status in wanted and status not in found:
                found[status] = (referred, story)
            if len(found) == len(wanted):
                break
        return sorted(found.values(), key=lambda pair: pair[0])

    def _case(self, referred: dt.date, *, draft: bool, story: Story | None = None) -> None:
        rng, t = self.rng, self.t
        story = story or _cut(_story(rng, referred), self.today)
        network = rng.choice(self.networks)
        district = self.district_of.get(network.pk)
        housing = rng.choices(
            [HousingType.CORPORATION, HousingType.PRIVATE_RENTAL, HousingType.OWNER_OCCUPIED],
            [70, 20, 10],
        )[0]
        corporation = rng.choice(self.corporations) if housing == HousingType.CORPORATION else None
        casemanager = rng.choice(self.casemanagers) if story.intake and not draft else None
        coordinator = rng.choice(self.coordinators)
        status = CaseStatus.DRAFT if draft else story.steps[-1][0]
        closed_on = (
            story.decided
            if status in (CaseStatus.REDIRECTED, CaseStatus.ATTACHED)
            else story.closed
        )
        number = None
        if not draft:
            year = referred.year
            self.numbers[year] = self.numbers.get(year, 0) + 1
            number = f"{settings.CASE_NUMBER_PREFIX}-{year}-{self.numbers[year]:04d}"
        postcode = f"35{rng.randint(10, 99)}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLNPRSTVWXZ')}"
        house_number = rng.randint(1, 250)
        forms = rng.sample(_VALUES["NuisanceForm"], rng.choice([1, 2, 2, 3, 3, 4]))
        backgrounds = rng.sample(_VALUES["Background"], rng.choice([0, 1, 1, 2, 3]))
        first, last = rng.choice(FIRST), self._surname()
        born = dt.date(rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28))
        repeat_of = None
        if not draft and rng.random() < 0.08 and self.recent_closed:
            # A repeat referral of a case closed in the three years before (cases come in
            # order of referral, and close months to years later: a few draws find one).
            window = self.recent_closed[-30_000:]
            for _ in range(6):
                candidate = window[rng.randrange(len(window))]
                if candidate[0] < referred <= candidate[0] + dt.timedelta(days=3 * 365):
                    repeat_of = candidate
                    first, last, born = candidate[2]
                    if rng.random() < 0.7:
                        forms = sorted(set(forms) | {candidate[3][0]})
                    break
        created = draft_created = _at(referred, 9)
        case_id = t["Case"].add(
            number=number,
            status=status,
            postcode=postcode,
            house_number=house_number,
            street=rng.choices(STREET_NAMES, cum_weights=STREET_WEIGHTS)[0],
            city="Utrecht",
            district_id=district,
            network_id=network.pk,
            housing_type=housing,
            corporation_id=corporation.pk if corporation else None,
            address_key=keys.address_key(postcode, house_number, "") if not draft else "",
            casemanager_id=casemanager.pk if casemanager else None,
            is_repeat_referral=repeat_of is not None,
            redirect_target=rng.choice(_VALUES["RedirectTarget"])
            if status == CaseStatus.REDIRECTED
            else "",
            referred_on=None if draft else referred,
            intake_started_on=None if draft else story.intake,
            accepted_on=story.decided if story.outcome == "accepted" and not draft else None,
            closed_on=None if draft else closed_on,
            created_by_id=coordinator.pk,
            created_at=draft_created,
            updated_at=_at(story.steps[-1][1], 11),
        )
        # Referral(s)
        referrer_org = rng.choices(self.referring, self.referring_weights)[0]
        if corporation is not None and referrer_org.kind == OrganisationKind.CORPORATION:
            referrer_org = corporation
        organisations = [referrer_org]
        if rng.random() < 0.1:
            organisations.append(
                self.police if referrer_org != self.police else rng.choice(self.corporations)
            )
        for organisation in organisations:
            t["Referral"].add(
                case_id=case_id,
                organisation_id=organisation.pk,
                referrer_id=rng.choice(self.referrers[organisation.pk]).pk,
                contact_name=f"{rng.choice(FIRST)} {self._surname()}",
                contact_phone="030-" + str(rng.randint(1000000, 9999999)),
                nuisance_forms=forms,
                nuisance_since=referred - dt.timedelta(days=rng.randint(60, 700)),
                backgrounds=backgrounds,
                description="Overlast in en rond de woning: " + ", ".join(forms) + ". " * 3,
                actions_taken="Gesprekken en een waarschuwingsbrief.",
                is_urgent=rng.random() < 0.05,
                submitted_at=None if draft else _at(referred, 9, 30),
                created_at=created,
                updated_at=created,
            )
        # Persons
        person_ids = [
            t["Person"].add(
                case_id=case_id,
                role=PersonRole.CAUSER,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                phone="06" + str(rng.randint(10000000, 99999999)),
                notes="Bekend bij de wijkagent.",
                person_key=keys.person_key(first, last, born) if not draft else "",
                created_at=created,
            )
        ]
        for _ in range(rng.choice([0, 0, 1, 2])):
            person_ids.append(
                t["Person"].add(
                    case_id=case_id,
                    role=PersonRole.HOUSEHOLD_MEMBER,
                    first_name=rng.choice(FIRST),
                    last_name=last,
                    created_at=created,
                )
            )
        for _ in range(rng.choice([1, 1, 2])):
            person_ids.append(
                t["Person"].add(
                    case_id=case_id,
                    role=PersonRole.NEIGHBOUR,
                    first_name=rng.choice(FIRST),
                    last_name=self._surname(),
                    phone="06" + str(rng.randint(10000000, 99999999)),
                    consents_to_contact=True,
                    created_at=created,
                )
            )
        if draft:
            return
        if repeat_of is not None:
            t["RecidivismMatch"].add(case_id=case_id, earlier_id=repeat_of[1], on_person=True)
        # Status changes
        previous = ""
        for to, day in story.steps:
            t["CaseStatusChange"].add(
                case_id=case_id,
                from_status=previous or CaseStatus.DRAFT,
                to_status=to,
                by_id=(
                    coordinator
                    if to in ("referred", "intake", "accepted", "redirected", "attached")
                    else casemanager or coordinator
                ).pk,
                at=_at(day, 11, 30),
                motivation="" if to in ("referred", "intake") else "Besproken met het team.",
            )
            previous = to
        self._intake(case_id, story, corporation, casemanager, coordinator)
        self._deadlines_and_retention(case_id, story, status, closed_on)
        involved = self._involvements(case_id, story, corporation, casemanager, closed_on)
        self._journal(case_id, story, casemanager, involved)
        if story.outcome == "accepted" and story.investigation:
            self._plan(case_id, story, casemanager or coordinator, involved, corporation)
        self._reads(case_id, story, casemanager, coordinator, involved, person_ids, closed_on)
        if status == CaseStatus.CLOSED and closed_on is not None:
            self.recent_closed.append((closed_on, case_id, (first, last, born), forms))

    def _intake(
        self, case_id: int, s: Story, corporation: Any, casemanager: Any, coordinator: Any
    ) -> None:
        rng, t = self.rng, self.t
        if s.intake is None:
            return
        actor = casemanager or coordinator
        in_intake = s.decided is None
        if rng.random() < 0.8 or s.outcome == "accepted":
            t["KrisCheck"].add(
                case_id=case_id,
                result=rng.choice(_VALUES["KrisResult"]),
                target_group_outcome="Afgestemd met de trajectregisseur.",
                recorded_by_id=actor.pk,
                recorded_at=_at(s.intake, 14),
            )
        if corporation is not None:
            asked = s.intake + dt.timedelta(days=rng.randint(0, 2))
            answered = asked + dt.timedelta(days=rng.choice([0, 1, 1, 2, 2, 3, 4, 6]))
            if s.decided is not None and answered > s.decided:
                answered = s.decided
            open_ = in_intake and answered > self.today
            request_id = t["ConsentRequest"].add(
                case_id=case_id,
                corporation_id=corporation.pk,
                requested_by_id=actor.pk,
                requested_on=asked,
                decision="" if open_ else ConsentDecision.CONSENT,
                answered_by_id=None
                if open_
                else rng.choice(self.representatives[corporation.pk]).pk,
                answered_on=None if open_ else answered,
            )
            self._deadline(
                deadline_kinds.CORPORATION_CONSENT,
                case_id,
                asked,
                subject=(self.ct[ConsentRequest], request_id),
                organisation_id=corporation.pk,
                met=None if open_ else answered,
                lapsed=s.decided if open_ else None,
            )
        if rng.random() < 0.6:
            asked = s.intake + dt.timedelta(days=rng.randint(0, 3))
            screened = asked + dt.timedelta(days=rng.randint(1, 10))
            open_ = screened > self.today or (s.decided is not None and screened > s.decided)
            open_ = open_ and in_intake
            officer = rng.choice(self.representatives[self.police.pk])
            t["PoliceScreening"].add(
                case_id=case_id,
                requested_by_id=actor.pk,
                requested_on=asked,
                risk_level="" if open_ else rng.choice(_VALUES["RiskLevel"]),
                safety_advice="" if open_ else "Huisbezoek met z'n tweeën.",
                screened_by_id=None if open_ else officer.pk,
                screened_on=None if open_ else min(screened, s.decided or screened),
                screened_by_organisation_id=None if open_ else self.police.pk,
                lawful_basis_id=None if open_ else self.police_basis,
                data_category="ordinary" if open_ else "police",
            )
        if s.outcome == "accepted":
            for criterion in self.criteria:
                t["CriterionAssessment"].add(
                    case_id=case_id,
                    criterion_id=criterion,
                    is_met=rng.random() < 0.95,
                    motivation="Blijkt uit de melding en het intakegesprek.",
                    assessed_by_id=actor.pk,
                    assessed_at=_at(s.decided or s.intake, 10),
                )

    def _deadlines_and_retention(
        self, case_id: int, s: Story, status: str, closed_on: dt.date | None
    ) -> None:
        intake_met = s.intake if s.intake and s.intake <= self.today else None
        self._deadline(deadline_kinds.INTAKE, case_id, s.referred, met=intake_met)
        if s.outcome == "accepted" and s.decided:
            six = s.decided + dt.timedelta(days=182)
            ended = s.final_evaluation or s.passed_on
            if ended is not None and ended < six:
                self._deadline(
                    deadline_kinds.SIX_MONTH_EVALUATION, case_id, s.decided, lapsed=ended
                )
            elif six <= self.today or ended is not None:
                held = six + dt.timedelta(days=self.rng.choice([-20, -10, -5, -1, 3, 15]))
                held = min(held, ended) if ended else held
                self._deadline(
                    deadline_kinds.SIX_MONTH_EVALUATION,
                    case_id,
                    s.decided,
                    met=held if held <= self.today else None,
                )
            else:
                self._deadline(deadline_kinds.SIX_MONTH_EVALUATION, case_id, s.decided)
        if status in (CaseStatus.CLOSED, CaseStatus.REDIRECTED, CaseStatus.ATTACHED) and closed_on:
            self._deadline(
                deadline_kinds.RETENTION, case_id, closed_on, variant=retention_variant(status)
            )

    def _involvements(
        self, case_id: int, s: Story, corporation: Any, casemanager: Any, closed_on: Any
    ) -> list[Organisation]:
        rng, t = self.rng, self.t
        if s.outcome != "accepted" or s.decided is None:
            return []
        involved: list[Organisation] = []
        if corporation is not None:
            involved.append(corporation)
        if rng.random() < 0.6:
            involved.append(self.police)
        involved += rng.sample(self.partners, rng.choice([0, 1, 1, 2]))
        handover = dt.timedelta(days=settings.INVOLVEMENT_HANDOVER_DAYS)
        ends = closed_on + handover if closed_on else None
        actor = casemanager or self.coordinators[0]
        for organisation in involved:
            active = ends is None or ends > self.today
            t["CaseInvolvement"].add(
                case_id=case_id,
                organisation_id=organisation.pk,
                is_active=active,
                added_by_id=actor.pk,
                added_at=_at(s.decided, 12),
                ended_by_id=None if active else actor.pk,
                ended_at=None if active else _at(ends, 3, 15),
                end_reason="" if active else "De overdrachtsperiode na het sluiten is voorbij.",
            )
            if active:  # the projection: what sync_case_grants writes
                t["CaseGroupObjectPermission"].add(
                    permission_id=self.permission_id,
                    group_id=self.group_of[organisation.pk],
                    content_object_id=case_id,
                )
        return involved

    def _journal(self, case_id: int, s: Story, casemanager: Any, involved: list[Any]) -> None:
        rng, t = self.rng, self.t
        if s.intake is None:
            return
        end = s.closed or s.decided or self.today
        if s.outcome == "accepted":
            days = (min(end, self.today) - s.intake).days
            count = 3 + min(days // 30, 30) + rng.randint(0, 4)
        else:
            count = rng.randint(1, 3)
        author = casemanager or self.coordinators[0]
        for _ in range(count):
            partner = rng.random() < 0.15 and involved
            organisation = rng.choice(involved) if partner else self.executing
            writer = rng.choice(self.representatives[organisation.pk]) if partner else author
            day = self._between(s.intake, min(end, self.today))
            t["JournalEntry"].add(
                case_id=case_id,
                kind=rng.choice(_VALUES["JournalKind"]),
                occurred_on=day,
                participants="Casemanager, bewoner",
                text="Gesprek over de afspraken en de overlast. " * rng.randint(1, 6),
                confidentiality=rng.choice(
                    [
                        Confidentiality.ALL_INVOLVED,
                        Confidentiality.ALL_INVOLVED,
                        Confidentiality.CASE_TEAM,
                    ]
                ),
                author_id=writer.pk,
                author_organisation_id=organisation.pk,
                lawful_basis_id=self.basis,
                created_at=_at(day, 16),
            )

    def _plan(
        self, case_id: int, s: Story, author: Any, involved: list[Any], corporation: Any
    ) -> None:
        rng, t = self.rng, self.t
        assert s.investigation is not None
        origin = rng.choice(_VALUES["NuisanceOrigin"])
        t["Investigation"].add(
            case_id=case_id,
            causer_heard_on=s.investigation + dt.timedelta(days=rng.randint(1, 10)),
            neighbours_heard_on=s.investigation + dt.timedelta(days=rng.randint(1, 15)),
            nuisance_origin=origin,
            origin_motivation="Uit de gesprekken met bewoner en buren.",
            recorded_by_id=author.pk,
            updated_at=_at(s.investigation, 15),
        )
        agreed = s.plan_agreed
        plan_id = t["Plan"].add(
            case_id=case_id,
            number=1,
            status=PlanStatus.AGREED if agreed else PlanStatus.DRAFT,
            summary="Rust in de woning en zorg voor de bewoner.",
            created_by_id=author.pk,
            created_at=_at(s.investigation, 12),
            agreed_by_id=author.pk if agreed else None,
            agreed_at=_at(agreed, 12) if agreed else None,
        )
        if agreed:
            for organisation in involved:
                t["PlanAgreement"].add(
                    case_id=case_id,
                    plan_id=plan_id,
                    organisation_id=organisation.pk,
                    by_id=rng.choice(self.representatives[organisation.pk]).pk,
                    at=_at(agreed, 14),
                )
        end = s.final_evaluation or s.passed_on
        goals = []
        for order in range(rng.choice([2, 2, 3])):
            target_date = (agreed or s.investigation) + dt.timedelta(days=rng.randint(60, 240))
            goal_id = t["Goal"].add(
                case_id=case_id,
                plan_id=plan_id,
                lineage=uuid.UUID(int=rng.getrandbits(128)),
                order=order,
                specific="Geen geluidsoverlast na 22.00 uur",
                indicator="Klachten per maand",
                target="0 klachten",
                feasibility="De bewoner wil meewerken.",
                target_date=target_date,
            )
            goals.append(goal_id)
            if not agreed:
                continue
            for _ in range(2):
                organisation = rng.choice(involved) if involved else self.executing
                due = agreed + dt.timedelta(days=rng.randint(14, 150))
                done = due - dt.timedelta(days=rng.randint(-10, 20))
                if done > self.today or (end and done > end):
                    state, finished = ActionStatus.OPEN, None
                    if end and end <= self.today:
                        state, finished = ActionStatus.CANCELLED, end
                else:
                    state, finished = ActionStatus.DONE, done
                action_id = t["Action"].add(
                    case_id=case_id,
                    goal_id=goal_id,
                    description="Huisbezoek en afspraken vastleggen",
                    organisation_id=organisation.pk,
                    due_on=due,
                    status=state,
                    cancel_reason="De casus is afgesloten." if state == "cancelled" else "",
                    finished_at=_at(finished, 13) if finished else None,
                    finished_by_id=author.pk if finished else None,
                    created_by_id=author.pk,
                    created_at=_at(agreed, 13),
                )
                self._deadline(
                    deadline_kinds.ACTION,
                    case_id,
                    agreed,
                    subject=(self.ct[Action], action_id),
                    organisation_id=organisation.pk,
                    given=due,
                    met=finished if state == "done" else None,
                    lapsed=finished if state == "cancelled" else None,
                )
        if not agreed:
            return
        scores = {d: rng.randint(1, 4) for d in rng.sample(self.domains, 6)}
        first_assessment = t["LifeDomainAssessment"].add(
            case_id=case_id,
            moment=AssessmentMoment.PLAN,
            plan_id=plan_id,
            assessed_on=agreed,
            assessed_by_id=author.pk,
        )
        for domain, score in scores.items():
            t["LifeDomainScore"].add(
                case_id=case_id, assessment_id=first_assessment, domain_id=domain, score=score
            )
        # Periodic evaluations every 3 months while executing; the last deadline stays open
        # (or lapses at the final evaluation).
        last = agreed
        stop = end or self.today
        while True:
            started = last
            due_on = _due(deadline_kinds.PERIODIC_EVALUATION, started, 3, None)[0]
            if due_on >= stop:
                self._deadline(
                    deadline_kinds.PERIODIC_EVALUATION,
                    case_id,
                    started,
                    subject=(self.ct[Plan], plan_id),
                    amount=3,
                    lapsed=end,
                )
                break
            held = due_on + dt.timedelta(days=rng.choice([-14, -7, -3, 0, 5, 12, 30]))
            held = min(held, stop - dt.timedelta(days=1))
            if held <= started:
                held = started + dt.timedelta(days=1)
            t["Evaluation"].add(
                case_id=case_id,
                plan_id=plan_id,
                kind=EvaluationKind.PERIODIC,
                held_on=held,
                participants="Casemanager en partners",
                notes="Voortgang besproken.",
                recorded_by_id=author.pk,
                created_at=_at(held, 15),
            )
            self._deadline(
                deadline_kinds.PERIODIC_EVALUATION,
                case_id,
                started,
                subject=(self.ct[Plan], plan_id),
                amount=3,
                met=held,
            )
            last = held
        if end is None:
            return
        # The closing: final evaluation with the outcomes the figures count.
        good = rng.random()
        outcome = (
            NuisanceOutcome.RESOLVED if good < 0.45
            else NuisanceOutcome.MANAGEABLE if good < 0.8
            else NuisanceOutcome.NOT_RESOLVED
        )  # fmt: skip
        neighbours = outcome if rng.random() < 0.8 else rng.choice(_VALUES["NuisanceOutcome"])
        if s.passed_on:
            follow_up = FollowUp.PASSED_ON
            passed_on_to = rng.choice(_VALUES["PassedOnDestination"])
            housing: str = {
                PassedOnDestination.EVICTION_PROCEDURE: HousingOutcome.EVICTED,
                PassedOnDestination.SUPPORTED_HOUSING: HousingOutcome.SUPPORTED_HOUSING,
                PassedOnDestination.LAST_CHANCE_POLICY: HousingOutcome.LAST_CHANCE_POLICY,
                PassedOnDestination.RELOCATION: HousingOutcome.MOVED,
            }.get(PassedOnDestination(passed_on_to), HousingOutcome.STAYED)
            if housing == HousingOutcome.EVICTED and rng.random() < 0.3:
                housing = HousingOutcome.HOMELESS
        else:
            follow_up = FollowUp.AFTERCARE if s.aftercare else FollowUp.NONE
            passed_on_to = ""
            housing = rng.choices(
                [HousingOutcome.STAYED, HousingOutcome.MOVED, HousingOutcome.SUPPORTED_HOUSING],
                [80, 15, 5],
            )[0]
        final_on = end
        final_id = t["Evaluation"].add(
            case_id=case_id,
            plan_id=plan_id,
            kind=EvaluationKind.FINAL,
            held_on=final_on,
            participants="Casemanager, corporatie, wijkagent, bewoner",
            notes="Eindevaluatie.",
            neighbours_outcome=neighbours,
            partners_outcome=outcome,
            resolved_at_sources=list(_VALUES["ComplaintSource"])
            if outcome == NuisanceOutcome.RESOLVED
            else [],
            causer_in_care=rng.random() < 0.7,
            housing_outcome=housing,
            follow_up=follow_up,
            passed_on_to=passed_on_to,
            recorded_by_id=author.pk,
            created_at=_at(final_on, 15),
        )
        for goal_id in goals:
            t["GoalEvaluation"].add(
                case_id=case_id,
                evaluation_id=final_id,
                goal_id=goal_id,
                result=rng.choice(_VALUES["GoalResult"]),
            )
        last_assessment = t["LifeDomainAssessment"].add(
            case_id=case_id,
            moment=AssessmentMoment.EVALUATION,
            evaluation_id=final_id,
            assessed_on=final_on,
            assessed_by_id=author.pk,
        )
        for domain, score in scores.items():
            change = rng.choice([-1, 0, 0, 1, 1, 1, 2])
            t["LifeDomainScore"].add(
                case_id=case_id,
                assessment_id=last_assessment,
                domain_id=domain,
                score=min(5, max(1, score + change)),
            )
        if s.aftercare:
            t["AftercarePlan"].add(
                case_id=case_id,
                summary="Nazorg door het buurtteam.",
                end_date=s.aftercare + dt.timedelta(days=180),
                handover_to="Buurtteam",
                handover_organisation_id=self.by_kind["neighbourhood_team"][0].pk,
                handover_on=s.aftercare,
                created_by_id=author.pk,
                created_at=_at(s.aftercare, 12),
            )
        landlord = corporation or self.corporations[0]
        if housing in (HousingOutcome.EVICTED, HousingOutcome.HOMELESS) or (
            passed_on_to == PassedOnDestination.EVICTION_PROCEDURE
        ):
            t["EvictionAdvice"].add(
                case_id=case_id,
                corporation_id=landlord.pk,
                advised_on=final_on - dt.timedelta(days=rng.randint(0, 30)),
                advice="Het netwerk adviseert de verhuurder de ontruimingsprocedure te starten.",
                care_need_motivation="Zorg is geweigerd."
                if origin == NuisanceOrigin.CARE_NEED
                else "",
                given_by_id=author.pk,
                created_at=_at(final_on, 12),
            )
        if rng.random() < 0.05:
            t["Relocation"].add(
                case_id=case_id,
                relocated="causer",
                corporation_id=landlord.pk,
                advice="Uitplaatsen in beheerdersbelang.",
                advised_by_id=author.pk,
                advised_on=self._between(agreed, end),
            )
        if rng.random() < 0.1:
            granted = rng.random() < 0.8
            requested_on = self._between(agreed, end)
            t["MaterialSupport"].add(
                case_id=case_id,
                amount=rng.choice([75, 120, 250, 400, 650]),
                purpose="Vloerbedekking",
                corporation_id=landlord.pk,
                why_not_regular="Geen regeling van toepassing.",
                requested_by_id=author.pk,
                requested_on=requested_on,
                decision=SupportDecision.GRANTED if granted else SupportDecision.REFUSED,
                decided_by_id=rng.choice(self.representatives[landlord.pk]).pk,
                decided_on=requested_on + dt.timedelta(days=7),
            )

    def _reads(
        self,
        case_id: int,
        s: Story,
        casemanager: Any,
        coordinator: Any,
        involved: list[Any],
        person_ids: list[int],
        closed_on: dt.date | None,
    ) -> None:
        rng = self.rng
        end = min(closed_on or self.today, self.today)
        count = 4 + min((end - s.referred).days // 25, 40)
        readers: list[tuple[Any, str, str]] = [(coordinator, "coordinator", ReadBasis.COORDINATOR)]
        if casemanager is not None:
            readers += [(casemanager, "casemanager", ReadBasis.CASEMANAGER)] * 3
        for organisation in involved:
            readers.append(
                (
                    rng.choice(self.representatives[organisation.pk]),
                    "partner_representative",
                    ReadBasis.INVOLVED_ORGANISATION,
                )
            )
        # The rows themselves are made in SQL (`_read_log`): `count` reads on random days
        # between referral and closing, each by one of these readers.
        self.readers.append(
            (
                case_id,
                s.referred,
                end,
                count,
                [r[0].pk for r in readers],
                [r[0].organisation_id for r in readers],
                [r[1] for r in readers],
                [str(r[2]) for r in readers],
                person_ids,
            )
        )

    def _read_log(self) -> None:
        """The read log, ~20 rows a case, in one INSERT … SELECT from the readers per case."""
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_readers (case_id bigint, first date, last date, "
                "n int, users bigint[], organisations bigint[], roles text[], bases text[], "
                "persons bigint[]) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY bench_readers FROM STDIN") as copy:
                for row in self.readers:
                    copy.write_row(row)
            cursor.execute("SELECT setseed(0.42)")
            cursor.execute(
                """
                INSERT INTO privacy_readlogentry
                    (at, user_id, organisation_id, roles, case_id, person_ids, what, path,
                     ip_address, session_hash, basis, motivation)
                SELECT
                    ((r.first + floor(random() * (r.last - r.first + 1))::int)
                        + time '08:00' + floor(random() * 36) * interval '15 minutes')
                        AT TIME ZONE %s,
                    r.users[p.i], r.organisations[p.i], ARRAY[r.roles[p.i]], r.case_id,
                    CASE WHEN p.what = 'case_page' THEN r.persons ELSE '{}' END,
                    p.what, '/casussen/' || r.case_id || '/', '10.0.0.1', 'bench',
                    r.bases[p.i], ''
                FROM bench_readers r
                CROSS JOIN LATERAL generate_series(1, r.n) AS g
                CROSS JOIN LATERAL (
                    SELECT 1 + floor(random() * cardinality(r.users))::int + 0 * g AS i,
                           (ARRAY['case_page', 'case_page', 'journal_entry', 'history'])
                               [1 + floor(random() * 4)::int] AS what
                ) AS p
                ORDER BY 1
                """,
                [settings.TIME_ZONE],
            )
            self.counts["privacy_readlogentry"] = cursor.rowcount
            cursor.execute("DROP TABLE bench_readers")

    # --- meetings -------------------------------------------------------------------------------

    def _meetings(self, start: dt.date) -> None:
        rng, t = self.rng, self.t
        members = [o for o in self.organisations if not o.on_call_only][:9]
        for year in range(start.year, self.today.year + 1):
            for network in self.networks:
                for month in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12):
                    day = dt.date(year, month, 8 + network.pk % 10)
                    if day < start:
                        continue
                    cancelled = rng.random() < 0.05
                    meeting_id = t["Meeting"].add(
                        kind=MeetingKind.CASE,
                        network_id=network.pk,
                        date=day,
                        start_time=dt.time(10),
                        location="Wijkbureau",
                        chair_id=self.coordinators[0].pk,
                        status=MeetingStatus.CANCELLED if cancelled else MeetingStatus.PLANNED,
                        cancel_reason="Te weinig casussen." if cancelled else "",
                        agenda_published_at=_at(day - dt.timedelta(days=7), 9)
                        if day <= self.today
                        else None,
                        minutes_state="final" if day < self.today else "draft",
                        created_at=_at(day - dt.timedelta(days=40), 9),
                        updated_at=_at(day, 12),
                    )
                    if day > self.today or cancelled:
                        continue
                    for organisation in members:
                        t["Attendance"].add(
                            meeting_id=meeting_id,
                            organisation_id=organisation.pk,
                            present=rng.random() < 0.85,
                        )
            for kind in (MeetingKind.ADVISORY, MeetingKind.STEERING):
                for month in (4, 10):
                    day = dt.date(year, month, 15)
                    if start <= day:
                        t["Meeting"].add(
                            kind=kind,
                            date=day,
                            start_time=dt.time(14),
                            location="Stadskantoor",
                            chair_id=self.coordinators[0].pk,
                            created_at=_at(day - dt.timedelta(days=60), 9),
                            updated_at=_at(day, 12),
                        )

    # --- after the rows -------------------------------------------------------------------------

    def _sequences(self) -> None:
        for year, last in self.numbers.items():
            CaseNumberSequence.objects.update_or_create(year=year, defaults={"last": last})

    def _history(self) -> None:
        dates = {
            "Case": "created_at", "Referral": "created_at", "Person": "created_at",
            "CaseInvolvement": "added_at", "JournalEntry": "created_at",
            "ConsentRequest": None, "PoliceScreening": None, "KrisCheck": "recorded_at",
            "CriterionAssessment": "assessed_at", "Plan": "created_at", "Action": "created_at",
            "Evaluation": "created_at", "AftercarePlan": "created_at",
            "EvictionAdvice": "created_at", "Meeting": "created_at",
        }  # fmt: skip
        for name, table in self.t.items():
            rows = _history_rows(table.model, table.first_id, dates.get(name))
            if rows:
                self.counts[f"history:{table.name}"] = rows

    def _retention(self) -> None:
        """Anonymise what the daily retention job would have anonymised by today, with the
        privacy app's own field rules, in bulk; then purge the keyed hashes past the
        recidivism window and meet the retention deadlines of the anonymised cases."""
        due = privacy_selectors.retention_due(self.today)
        ids = list(due.values_list("pk", flat=True))
        self.counts["anonymised_cases"] = len(ids)
        if ids:
            with connection.cursor() as cursor:
                cursor.execute("CREATE TEMP TABLE bench_expired (id bigint PRIMARY KEY)")
                cursor.execute("INSERT INTO bench_expired SELECT unnest(%s::bigint[])", [ids])
            expired_ids = RawSQL("SELECT id FROM bench_expired", [])  # noqa: S611
            expired = Case.objects.filter(pk__in=expired_ids)
            for model in anonymise.case_models():
                values = anonymise.removable_fields(model)
                if not values or model._meta.label in anonymise.THROUGH:
                    continue
                key = "pk" if model is Case else "case_id"
                model._default_manager.filter(**{f"{key}__in": expired_ids}).update(**values)
                history = getattr(model, "history", None)
                if history is not None:
                    key = "id" if model is Case else "case_id"
                    history.model.objects.filter(**{f"{key}__in": expired_ids}).update(**values)
            tombstone = {
                "first_name": "",
                "last_name": anonymise.TOMBSTONE_NAME,
                "date_of_birth": None,
                "phone": "",
                "notes": "",
                "consents_to_contact": False,
            }
            Person.objects.filter(case_id__in=expired_ids).update(**tombstone, erased_at=self.now)
            Person.history.model.objects.filter(case_id__in=expired_ids).update(**tombstone)
            with transaction.atomic(), connection.cursor() as cursor:
                # The read log is append-only; the trigger's escape hatch, as readlog does.
                cursor.execute("SELECT set_config(%s, 'on', true)", [readlog.REDACTION_SETTING])
                cursor.execute(
                    "UPDATE privacy_readlogentry SET person_ids = '{}', object_id = NULL, "
                    "path = '', motivation = '', redacted_at = %s "
                    "WHERE case_id IN (SELECT id FROM bench_expired)",
                    [self.now],
                )
                cursor.execute("SELECT set_config(%s, 'off', true)", [readlog.REDACTION_SETTING])
            # Met when the daily job would have met them: on their due date (a redirected
            # referral's when its shorter period ended), not all today, which would put tens
            # of thousands of "met in the last 30 days" on the dashboard that no installation
            # has.
            expired_deadlines = Deadline.objects.filter(
                kind=deadline_kinds.RETENTION, case_id__in=expired_ids, met_at__isnull=True
            )
            expired_deadlines.update(met_at=Least(F("due_at"), Value(self.now)))
            expired.update(anonymised_at=self.now)
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE bench_expired")
        self.counts["keys_purged_cases"] = privacy_services.recidivism_keys_purge(today=self.today)


def seed(*, cases: int, report: Callable[[str], None] = lambda line: None) -> dict[str, int]:
    """Seed the benchmark data set into the current database (expects it migrated and free
    of earlier benchmark cases). Returns the rows written per table."""
    with transaction.atomic():  # one commit: autocommit would wait for the disk per statement
        return BenchSeeder(cases=cases, report=report).run()


def summary(values: Iterable[tuple[str, int]]) -> str:
    return "\n".join(f"{name:45} {count:>10,}" for name, count in values)
