"""Which tables hold personal data, of whom, and of which category (AVG art. 30).

The record of processing activities (`privacy/processing.py`, the privacy officer's page) is
generated from this registry, the models and the settings, so it says what the software
does. `tests/privacy/test_register.py` fails when a model of this project is added without
an entry here, or a model in the registry gains a field that nobody classified: a new table
or column of personal data cannot slip past the register.

Each model of a project app is either in `PERSONAL_DATA` (with every concrete field,
except its primary key, either in `fields` with its categories or in `other`) or in
`NO_PERSONAL_DATA` with the reason. Historical tables (django-simple-history) follow their
model; they are listed in the register with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Categories of personal data. `SPECIAL` marks AVG art. 9 and art. 10 data."""

    NAME = "name", _("Name")
    CONTACT = "contact", _("Contact details")
    BIRTH_DATE = "birth_date", _("Date of birth")
    ADDRESS = "address", _("Address and housing")
    HOUSEHOLD = "household", _("Role in the case and household composition")
    BEHAVIOUR = "behaviour", _("Nuisance behaviour and its history")
    SOCIAL = "social", _("Social circumstances, assessments and case notes")
    HEALTH = "health", _("Health, including mental health and addiction (AVG art. 9)")
    CRIMINAL = "criminal", _("Criminal data and police information (AVG art. 10)")
    PSEUDONYM = "pseudonym", _("Keyed hashes for the recidivism check (pseudonymous)")
    PROFESSIONAL = "professional", _("Work details of professionals")
    AUDIT = "audit", _("Access and change logs")
    AUTHENTICATION = "authentication", _("Sign-in and security data")
    DOCUMENT = "document", _("Documents (any of the categories above)")


SPECIAL = frozenset({Category.HEALTH, Category.CRIMINAL})


class Subject(models.TextChoices):
    """Categories of data subjects."""

    CAUSER = "causer", _("Causers of nuisance (clients)")
    HOUSEHOLD = "household", _("Household members of causers")
    NEIGHBOUR = "neighbour", _("Neighbours and complainants")
    PROFESSIONAL = "professional", _("Professionals of the covenant parties (users)")


C = Category
# A shared item's basis from the catalogue and its review marks: no personal data themselves
# (the consent date and the motivation are classified per model).
BASIS_FIELDS = frozenset({"lawful_basis", "data_category", "basis_to_review", "previous_basis"})
ALL_CLIENTS = (Subject.CAUSER, Subject.HOUSEHOLD, Subject.NEIGHBOUR)


@dataclass(frozen=True)
class Entry:
    """One table with personal data: whose, for what, and each field's categories."""

    subjects: tuple[Subject, ...]
    fields: dict[str, tuple[Category, ...]]
    other: frozenset[str] = field(default_factory=frozenset)
    note: object = ""

    @property
    def categories(self) -> set[Category]:
        return {category for cats in self.fields.values() for category in cats}


