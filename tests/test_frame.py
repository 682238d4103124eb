"""The page frame (templates/base.html), the Utrecht form renderer and the public pages.

HTML is parsed with tinyhtml5 and queried with CSS selectors through cssselect2 (both come
with WeasyPrint), so the tests say what a browser would see, not how the markup is spelled.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from cssselect2 import ElementWrapper
from django import forms
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from tinyhtml5 import parse

from partners.choices import Role
from tests.factories.partners import OrganisationFactory, UserFactory


class Page:
    """A parsed HTML document with CSS-selector queries."""

    def __init__(self, html: str) -> None:
        self.root = parse(html)
        self.wrapper = ElementWrapper.from_html_root(self.root)

    def all(self, selector: str) -> list:
        return [w.etree_element for w in self.wrapper.query_all(selector)]

    def one(self, selector: str):
        found = self.all(selector)
        assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
        return found[0]

    @staticmethod
    def text(element) -> str:
        return " ".join("".join(element.itertext()).split())


def page_of(response) -> Page:
    return Page(response.content.decode())


# --- The form renderer ---------------------------------------------------------------


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name", max_length=5, help_text="At most five letters.")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    urgent = forms.BooleanField(label="Urgent", required=False)
    remark = forms.CharField(label="Remark", widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "b":
            raise forms.ValidationError("Kind B cannot be combined with this name.")
        return data


def test_field_error_is_next_to_its_field_with_aria_links_and_the_typed_value_kept():
    form = ExampleForm(data={"name": "far too long", "kind": "a"})
    page = Page(f"<form>{form}</form>")

    field = page.one(".utrecht-form-field--invalid")
    textbox = page.one("input[name=name]")
    error = page.one("#id_name_error")
    # The error sits inside the field's own form field, before the input.
    assert error in list(field.iter())
    assert textbox in list(field.iter())
    assert "utrecht-form-field-error-message" in error.get("class")
    assert Page.text(error) == form.errors["name"][0]
    assert textbox.get("aria-invalid") == "true"
    assert set(textbox.get("aria-describedby").split()) == {"id_name_helptext", "id_name_error"}
    assert page.one("#id_name_helptext").get("class").endswith("utrecht-form-field-description")
    assert textbox.get("value") == "far too long"
    assert "utrecht-textbox" in textbox.get("class").split()
    assert "utrecht-textbox--invalid" in textbox.get("class").split()
    # The label points at the input.
    assert page.one("label[for=id_name]").get("class") == "utrecht-form-label"


def test_form_with_errors_starts_with_an_error_summary_linking_to_the_fields():
    form = ExampleForm(data={"name": "ok", "kind": "b"})
    page = Page(f"<form>{form}</form>")

    summary = page.one(".utrecht-alert.utrecht-alert--error")
    assert summary.get("role") == "alert"
    assert "Kind B cannot be combined with this name." in Page.text(summary)
    # Non-field errors only: no field is marked invalid and no links are listed.
    assert page.all(".utrecht-form-field--invalid") == []
    assert page.all(".wo-error-summary a") == []

    form = ExampleForm(data={"name": "far too long", "kind": "a"})
    page = Page(f"<form>{form}</form>")
    link = page.one(".wo-error-summary a")
    assert link.get("href") == "#id_name"
    assert Page.text(link).startswith("Name:")


def test_valid_form_has_no_error_summary_and_no_invalid_marks():
    form = ExampleForm(data={"name": "ok", "kind": "a"})
    assert form.is_valid()
    page = Page(f"<form>{form}</form>")
    assert page.all(".utrecht-alert") == []
    assert page.all("[aria-invalid]") == []


def test_select_checkbox_and_textarea_get_their_utrecht_components():
    page = Page(f"<form>{ExampleForm()}</form>")
    assert "utrecht-select" in page.one("select[name=kind]").get("class").split()
    assert "utrecht-checkbox" in page.one("input[name=urgent]").get("class").split()
    assert "utrecht-textarea" in page.one("textarea[name=remark]").get("class").split()
    assert page.one(".utrecht-form-field--checkbox label").get("for") == "id_urgent"
    # Optional fields say so in their label; required ones do not.
    assert "(niet verplicht)" in Page.text(page.one("label[for=id_remark]"))
    assert "(niet verplicht)" not in Page.text(page.one("label[for=id_name]"))


def test_radio_buttons_are_a_fieldset_with_a_legend():
    class RadioForm(forms.Form):
        answer = forms.ChoiceField(
            label="Answer", choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect
        )

    page = Page(f"<form>{RadioForm(data={})}</form>")
    fieldset = page.one("fieldset")
    assert Page.text(page.one("fieldset > legend")) == "Answer"
    assert fieldset.get("aria-describedby") == "id_answer_error"
    radios = page.all("input[type=radio]")
    assert len(radios) == 2
    assert all("utrecht-radio-button" in r.get("class").split() for r in radios)
    assert all(r.get("aria-invalid") == "true" for r in radios)
    assert page.one("label[for=id_answer_0]").get("class").startswith("utrecht-form-label")


# --- The frame -----------------------------------------------------------------------


@pytest.fixture
def admin_user(db):
    org = OrganisationFactory(name="Gemeente Utrecht")
    return UserFactory(
        organisation=org, roles=[Role.FUNCTIONAL_ADMIN], first_name="Fien", last_name="Beheer"
    )


def test_header_shows_name_organisation_roles_and_municipality(
    verified_client, coordinator, settings
):
    settings.MUNICIPALITY_NAME = "Gemeente Voorbeeldstad"
    page = page_of(verified_client(coordinator).get("/"))
    header = Page.text(page.one("header"))
    assert coordinator.get_full_name() in header
    assert "U Centraal" in header
    assert str(Role.COORDINATOR.label) in header
    assert "Gemeente Voorbeeldstad" in header
    assert "Gemeente Voorbeeldstad" in Page.text(page.one("footer"))


def test_navigation_shows_administration_only_to_functional_administrator(
    client, verified_client, coordinator, admin_user
):
    from django.urls import reverse

    admin_url = reverse("partners:organisation_list")

    page = page_of(verified_client(coordinator).get("/"))
    assert admin_url not in [a.get("href") for a in page.all("nav a")]

    client.logout()
    page = page_of(verified_client(admin_user).get("/"))
    assert admin_url in [a.get("href") for a in page.all("nav a")]


def test_current_page_is_marked_in_the_navigation(verified_client, coordinator):
    page = page_of(verified_client(coordinator).get("/"))
    current = page.one("nav a[aria-current]")
    assert current.get("href") == "/"
    assert current.get("aria-current") == "page"


def test_frame_has_landmarks_one_h1_skip_link_and_sign_out_form(verified_client, coordinator):
    page = page_of(verified_client(coordinator).get("/"))
    page.one("header")
    page.one("nav[aria-label]")
    page.one("main#main")
    page.one("footer")
    page.one("h1")
    assert page.all("a.utrecht-skip-link")[0].get("href") == "#main"
    sign_out = page.one("form[action='/account/logout/']")
    assert sign_out.get("method") == "post"
    assert sign_out.find("{*}input[@name='csrfmiddlewaretoken']") is not None
    body = page.one("body")
    assert '"X-CSRFToken"' in body.get("data-hx-headers")


def test_frame_has_no_inline_scripts_or_styles_and_every_asset_exists(verified_client, coordinator):
    page = page_of(verified_client(coordinator).get("/"))
    assert page.all("[style]") == []
    assert page.all("style") == []
    scripts = page.all("script")
    assert scripts and all(s.get("src") for s in scripts)
    assets = [s.get("src") for s in scripts] + [
        link.get("href") for link in page.all("link[rel=stylesheet]")
    ]
    for url in assets:
        assert url.startswith("/static/")
        assert finders.find(unquote(url.removeprefix("/static/"))), f"missing static file {url}"


def test_dashboard_lists_only_the_places_the_user_may_go(verified_client, partner_representative):
    page = page_of(verified_client(partner_representative).get("/"))
    assert Page.text(page.one("h1")) in {"Dashboard", "Overzicht"}
    # The representative's workspace, not the coordinator's; the menu is not repeated.
    assert page.all("main [data-block='requests']") and not page.all("[data-block='to_take']")
    assert page.all("main a[href^='/beheer']") == page.all("nav a[href^='/beheer']") == []


def test_messages_show_as_alerts_with_status_or_alert_role(rf, coordinator):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    request = rf.get("/")
    request.user = coordinator
    html = render_to_string(
        "dashboard.html",
        {"messages": [Message(constants.SUCCESS, "Saved."), Message(constants.ERROR, "Failed.")]},
        request=request,
    )
    page = Page(html)
    ok = page.one(".utrecht-alert--ok")
    error = page.one(".utrecht-alert--error")
    assert (ok.get("role"), error.get("role")) == ("status", "alert")


def test_language_switch_to_english(client, verified_client, coordinator):
    signed_in = verified_client(coordinator)
    page = page_of(signed_in.get("/"))
    switch = page.one("form[action='/i18n/setlang/'] button[name=language]")
    assert switch.get("value") == "en"
    assert switch.get("lang") == "en"
    assert page.one("html").get("lang") == "nl"

    response = signed_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = signed_in.get("/")
    assert response["Content-Language"] == "en"
    page = page_of(response)
    assert page.one("html").get("lang") == "en"
    back = page.one("form[action='/i18n/setlang/'] button[name=language]")
    assert (back.get("value"), back.get("lang")) == ("nl", "nl")


@pytest.mark.django_db
def test_csp_header_allows_no_inline_scripts(client):
    response = client.get("/toegankelijkheid/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert "'self'" in directives["script-src"]
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-inline" not in directives["style-src"]


@pytest.mark.django_db
def test_accessibility_statement_is_reachable_from_the_footer_without_signing_in(client):
    page = page_of(client.get("/account/login/"))
    link = page.one("footer a[href='/toegankelijkheid/']")
    response = client.get(link.get("href"))
    assert response.status_code == 200
    page = page_of(response)
    assert Page.text(page.one("h1")) in {"Accessibility statement", "Toegankelijkheidsverklaring"}
    main = Page.text(page.one("main"))
    assert "WCAG 2.1" in main
    assert "Nationale ombudsman" in main
    # Anonymous visitors get no navigation and no sign-out button.
    assert page.all("nav") == []
    assert page.all("form[action='/account/logout/']") == []


@pytest.mark.django_db
def test_unknown_page_gets_the_404_page_in_the_frame(client):
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    page = page_of(response)
    page.one("main h1")
    page.one("footer")


def test_403_page_renders_in_the_frame(rf, coordinator):
    request = rf.get("/")
    request.user = coordinator
    page = Page(render_to_string("403.html", request=request))
    page.one("main h1")
    page.one("header")


def test_500_page_renders_without_a_request_or_context():
    page = Page(render_to_string("500.html"))
    page.one("main h1")
    assert page.one("html").get("lang")


def test_every_navigation_entry_points_at_a_page():
    from django.urls import reverse

    from woonoverlast.navigation import NAVIGATION

    for name, _label, _perm in NAVIGATION:
        reverse(name)  # raises NoReverseMatch for an entry without a page
