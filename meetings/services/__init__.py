"""Every write on meetings: plan, move, cancel, invite, apologies, agenda, minutes,
bottlenecks and the PDF documents. Rights are checked here (coordinator plans, publishes
and writes minutes; representatives send apologies for their organisation).

One module per part: planning, invitations, agenda, minutes (and bottlenecks), documents;
callers import from here (`from meetings import services`)."""

from __future__ import annotations

from .agenda import (
    agenda_item_add,
    agenda_item_drop,
    agenda_item_update,
    agenda_propose,
    agenda_propose_bottlenecks,
    agenda_publish,
    agenda_reorder,
)
from .common import (
    meeting_url,
    require_coordinator,
)
from .documents import (
    DOCUMENT_STUCK_AFTER,
    meeting_document_render,
    meeting_document_request,
    meeting_documents_purge_for_case,
    meeting_documents_requeue_stuck,
)
from .invitations import (
    agenda_item_call_organisation,
    invitation_send_apologies,
    meeting_member_invite,
    substitute_problem,
)
from .minutes import (
    ActionSpec,
    attendance_record,
    bottleneck_resolve,
    bottleneck_signal,
    decision_add,
    decision_create_actions,
    minutes_addendum_add,
    minutes_finalise,
    minutes_item_record,
)
from .planning import (
    AGENDA_WORKING_DAYS_DEFAULT,
    STANDING_TOPICS,
    meeting_cancel,
    meeting_move,
    meeting_plan,
    meeting_series_plan,
)

__all__ = [
    "AGENDA_WORKING_DAYS_DEFAULT",
    "ActionSpec",
    "DOCUMENT_STUCK_AFTER",
    "STANDING_TOPICS",
    "agenda_item_add",
    "agenda_item_call_organisation",
    "agenda_item_drop",
    "agenda_item_update",
    "agenda_propose",
    "agenda_propose_bottlenecks",
    "agenda_publish",
    "agenda_reorder",
    "attendance_record",
    "bottleneck_resolve",
    "bottleneck_signal",
    "decision_add",
    "decision_create_actions",
    "invitation_send_apologies",
    "meeting_cancel",
    "meeting_document_render",
    "meeting_document_request",
    "meeting_documents_purge_for_case",
    "meeting_documents_requeue_stuck",
    "meeting_member_invite",
    "meeting_move",
    "meeting_plan",
    "meeting_series_plan",
    "meeting_url",
    "minutes_addendum_add",
    "minutes_finalise",
    "minutes_item_record",
    "require_coordinator",
    "substitute_problem",
]
