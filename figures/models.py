"""Result agreements: the targets the municipality sets per year for the figures of DOMAIN.md
§10, for all networks or one. Shown beside the figures of the annual report."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import FigureKey


class ResultAgreement(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    network = models.ForeignKey(
        "partners.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network"),
        help_text=_("Empty: the agreement is for all networks together."),
    )
    figure = models.CharField(_("figure"), max_length=40, choices=FigureKey.choices)
    target = models.DecimalField(
        _("target"), max_digits=8, decimal_places=1, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("last changed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result agreement")
        verbose_name_plural = _("result agreements")
        ordering = ["-year", "network__name", "figure"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "network", "figure"],
                name="result_agreement_once_per_network",
            ),
            models.UniqueConstraint(
                fields=["year", "figure"],
                condition=Q(network__isnull=True),
                name="result_agreement_once_for_all_networks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_figure_display()}: {self.target}"