PERSONAL_DATA: dict[str, Entry] = {
    # --- Cases -------------------------------------------------------------------------
    "cases.Case": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "postcode": (C.ADDRESS,),
            "house_number": (C.ADDRESS,),
            "house_number_addition": (C.ADDRESS,),
            "street": (C.ADDRESS,),
            "city": (C.ADDRESS,),
            "housing_type": (C.ADDRESS,),
            "corporation": (C.ADDRESS,),
            "address_key": (C.PSEUDONYM,),
            "casemanager": (C.PROFESSIONAL,),
            "created_by": (C.PROFESSIONAL,),
            "criteria_override_motivation": (C.SOCIAL,),
            "screening_waiver_reason": (C.SOCIAL,),
            "screening_waived_by": (C.PROFESSIONAL,),
        },
        other=frozenset(
            {
                "number",
                "screening_waived_on",
                "status",
                "district",
                "network",
                "is_repeat_referral",
                "merged_into",
                "redirect_target",
                "criteria_override",
                "referred_on",
                "intake_started_on",
                "accepted_on",
                "closed_on",
                "anonymised_at",
                "created_at",
                "updated_at",
                "version",
            }
        ),
    ),
    "cases.Referral": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "referrer": (C.PROFESSIONAL,),
            "contact_name": (C.PROFESSIONAL,),
            "contact_phone": (C.PROFESSIONAL,),
            "contact_email": (C.PROFESSIONAL,),
            # The referrer's own file number: free text that may name someone by accident,
            # so cleared on anonymisation like the other free texts.
            "referrer_reference": (C.SOCIAL,),
            "nuisance_forms": (C.BEHAVIOUR, C.CRIMINAL),
            "nuisance_since": (C.BEHAVIOUR,),
            "backgrounds": (C.HEALTH, C.CRIMINAL, C.SOCIAL),
            "description": (C.BEHAVIOUR, C.SOCIAL, C.HEALTH, C.CRIMINAL),
            "actions_taken": (C.BEHAVIOUR, C.SOCIAL),
            "urgency_reason": (C.BEHAVIOUR, C.SOCIAL),
        },
        other=frozenset(
            {
                "case",
                "organisation",
                "is_urgent",
                "submitted_at",
                "created_at",
                "updated_at",
                "version",
            }
        ),
    ),
    "cases.Person": Entry(
        subjects=ALL_CLIENTS,
        fields={
            "role": (C.HOUSEHOLD,),
            "first_name": (C.NAME,),
            "last_name": (C.NAME,),
            "date_of_birth": (C.BIRTH_DATE,),
            "phone": (C.CONTACT,),
            "notes": (C.SOCIAL, C.HEALTH),
            "consents_to_contact": (C.CONTACT,),
            "person_key": (C.PSEUDONYM,),
            "is_restricted": (C.SOCIAL,),
        },
        other=frozenset({"case", "erased_at", "created_at"}),
    ),
    "cases.CaseStatusChange": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={"motivation": (C.SOCIAL,), "by": (C.PROFESSIONAL,)},
        other=frozenset({"case", "from_status", "to_status", "at"}),
    ),
    "cases.CriterionAssessment": Entry(
        subjects=(Subject.CAUSER, Subject.PROFESSIONAL),
        fields={
            "is_met": (C.SOCIAL,),
            "motivation": (C.SOCIAL, C.HEALTH),
            "assessed_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "criterion", "assessed_at"}),
    ),
    "cases.CaseInvolvement": Entry(
        subjects=(Subject.CAUSER, Subject.PROFESSIONAL),
        # Which care providers are involved can itself reveal health data.
        fields={
            "organisation": (C.SOCIAL, C.HEALTH),
            "added_by": (C.PROFESSIONAL,),
            "ended_by": (C.PROFESSIONAL,),
            "end_reason": (C.SOCIAL,),
        },
        other=frozenset({"case", "is_active", "added_at", "ended_at"}),
    ),
    "cases.SensitiveShare": Entry(
        subjects=(Subject.PROFESSIONAL,),
        # That the case team shared the referral's sensitive details with an organisation.
        fields={"organisation": (C.SOCIAL, C.HEALTH), "shared_by": (C.PROFESSIONAL,)},
        other=frozenset({"case", "shared_at"}),
    ),
    "cases.ConsentRequest": Entry(
        subjects=(Subject.CAUSER, Subject.PROFESSIONAL),
        fields={
            "reason": (C.SOCIAL,),
            "requested_by": (C.PROFESSIONAL,),
            "answered_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "corporation", "requested_on", "decision", "answered_on"}),
    ),
    "cases.KrisCheck": Entry(
        subjects=(Subject.CAUSER, Subject.PROFESSIONAL),
        fields={
            "result": (C.HEALTH,),
            "trajectory_manager_name": (C.PROFESSIONAL,),
            "trajectory_manager_organisation": (C.HEALTH,),
            "target_group_outcome": (C.HEALTH,),
            "referred_to_altrecht": (C.HEALTH,),
            "trajectory_manager_contacted_on": (C.HEALTH,),
            "plans_aligned": (C.HEALTH,),
            "recorded_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "recorded_at"}),
    ),
    "cases.RecidivismMatch": Entry(
        subjects=(Subject.CAUSER, Subject.HOUSEHOLD, Subject.PROFESSIONAL),
        # That an earlier case on the same person or household exists; why it was judged so.
        fields={
            "on_person": (C.PSEUDONYM,),
            "reason": (C.SOCIAL,),
            "decided_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "earlier", "decision", "decided_on"}),
    ),
    "cases.PoliceScreening": Entry(
        subjects=(Subject.CAUSER, Subject.HOUSEHOLD, Subject.PROFESSIONAL),
        fields={
            "risk_level": (C.CRIMINAL,),
            "safety_advice": (C.CRIMINAL,),
            "details": (C.CRIMINAL,),
            "consent_date": (C.SOCIAL,),
            "basis_motivation": (C.SOCIAL,),
            "requested_by": (C.PROFESSIONAL,),
            "screened_by": (C.PROFESSIONAL,),
        },
        other=frozenset(
            {"case", "requested_on", "screened_on", "screened_by_organisation"} | BASIS_FIELDS
        ),
    ),
    "cases.JournalEntry": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "participants": (C.NAME,),
            "text": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH, C.CRIMINAL),
            "occurred_on": (C.SOCIAL,),
            "consent_date": (C.SOCIAL,),
            "basis_motivation": (C.SOCIAL,),
            "author": (C.PROFESSIONAL,),
        },
        other=frozenset(
            {
                "case",
                "kind",
                "confidentiality",
                "author_organisation",
                "created_at",
            }
            | BASIS_FIELDS
        ),
    ),
    "cases.Document": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "title": (C.DOCUMENT,),
            "file": (C.DOCUMENT, C.HEALTH, C.CRIMINAL),
            "original_name": (C.DOCUMENT,),
            "consent_date": (C.SOCIAL,),
            "basis_motivation": (C.SOCIAL,),
            "uploaded_by": (C.PROFESSIONAL,),
        },
        other=frozenset(
            BASIS_FIELDS
            | {
                "case",
                "content_type",
                "size",
                "confidentiality",
                "uploaded_by_organisation",
                "uploaded_at",
            }
        ),
    ),
    # --- Cases: plan of approach, evaluations, aftercare (cases/models/plan.py) ------------
    "cases.Investigation": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "causer_heard_on": (C.SOCIAL,),
            "neighbours_heard_on": (C.SOCIAL,),
            "nuisance_origin": (C.BEHAVIOUR, C.HEALTH),
            "origin_motivation": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH),
            "lead_trajectory": (C.HEALTH,),
            "care_worker_name": (C.PROFESSIONAL,),
            # Which care organisation has the client can itself reveal health data.
            "care_worker_organisation": (C.HEALTH,),
            "plans_aligned": (C.HEALTH,),
            "alignment_note": (C.SOCIAL, C.HEALTH),
            "recorded_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "updated_at"}),
    ),
    "cases.Plan": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "summary": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH, C.CRIMINAL),
            "created_by": (C.PROFESSIONAL,),
            "agreed_by": (C.PROFESSIONAL,),
        },
        other=frozenset(
            {
                "case",
                "number",
                "status",
                "previous",
                "evaluation_interval_months",
                "created_at",
                "agreed_at",
                "version",
            }
        ),
    ),
    "cases.PlanAgreement": Entry(
        subjects=(Subject.CAUSER, Subject.PROFESSIONAL),
        fields={"note": (C.SOCIAL,), "by": (C.PROFESSIONAL,)},
        other=frozenset({"case", "plan", "organisation", "at"}),
    ),
    "cases.Goal": Entry(
        subjects=(Subject.CAUSER, Subject.HOUSEHOLD),
        fields={
            "specific": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH),
            "indicator": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH),
            "target": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH),
            "feasibility": (C.SOCIAL, C.HEALTH),
        },
        # The covenant elements name the instrument (pressure, care, ...), not the person.
        other=frozenset(
            {
                "case",
                "plan",
                "origin",
                "lineage",
                "order",
                "target_date",
                "covenant_elements",
                "version",
            }
        ),
    ),
    "cases.AftercarePlan": Entry(
        subjects=(Subject.CAUSER, Subject.HOUSEHOLD, Subject.PROFESSIONAL),
        fields={
            "summary": (C.SOCIAL, C.HEALTH),
            "handover_to": (C.PROFESSIONAL,),
            "handover_organisation": (C.SOCIAL, C.HEALTH),
            "handover_what": (C.SOCIAL, C.HEALTH),
            "created_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "end_date", "handover_on", "created_at"}),
    ),
    "cases.Action": Entry(
        subjects=(Subject.CAUSER, Subject.HOUSEHOLD, Subject.PROFESSIONAL),
        fields={
            "description": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH),
            # Which care provider acts can itself reveal health data.
            "organisation": (C.SOCIAL, C.HEALTH),
            "assignee": (C.PROFESSIONAL,),
            "completion_note": (C.SOCIAL, C.HEALTH),
            "cancel_reason": (C.SOCIAL,),
            "finished_by": (C.PROFESSIONAL,),
            "created_by": (C.PROFESSIONAL,),
        },
        other=frozenset(
            {
                "case",
                "goal",
                "aftercare_plan",
                "decided_in_meeting",
                "decided_on",
                "life_domain",
                "due_on",
                "status",
                "finished_at",
                "created_at",
            }
        ),
    ),
    "cases.Evaluation": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "participants": (C.NAME,),
            "notes": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH, C.CRIMINAL),
            "early_end_reason": (C.HEALTH,),
            "neighbours_outcome": (C.BEHAVIOUR,),
            "partners_outcome": (C.BEHAVIOUR,),
            "resolved_at_sources": (C.BEHAVIOUR,),
            "causer_in_care": (C.HEALTH,),
            "housing_outcome": (C.ADDRESS,),
            "follow_up": (C.SOCIAL,),
            "passed_on_to": (C.SOCIAL,),
            "recorded_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "plan", "kind", "held_on", "adjusts_plan", "created_at"}),
    ),
    "cases.GoalEvaluation": Entry(
        subjects=(Subject.CAUSER, Subject.HOUSEHOLD),
        fields={"result": (C.SOCIAL,), "note": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH)},
        other=frozenset({"case", "evaluation", "goal"}),
    ),
    "cases.LifeDomainAssessment": Entry(
        subjects=(Subject.CAUSER, Subject.PROFESSIONAL),
        fields={"assessed_by": (C.PROFESSIONAL,)},
        other=frozenset({"case", "moment", "plan", "evaluation", "assessed_on"}),
    ),
    "cases.LifeDomainScore": Entry(
        subjects=(Subject.CAUSER,),
        # Mental health, substance use and justice are art. 9/10 data (the domain says which).
        fields={
            "score": (C.SOCIAL, C.HEALTH, C.CRIMINAL),
            "note": (C.SOCIAL, C.HEALTH, C.CRIMINAL),
        },
        other=frozenset({"case", "assessment", "domain"}),
    ),
    "cases.MaterialSupport": Entry(
        subjects=(Subject.CAUSER, Subject.NEIGHBOUR, Subject.PROFESSIONAL),
        fields={
            "amount": (C.SOCIAL,),
            "purpose": (C.SOCIAL, C.HEALTH),
            "why_not_regular": (C.SOCIAL,),
            "decision_note": (C.SOCIAL,),
            "requested_by": (C.PROFESSIONAL,),
            "decided_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "corporation", "requested_on", "decision", "decided_on"}),
    ),
    "cases.Relocation": Entry(
        subjects=(Subject.CAUSER, Subject.NEIGHBOUR, Subject.PROFESSIONAL),
        fields={
            "relocated": (C.HOUSEHOLD,),
            "person": (C.NAME,),
            "advice": (C.SOCIAL, C.ADDRESS, C.HEALTH),
            "proposal": (C.ADDRESS, C.SOCIAL),
            "housing_permit_note": (C.ADDRESS,),
            "advised_by": (C.PROFESSIONAL,),
            "proposed_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "corporation", "advised_on", "proposed_on", "housing_permit_on"}),
    ),
    "cases.EvictionAdvice": Entry(
        subjects=(Subject.CAUSER, Subject.HOUSEHOLD, Subject.PROFESSIONAL),
        fields={
            # The network's advice to evict: behaviour, the household's situation, care.
            "advice": (C.SOCIAL, C.BEHAVIOUR, C.HEALTH),
            "care_need_motivation": (C.SOCIAL, C.HEALTH),
            "neighbourhood_officer": (C.PROFESSIONAL,),
            "given_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "corporation", "advised_on", "created_at"}),
    ),
    "cases.PoliceSituationReport": Entry(
        subjects=(Subject.CAUSER, Subject.HOUSEHOLD, Subject.NEIGHBOUR, Subject.PROFESSIONAL),
        fields={
            # Police data shared under the Wpg (the basis is recorded on the row).
            "report": (C.CRIMINAL, C.BEHAVIOUR),
            "consent_date": (C.SOCIAL,),
            "basis_motivation": (C.SOCIAL,),
            "shared_by": (C.PROFESSIONAL,),
        },
        other=frozenset({"case", "advice", "shared_by_organisation", "shared_on"} | BASIS_FIELDS),
    ),
    "privacy.ExportReview": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={
            "reviewed_by": (C.PROFESSIONAL,),
            "note": (C.SOCIAL,),
        },
        # What was withheld: kind, id and date/organisation of each passage; no content.
        other=frozenset({"request", "reviewed_at", "withheld"}),
    ),
    # --- Partners: the professionals -------------------------------------------------------
    "partners.User": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={
            "first_name": (C.NAME,),
            "last_name": (C.NAME,),
            "email": (C.CONTACT,),
            "phone": (C.CONTACT,),
            "job_title": (C.PROFESSIONAL,),
            "organisation": (C.PROFESSIONAL,),
            "password": (C.AUTHENTICATION,),
            "last_login": (C.AUTHENTICATION,),
        },
        other=frozenset({"is_superuser", "is_staff", "is_active", "date_joined", "is_demo"}),
    ),
    "partners.NetworkRepresentative": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"user": (C.PROFESSIONAL,), "kind": (C.PROFESSIONAL,)},
        other=frozenset({"network", "organisation", "is_active"}),
    ),
    # --- Meetings (DOMAIN.md §9) ------------------------------------------------------------
    # Agenda items link to their case; initials and street are computed when shown, never
    # stored here. Free texts (question, summary, decisions) are about the case.
    "meetings.MeetingSeries": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"created_by": (C.PROFESSIONAL,)},
        other=frozenset({"network", "year", "created_at"}),
    ),
    "meetings.Meeting": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"chair": (C.PROFESSIONAL,)},
        other=frozenset(
            {
                "kind",
                "series",
                "network",
                "date",
                "start_time",
                "end_time",
                "location",
                "status",
                "cancel_reason",
                "agenda_published_at",
                "minutes_state",
                "minutes_finalised_at",
                "created_at",
                "updated_at",
            }
        ),
    ),
    "meetings.Invitation": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={
            "user": (C.PROFESSIONAL,),
            "substitute": (C.PROFESSIONAL,),
            "apologies_at": (C.PROFESSIONAL,),
        },
        other=frozenset({"meeting", "organisation", "agenda_item", "created_at"}),
    ),
    "meetings.AgendaItem": Entry(
        subjects=ALL_CLIENTS,
        fields={
            "case": (C.HOUSEHOLD,),
            "question": (C.SOCIAL, C.BEHAVIOUR),
            "summary": (C.SOCIAL, C.BEHAVIOUR),
        },
        other=frozenset(
            {
                "meeting",
                "position",
                "source",
                "bottleneck",
                "title",
                "phase",
                "dropped_at",
                "created_at",
            }
        ),
    ),
    "meetings.Decision": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={"text": (C.SOCIAL, C.BEHAVIOUR), "created_by": (C.PROFESSIONAL,)},
        other=frozenset({"item", "created_at"}),
    ),
    "meetings.IntendedAction": Entry(
        subjects=(Subject.CAUSER, Subject.PROFESSIONAL),
        fields={"description": (C.SOCIAL,), "person": (C.PROFESSIONAL,)},
        other=frozenset({"decision", "organisation", "due_on", "action_id"}),
    ),
    "meetings.Attendance": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"user": (C.PROFESSIONAL,)},
        other=frozenset({"meeting", "organisation", "present"}),
    ),
    "meetings.MinutesAddendum": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={"text": (C.SOCIAL, C.BEHAVIOUR), "created_by": (C.PROFESSIONAL,)},
        other=frozenset({"meeting", "created_at"}),
    ),
    "figures.ResultAgreement": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"updated_by": (C.PROFESSIONAL,)},
        other=frozenset({"year", "network", "figure", "target", "note", "updated_at"}),
    ),
    "meetings.Bottleneck": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"signalled_by": (C.PROFESSIONAL,)},
        other=frozenset(
            {
                "organisation",
                "title",
                "description",
                "status",
                "resolution",
                "created_at",
                "resolved_at",
            }
        ),
    ),
    "meetings.MeetingDocument": Entry(
        subjects=(Subject.CAUSER, Subject.PROFESSIONAL),
        # The PDF shows case numbers, causers' initials and streets (never house numbers).
        fields={"file": (C.NAME, C.ADDRESS, C.SOCIAL, C.PROFESSIONAL)},
        other=frozenset(
            {
                "meeting",
                "kind",
                "organisation",
                "content_hash",
                "state",
                "progress",
                "error",
                "requested_at",
                "finished_at",
            }
        ),
    ),
    # --- Early signals (early_signals/): a partner's short signal about an address --------
    "early_signals.Signal": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "postcode": (C.ADDRESS,),
            "house_number": (C.ADDRESS,),
            "house_number_addition": (C.ADDRESS,),
            "nuisance_forms": (C.BEHAVIOUR, C.CRIMINAL),
            "nuisance_since": (C.BEHAVIOUR,),
            "own_actions": (C.BEHAVIOUR, C.SOCIAL),
            "note": (C.BEHAVIOUR, C.SOCIAL, C.HEALTH, C.CRIMINAL),
            "outcome_note": (C.SOCIAL,),
            "consent_date": (C.SOCIAL,),
            "basis_motivation": (C.SOCIAL,),
            "signalled_by": (C.PROFESSIONAL,),
            "closed_by": (C.PROFESSIONAL,),
        },
        other=frozenset(
            {
                "organisation",
                "district",
                "network",
                "status",
                "outcome",
                "linked_to",
                "case",
                "invited_at",
                "closed_at",
                "created_at",
                "updated_at",
            }
            | BASIS_FIELDS
        ),
        note=_(
            "Deleted a configured period after the last change unless it became part of a "
            "case (EARLY_SIGNAL_RETENTION_MONTHS, default 6); then it goes with the case, "
            "and all the signals of a case are deleted when any person of the case is erased."
        ),
    ),
    "early_signals.SignalNote": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={"text": (C.SOCIAL, C.BEHAVIOUR), "written_by": (C.PROFESSIONAL,)},
        other=frozenset({"signal", "kind", "created_at"}),
    ),
    # --- Privacy: logs and requests --------------------------------------------------------
    "audit.ReadLogEntry": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "user": (C.AUDIT,),
            "roles": (C.AUDIT,),
            "person_ids": (C.AUDIT,),
            "path": (C.AUDIT,),
            "ip_address": (C.AUDIT,),
            "session_hash": (C.AUDIT,),
            "motivation": (C.AUDIT,),
        },
        other=frozenset(
            {"at", "organisation", "case", "what", "object_id", "basis", "redacted_at"}
        ),
    ),
    "cases.EmergencyAccess": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        # The motivation may describe the client's situation: it goes with the case.
        fields={"user": (C.AUDIT,), "motivation": (C.AUDIT, C.SOCIAL)},
        other=frozenset({"case", "granted_at", "expires_at"}),
    ),
    # Who asked for which case id and was refused (issue 11): professionals only.
    "audit.RefusedAccess": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"user": (C.AUDIT,)},
        other=frozenset({"at", "case_id"}),
    ),
    "privacy.DataSubjectRequest": Entry(
        subjects=ALL_CLIENTS + (Subject.PROFESSIONAL,),
        fields={
            "person": (C.NAME,),
            "requester_name": (C.NAME,),
            "requester_contact": (C.CONTACT,),
            "notes": (C.SOCIAL,),
            "decision_reason": (C.SOCIAL,),
            "rectification": (C.SOCIAL,),
            "registered_by": (C.PROFESSIONAL,),
            "export_json": (C.DOCUMENT,),
            "export_pdf": (C.DOCUMENT,),
        },
        other=frozenset(
            {
                "kind",
                "status",
                "received_on",
                "extension_reason",
                "decided_on",
                "task_id",
                "task_state",
                "task_progress",
                "task_error",
                "task_queued_at",
                "export_started_at",
                "export_finished_at",
                "created_at",
            }
        ),
    ),
    # --- Notifications (users only; never personal data of clients) -------------------------
    "notifications.Notification": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"recipient": (C.PROFESSIONAL,), "read_at": (C.PROFESSIONAL,)},
        other=frozenset(
            {"event", "key", "case", "url", "context", "created_at", "email_state", "emailed_at"}
        ),
        note=_("Holds the case number and a link, never names or content of a case."),
    ),
    "notifications.NotificationPreference": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"email_mode": (C.PROFESSIONAL,)},
        other=frozenset({"updated_at"}),
    ),
    "notifications.DeliveryFailure": Entry(
        subjects=(Subject.PROFESSIONAL,),
        fields={"recipient": (C.PROFESSIONAL,), "error": (C.AUDIT,)},
        other=frozenset(
            {"kind", "notification", "notification_count", "attempts", "task_id", "failed_at"}
        ),
    ),
}

