from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CORPORATION = "corporation", _("Housing corporation")
    POLICE = "police", _("Police")
    MUNICIPALITY = "municipality", _("Municipality")
    CARE_PROVIDER = "care_provider", _("Care provider")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Neighbourhood team")
    EXECUTING = "executing", _("Executing organisation")


class Role(models.TextChoices):
    """The roles of DOMAIN.md §3. A user holds one or several; each is a Django group."""

    COORDINATOR = "coordinator", _("Coordinator")
    CASEMANAGER = "casemanager", _("Casemanager")
    PARTNER_REPRESENTATIVE = "partner_representative", _("Partner representative")
    REFERRER = "referrer", _("Referrer")
    MANAGER = "manager", _("Manager / steering")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")
    # Takes part only in the covenant's advisory, steering or director meetings: no case access.
    MEETING_MEMBER = "meeting_member", _("Meeting member")


class RepresentativeKind(models.TextChoices):
    STANDING = "standing", _("Standing representative")
    SUBSTITUTE = "substitute", _("Substitute")
