"""Synthetic early signals for the demo (issue 17), made through `early_signals.services`
as the demo user who would take each step, after the demo cases (`seed_demo_cases`):

- an open signal (Portaal's referrer), waiting for the coordinator;
- two organisations (Mitros and the police) signalling the same address, linked by the
  coordinator, with a note for the coordinators;
- a signal closed with an outcome and the coordinator's advice (Bo-Ex);
- a signal on the address of the demo case at intake, taken into that case by the same rule
  as at a referral's submission (`signals_attach_to_case`): the case team sees it on the
  intake page, the case page and the case history.

Idempotent: a demo signal is recognised by its short description (starting with the demo
mark and its title) on a signal of a demo account; one that exists already is skipped.
No names in the texts, as the form asks.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases import postcodes
from cases.choices import NuisanceForm
from cases.models import Case, LawfulBasis
from early_signals import services
from early_signals.choices import NoteKind, SignalOutcome
from early_signals.models import Signal
from partners.models import User

from .demo import COORDINATOR, DEMO_MARK, MELDER_MITROS, MELDER_POLITIE, MELDER_PORTAAL

BO_EX_REP = "bo-ex@example.org"
INTAKE_SCENARIO = "Intake: consent and screening requested"

N = NuisanceForm


@dataclass(frozen=True)
class DemoSignal:
    title: str  # unique; the idempotency key (first line of the short description)
    by: str
    postcode: str
    house_number: int
    nuisance_forms: tuple[str, ...]
    own_actions: str
    story: str

    @property
    def note(self) -> str:
        return f"{DEMO_MARK} {self.title}\n{self.story}"


OPEN = DemoSignal(
    "Open signal: noise at night",
    MELDER_PORTAAL,
    "3526 HC",
    41,
    (N.NOISE,),
    "Twee gesprekken met de huurder; afspraken over muziek na 23 uur.",
    "Sinds enkele weken 's nachts harde muziek; buren klagen bij de corporatie.",
)
LINKED_FIRST = DemoSignal(
    "Linked signals: Mitros",
    MELDER_MITROS,
    "3532 EK",
    88,
    (N.POLLUTION, N.NOISE),
    "Huisbezoek gedaan en een schoonmaakafspraak gemaakt.",
    "Afval op de galerij en geluid tot laat; de situatie lijkt te verslechteren.",
)
LINKED_SECOND = DemoSignal(
    "Linked signals: police",
    MELDER_POLITIE,
    "3532 EK",
    88,
    (N.MISBEHAVIOUR,),
    "Wijkagent is langs geweest en heeft een gesprek gevoerd.",
    "Twee meldingen van ruzie bij de voordeur in een maand.",
)
CLOSED = DemoSignal(
    "Closed signal: advised",
    BO_EX_REP,
    "3572 AX",
    63,
    (N.POLLUTION,),
    "Brief gestuurd over vervuiling van de tuin.",
    "Tuin vol afval; de buren hebben er last van.",
)
IN_CASE = DemoSignal(
    "Signal taken into the intake case",
    MELDER_MITROS,
    "3562 ZN",
    5,
    (N.VANDALISM, N.THREATS),
    "Lift laten herstellen en de huurder aangesproken.",
    "Schade in de lift en dreigende taal naar de conciërge.",
)
DEMO_SIGNALS = (OPEN, LINKED_FIRST, LINKED_SECOND, CLOSED, IN_CASE)


def _basis(user: User) -> tuple[LawfulBasis, str]:
    kind = user.organisation.kind if user.organisation else ""
    category = "police" if kind == "police" else "ordinary"
    basis = (
        LawfulBasis.objects.filter(
            is_active=True,
            organisation_kinds__contains=[kind],
            data_categories__contains=[category],
            requires_motivation=False,
            requires_consent_date=False,
        )
        .order_by("code")
        .first()
    )
    if basis is None:
        raise LookupError(f"No lawful basis for a signal of {kind}")
    return basis, category


def _existing() -> dict[str, Signal]:
    found: dict[str, Signal] = {}
    for signal in Signal.objects.filter(
        signalled_by__is_demo=True, note__startswith=DEMO_MARK
    ).order_by("pk"):
        title = signal.note.removeprefix(DEMO_MARK).strip().split("\n", 1)[0]
        found.setdefault(title, signal)
    return found


def _record(demo: DemoSignal, users: dict[str, User], today: datetime.date) -> Signal:
    user = users[demo.by]
    basis, category = _basis(user)
    postcode = postcodes.normalise_postcode(demo.postcode) or ""
    return services.signal_record(
        postcode=postcode,
        house_number=demo.house_number,
        house_number_addition="",
        district=postcodes.district_for(postcode),
        nuisance_forms=list(demo.nuisance_forms),
        nuisance_since=today - datetime.timedelta(days=45),
        own_actions=demo.own_actions,
        note=demo.note,
        lawful_basis=basis,
        data_category=category,
        consent_date=None,
        basis_motivation="",
        by=user,
    )


def seed_demo_signals(
    *, users: dict[str, User], report: Callable[[str], None] = lambda line: None
) -> list[Signal]:
    """Make the demo signals that do not exist yet; returns the ones made."""
    today = timezone.localdate()
    existing = _existing()
    coordinator = users[COORDINATOR]
    made: list[Signal] = []

    def new(demo: DemoSignal) -> Signal | None:
        if demo.title in existing:
            return None
        signal = _record(demo, users, today)
        existing[demo.title] = signal
        made.append(signal)
        report(f"signal {signal.pk}  {demo.title}")
        return signal

    with transaction.atomic():
        new(OPEN)
        first, second = new(LINKED_FIRST), new(LINKED_SECOND)
        if first is not None or second is not None:
            services.signal_link(
                signal=existing[LINKED_FIRST.title],
                other=existing[LINKED_SECOND.title],
                by=coordinator,
            )
            services.signal_note_add(
                signal=existing[LINKED_FIRST.title],
                kind=NoteKind.NOTE,
                text="Twee organisaties zien hetzelfde adres; volgende maand opnieuw bekijken.",
                by=coordinator,
            )
        closed = new(CLOSED)
        if closed is not None:
            services.signal_note_add(
                signal=closed,
                kind=NoteKind.ADVICE,
                text="Een opruimafspraak met de huurder maken; de gemeente kan helpen.",
                by=coordinator,
            )
            services.signal_close(
                signal=closed,
                outcome=SignalOutcome.ADVISED,
                outcome_note="Geadviseerd over eigen middelen van de corporatie.",
                by=coordinator,
            )
        in_case = new(IN_CASE)
        case = _intake_case()
        if in_case is not None and case is not None:
            # The rule of a referral's submission: open signals on its address join it.
            services.signals_attach_to_case(case=case, by=coordinator)
    return made


def _intake_case() -> Any:
    """The demo case at intake whose address the last signal is about (None when the demo
    cases were not made)."""
    return Case.objects.filter(
        created_by__is_demo=True,
        referrals__description__startswith=f"{DEMO_MARK} {INTAKE_SCENARIO}\n",
    ).first()
