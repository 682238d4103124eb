"""The annual report's choice of period and network, and the result agreement form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Network
from woonoverlast.forms import Form, ModelForm

from .models import ResultAgreement
from .selectors import Scope

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIRST_YEAR = 2015


def year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class ReportForm(Form):
    """GET: a year, or a period of your own (both dates), and a network or all."""

    jaar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    netwerk = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.order_by("name"),
        required=False,
        empty_label=_("All networks"),
    )
    van = forms.DateField(label=_("From"), required=False, widget=DATE)
    tot = forms.DateField(label=_("Up to and including"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = year_choices()  # type: ignore[attr-defined]
        self.fields["van"].help_text = _("Leave both dates empty to report on the whole year.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("van"), data.get("tot")
        if (
            (start is None) != (end is None)
            and "van" not in self.errors
            and "tot" not in self.errors
        ):
            self.add_error("van" if start is None else "tot", _("Fill in both dates, or neither."))
        elif start and end and start > end:
            self.add_error("tot", _("The end of the period lies before its start."))
        return data

    def scope(self) -> Scope | None:
        """The scope chosen, the current year for all networks when nothing is chosen; None
        when the input is invalid (the page shows the messages, no figures)."""
        if not self.is_bound:
            year = timezone.localdate().year
            return Scope(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        if not self.is_valid():
            return None
        data = self.cleaned_data
        network = data.get("netwerk")
        network_id = network.pk if network else None
        if data.get("van") and data.get("tot"):
            return Scope(data["van"], data["tot"], network_id)
        year = data.get("jaar") or timezone.localdate().year
        return Scope(datetime.date(year, 1, 1), datetime.date(year, 12, 31), network_id)


class ResultAgreementForm(ModelForm):
    class Meta:
        model = ResultAgreement
        fields = ["year", "network", "figure", "target", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].empty_label = _("All networks")  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        super().validate_unique()
        data = self.cleaned_data
        if data.get("network") is None and data.get("year") and data.get("figure"):
            others = ResultAgreement.objects.filter(
                year=data["year"], figure=data["figure"], network__isnull=True
            ).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "figure",
                    _(
                        "There already is an agreement on this figure for all networks in this year."
                    ),
                )
