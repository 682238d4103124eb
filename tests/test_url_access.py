"""Every routed view goes through partners/access.py: it carries an `access_rule` set by one of
the decorators there, or it is listed in `THIRD_PARTY_VIEW_RULES` with a reason. A new view
without either fails here. Anonymous visitors never get a page that is not marked public."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from partners import access


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry.callback


ROUTES = list(_walk(get_resolver().url_patterns))


def _rule(callback):
    rule = getattr(callback, "access_rule", None)
    view_class = getattr(callback, "view_class", None)
    if rule is None and view_class is not None:
        rule = getattr(view_class, "access_rule", None)
    return rule


def _dotted(callback):
    return f"{callback.__module__}.{callback.__qualname__}"


def test_routes_were_found():
    names = {name for _, name, _ in ROUTES}
    assert {"dashboard", "accessibility", "set_language"} <= names
    assert len(ROUTES) > 30


@pytest.mark.parametrize(("route", "name", "callback"), ROUTES, ids=[r[0] or "/" for r in ROUTES])
def test_every_view_has_an_access_rule(route, name, callback):
    rule = _rule(callback)
    listed = access.THIRD_PARTY_VIEW_RULES.get(name) or access.THIRD_PARTY_VIEW_RULES.get(
        _dotted(callback)
    )
    assert rule or listed, (
        f"{route} ({name}, {_dotted(callback)}) has no access rule: decorate it with one of "
        "partners.access.public / signed_in / permission_required / object_access / rule_required"
    )


def _sample_path(route: str) -> str:
    """A concrete path for a route: every converter gets a plausible value."""
    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000001", path)
    path = re.sub(r"<[^>]+>", "x", path)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


NON_PUBLIC = [r for r in ROUTES if _rule(r[2]) and _rule(r[2]) != "public"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "name", "callback"), NON_PUBLIC, ids=[r[0] or "/" for r in NON_PUBLIC]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, route, name, callback):
    path = _sample_path(route)
    for method in (client.get, client.post):
        response = method(path)
        # 405 is fine: a POST-only view refuses a GET before it could show anything.
        assert response.status_code in (302, 405), f"{method.__name__.upper()} {path}"
        if response.status_code == 302:
            assert "/account/login/" in response["Location"]
