"""Forms of the lawful-basis catalogue and of the review of items from before it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import DataCategory
from cases.models import LawfulBasis
from partners.choices import OrganisationKind
from woonoverlast.forms import ModelForm

# A covenant is no legal basis (AVG art. 6(3)): an entry that names one as its law is refused.
COVENANT = re.compile(r"\b(convenant|covenant)\b", re.IGNORECASE)
# Special categories (health) need a ground of AVG art. 9(2), e.g. "9(2)(g)" or "9 lid 2 sub g".
ARTICLE_9_GROUND = re.compile(
    r"(?<![\d(])9\s*(?:\(\s*2\s*\)|lid\s*2)\s*(?:\(\s*[a-j]\s*\)|(?:onder|sub)\s*[a-j]\b)",
    re.IGNORECASE,
)
# Criminal data: AVG art. 10 ("10", "art. 10", "6(1)(e) en 10"; not "(10)" or "100").
ARTICLE_10 = re.compile(r"(?<![\d(])10(?![\d)])")
# The Dutch implementing act names the exception: "UAVG art. 30", "UAVG artikel 33".
UAVG_ARTICLE = re.compile(r"\bUAVG\b\s*(?:art\.?|artikel)?\s*\d+", re.IGNORECASE)


class LawfulBasisForm(ModelForm):
    organisation_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds that may use it"),
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one kind of organisation.")},
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Kinds of data it covers"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one kind of data.")},
    )

    class Meta:
        model = LawfulBasis
        fields = [
            "label",
            "code",
            "avg_article",
            "national_law",
            "organisation_kinds",
            "data_categories",
            "requires_consent_date",
            "requires_motivation",
            "explanation",
        ]
        help_texts = {"code": _("Short fixed name without spaces, e.g. gemeente-wmo.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code is how seed data and exports refer to the entry: it stays.
            self.fields["code"].disabled = True

    def clean_national_law(self) -> str:
        law = self.cleaned_data["national_law"].strip()
        if COVENANT.search(law):
            raise forms.ValidationError(
                _("A covenant is no legal basis (AVG art. 6(3)). Name the law itself.")
            )
        return law

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("avg_article") or "").strip() and not data.get("national_law"):
            self.add_error("national_law", _("Name the AVG article or the national law (or both)."))
        categories = data.get("data_categories") or []
        self._check_special_and_criminal(data, categories)
        if DataCategory.POLICE in categories and set(data.get("organisation_kinds") or []) - {
            OrganisationKind.POLICE
        }:
            self.add_error(
                "organisation_kinds",
                _("Police data is shared only by the police itself, under the Wpg."),
            )
        return data

    def _check_special_and_criminal(self, data: dict[str, Any], categories: list[str]) -> None:
        """Health and other special-category data only with an art. 9(2) ground and the UAVG
        article of the exception; criminal data only under art. 10 and the UAVG (DOMAIN.md §7).
        Each error next to the field to correct."""
        article = (data.get("avg_article") or "").strip()
        law = data.get("national_law")  # None when the law was refused already
        if DataCategory.SPECIAL in categories:
            if not ARTICLE_9_GROUND.search(article):
                self.add_error(
                    "avg_article",
                    _(
                        "Special-category data such as health data need a ground of AVG "
                        "art. 9(2), e.g. 9(2)(g)."
                    ),
                )
            if law is not None and not UAVG_ARTICLE.search(law):
                self.add_error(
                    "national_law",
                    _(
                        "Special-category data such as health data also need the UAVG article "
                        "of the exception, e.g. UAVG art. 30."
                    ),
                )
        if DataCategory.CRIMINAL in categories:
            if not ARTICLE_10.search(article):
                self.add_error("avg_article", _("Criminal data need AVG art. 10."))
            if law is not None and not UAVG_ARTICLE.search(law):
                self.add_error(
                    "national_law",
                    _(
                        "Criminal data also need the UAVG article that allows them, e.g. UAVG art. 33."
                    ),
                )
