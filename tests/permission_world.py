"""The world the permission matrix (tests/test_permission_matrix.py) runs in.

One rich set of data, built once per test module: every role of DOMAIN.md §3 as one user,
a case inside the scope of the "in" users and a case outside it, and for every kind of
object a URL can point at one example inside and one outside each user's scope.

`SCENARIOS` names the objects a line of tests/permission_matrix.toml points at; each
scenario gives the URL keyword arguments (`pk`, `entry_pk`, ...). When a new URL needs an
object the world lacks, build it in `build_world()` and add a scenario for it.

The persons, the confidential texts and the screening details carry distinctive tokens
(`MARKERS`) so the matrix can tell from a response body what it revealed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.choices import CaseStatus, Confidentiality, JournalKind, PersonRole, RiskLevel
from cases.models import (
    ConsentRequest,
    EvictionAdvice,
    LawfulBasis,
    MaterialSupport,
    PoliceScreening,
    RecidivismMatch,
    Relocation,
)
from partners import access
from partners.choices import Role
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import (
    CovenantFactory,
    DistrictFactory,
    NetworkFactory,
    NetworkRepresentativeFactory,
    OrganisationFactory,
    UserFactory,
)

# The columns of the matrix, in order. `None`: not signed in.
ROLES: dict[str, str] = {
    "coord": "coordinator",
    "cm_a": "casemanager of case 1 (the case in scope)",
    "cm_b": "another casemanager (of case 2)",
    "corp": "representative of Mitros: owns case 1's home, involved in case 1",
    "police": "representative of Politie: involved in case 1 (named on police-only items)",
    "care": "representative of Altrecht: not involved in case 1 (involved in case 2)",
    "referrer": "referrer of Mitros (referred case 1)",
    "manager": "manager / steering",
    "privacy": "privacy officer",
    "admin": "functional administrator",
    "anon": "anonymous visitor",
}

# What a response body is searched for. Letters are the suffixes of a matrix cell.
CAUSER_1 = ("Zwaantje", "Quibbelmans", dt.date(1961, 2, 3))
NEIGHBOUR_1 = ("Hendrikje", "Vlonderhuizen", dt.date(1975, 8, 14))
CAUSER_2 = ("Ottoline", "Brammerdijk", dt.date(1958, 11, 29))
STREET_1, NUMBER_1 = "Kwikstaartlaan", 37
STREET_2, NUMBER_2 = "Zeepziedersgang", 5
CAUSER_3 = ("Gerritje", "Plompenhaar", dt.date(1949, 4, 17))  # case 3: closed in 2020
STREET_3, NUMBER_3 = "Turfdragerspad", 11
TEAM_ONLY = "ALLEEN-TEAM-7731"
POLICE_ONLY = "ALLEEN-POLITIE-4412"
SCREENING_DETAIL = "SCREENING-DETAIL-9054"
# Case 1's referral description and its neighbour's phone: privacy by default, for the case
# team unless shared with a named organisation (cases.access.may_see_sensitive_details).
SENSITIVE_DETAIL = "GEVOELIG-OMSCHRIJVING-6617"
NEIGHBOUR_PHONE_1 = "0655583391"

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"]
MONTHS_NL += ["september", "oktober", "november", "december"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August"]
MONTHS_EN += ["September", "October", "November", "December"]


def _date_forms(day: dt.date) -> list[str]:
    """The ways a template may render a date of birth."""
    return [
        day.isoformat(),
        day.strftime("%d-%m-%Y"),
        day.strftime("%d/%m/%Y"),
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}",
        f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}",
        f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}",
    ]


def _person_markers(first: str, last: str, born: dt.date) -> list[str]:
    return [first, last, *_date_forms(born)]


MARKERS: dict[str, tuple[str, list[str]]] = {
    "A": ("case 1 is shown: its street appears (partners see the street in lists)", [STREET_1]),
    "B": ("case 2 is shown: its street appears", [STREET_2]),
    "C": ("case 3 is shown: its street appears", [STREET_3]),
    "p": (
        "personal data of case 1: a name or date of birth, or the street with house number",
        [
            *_person_markers(*CAUSER_1),
            *_person_markers(*NEIGHBOUR_1),
            f"{STREET_1} {NUMBER_1}",
        ],
    ),
    "q": (
        "personal data of case 2: a name or date of birth, or the street with house number",
        [*_person_markers(*CAUSER_2), f"{STREET_2} {NUMBER_2}"],
    ),
    "r": (
        "personal data of case 3 (closed in 2020, due for retention)",
        [*_person_markers(*CAUSER_3), f"{STREET_3} {NUMBER_3}"],
    ),
    "c": ("content for the case team only (journal entry or document)", [TEAM_ONLY]),
    "n": ("content named to the police only (journal entry or document)", [POLICE_ONLY]),
    "s": ("the detail of a police screening", [SCREENING_DETAIL]),
    "d": (
        "case 1's details for the case team unless shared (referral description, neighbour's phone)",
        [SENSITIVE_DETAIL, NEIGHBOUR_PHONE_1],
    ),
}


def markers_in(body: str) -> str:
    """The marker letters whose tokens appear in `body`, in MARKERS order."""
    return "".join(
        letter for letter, (_label, tokens) in MARKERS.items() if any(t in body for t in tokens)
    )


def pdf_with_text(text: str) -> bytes:
    """A small, valid one-page PDF showing `text` (uncompressed, so the text is searchable)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass
