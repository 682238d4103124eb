"""The interface language: Dutch unless the user chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a team
member whose browser or operating system is set to English would get English pages without
asking for them, and screenshots, instructions and support would differ per desk. Here the
only thing that changes the language is the switch in the header (`set_language`, which
stores the choice in the language cookie); everyone else gets `LANGUAGE_CODE` (Dutch).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_for(request: HttpRequest) -> str:
    """The language chosen with the switch (cookie), or LANGUAGE_CODE."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without Accept-Language (and without language prefixes in URLs)."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(language_for(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # The page depends on the language cookie only (the session cookie already varies).
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
