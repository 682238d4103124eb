"""Organisations, networks, districts, people who work with the system, and the covenant.

Tables and small invariants only; every write goes through `partners/services.py`.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import OrganisationKind, RepresentativeKind, Role
from .domain.covenant import current_term_end, next_notice_date, notice_date


class Organisation(models.Model):
    """A party to the covenant (ketenpartner)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    obligations = models.TextField(
        _("covenant obligations"),
        blank=True,
        help_text=_("What this party committed to in the covenant."),
    )
    on_call_only = models.BooleanField(
        _("joins meetings on call only"),
        default=False,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [
            ("manage_partners", _("Can manage organisations, users, networks and covenant")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_corporation(self) -> bool:
        return self.kind == OrganisationKind.CORPORATION


class District(models.Model):
    """A district (wijk) of the municipality."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """A neighbourhood network with its monthly case meeting; covers one or more districts."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    districts = models.ManyToManyField(
        District, related_name="networks", verbose_name=_("districts")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[districts])

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A professional who signs in. Belongs to one organisation; roles are groups."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts may skip two-factor sign-in when DEBUG is on."),
    )
    # Role changes (group membership) are part of the history: who gave whom which role.
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Sign-in by e-mail: the stubs type AbstractUser's manager with Django's username-based
    # `create_user(username, ...)`, which this model has no field for.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def roles(self) -> list[Role]:
        """The user's roles, from their groups (prefetch `groups` on lists)."""
        values = {g.name for g in self.groups.all()}
        return [role for role in Role if role.value in values]


class NetworkRepresentative(models.Model):
    """A person who represents an organisation in a network: standing or substitute."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="representatives", verbose_name=_("network")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="representations",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="representations", verbose_name=_("person")
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=RepresentativeKind.choices,
        default=RepresentativeKind.STANDING,
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network representative")
        verbose_name_plural = _("network representatives")
        ordering = ["network__name", "organisation__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=models.Q(is_active=True),
                name="one_active_representation_per_network_and_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation}, {self.network})"


class Covenant(models.Model):
    """The covenant: its parties, when it was signed, its term and tacit yearly renewal."""

    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    first_term_ends_on = models.DateField(_("first term ends on"))
    renews_tacitly = models.BooleanField(_("renews tacitly each year"), default=True)
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months before 1 January)"), default=3
    )
    general_obligations = models.TextField(
        _("obligations of all parties"),
        blank=True,
        help_text=_("What every party committed to; each organisation lists its own as well."),
    )
    parties = models.ManyToManyField(
        Organisation, related_name="covenants", verbose_name=_("parties")
    )
    is_active = models.BooleanField(_("in force"), default=True)
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title

    def current_term_end(self, today: datetime.date) -> datetime.date:
        """The day the current term ends: the first term, then each following year."""

        return current_term_end(self.first_term_ends_on, today, renews=self.renews_tacitly)

    def notice_date(self, today: datetime.date) -> datetime.date:
        """The last day to give notice before the next renewal."""

        return notice_date(self.current_term_end(today), self.notice_months)

    def next_notice_date(self, today: datetime.date) -> datetime.date | None:
        """The first notice date on or after `today` (the next term's once this one's passed)."""

        return next_notice_date(
            self.first_term_ends_on,
            today,
            renews=self.renews_tacitly,
            notice_months=self.notice_months,
        )
