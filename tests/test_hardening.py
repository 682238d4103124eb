"""What independent checkers found (issue 11): caching of signed-in pages, methods a view
does not define, the favicon, British formats in English, messages shown once, and the
page CSS for tables and untouched forms."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.views.generic import TemplateView

from cases.models import Criterion
from tests.cases.case_setup import make_world
from woonoverlast.middleware import DEFAULT_METHODS, allow_methods, view_methods

STATIC = Path(settings.BASE_DIR) / "static"


@pytest.fixture
def world(db):
    return make_world()


# --- Cache-Control ------------------------------------------------------------------------


def test_signed_in_case_page_is_never_stored(world, verified_client):
    response = verified_client(world.casemanager).get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_signed_in_redirect_and_404_are_not_stored_either(world, verified_client):
    client = verified_client(world.outsider_rep)
    response = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_public_page_keeps_its_own_caching(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- Methods --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["options", "trace", "put", "patch", "delete"])
@pytest.mark.parametrize("page", ["detail", "list"])
def test_case_pages_answer_only_get_and_head(world, verified_client, method, page):
    client = verified_client(world.casemanager)
    url = (
        reverse("cases:detail", args=[world.case.pk]) if page == "detail" else reverse("cases:list")
    )
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert world.case.number not in response.content.decode()


def test_head_of_a_case_page_still_works(world, verified_client):
    client = verified_client(world.casemanager)
    assert client.head(reverse("cases:detail", args=[world.case.pk])).status_code == 200


def test_form_page_without_declaration_answers_get_and_post_only(world, verified_client):
    client = verified_client(world.casemanager)
    url = reverse("cases:journal_add", args=[world.case.pk])
    response = client.options(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_post_only_view_names_post_in_allow(world, verified_client):
    client = verified_client(world.coordinator)
    response = client.put(reverse("cases:transition", args=[world.case.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_anonymous_get_on_a_post_only_action_still_goes_to_sign_in(world, client):
    response = client.get(reverse("cases:intake_criteria", args=[world.case.pk]))
    assert response.status_code == 302


def test_anonymous_trace_is_refused_before_sign_in(client, db):
    response = client.generic("TRACE", reverse("cases:list"))
    assert response.status_code == 405


def test_view_methods_reads_declarations():
    @allow_methods("GET", "POST")
    def page(request):  # pragma: no cover - never called
        raise AssertionError

    def plain(request):  # pragma: no cover
        raise AssertionError

    class Only(TemplateView):
        template_name = "x.html"

    assert view_methods(page) == ("GET", "POST", "HEAD")
    assert view_methods(plain) == DEFAULT_METHODS
    assert set(view_methods(Only.as_view())) == {"GET", "HEAD", "OPTIONS"}


# --- Favicon ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_favicon_is_served_at_the_root_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header
    page = client.get(reverse("accessibility")).content.decode()
    assert 'rel="icon"' in page


# --- British formats in English ---------------------------------------------------------------


def test_english_uses_british_dates_and_24_hour_times():
    moment = dt.datetime(2026, 12, 25, 14, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    template = Template(
        "{{ d|date:'SHORT_DATE_FORMAT' }}|{{ d|date:'SHORT_DATETIME_FORMAT' }}|{{ d|time }}"
        "|{{ d|date }}"
    )
    with translation.override("en"):
        rendered = template.render(Context({"d": moment}))
    assert rendered == "25/12/2026|25/12/2026 14:30|14:30|25 December 2026"
    with translation.override("nl"):
        rendered = template.render(Context({"d": moment}))
    assert rendered.startswith("25-12-2026|25-12-2026 14:30|14:30")


def test_english_reads_typed_dates_day_first():
    """dd/mm/yyyy in English: 04/12/2026 is 4 December, never 12 April."""
    from django import forms

    class DateForm(forms.Form):
        day = forms.DateField()
        moment = forms.DateTimeField()

    with translation.override("en"):
        form = DateForm({"day": "04/12/2026", "moment": "04/12/2026 16:05"})
        assert form.is_valid(), form.errors
        rendered = Template("{{ d|date }}, {{ d|time }}").render(
            Context({"d": form.cleaned_data["moment"]})
        )
    assert form.cleaned_data["day"] == dt.date(2026, 12, 4)
    assert form.cleaned_data["moment"].month == 12
    assert rendered == "4 December 2026, 16:05"


def test_english_case_page_shows_british_dates(world, verified_client):
    client = verified_client(world.casemanager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    world.case.referred_on = dt.date(2026, 1, 31)
    world.case.save(update_fields=["referred_on"])
    html = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "31 January 2026" in html or "31/01/2026" in html
    assert "01/31/2026" not in html and "Jan. 31, 2026" not in html


# --- Messages once ------------------------------------------------------------------------------


def test_intake_message_after_htmx_action_shows_once(world, verified_client):
    from cases.choices import CaseStatus

    world.case.status = CaseStatus.INTAKE
    world.case.save(update_fields=["status"])
    client = verified_client(world.coordinator)
    data = {}
    for criterion in Criterion.objects.filter(is_active=True):
        data[f"criteria-met_{criterion.number}"] = "met"
        data[f"criteria-motivation_{criterion.number}"] = "Ernstige overlast"
    url = reverse("cases:intake_criteria", args=[world.case.pk])
    section = client.post(url, data, headers={"HX-Request": "true"})
    assert section.status_code == 200
    with translation.override("nl"):
        message = translation.gettext("Criteria assessment saved.")
    assert section.content.decode().count(message) == 1
    # The next full page does not repeat it.
    page = client.get(reverse("cases:intake", args=[world.case.pk])).content.decode()
    assert message not in page


def test_intake_message_after_plain_post_shows_once(world, verified_client):
    from cases.choices import CaseStatus

    world.case.status = CaseStatus.INTAKE
    world.case.save(update_fields=["status"])
    client = verified_client(world.coordinator)
    data = {}
    for criterion in Criterion.objects.filter(is_active=True):
        data[f"criteria-met_{criterion.number}"] = "met"
        data[f"criteria-motivation_{criterion.number}"] = "Ernstige overlast"
    response = client.post(
        reverse("cases:intake_criteria", args=[world.case.pk]), data, follow=True
    )
    with translation.override("nl"):
        message = translation.gettext("Criteria assessment saved.")
    assert response.content.decode().count(message) == 1


# --- Untouched forms, tables ---------------------------------------------------------------------


def test_untouched_form_has_no_error_markup(world, verified_client):
    html = verified_client(world.casemanager).get(
        reverse("cases:journal_add", args=[world.case.pk])
    )
    body = html.content.decode()
    assert 'aria-invalid="true"' not in body
    assert "--invalid" not in body
    assert "utrecht-form-field-error-message" not in body


def test_every_invalid_style_of_the_components_is_lifted_until_the_server_says_so():
    """The vendored CSS styles `:invalid` (an empty required field before anyone typed);
    app.css must undo each such rule unless `aria-invalid="true"` is set."""
    vendored = next(STATIC.glob("vendor/@utrecht/component-library-css@*/index.css")).read_text()
    app = (STATIC / "css" / "app.css").read_text()
    selectors = set(re.findall(r"(\.[\w-]+(?:\.[\w-]+)*):invalid\b", vendored))
    assert selectors
    for selector in selectors:
        assert f'{selector}:invalid:not([aria-invalid="true"])' in app, selector


def test_table_cells_never_break_inside_words():
    app = (STATIC / "css" / "app.css").read_text()
    rule = re.search(r"\.utrecht-table__cell,\s*\.utrecht-table__header-cell\s*\{([^}]*)\}", app)
    assert rule is not None
    assert "word-break: normal" in rule.group(1)
    assert "hyphens: manual" in rule.group(1)