# Tables of the project without personal data, and why (the register lists them as such).
NO_PERSONAL_DATA: dict[str, object] = {
    "partners.Organisation": _("Organisations of the covenant, no persons."),
    "partners.District": _("Districts of the municipality."),
    "partners.Network": _("Neighbourhood networks."),
    "partners.Covenant": _("The covenant's terms."),
    "cases.Criterion": _("Texts of the intake criteria."),
    "cases.LawfulBasis": _("The catalogue of lawful bases (laws and articles)."),
    "cases.CaseNumberSequence": _("Counters for case numbers."),
    "cases.LifeDomain": _("The domains of the self-reliance matrix."),
    "cases.CaseGroupObjectPermission": _("Access grants to organisations."),
    "cases.CaseUserObjectPermission": _("Access grants (technical)."),
    "deadlines.Deadline": _("Due dates of cases and requests; no names or content."),
    "privacy.RetentionLogEntry": _(
        "One line per case whose personal data retention removed: case number and counts."
    ),
}

# Tables of third-party components with personal data of the professionals (not checked
# field by field: their schema is theirs).
THIRD_PARTY: dict[str, tuple[Category, ...]] = {
    "otp_totp.TOTPDevice": (C.AUTHENTICATION,),
    "otp_static.StaticDevice": (C.AUTHENTICATION,),
    "axes.AccessAttempt": (C.AUTHENTICATION, C.AUDIT),
    "axes.AccessLog": (C.AUTHENTICATION, C.AUDIT),
    "axes.AccessFailureLog": (C.AUTHENTICATION, C.AUDIT),
    "sessions.Session": (C.AUTHENTICATION,),
}