class World:
    users: dict[str, Any]  # column key -> user (no "anon")
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """What a matrix line points at: URL kwargs from the world, and the case it belongs to
    (for the rule that outsiders get 404 on everything of a case)."""

    description: str
    kwargs: Callable[[World], dict[str, Any]]
    case: str | None = None  # key in World.objects
    query: str = ""  # appended to the path, e.g. "?q=..." for a search


def _basis_pk(code: str) -> int:
    from cases.models import LawfulBasis

    return LawfulBasis.objects.get(code=code).pk


def _pk(key: str, name: str = "pk") -> Callable[[World], dict[str, Any]]:
    return lambda w: {name: w.objects[key].pk}


def _case_and(case: str, key: str, name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w.objects[case].pk, name: w.objects[key].pk}


SCENARIOS: dict[str, Scenario] = {
    "-": Scenario("no URL arguments", lambda w: {}),
    "meeting1": Scenario(
        "case meeting of the network, Mitros invited; case 1 and case 2 on the agenda",
        _pk("meeting1"),
    ),
    "item1@meeting1": Scenario(
        "case 1's item on the meeting's agenda",
        lambda w: {"pk": w.objects["meeting1"].pk, "item_pk": w.objects["item1"].pk},
    ),
    "bottleneck1": Scenario("a bottleneck Mitros signalled (no case data)", _pk("bottleneck1")),
    "signal1": Scenario("an open early signal Mitros's representative recorded", _pk("signal1")),
    "signal2": Scenario(
        "an early signal of Mitros whose referral the coordinator invited", _pk("signal2")
    ),
    "meeting1/agenda": Scenario(
        "the meeting's agenda PDF",
        lambda w: {"pk": w.objects["meeting1"].pk, "kind": "agenda"},
    ),
    "invitation1@meeting1": Scenario(
        "Mitros's representative's invitation to the meeting (apologies)",
        lambda w: {"pk": w.objects["meeting1"].pk, "invitation_pk": w.objects["invitation1"].pk},
    ),
    # Searches (the query itself is no marker, so an echo in the search box reveals nothing)
    "?q=Quibbel": Scenario(
        "search for part of case 1's causer's name", lambda w: {}, query="?q=Quibbel"
    ),
    "?q=3555AB": Scenario("search for case 1's postcode", lambda w: {}, query="?q=3555AB"),
    # Cases
    "case1": Scenario("case 1 (in scope of cm_a, corp, police)", _pk("case1"), case="case1"),
    "case2": Scenario("case 2 (in scope of cm_b, care)", _pk("case2"), case="case2"),
    "case4": Scenario(
        "case 4 in intake: Mitros asked for consent, Politie for a screening, not involved",
        _pk("case4"),
        case="case4",
    ),
    "case5": Scenario(
        "case 5 redirected: Altrecht's involvement ended at once", _pk("case5"), case="case5"
    ),
    "case6": Scenario(
        "case 6 closed past the handover period: Altrecht's involvement ended",
        _pk("case6"),
        case="case6",
    ),
    "case1/police": Scenario(
        "case 1 and its involved organisation Politie",
        _case_and("case1", "politie", "organisation_pk"),
        case="case1",
    ),
    "case2/care": Scenario(
        "case 2 and its involved organisation Altrecht",
        _case_and("case2", "altrecht", "organisation_pk"),
        case="case2",
    ),
    # Persons
    "causer1": Scenario(
        "case 1 and its causer", _case_and("case1", "causer1", "person_pk"), case="case1"
    ),
    "causer2": Scenario(
        "case 2 and its causer", _case_and("case2", "causer2", "person_pk"), case="case2"
    ),
    "causer2@case1": Scenario(
        "case 2's causer asked for under case 1's URL",
        _case_and("case1", "causer2", "person_pk"),
        case="case1",
    ),
    # Journal entries of case 1 at each confidentiality level, and one of case 2
    "entry_all": Scenario(
        "case 1 journal entry for all involved",
        _case_and("case1", "entry_all", "entry_pk"),
        case="case1",
    ),
    "entry_team": Scenario(
        "case 1 journal entry for the case team only",
        _case_and("case1", "entry_team", "entry_pk"),
        case="case1",
    ),
    "entry_police": Scenario(
        "case 1 journal entry named to Politie",
        _case_and("case1", "entry_police", "entry_pk"),
        case="case1",
    ),
    "entry_corp": Scenario(
        "case 1 journal entry written by Mitros for the case team only (author sees it)",
        _case_and("case1", "entry_corp", "entry_pk"),
        case="case1",
    ),
    "entry2": Scenario(
        "case 2 journal entry (all involved)", _case_and("case2", "entry2", "entry_pk"), "case2"
    ),
    "entry2@case1": Scenario(
        "case 2's journal entry asked for under case 1's URL",
        _case_and("case1", "entry2", "entry_pk"),
        case="case1",
    ),
    # Plan of approach (issue 12): a draft of case 1 and of case 2, a goal and an action each
    "plan1v1": Scenario(
        "case 1's plan, version 1", lambda w: {"pk": w.objects["case1"].pk, "number": 1}, "case1"
    ),
    "goal1": Scenario("case 1 and its goal", _case_and("case1", "goal1", "goal_pk"), "case1"),
    "goal2": Scenario("case 2 and its goal", _case_and("case2", "goal2", "goal_pk"), "case2"),
    "goal2@case1": Scenario(
        "case 2's goal asked for under case 1's URL",
        _case_and("case1", "goal2", "goal_pk"),
        case="case1",
    ),
    "action1": Scenario("case 1's action for Politie", _pk("action1", "action_pk"), "case1"),
    "action2": Scenario("case 2's action for Altrecht", _pk("action2", "action_pk"), "case2"),
    # Documents (real PDF files) of case 1 at each level, and one of case 2
    "doc_all": Scenario(
        "case 1 document for all involved",
        _case_and("case1", "doc_all", "document_pk"),
        case="case1",
    ),
    "doc_team": Scenario(
        "case 1 document for the case team only",
        _case_and("case1", "doc_team", "document_pk"),
        case="case1",
    ),
    "doc_police": Scenario(
        "case 1 document named to Politie",
        _case_and("case1", "doc_police", "document_pk"),
        case="case1",
    ),
    "doc2": Scenario(
        "case 2 document (all involved)", _case_and("case2", "doc2", "document_pk"), "case2"
    ),
    "doc2@case1": Scenario(
        "case 2's document asked for under case 1's URL",
        _case_and("case1", "doc2", "document_pk"),
        case="case1",
    ),
    # Requests in the partners' inbox
    "consent1": Scenario("consent request of case 1 to Mitros (open)", _pk("consent1")),
    "consent2": Scenario(
        "consent request of case 2 to Portaal (another corporation)", _pk("consent2")
    ),
    "screening1": Scenario("police screening of case 1 (Politie involved)", _pk("screening1")),
    "screening2": Scenario(
        "police screening of case 2 (Politie's involvement ended)", _pk("screening2")
    ),
    "consent4": Scenario(
        "consent request of case 4 to Mitros (open; Mitros not involved)", _pk("consent4")
    ),
    "screening4": Scenario(
        "police screening asked for case 4 (open; Politie not involved)", _pk("screening4")
    ),
    # Possible repeat referrals found on the address alone (the coordinator decides)
    "match1": Scenario(
        "case 1's possible repeat (earlier case 3)",
        _case_and("case1", "match1", "match_pk"),
        "case1",
    ),
    "match2": Scenario(
        "case 2's possible repeat (case 2 accepted: intake over)",
        _case_and("case2", "match2", "match_pk"),
        "case2",
    ),
    "match2@case1": Scenario(
        "case 2's possible repeat asked for under case 1's URL",
        _case_and("case1", "match2", "match_pk"),
        "case1",
    ),
    # Referrals
    "referral1": Scenario("Mitros's submitted referral (case 1)", _pk("referral1")),
    "referral2": Scenario(
        "Portaal's submitted referral (case 2): another organisation", _pk("referral2")
    ),
    "draft1": Scenario("a draft referral by Mitros's referrer", _pk("draft1")),
    "draft2": Scenario("a draft referral by Portaal's referrer", _pk("draft2")),
    # After the plan (issue 12): material support and relocation addressed to Mitros (case 1)
    "support1": Scenario(
        "case 1's material support request to Mitros (pending)",
        _case_and("case1", "support1", "support_pk"),
        case="case1",
    ),
    "support2@case1": Scenario(
        "case 2's material support request (to Portaal) asked for under case 1's URL",
        _case_and("case1", "support2", "support_pk"),
        case="case1",
    ),
    "relocation1": Scenario(
        "case 1's relocation advised to Mitros (no proposal yet)",
        _case_and("case1", "relocation1", "relocation_pk"),
        case="case1",
    ),
    "eviction1": Scenario(
        "case 1's eviction advice to Mitros; Politie consulted, its officer named",
        _case_and("case1", "eviction1", "advice_pk"),
        case="case1",
    ),
    "eviction2@case1": Scenario(
        "case 2's eviction advice (to Portaal) asked for under case 1's URL",
        _case_and("case1", "eviction2", "advice_pk"),
        case="case1",
    ),
    "agreement1": Scenario("a result agreement of this year", _pk("agreement1")),
    # Functional administration
    "organisation": Scenario("an organisation (Victas)", _pk("victas")),
    "user": Scenario("a user (cm_b)", lambda w: {"pk": w.users["cm_b"].pk}),
    "network": Scenario("a network (Netwerk Noordwest)", _pk("network")),
    "network/rep": Scenario(
        "a network and one of its representatives",
        lambda w: {"pk": w.objects["network"].pk, "rep_pk": w.objects["representative"].pk},
    ),
    "district": Scenario("a district", _pk("district")),
    "covenant": Scenario("the covenant", _pk("covenant")),
    # The privacy officer's data-subject requests (about case 1's causer)
    "dsr_done": Scenario("access request with its export ready", _pk("dsr_done")),
    "dsr_new": Scenario("access request just registered (no export)", _pk("dsr_new")),
    # The lawful-basis catalogue and the review of items from before it (privacy officer)
    "basis": Scenario(
        "an entry of the lawful-basis catalogue (Wmo 2015)",
        lambda w: {"pk": _basis_pk("gemeente-wmo")},
    ),
    "review1": Scenario(
        "case 1's journal entry marked for the privacy officer's basis review",
        lambda w: {"kind": "journal", "pk": w.objects["entry_all"].pk},
    ),
    "dsr_done/json": Scenario(
        "the JSON export of the ready request",
        lambda w: {"pk": w.objects["dsr_done"].pk, "fmt": "json"},
    ),
    "dsr_done/pdf": Scenario(
        "the PDF export of the ready request",
        lambda w: {"pk": w.objects["dsr_done"].pk, "fmt": "pdf"},
    ),
    "dsr_new/json": Scenario(
        "the JSON export of a request without export",
        lambda w: {"pk": w.objects["dsr_new"].pk, "fmt": "json"},
    ),
    # Notifications
    "notification": Scenario("a notification to cm_a about case 1", _pk("notification")),
    # Sign-in
    "reset_link": Scenario(
        "a password-reset link with an invalid token",
        lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
}


def _role_user(key: str, organisation: Any, *roles: Role) -> Any:
    user = UserFactory(
        email=f"matrix-{key}@example.org",
        first_name="Matrix",
        last_name=key,
        organisation=organisation,
        roles=list(roles),
    )
    access.sync_user_organisation_group(user)
    return user


def build_world() -> World:
    """Everything the matrix needs. Runs inside the module's transaction (rolled back)."""
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    portaal = OrganisationFactory(name="Portaal", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    altrecht = OrganisationFactory(name="Altrecht")
    ggd = OrganisationFactory(name="Gemeente Utrecht – Volksgezondheid")
    victas = OrganisationFactory(name="Victas")

    users = {
        "coord": _role_user("coord", uc, Role.COORDINATOR),
        "cm_a": _role_user("cm_a", uc, Role.CASEMANAGER),
        "cm_b": _role_user("cm_b", uc, Role.CASEMANAGER),
        "corp": _role_user("corp", mitros, Role.PARTNER_REPRESENTATIVE),
        "police": _role_user("police", politie, Role.PARTNER_REPRESENTATIVE),
        "care": _role_user("care", altrecht, Role.PARTNER_REPRESENTATIVE),
        "referrer": _role_user("referrer", mitros, Role.REFERRER),
        "manager": _role_user("manager", ggd, Role.MANAGER),
        "privacy": _role_user("privacy", ggd, Role.PRIVACY_OFFICER),
        "admin": _role_user("admin", uc, Role.FUNCTIONAL_ADMIN),
    }
    coord, cm_a = users["coord"], users["cm_a"]
    portaal_referrer = _role_user("portaal-referrer", portaal, Role.REFERRER)
    network = NetworkFactory(name="Netwerk Noordwest")
    objects: dict[str, Any] = {
        "mitros": mitros,
        "portaal": portaal,
        "politie": politie,
        "altrecht": altrecht,
        "victas": victas,
        "network": network,
        "district": DistrictFactory(name="Noordwest"),
        "representative": NetworkRepresentativeFactory(network=network, user=users["corp"]),
    }
    from partners.models import Covenant

    objects["covenant"] = Covenant.objects.first() or CovenantFactory()

    # Case 1: in intake, casemanager A, home of Mitros; Mitros and Politie involved.
    case1 = CaseFactory(
        status=CaseStatus.INTAKE,
        casemanager=cm_a,
        network=network,
        street=STREET_1,
        house_number=NUMBER_1,
        postcode="3555AB",
        corporation=mitros,
        created_by=users["referrer"],
        intake_started_on=dt.date(2026, 11, 3),
    )
    causer1 = PersonFactory(
        case=case1, first_name=CAUSER_1[0], last_name=CAUSER_1[1], date_of_birth=CAUSER_1[2]
    )
    PersonFactory(
        case=case1,
        role=PersonRole.NEIGHBOUR,
        first_name=NEIGHBOUR_1[0],
        last_name=NEIGHBOUR_1[1],
        date_of_birth=NEIGHBOUR_1[2],
        phone=NEIGHBOUR_PHONE_1,
    )
    objects["referral1"] = ReferralFactory(
        case=case1,
        organisation=mitros,
        referrer=users["referrer"],
        description=f"Geschreeuw in de nacht. {SENSITIVE_DETAIL}",
    )
    services.involvement_add(case=case1, organisation=mitros, by=coord)
    services.involvement_add(case=case1, organisation=politie, by=coord)

    # Case 2: accepted, casemanager B, home of Portaal; Altrecht involved, Politie no more.
    case2 = CaseFactory(
        accepted=True,
        casemanager=users["cm_b"],
        network=network,
        street=STREET_2,
        house_number=NUMBER_2,
        postcode="3582CD",
        corporation=portaal,
        created_by=portaal_referrer,
    )
    causer2 = PersonFactory(
        case=case2, first_name=CAUSER_2[0], last_name=CAUSER_2[1], date_of_birth=CAUSER_2[2]
    )
    objects["referral2"] = ReferralFactory(
        case=case2, organisation=portaal, referrer=portaal_referrer
    )
    services.involvement_add(case=case2, organisation=altrecht, by=coord)
    services.involvement_add(case=case2, organisation=politie, by=coord)
    objects.update(case1=case1, case2=case2, causer1=causer1, causer2=causer2)

    # Case 3: closed in 2020 (casemanager B), past the retention period.
    case3 = CaseFactory(
        closed=True,
        closed_on=dt.date(2020, 6, 1),
        casemanager=users["cm_b"],
        network=network,
        street=STREET_3,
        house_number=NUMBER_3,
        postcode="3511CC",
        created_by=portaal_referrer,
    )
    PersonFactory(
        case=case3, first_name=CAUSER_3[0], last_name=CAUSER_3[1], date_of_birth=CAUSER_3[2]
    )
    objects["case3"] = case3

    # Journal entries: one per confidentiality level, and Mitros's own team-only entry.
    today = timezone.localdate()

    def entry(case: Any, by: Any, text: str, level: str, named: list[Any] | None = None) -> Any:
        return services.journal_entry_add(
            case=case,
            by=by,
            kind=JournalKind.NOTE,
            occurred_on=today,
            participants="",
            text=text,
            confidentiality=level,
            visible_to=named or [],
        )

    objects["entry_all"] = entry(
        case1, cm_a, "Huisbezoek afgelegd; afspraken gemaakt.", Confidentiality.ALL_INVOLVED
    )
    objects["entry_team"] = entry(
        case1, cm_a, f"{TEAM_ONLY} Zorgsignaal besproken.", Confidentiality.CASE_TEAM
    )
    objects["entry_police"] = entry(
        case1,
        coord,
        f"{POLICE_ONLY} Informatie voor de politie.",
        Confidentiality.NAMED_ORGANISATIONS,
        [politie],
    )
    objects["entry_corp"] = entry(
        case1, users["corp"], "Melding van de verhuurder.", Confidentiality.CASE_TEAM
    )
    objects["entry2"] = entry(
        case2, users["cm_b"], "Gesprek met de buren.", Confidentiality.ALL_INVOLVED
    )

    # Documents: real small PDFs, the file holds the causer's name.
    def document(case: Any, by: Any, title: str, level: str, named: list[Any] | None = None) -> Any:
        person = CAUSER_1 if case is case1 else CAUSER_2
        content = pdf_with_text(f"Verslag over {person[0]} {person[1]}")
        return services.document_add(
            case=case,
            by=by,
            title=title,
            upload=SimpleUploadedFile("verslag.pdf", content, content_type="application/pdf"),
            confidentiality=level,
            visible_to=named or [],
        )

    objects["doc_all"] = document(case1, cm_a, "Plan van aanpak", Confidentiality.ALL_INVOLVED)
    objects["doc_team"] = document(case1, cm_a, f"{TEAM_ONLY} Verslag", Confidentiality.CASE_TEAM)
    objects["doc_police"] = document(
        case1,
        coord,
        f"{POLICE_ONLY} Verslag",
        Confidentiality.NAMED_ORGANISATIONS,
        [politie],
    )
    objects["doc2"] = document(case2, users["cm_b"], "Buurtverslag", Confidentiality.ALL_INVOLVED)

    # Intake requests: consent (case 1 open to Mitros; case 2 answered by Portaal) and
    # police screenings (case 1 answered with detail; case 2 after Politie left the case).
    objects["consent1"] = ConsentRequest.objects.create(
        case=case1,
        corporation=mitros,
        requested_by=coord,
        requested_on=dt.date(2026, 11, 3),
    )
    objects["consent2"] = ConsentRequest.objects.create(
        case=case2,
        corporation=portaal,
        requested_by=coord,
        requested_on=dt.date(2026, 11, 3),
    )
    objects["screening1"] = PoliceScreening.objects.create(
        case=case1,
        requested_by=coord,
        requested_on=dt.date(2026, 11, 3),
        risk_level=RiskLevel.ELEVATED,
        safety_advice="Huisbezoek alleen met twee personen.",
        details=f"{SCREENING_DETAIL} Eerdere aangifte.",
        screened_by=users["police"],
        screened_on=dt.date(2026, 11, 4),
        lawful_basis=LawfulBasis.objects.get(code="politie-wpg"),
        data_category="police",
    )
    objects["screening2"] = PoliceScreening.objects.create(
        case=case2, requested_by=coord, requested_on=dt.date(2026, 11, 3)
    )
    services.involvement_end(case=case2, organisation=politie, by=coord)
    objects.update(_need_to_know_cases(users, mitros, altrecht))
    objects["match1"] = RecidivismMatch.objects.create(case=case1, earlier=case3)
    objects["match2"] = RecidivismMatch.objects.create(case=case2, earlier=case3)

    objects.update(_data_subject_requests(causer1, users["privacy"]))
    objects["notification"] = _notification(cm_a, case1)
    _read_log(users["cm_a"], case1, [causer1], "casemanager")
    _read_log(users["cm_b"], case2, list(case2.persons.all()), "casemanager")
    _read_log(users["care"], case2, list(case2.persons.all()), "involved_organisation")

    objects.update(_plans(users, objects, cm_a=cm_a, politie=politie, altrecht=altrecht))
    # After the plan (issue 12): wisselgeld and a relocation, each addressed to a corporation.
    objects["support1"] = MaterialSupport.objects.create(
        case=case1,
        amount="150.00",
        purpose="Vloerbedekking",
        corporation=mitros,
        why_not_regular="Geen bijzondere bijstand",
        requested_by=cm_a,
        requested_on=today,
    )
    objects["support2"] = MaterialSupport.objects.create(
        case=case2,
        amount="80.00",
        purpose="Gordijnen",
        corporation=portaal,
        why_not_regular="Geen andere bron",
        requested_by=users["cm_b"],
        requested_on=today,
    )
    objects["relocation1"] = Relocation.objects.create(
        case=case1,
        relocated="neighbour",
        corporation=mitros,
        advice="Rustiger woning",
        advised_by=cm_a,
        advised_on=today,
    )
    # The network's eviction advice to the landlord (Mitros for case 1, Portaal for case 2).
    objects["eviction1"] = EvictionAdvice.objects.create(
        case=case1,
        corporation=mitros,
        advised_on=today,
        advice="Ontruiming adviseren",
        neighbourhood_officer=users["police"],
        given_by=cm_a,
    )
    objects["eviction1"].consulted.set([mitros, politie])
    objects["eviction2"] = EvictionAdvice.objects.create(
        case=case2,
        corporation=portaal,
        advised_on=today,
        advice="Ontruiming adviseren",
        given_by=users["cm_b"],
    )
    objects["eviction2"].consulted.set([portaal])

    # A case meeting of the network (Mitros's representative is its standing member) with
    # case 1 (in intake: number and initials only) and case 2 on the published agenda.
    from meetings import services as meeting_services
    from meetings.choices import MeetingKind

    meeting = meeting_services.meeting_plan(
        kind=MeetingKind.CASE,
        network=network,
        date=today + dt.timedelta(days=14),
        start_time=dt.time(14, 0),
        location="Stadskantoor",
        by=coord,
    )
    objects["item1"] = meeting_services.agenda_item_add(
        meeting=meeting, title="", case=case1, question="Aannemen?", by=coord
    )
    meeting_services.agenda_item_add(
        meeting=meeting, title="", case=case2, question="Plan bespreken", by=coord
    )
    meeting_services.agenda_publish(meeting=meeting, by=coord)
    objects["meeting1"] = meeting
    objects["invitation1"] = meeting.invitations.get(user=users["corp"])
    objects["bottleneck1"] = meeting_services.bottleneck_signal(
        title="Nachtopvang vol", description="Geen plek.", by=users["corp"]
    )

    # Early signals of Mitros (no case yet): one open, one invited to refer.
    from early_signals import services as signal_services

    objects["signal1"] = corporation_signal(house_number=70, by=users["corp"])
    objects["signal2"] = corporation_signal(house_number=72, by=users["corp"])
    signal_services.signal_invite_referral(signal=objects["signal2"], advice="", by=coord)

    # A result agreement for this year, all networks (figures).
    from figures.choices import FigureKey
    from figures.models import ResultAgreement

    objects["agreement1"] = ResultAgreement.objects.create(
        year=today.year, figure=FigureKey.REFERRALS, target=40, updated_by=coord
    )

    # Draft referrals, one of each referring corporation.
    objects["draft1"] = services.referral_start(by=users["referrer"])
    objects["draft2"] = services.referral_start(by=portaal_referrer)
    return World(users=users, objects=objects)


def _plans(users: dict[str, Any], objects: dict[str, Any], **named: Any) -> dict[str, Any]:
    """A draft plan with one SMART goal and one action for case 1 (Politie) and case 2
    (Altrecht)."""
    from cases.services import plan as plan_services

    made: dict[str, Any] = {}
    due = timezone.localdate() + dt.timedelta(days=30)
    for n, by, organisation in (
        (1, named["cm_a"], named["politie"]),
        (2, users["cm_b"], named["altrecht"]),
    ):
        case = objects[f"case{n}"]
        plan = plan_services.plan_start(case=case, by=by, summary="Samenvatting.")
        goal = plan_services.goal_add(
            plan=plan,
            by=by,
            specific="Geen geluidsoverlast meer na 22 uur.",
            indicator="Meldingen per maand",
            target="0",
            agreed_partners=[organisation],
            feasibility="Bewoner werkt mee.",
            target_date=due,
        )
        action = plan_services.action_assign(
            by=by, goal=goal, organisation=organisation, description="Huisbezoek.", due_on=due
        )
        made.update({f"plan{n}": plan, f"goal{n}": goal, f"action{n}": action})
    return made


def _need_to_know_cases(users: dict[str, Any], mitros: Any, altrecht: Any) -> dict[str, Any]:
    """Access follows the need (DOMAIN.md §7). Case 4: in intake, Mitros asked for consent
    and the police for a screening, neither involved (they see the request, not the case).
    Case 5: redirected, Altrecht's involvement ended by the redirection. Case 6: closed
    INVOLVEMENT_HANDOVER_DAYS + 1 days ago, Altrecht's involvement ended by the daily job."""
    coord, cm_b = users["coord"], users["cm_b"]
    case4 = CaseFactory(
        status=CaseStatus.INTAKE,
        casemanager=cm_b,
        street="Verzoekstraat",
        house_number=4,
        corporation=mitros,
        intake_started_on=dt.date(2026, 11, 3),
    )
    PersonFactory(case=case4, first_name="Vera", last_name="Verzoek")
    ReferralFactory(case=case4, organisation=mitros)
    consent4 = services.consent_request(case=case4, by=coord)
    screening4 = services.screening_request(case=case4, by=coord)

    case5 = CaseFactory(
        status=CaseStatus.INTAKE,
        casemanager=cm_b,
        street="Doorverwezenlaan",
    )
    services.involvement_add(case=case5, organisation=altrecht, by=coord)
    services.case_transition(
        case=case5,
        to=CaseStatus.REDIRECTED,
        by=coord,
        motivation="Buurtbemiddeling past beter.",
        target="mediation",
    )

    handover = dt.timedelta(days=settings.INVOLVEMENT_HANDOVER_DAYS + 1)
    case6 = CaseFactory(
        closed=True,
        closed_on=timezone.localdate() - handover,
        casemanager=cm_b,
        street="Overdrachtsweg",
    )
    services.involvement_add(case=case6, organisation=altrecht, by=coord)
    services.end_due_involvements()
    return {
        "case4": case4,
        "consent4": consent4,
        "screening4": screening4,
        "case5": case5,
        "case6": case6,
    }


def _data_subject_requests(person: Any, by: Any) -> dict[str, Any]:
    """An access request whose export is ready (files hold the person's name) and one just
    registered."""
    from django.core.files.base import ContentFile

    from privacy.models import DataSubjectRequest, ExportState, RequestKind, RequestStatus

    def register(**extra: Any) -> Any:
        return DataSubjectRequest.objects.create(
            kind=RequestKind.ACCESS,
            person=person,
            received_on=dt.date(2026, 11, 2),
            registered_by=by,
            **extra,
        )

    from django.utils import timezone

    from privacy.models import ExportReview

    done = register(
        status=RequestStatus.IN_PROGRESS,
        task_state=ExportState.DONE,
        export_started_at=timezone.now(),
    )
    # Reviewed before it was produced: released (AVG art. 15(4) review).
    ExportReview.objects.create(
        request=done, reviewed_by=by, reviewed_at=timezone.now() - dt.timedelta(minutes=1)
    )
    name = f"{person.first_name} {person.last_name}"
    done.export_json.save("inzage.json", ContentFile(f'{{"name": "{name}"}}'.encode()), False)
    done.export_pdf.save("inzage.pdf", ContentFile(pdf_with_text(f"Inzage {name}")), False)
    done.save()
    return {"dsr_done": done, "dsr_new": register()}


def _notification(recipient: Any, case: Any) -> Any:
    """A notification to one user; everyone else gets 404 on it."""
    from django.urls import reverse

    from notifications.choices import Event
    from notifications.models import Notification

    return Notification.objects.create(
        recipient=recipient,
        event=Event.ASSIGNED,
        key=f"case:{case.pk}:assigned",
        case=case,
        url=reverse("cases:detail", args=[case.pk]),
        context={"number": case.number},
    )


def _read_log(user: Any, case: Any, persons: list[Any], basis: str) -> Any:
    """A read of a case page in the read log, as audit.readlog records it."""
    from django.urls import reverse

    from audit.models import ReadLogEntry, ReadWhat

    return ReadLogEntry.objects.create(
        user=user,
        organisation=user.organisation,
        roles=sorted(r.value for r in access.roles_of(user)),
        case=case,
        person_ids=[p.pk for p in persons],
        what=ReadWhat.CASE_PAGE,
        path=reverse("cases:detail", args=[case.pk]),
        ip_address="192.0.2.10",
        basis=basis,
    )


def corporation_signal(*, house_number: int, by: Any) -> Any:
    """An early signal of noise at 3511AB `house_number` (district Binnenstad) that a
    corporation records, on its legitimate interest."""
    from early_signals import services as signal_services
    from partners.models import District

    return signal_services.signal_record(
        postcode="3511AB",
        house_number=house_number,
        house_number_addition="",
        district=District.objects.filter(name="Binnenstad").first(),
        nuisance_forms=["noise"],
        nuisance_since=None,
        own_actions="Gesprek gevoerd.",
        note="",
        lawful_basis=LawfulBasis.objects.get(code="corporatie-gerechtvaardigd-belang"),
        data_category="ordinary",
        consent_date=None,
        basis_motivation="",
        by=by,
    )
