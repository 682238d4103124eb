"""Demo accounts for trying the application: `manage.py seed_demo`.

Synthetic people only (names from Faker nl_NL with a fixed seed, e-mail addresses on the
reserved example.org domain), all marked `is_demo`, all with ONE known password. Safe to run
again: accounts are found by e-mail address and brought back to the same state. Refuses to
run with DEBUG off unless --force, and never touches an existing non-demo account.
Then runs `seed_demo_cases` (cases/demo.py): synthetic demo cases in every stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from faker import Faker

from partners import services
from partners.choices import RepresentativeKind, Role
from partners.models import Network, NetworkRepresentative, Organisation, User

DEMO_PASSWORD = "woonoverlast-demo-2026"  # noqa: S105 - published on purpose, demo only
FAKER_SEED = 20150401
ACCOUNTS_FILE = Path(settings.BASE_DIR) / "var" / "demo-accounts.txt"

U_CENTRAAL = "U Centraal"
MITROS = "Mitros"
PORTAAL = "Portaal"
POLITIE = "Politie"
OOV = "Gemeente Utrecht – Openbare Orde en Veiligheid"
MO = "Gemeente Utrecht – Maatschappelijke Ontwikkeling"
# The commissioning department gives official direction; it is no standing case-meeting
# member (DOMAIN.md §3). On-call organisations are read from `Organisation.on_call_only`.
COMMISSIONING = {MO}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    organisation: str


# In this order: Faker draws names in sequence, so the order fixes who is called what.
DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("coordinator@example.org", Role.COORDINATOR, U_CENTRAAL),
    DemoAccount("casemanager1@example.org", Role.CASEMANAGER, U_CENTRAAL),
    DemoAccount("casemanager2@example.org", Role.CASEMANAGER, U_CENTRAAL),
    DemoAccount("casemanager3@example.org", Role.CASEMANAGER, U_CENTRAAL),
    DemoAccount("beheerder@example.org", Role.FUNCTIONAL_ADMIN, U_CENTRAAL),
    DemoAccount("mitros@example.org", Role.PARTNER_REPRESENTATIVE, MITROS),
    DemoAccount("portaal@example.org", Role.PARTNER_REPRESENTATIVE, PORTAAL),
    DemoAccount("bo-ex@example.org", Role.PARTNER_REPRESENTATIVE, "Bo-Ex"),
    DemoAccount("groenwest@example.org", Role.PARTNER_REPRESENTATIVE, "GroenWest"),
    DemoAccount("ssh@example.org", Role.PARTNER_REPRESENTATIVE, "SSH"),
    DemoAccount("politie@example.org", Role.PARTNER_REPRESENTATIVE, POLITIE),
    DemoAccount("altrecht@example.org", Role.PARTNER_REPRESENTATIVE, "Altrecht"),
    DemoAccount(
        "volksgezondheid@example.org",
        Role.PARTNER_REPRESENTATIVE,
        "Gemeente Utrecht – Volksgezondheid",
    ),
    DemoAccount("oov@example.org", Role.PARTNER_REPRESENTATIVE, OOV),
    DemoAccount("mo@example.org", Role.PARTNER_REPRESENTATIVE, MO),
    DemoAccount(
        "buurtteam-sociaal@example.org",
        Role.PARTNER_REPRESENTATIVE,
        "Buurtteamorganisatie Sociaal",
    ),
    DemoAccount(
        "buurtteam-jeugd@example.org",
        Role.PARTNER_REPRESENTATIVE,
        "Buurtteamorganisatie Jeugd en Gezin",
    ),
    DemoAccount("melder.mitros@example.org", Role.REFERRER, MITROS),
    DemoAccount("melder.portaal@example.org", Role.REFERRER, PORTAAL),
    DemoAccount("melder.politie@example.org", Role.REFERRER, POLITIE),
    # Substitutes: a colleague who can see the cases they must prepare (a referrer cannot).
    DemoAccount("mitros2@example.org", Role.PARTNER_REPRESENTATIVE, MITROS),
    DemoAccount("portaal2@example.org", Role.PARTNER_REPRESENTATIVE, PORTAAL),
    DemoAccount("politie2@example.org", Role.PARTNER_REPRESENTATIVE, POLITIE),
    DemoAccount("manager@example.org", Role.MANAGER, OOV),
    DemoAccount("privacy@example.org", Role.PRIVACY_OFFICER, OOV),
    # Takes part in the advisory and steering meetings only (the municipality's direction):
    # no case access.
    DemoAccount("overleg@example.org", Role.MEETING_MEMBER, MO),
]

# Substitutes per organisation: a colleague from the same organisation whose role lets them
# see the network's cases (the coordinator for U Centraal, a second representative elsewhere).
SUBSTITUTES: dict[str, str] = {
    U_CENTRAAL: "coordinator@example.org",
    MITROS: "mitros2@example.org",
    PORTAAL: "portaal2@example.org",
    POLITIE: "politie2@example.org",
}
# Roles that see the cases of the networks they sit in.
CASE_ROLES = {Role.COORDINATOR, Role.CASEMANAGER, Role.PARTNER_REPRESENTATIVE}
CASEMANAGERS = [a.email for a in DEMO_ACCOUNTS if a.role == Role.CASEMANAGER]


class Command(BaseCommand):
    help = "Create or refresh the demo accounts (synthetic people, one known password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production installation).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password; it refuses to run "
                "with DEBUG off. Use --force only on a test or demo installation."
            )
        with transaction.atomic():
            users = self._accounts()
            self._representatives(users)
        # Demo cases (cases/demo.py), made through the case services as these accounts.
        call_command("seed_demo_cases", force=True, stdout=self.stdout)
        lines = self._table()
        ACCOUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
        ACCOUNTS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write("\n".join(lines))
        self.stdout.write(self.style.SUCCESS(f"Written to {ACCOUNTS_FILE}"))

    def _accounts(self) -> dict[str, User]:
        organisations = {o.name: o for o in Organisation.objects.all()}
        missing = {a.organisation for a in DEMO_ACCOUNTS} - organisations.keys()
        if missing:
            raise CommandError(
                f"Organisations missing (run migrate first): {', '.join(sorted(missing))}"
            )
        fake = Faker("nl_NL")
        fake.seed_instance(FAKER_SEED)
        users: dict[str, User] = {}
        for account in DEMO_ACCOUNTS:
            first_name, last_name = fake.first_name(), fake.last_name()
            organisation = organisations[account.organisation]
            user = User.objects.filter(email__iexact=account.email).first()
            if user is not None and not user.is_demo:
                raise CommandError(
                    f"{account.email} exists and is not a demo account; not touched."
                )
            if user is None:
                user = services.user_create(
                    email=account.email,
                    first_name=first_name,
                    last_name=last_name,
                    organisation=organisation,
                    roles=[account.role],
                    job_title=str(account.role.label),
                    is_demo=True,
                    password=DEMO_PASSWORD,
                    by=None,
                )
            else:
                services.user_update(
                    user=user,
                    email=account.email,
                    first_name=first_name,
                    last_name=last_name,
                    organisation=organisation,
                    job_title=str(account.role.label),
                    phone=user.phone,
                    roles=[account.role],
                    by=None,
                )
                if not user.is_active:
                    services.user_set_active(user=user, active=True, by=None)
                if not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
            users[account.email] = user
        return users

    def _representatives(self, users: dict[str, User]) -> None:
        """Per active network: a standing representative for every organisation with a
        partner representative (a casemanager for U Centraal, in turn), and substitutes.
        On-call organisations (Victas, Openbare Orde en Veiligheid) and the commissioning
        department join when called and are no standing members."""
        not_standing = COMMISSIONING | set(
            Organisation.objects.filter(on_call_only=True).values_list("name", flat=True)
        )
        substitutes = set(SUBSTITUTES.values())
        standing = {
            a.organisation: a.email
            for a in DEMO_ACCOUNTS
            if a.role == Role.PARTNER_REPRESENTATIVE
            and a.organisation not in not_standing
            and a.email not in substitutes
        }
        taken = set(
            NetworkRepresentative.objects.filter(is_active=True).values_list(
                "network_id", "user_id"
            )
        )
        for index, network in enumerate(Network.objects.filter(is_active=True).order_by("name")):
            wanted = [(email, RepresentativeKind.STANDING) for email in standing.values()]
            wanted.append((CASEMANAGERS[index % len(CASEMANAGERS)], RepresentativeKind.STANDING))
            wanted += [(email, RepresentativeKind.SUBSTITUTE) for email in SUBSTITUTES.values()]
            wanted_ids = {(users[email].pk, kind) for email, kind in wanted}
            # A demo representation seeded by an earlier version that no longer fits ends.
            for representative in NetworkRepresentative.objects.filter(
                network=network, is_active=True, user__is_demo=True
            ):
                if (representative.user_id, representative.kind) not in wanted_ids:
                    services.network_representative_deactivate(
                        representative=representative, by=None
                    )
                    taken.discard((network.pk, representative.user_id))
            for email, kind in wanted:
                user = users[email]
                if (network.pk, user.pk) in taken:
                    continue
                services.network_representative_add(network=network, user=user, kind=kind, by=None)
                taken.add((network.pk, user.pk))

    def _table(self) -> list[str]:
        rows = [(a.email, str(a.role.label), a.organisation) for a in DEMO_ACCOUNTS]
        header = ("E-mail", "Role", "Organisation")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]

        def line(row: tuple[str, str, str]) -> str:
            return "  ".join(
                cell.ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()

        return [
            "Demo accounts (synthetic people; sign in with the e-mail address)",
            "",
            line(header),
            line(tuple("-" * w for w in widths)),  # type: ignore[arg-type]
            *(line(r) for r in rows),
            "",
            f"Password for every demo account: {DEMO_PASSWORD}",
        ]
