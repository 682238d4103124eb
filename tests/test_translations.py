"""The interface is Dutch by default (locale/nl), with English one click away.

Two kinds of test:
- the catalogue itself: no untranslated or fuzzy entry, placeholders kept, the compiled .mo
  matches the .po, and every string in the source is in the catalogue (so a new English
  string without Dutch fails CI);
- what a user notices: the sign-in page, its error messages and the referral form's errors
  are Dutch, and the same pages are English after the language switch.

After adding strings: `uv run python manage.py makemessages -l nl --ignore=.venv
--ignore=var --ignore=static --ignore=tests --ignore=node_modules`, translate the new
entries in locale/nl/LC_MESSAGES/django.po, then `uv run python manage.py compilemessages
--ignore=.venv --ignore=var` and commit both files (README, "Translations").
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The same folders `makemessages` is told to skip (README, "Translations").
NOT_SCANNED = {".venv", "var", "static", "tests", "node_modules", ".git", "locale"}
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdif]|\{\w+\}")


# --- A small .po reader (enough for what makemessages writes) ---------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file (blank-line separated, as makemessages writes them), without
    the header and without obsolete (#~) entries."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    lines = path.read_text(encoding="utf-8").splitlines() + [""]
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            if entry.msgid:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if not entry.line:
            entry.line = number
        if line.startswith("#,"):
            entry.flags = {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert target is not None, f"{path}:{number}: text outside an entry"
            kind, index = target
            value = ast.literal_eval(line)
            if kind == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + value)
            continue
        keyword, _, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstr[index], target = value, ("msgstr", index)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, value)
            target = (keyword, 0)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def describe(entries: list[Entry], path: Path = PO) -> str:
    return "\n".join(f"  {path.name}:{e.line}: {e.msgid!r}" for e in entries)


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO.exists(), f"{PO} is missing: run makemessages -l nl (README, 'Translations')"
    return read_po(PO)


# --- The catalogue ---------------------------------------------------------------------


def test_the_reader_understands_the_po_format(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        '#: a.py:1\nmsgid "Save"\nmsgstr "Opslaan"\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s case"\nmsgid_plural "%(n)s cases"\n'
        'msgstr[0] "%(n)s casus"\nmsgstr[1] ""\n\n'
        'msgctxt "verb"\nmsgid ""\n"Long "\n"text"\nmsgstr "Lange \\"tekst\\""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Oud"\n',
        encoding="utf-8",
    )
    save, plural, long = read_po(po)
    assert (save.msgid, save.msgstr, save.translated) == ("Save", {0: "Opslaan"}, True)
    assert plural.flags == {"fuzzy", "python-format"} and not plural.translated
    assert plural.msgid_plural == "%(n)s cases"
    assert (long.key, long.msgstr[0]) == ("verb\x04Long text", 'Lange "tekst"')


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert len(catalogue) > 500
    untranslated = [e for e in catalogue if not e.translated]
    fuzzy = [e for e in catalogue if "fuzzy" in e.flags]
    assert not untranslated, "Entries without Dutch (translate them):\n" + describe(untranslated)
    assert not fuzzy, "Fuzzy entries (check, then remove '#, fuzzy'):\n" + describe(fuzzy)


def test_the_header_says_dutch_with_two_plural_forms():
    header = PO.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header  # msgfmt would skip a fuzzy header, plural forms and all
    assert '"Language: nl\\n"' in header
    assert "nplurals=2; plural=(n != 1);" in header


def test_translations_keep_every_placeholder(catalogue):
    wrong = []
    for e in catalogue:
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for index, text in e.msgstr.items():
            expected = sources[min(index, len(sources) - 1)]
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(expected)):
                wrong.append(e)
    assert not wrong, "Placeholders differ from the English:\n" + describe(wrong)


def test_plural_entries_have_both_dutch_forms(catalogue):
    plurals = [e for e in catalogue if e.msgid_plural is not None]
    assert plurals
    assert all(sorted(e.msgstr) == [0, 1] for e in plurals), describe(plurals)


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    assert MO.exists(), "Run compilemessages and commit locale/nl/LC_MESSAGES/django.mo"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in catalogue:
        if e.msgid_plural is None:
            got = compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append(e)
        else:
            forms = [compiled.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            if forms != [e.msgstr[0], e.msgstr[1]]:
                stale.append(e)
    assert not stale, "django.mo is older than django.po: run compilemessages\n" + describe(stale)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_every_string_in_the_source_has_dutch(tmp_path):
    """Runs makemessages on a copy of the project, so the checkout is left alone: a string
    added in code or a template without a Dutch translation makes this fail."""
    copy = tmp_path / "project"
    copy.mkdir()
    for item in ROOT.iterdir():
        if item.name in NOT_SCANNED or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, copy / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, copy / item.name)
    shutil.copytree(ROOT / "locale", copy / "locale")
    ignores = [f"--ignore={name}" for name in sorted(NOT_SCANNED - {"locale", ".git"})]
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-location", *ignores],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    missing = [e for e in read_po(fresh) if not e.translated or "fuzzy" in e.flags]
    assert not missing, (
        "Strings in the source without Dutch (run makemessages, translate, compilemessages):\n"
        + describe(missing, fresh)
    )


# --- What a user notices ------------------------------------------------------------------

LOGIN = "/account/login/"


def _text(response) -> str:
    import html

    return html.unescape(response.content.decode())


def _heading(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", _text(response), re.S)
    assert match, "no <h1> on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _password_step(client, email, password):
    return client.post(
        LOGIN,
        {"sign_in_view-current_step": "auth", "auth-username": email, "auth-password": password},
    )


@pytest.mark.django_db
def test_sign_in_page_is_dutch_by_default(client):
    response = client.get(LOGIN)
    page = _text(response)
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl"' in page
    assert _heading(response) == "Inloggen"
    assert re.search(r"<button[^>]*primary-action[^>]*>\s*Volgende\s*</button>", page)
    assert "E-mailadres" in page and "Wachtwoord vergeten?" in page
    assert "Sign in" not in page and "Forgot your password?" not in page


@pytest.mark.django_db
def test_sign_in_page_is_english_after_the_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    response = client.get(LOGIN)
    page = _text(response)
    assert '<html lang="en"' in page
    assert _heading(response) == "Sign in"
    assert re.search(r"<button[^>]*primary-action[^>]*>\s*Next\s*</button>", page)
    assert "Forgot your password?" in page
    assert "Inloggen" not in page and "Wachtwoord vergeten?" not in page

    response = client.post("/i18n/setlang/", {"language": "nl", "next": LOGIN})
    assert _heading(client.get(LOGIN)) == "Inloggen"


@pytest.mark.django_db
def test_an_english_browser_gets_dutch_until_the_user_switches(client):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    response = client.get(LOGIN, **english_browser)
    assert _heading(response) == "Inloggen"
    assert response["Content-Language"] == "nl"
    assert "Cookie" in response["Vary"] and "Accept-Language" not in response["Vary"]

    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN}, **english_browser)
    assert _heading(client.get(LOGIN, **english_browser)) == "Sign in"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"  # an unknown choice: the default
    assert _heading(client.get(LOGIN, **english_browser)) == "Inloggen"


@pytest.mark.django_db
def test_unknown_address_and_wrong_password_give_the_same_dutch_message(client):
    from tests.factories.partners import UserFactory

    user = UserFactory(email="sam.jansen@example.org")
    wrong_password = _text(_password_step(client, user.email, "wrong-password"))
    unknown = _text(_password_step(client, "nobody@example.org", "wrong-password"))
    message = "Het e-mailadres of het wachtwoord is onjuist. Probeer het opnieuw."
    assert message in wrong_password and message in unknown
    assert "incorrect" not in wrong_password
    # Nothing else on the page differs, apart from the address typed and per-request tokens.
    strip = lambda page, email: re.sub(  # noqa: E731
        r'nonce="[^"]*"|\b[A-Za-z0-9]{64}\b', "", page.replace(email, "EMAIL")
    )
    assert strip(wrong_password, user.email) == strip(unknown, "nobody@example.org")


@pytest.mark.django_db
def test_wrong_code_message_is_dutch(client):
    from django_otp.oath import totp

    from tests.factories.partners import PASSWORD, UserFactory

    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    _password_step(client, user.email, PASSWORD)
    right = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(
        LOGIN,
        {
            "sign_in_view-current_step": "token",
            "token-otp_token": f"{(right + 500_000) % 1_000_000:06d}",
        },
    )
    page = _text(response)
    assert "Deze code is onjuist of verlopen." in page
    assert "Code uit uw authenticator-app" in page
    assert _heading(response) == "Inloggen"


@pytest.mark.django_db
def test_expired_session_message_is_dutch(verified_client, coordinator):
    client = verified_client(coordinator)
    assert client.get("/").status_code == 200
    Session.objects.all().delete()  # what the idle timeout does
    response = client.get("/", follow=True)
    assert "Uw sessie is verlopen omdat u een tijd niet actief was. Log opnieuw in." in _text(
        response
    )


@pytest.mark.django_db
def test_referral_form_errors_are_dutch(verified_client):
    from cases import services
    from partners.choices import Role
    from tests.cases.test_referral import complete_data
    from tests.factories.partners import OrganisationFactory, UserFactory

    mitros = OrganisationFactory(name="Mitros", corporation=True)
    referrer = UserFactory(organisation=mitros, roles=[Role.REFERRER])
    client = verified_client(referrer)
    referral = services.referral_start(by=referrer)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = complete_data(
        referral, postcode="351 AB", nuisance_since=tomorrow, nuisance_forms=[], street=""
    )
    response = client.post(reverse("cases:referral_edit", args=[referral.pk]), data)
    assert response.status_code == 200
    page = _text(response)
    for message in (
        "Het formulier bevat fouten",
        "Vul een geldige postcode in, zoals 1234 AB.",
        "Een datum mag niet in de toekomst liggen.",
        "Kies minstens één overlastvorm.",
        "Vul de straat in.",
    ):
        assert message in page, message
    assert "Enter a valid postcode" not in page
