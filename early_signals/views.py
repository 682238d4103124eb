"""Early signals in the browser: signal an address, follow one's own signals, and the
coordinator's list per network and the steps on one signal. Thin: forms validate,
`services` write, `selectors` read, `access` decides (and logs the read). Every step works
without JavaScript: a form with errors re-renders with status 200 and keeps what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit import readlog
from audit.readlog import ReadWhat
from cases.access import is_case_team
from cases.choices import NuisanceForm
from cases.models import Case
from partners.access import object_access, rule_required
from partners.models import User

from . import access, selectors, services
from .access import Section, access_signal
from .choices import SignalStatus
from .forms import CloseForm, InviteForm, LinkForm, NoteForm, SignalForm
from .models import Signal


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _forms_label(signal: Signal) -> str:
    return ", ".join(str(NuisanceForm(form).label) for form in signal.nuisance_forms)


@require_safe
@rule_required(access.may_use_signals)
def signal_list(request: HttpRequest) -> HttpResponse:
    """The coordinator: open signals per network (and the recently finished ones). A
    signalling organisation: its own signals and their outcome."""
    user = _user(request)
    coordinator = access.may_handle_signals(user)
    context: dict[str, Any] = {"coordinator": coordinator, "may_record": False}
    if coordinator:
        network = request.GET.get("netwerk", "")
        network_id = int(network) if network.isdigit() and len(network) < 10 else None
        context.update(
            groups=selectors.open_signals_per_network(network_id=network_id),
            finished=selectors.finished_signals(),
            networks=list(selectors.networks_with_open_signals()),
            network_id=network_id,
        )
    else:
        context.update(
            own=selectors.signals_of_organisation(user=user),
            may_record=access.may_record_signal(user),
        )
    # The list shows addresses: one read-log row for the page (who saw the list, when).
    readlog.record(request, what=ReadWhat.EARLY_SIGNAL, basis=access.list_basis(user))
    return render(request, "early_signals/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@rule_required(access.may_record_signal)
def signal_new(request: HttpRequest) -> HttpResponse:
    """Signal an address for one's organisation."""
    user = _user(request)
    kind = user.organisation.kind if user.organisation else ""
    form = SignalForm(request.POST or None, organisation_kind=kind)
    if request.method == "POST" and form.is_valid():
        signal = services.signal_record(**form.signal_data(), by=user)
        messages.success(request, _("Your signal has been sent to the coordinator."))
        return redirect("early_signals:detail", pk=signal.pk)
    return render(request, "early_signals/new.html", {"form": form})


def _detail_context(request: HttpRequest, signal: Signal, **bound: Any) -> dict[str, Any]:
    user = _user(request)
    coordinator = access.may_handle_signals(user)
    context: dict[str, Any] = {
        "signal": signal,
        "forms_label": _forms_label(signal),
        "coordinator": coordinator,
        "notes": selectors.notes_for(signal=signal, user=user),
        "may_refer": signal.status == SignalStatus.REFERRAL_INVITED
        and access.may_start_referral(user, signal),
    }
    if coordinator:
        candidates = selectors.same_address_candidates(signal=signal)
        is_open = signal.status in services.OPEN_STATUSES
        context.update(
            linked=selectors.linked_signals(signal=signal),
            candidates=candidates,
            is_open=is_open,
            note_form=bound.get("note_form") or NoteForm(prefix="note"),
            link_form=bound.get("link_form") or LinkForm(prefix="link", candidates=candidates),
            invite_form=bound.get("invite_form") or InviteForm(prefix="invite"),
            close_form=bound.get("close_form") or CloseForm(prefix="close"),
        )
    return context


@require_safe
@object_access(access_signal)
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = access_signal(request, pk, section=Section.DETAIL)
    return render(request, "early_signals/detail.html", _detail_context(request, signal))


def _step(
    request: HttpRequest, signal: Signal, form: Any, name: str, run: Any, message: str
) -> HttpResponse:
    """Run a coordinator's step; on an error re-render the page (200) with the form bound."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, _errors(error))
        else:
            messages.success(request, message)
            return redirect("early_signals:detail", pk=signal.pk)
    signal = access_signal(request, signal.pk, section=Section.DETAIL)
    return render(
        request,
        "early_signals/detail.html",
        _detail_context(request, signal, **{name: form}),
    )


@require_POST
@object_access(access_signal)
def signal_note(request: HttpRequest, pk: int) -> HttpResponse:
    signal = access_signal(request, pk, section=Section.HANDLE)
    form = NoteForm(request.POST, prefix="note")
    return _step(
        request,
        signal,
        form,
        "note_form",
        lambda data: services.signal_note_add(signal=signal, **data, by=_user(request)),
        _("The note has been added."),
    )


@require_POST
@object_access(access_signal)
def signal_link(request: HttpRequest, pk: int) -> HttpResponse:
    signal = access_signal(request, pk, section=Section.HANDLE)
    form = LinkForm(
        request.POST, prefix="link", candidates=selectors.same_address_candidates(signal=signal)
    )
    return _step(
        request,
        signal,
        form,
        "link_form",
        lambda data: services.signal_link(signal=signal, other=data["other"], by=_user(request)),
        _("The signals are linked."),
    )


@require_POST
@object_access(access_signal)
def signal_invite(request: HttpRequest, pk: int) -> HttpResponse:
    signal = access_signal(request, pk, section=Section.HANDLE)
    form = InviteForm(request.POST, prefix="invite")
    return _step(
        request,
        signal,
        form,
        "invite_form",
        lambda data: services.signal_invite_referral(signal=signal, **data, by=_user(request)),
        _("The signalling organisation is invited to refer."),
    )


@require_POST
@object_access(access_signal)
def signal_close(request: HttpRequest, pk: int) -> HttpResponse:
    signal = access_signal(request, pk, section=Section.HANDLE)
    form = CloseForm(request.POST, prefix="close")
    return _step(
        request,
        signal,
        form,
        "close_form",
        lambda data: services.signal_close(signal=signal, **data, by=_user(request)),
        _("The signal is closed."),
    )


@require_POST
@object_access(access_signal)
def signal_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the invited referral, filled in from the signal, and continue on its form."""
    signal = access_signal(request, pk, section=Section.REFER)
    try:
        referral = services.signal_referral_start(signal=signal, by=_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("early_signals:detail", pk=signal.pk)
    messages.success(
        request, _("The referral is filled in from the signal. Complete it and submit it.")
    )
    return redirect(reverse("cases:referral_edit", args=[referral.pk]))


def intake_panel(request: HttpRequest, case: Case) -> SafeString | str:
    """The intake page's section on early signals (cases/extensions.py). The intake page
    is the case team's and logs its read; the signals are part of the case."""
    if not is_case_team(request.user, case):
        return ""
    signals = selectors.signals_for_case(case=case)
    if not signals:
        return ""
    rows = [{"signal": s, "forms_label": _forms_label(s)} for s in signals]
    return render_to_string(
        "early_signals/_intake_panel.html", {"rows": rows, "case": case}, request=request
    )


def case_panel(request: HttpRequest, case: Case) -> SafeString | str:
    """The case page's section on early signals (cases/extensions.py): for the case team,
    as at intake (the case page logs its read; the signals are part of the case). Other
    organisations involved in the case do not see it."""
    return intake_panel(request, case)
