"""Project-wide HTTP rules that hold for every view: which methods a view answers, and that
pages of a signed-in user are never stored by a browser or proxy cache.

Both are middleware so that no view can forget them; a view only declares what it defines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.log import log_response
from django.views.decorators.http import require_http_methods

# A function view that declares nothing answers these: a page (GET, and HEAD with it) and
# its form (POST). OPTIONS, TRACE, PUT, PATCH and DELETE get 405: until December 2026 they
# got the full page with 200 (found by an independent scanner).
DEFAULT_METHODS = ("GET", "HEAD", "POST")

# The code of the wrapper Django's `require_http_methods` (and require_GET, require_POST,
# require_safe) puts around a view; its closure holds the list of methods.
_REQUIRE_HTTP_METHODS_CODE = require_http_methods([])(lambda request: None).__code__


def allow_methods(*methods: str) -> Callable[[Any], Any]:
    """Declare the methods a function view answers (405 with `Allow` for the rest).

    The same as Django's `require_http_methods`, which views may also use; this one reads
    better on a view answering GET and POST: `@allow_methods("GET", "POST")`. HEAD is
    added when GET is there."""
    names = tuple(m.upper() for m in methods)
    if "GET" in names and "HEAD" not in names:
        names += ("HEAD",)

    def decorator(view: Any) -> Any:
        wrapped = require_http_methods(list(names))(view)
        wrapped.allowed_methods = names
        return wrapped

    return decorator


def declared_methods(view_func: Any) -> tuple[str, ...] | None:
    """The methods a function view declares with `allow_methods` or Django's `require_*`
    decorators (also below other decorators that use `functools.wraps`); None when it
    declares none."""
    func = view_func
    while func is not None:
        declared = getattr(func, "allowed_methods", None)
        if declared:
            return tuple(declared)
        if getattr(func, "__code__", None) is _REQUIRE_HTTP_METHODS_CODE:
            cells = dict(zip(func.__code__.co_freevars, func.__closure__ or (), strict=True))
            return tuple(cells["request_method_list"].cell_contents)
        func = getattr(func, "__wrapped__", None)
    return None


def view_methods(view_func: Any) -> tuple[str, ...]:
    """The methods a resolved view answers: a class-based view's handlers (HEAD with GET;
    Django's `View.options` answers OPTIONS with an empty 200 and `Allow`), a function
    view's declaration, else `DEFAULT_METHODS`."""
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        names = [m.upper() for m in view_class.http_method_names if hasattr(view_class, m)]
        if "GET" in names and "HEAD" not in names:
            names.append("HEAD")
        return tuple(names)
    return declared_methods(view_func) or DEFAULT_METHODS


class AllowedMethodsMiddleware:
    """405 Method Not Allowed, with the `Allow` header, for a method outside
    `DEFAULT_METHODS` on a function view that declares none; before CSRF, sign-in and
    access checks so that none of them runs for it.

    A view that declares its methods (Django's `require_*`, `allow_methods`) and a
    class-based view answer 405 themselves, in the order of their own decorators (so an
    anonymous GET on a POST-only intake action still goes to the sign-in page first, as the
    permission matrix records)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method in DEFAULT_METHODS:
            return None
        if getattr(view_func, "view_class", None) is not None:
            return None
        if declared_methods(view_func) is not None:
            return None
        response = HttpResponseNotAllowed(DEFAULT_METHODS)
        log_response(
            "Method Not Allowed (%s): %s",
            request.method,
            request.path,
            response=response,
            request=request,
        )
        return response


class NoStoreWhenSignedInMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user.

    Their pages hold personal data (AVG art. 32): no browser history cache, shared computer
    or proxy may keep a copy. Anonymous pages (sign-in, accessibility statement, static
    files served by WhiteNoise before this runs) keep their own caching. Sits after
    AuthenticationMiddleware; the user is the one of the request (a sign-out response is
    anonymous again and may be cached as the view says)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
