"""The agenda and minutes PDFs: requested, rendered by a worker once, requeued when the broker
was away, purged with a case."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from partners.choices import Role
from partners.models import Organisation, User

from ..choices import (
    DocumentKind,
    RenderState,
)
from ..models import (
    Invitation,
    Meeting,
    MeetingDocument,
)
from ..pdf import content_hash, document_context, render_pdf
from ..tasks import render_meeting_document
from .common import (
    _has_role,
)

logger = logging.getLogger(__name__)


# --- Documents (PDF) -------------------------------------------------------------------------


def meeting_document_request(
    *, meeting: Meeting, kind: DocumentKind | str, by: User, organisation: Organisation | None
) -> MeetingDocument:
    """The PDF of the agenda or minutes for one recipient organisation (None: the full
    version, coordinator only). Reused while its content is unchanged; otherwise queued for
    the worker (after commit). Poll `state`/`progress` for its progress."""

    kind = DocumentKind(kind)
    meeting = Meeting.objects.select_related("network").get(pk=meeting.pk)
    if not _has_role(by, Role.COORDINATOR):
        # A representative gets their own organisation's version of a published agenda
        # (or of the minutes) of a meeting their organisation is invited to.
        own = organisation is not None and organisation.pk == by.organisation_id
        invited = Invitation.objects.filter(meeting=meeting, organisation=organisation).exists()
        published = kind == DocumentKind.MINUTES or meeting.agenda_published_at is not None
        if not (own and invited and published):
            raise PermissionDenied(_("You may not print this document."))
    digest = content_hash(document_context(meeting=meeting, kind=kind, organisation=organisation))
    with transaction.atomic():
        document, _created = MeetingDocument.objects.select_for_update().get_or_create(
            meeting=meeting, kind=kind, organisation=organisation
        )
        if document.content_hash == digest and document.state in (
            RenderState.DONE,
            RenderState.QUEUED,
            RenderState.RUNNING,
        ):
            return document
        document.state = RenderState.QUEUED
        document.progress = 0
        document.error = ""
        document.content_hash = digest
        document.save()

        pk = document.pk
        transaction.on_commit(lambda: _queue_render(pk))
    return document


def _queue_render(document_pk: int) -> None:
    """Queue the render task; with the broker away the row stays queued (the page says so)
    and `meeting_documents_requeue_stuck` (beat) queues it again later."""
    try:
        render_meeting_document.delay(document_pk)
    except Exception:
        logger.exception("meeting document not queued document=%s", document_pk)


# A PDF takes seconds; one still queued or being made this long after it was asked for lost
# its task (broker away when it was queued, or the message lost with its worker).
DOCUMENT_STUCK_AFTER = datetime.timedelta(minutes=10)


def meeting_documents_requeue_stuck(*, older_than: datetime.timedelta | None = None) -> int:
    """Queue again every document still waiting `older_than` after it was requested. Safe
    when the first task was not lost after all: the render does its work only while the row
    is still pending, and keeps its result only if no other run finished first."""
    cutoff = timezone.now() - (older_than if older_than is not None else DOCUMENT_STUCK_AFTER)
    pks = list(
        MeetingDocument.objects.filter(
            state__in=[RenderState.QUEUED, RenderState.RUNNING], requested_at__lt=cutoff
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in pks:
        render_meeting_document.delay(pk)
    if pks:
        logger.warning("meeting documents requeued count=%s", len(pks))
    return len(pks)


def meeting_document_render(*, document_pk: int) -> bool:
    """The task body: make the PDF once. False when there is nothing (left) to do.

    Safe to run twice, also at the same time (a task queued again by the beat job, or
    redelivered after its worker died): the row is claimed under a lock only while queued or
    being made, and the result is kept only if the row is still being made for the same
    content; otherwise this run's PDF is discarded (another run finished, or the content
    changed and a newer task makes it)."""

    with transaction.atomic():
        document = (
            MeetingDocument.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("meeting__network", "organisation")
            .filter(pk=document_pk, state__in=[RenderState.QUEUED, RenderState.RUNNING])
            .first()
        )
        if document is None:
            return False
        claimed_hash = document.content_hash
        MeetingDocument.objects.filter(pk=document_pk).update(
            state=RenderState.RUNNING, progress=10
        )
    try:
        context = document_context(
            meeting=document.meeting, kind=document.kind, organisation=document.organisation
        )
        MeetingDocument.objects.filter(pk=document_pk).update(progress=40)
        pdf = render_pdf(context)
    except Exception:
        MeetingDocument.objects.filter(pk=document_pk).update(
            state=RenderState.FAILED, error="render failed", finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        document = MeetingDocument.objects.select_for_update().get(pk=document_pk)
        if document.state != RenderState.RUNNING or document.content_hash != claimed_hash:
            return False  # another run finished first, or newer content is queued
        if document.file:
            document.file.delete(save=False)
        name = f"{document.kind}-{document.meeting_id}-{document.organisation_id or 'all'}.pdf"
        document.file.save(name, ContentFile(pdf), save=False)
        document.content_hash = content_hash(context)
        document.state = RenderState.DONE
        document.progress = 100
        document.finished_at = timezone.now()
        document.save()
    return True


def meeting_documents_purge_for_case(*, case: Case) -> int:
    """Delete the cached PDFs of every meeting that discussed `case` (erasure, retention):
    they are made again, without the erased data, when someone asks for them."""
    documents = list(MeetingDocument.objects.filter(meeting__items__case=case).distinct())
    for document in documents:
        if document.file:
            document.file.delete(save=False)
    MeetingDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    return len(documents)