def is_project_model(model: type[models.Model]) -> bool:
    """A model of this project's own apps (not Django's or a package's), not a history table."""

    path = str(apps.get_app_config(model._meta.app_label).path)
    module = model.__module__
    return (
        "site-packages" not in path
        and not model._meta.abstract
        and not model._meta.proxy
        and not module.startswith("simple_history")
        and not model.__name__.startswith("Historical")
        and not model._meta.auto_created
    )


def project_models() -> list[type[models.Model]]:

    return [m for m in apps.get_models() if is_project_model(m)]


def classified_fields(model: type[models.Model]) -> set[str]:
    """The concrete fields that need a classification (all but the primary key)."""
    return {f.name for f in model._meta.concrete_fields if not f.primary_key}


def problems(candidates: list[type[models.Model]] | None = None) -> list[str]:
    """What the register misses or gets wrong; empty when it matches the models."""

    found = []
    candidates = project_models() if candidates is None else candidates
    for model in candidates:
        label = model._meta.label
        in_personal, in_none = label in PERSONAL_DATA, label in NO_PERSONAL_DATA
        if not (in_personal or in_none):
            found.append(f"{label}: not in the register (PERSONAL_DATA or NO_PERSONAL_DATA)")
        elif in_personal and in_none:
            found.append(f"{label}: both with and without personal data")
        if in_personal:
            entry = PERSONAL_DATA[label]
            declared = set(entry.fields) | set(entry.other)
            for name in sorted(classified_fields(model) - declared):
                found.append(f"{label}.{name}: field not classified (fields or other)")
            for name in sorted(declared - classified_fields(model)):
                found.append(f"{label}.{name}: in the register but not a field of the model")
    installed = {config.label for config in apps.get_app_configs()}
    for label in list(PERSONAL_DATA) + list(NO_PERSONAL_DATA):
        app_label, _sep, _name = label.partition(".")
        if app_label not in installed:
            continue  # an app of another issue not installed here
        try:
            apps.get_model(label)
        except LookupError:
            found.append(f"{label}: in the register but no such model")
    return found
