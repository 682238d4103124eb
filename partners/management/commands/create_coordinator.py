"""The first account of an installation: a coordinator of one organisation.

    python manage.py create_coordinator --email a.jansen@example.org --organisation "U Centraal"

The password is asked twice (checked against the password rules); with --no-input a
random one is generated and printed once. The account has no second factor yet, so the
first sign-in leads straight to two-factor enrolment (RequireSecondFactorMiddleware).
"""

from __future__ import annotations

import getpass
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from partners.choices import Role
from partners.models import Organisation, User
from partners.services import user_create


class Command(BaseCommand):
    help = "Create a coordinator account (two-factor enrolment is forced on first sign-in)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="E-mail address; the sign-in name.")
        parser.add_argument(
            "--organisation",
            required=True,
            help="Name or short name of an existing organisation, e.g. 'U Centraal'.",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--functional-admin",
            action="store_true",
            help="Also give the functional administrator role (manage partners and users).",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for a password: generate one and print it once.",
        )

    def handle(self, *args: object, **options: object) -> None:
        email = User.objects.normalize_email(str(options["email"])).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with e-mail address {email} already exists.")
        organisation = self._organisation(str(options["organisation"]))

        generated = not options["interactive"]
        password = secrets.token_urlsafe(18) if generated else self._ask_password(email)

        roles = [Role.COORDINATOR]
        if options["functional_admin"]:
            roles.append(Role.FUNCTIONAL_ADMIN)
        user = user_create(
            email=email,
            first_name=str(options["first_name"]),
            last_name=str(options["last_name"]),
            organisation=organisation,
            roles=roles,
            password=password,
            by=None,
        )
        role_names = ", ".join(str(role.label) for role in roles)
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.email} ({role_names}, {organisation.name}).")
        )
        if generated:
            self.stdout.write(f"Temporary password (shown once): {password}")
        self.stdout.write(
            "On first sign-in the account must enrol an authenticator app (two-factor)."
        )

    def _organisation(self, name: str) -> Organisation:
        matches = list(
            Organisation.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name))
        )
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(Organisation.objects.values_list("name", flat=True)) or "none yet"
        raise CommandError(f"No single organisation called {name!r}. Known: {known}.")

    def _ask_password(self, email: str) -> str:
        probe = User(email=email)
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ.")
                continue
            try:
                validate_password(password, user=probe)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password
