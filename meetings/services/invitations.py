"""Invitations: members, apologies with a substitute, an organisation called in for an item."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.choices import Event
from notifications.services import notify
from partners.choices import Role
from partners.models import Organisation, User

from ..access import (
    PARTICIPANT_ROLES,
    apologies_problem,
    may_send_apologies,
    member_organisation_kinds,
    substitute_roles,
)
from ..models import (
    AgendaItem,
    Invitation,
    Meeting,
)
from .common import (
    _has_role,
    _meeting_name,
    _require_agenda_editable,
    meeting_url,
    require_coordinator,
)

# --- Invitations -----------------------------------------------------------------------------


@transaction.atomic
def meeting_member_invite(*, meeting: Meeting, user: User, by: User) -> Invitation:
    """Invite someone to an advisory, steering or director meeting (for their organisation)."""
    require_coordinator(by)
    if meeting.is_case_meeting:
        raise ValidationError(_("Case meetings invite the network's representatives."))
    if user.organisation_id is None:
        raise ValidationError(_("This person belongs to no organisation."))
    if not _has_role(user, *PARTICIPANT_ROLES):
        raise ValidationError(
            _("This person has no role that takes part in meetings (meeting member).")
        )
    kinds = member_organisation_kinds(meeting)
    if kinds is not None and (user.organisation is None or user.organisation.kind not in kinds):
        raise ValidationError(
            _("People of this organisation do not take part in this kind of meeting.")
        )
    invitation, _created = Invitation.objects.get_or_create(
        meeting=meeting,
        user=user,
        agenda_item=None,
        defaults={"organisation_id": user.organisation_id},
    )
    return invitation


def substitute_problem(*, invitation: Invitation, substitute: User) -> str | None:
    """Why `substitute` cannot stand in for this invitation, or None."""
    if not substitute.is_active:
        return _("The substitute's account is not active.")
    if substitute.organisation_id != invitation.organisation_id:
        return _("The substitute must work for the same organisation.")
    if substitute.pk == invitation.user_id:
        return _("Name someone else as the substitute.")
    meeting = invitation.meeting
    if not _has_role(substitute, *substitute_roles(meeting)):
        if meeting.is_case_meeting:
            return _(
                "The substitute needs a role that lets them see the cases to prepare the "
                "meeting (partner representative)."
            )
        return _("The substitute needs a role that takes part in meetings (meeting member).")
    return None


@transaction.atomic
def invitation_send_apologies(
    *, invitation: Invitation, by: User, substitute: User | None = None
) -> Invitation:
    """Send apologies for an invitation; for a case meeting a substitute is named, who must
    be of the same organisation and able to see its cases."""
    if not may_send_apologies(by, invitation):
        raise PermissionDenied(_("You may not send apologies for this invitation."))
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting__network")
        .get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    problem = apologies_problem(meeting)
    if problem:
        raise ValidationError(problem)
    if meeting.is_case_meeting and substitute is None:
        raise ValidationError({"substitute": _("Name a substitute for your organisation.")})
    if substitute is not None:
        problem = substitute_problem(invitation=invitation, substitute=substitute)
        if problem:
            raise ValidationError({"substitute": problem})
    invitation.apologies_at = timezone.now()
    invitation.substitute = substitute
    invitation._history_user = by  # type: ignore[attr-defined]
    invitation.save(update_fields=["apologies_at", "substitute"])
    if substitute is not None:
        # Told with a link behind sign-in (the e-mail is queued after commit by notify()).
        notify(
            recipients=[substitute],
            event=Event.SUBSTITUTE_INVITED,
            key=f"meeting:{meeting.pk}:invitation:{invitation.pk}:substitute:{substitute.pk}",
            url=meeting_url(meeting),
            context={"network": _meeting_name(meeting), "date": meeting.date},
        )
    return invitation


@transaction.atomic
def agenda_item_call_organisation(
    *, item: AgendaItem, organisation: Organisation, by: User
) -> list[Invitation]:
    """Invite an on-call organisation (Victas, OOV) for one case item, at the request of
    the case's casemanager or the coordinator. Its representatives are invited."""
    case = item.case
    if case is None:
        raise ValidationError(_("On-call organisations are invited for a case item."))
    if not (
        _has_role(by, Role.COORDINATOR)
        or (_has_role(by, Role.CASEMANAGER) and case.casemanager_id == by.pk)
    ):
        raise PermissionDenied(_("Only the coordinator or the case's casemanager may do this."))
    _require_agenda_editable(item.meeting)
    if not organisation.on_call_only:
        raise ValidationError(_("This organisation is invited to every meeting already."))
    users = User.objects.filter(
        organisation=organisation,
        is_active=True,
        groups__name=Role.PARTNER_REPRESENTATIVE.value,
    ).distinct()
    if not users:
        raise ValidationError(_("This organisation has no active representative to invite."))
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting_id=item.meeting_id, organisation=organisation, user=user, agenda_item=item
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    return list(Invitation.objects.filter(agenda_item=item, organisation=organisation))
