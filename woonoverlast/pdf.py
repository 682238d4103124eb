"""The house style for printed documents (WeasyPrint): A4, the executing organisation's name
and logo, "pagina 2 van 5", a "Vertrouwelijk" footer with the recipient and print time,
Dutch dates, tagged PDF (PDF/UA-1). Templates extend `pdf/base.html`.

Settings: PDF_ORGANISATION_NAME (the executing organisation), PDF_LOGO_PATH (a PNG or SVG
file on disk; empty: the name only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

# PDF/UA-1: tagged, with a title and language. WeasyPrint ≥ 59 supports it.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def house_context(*, recipient: str) -> dict[str, Any]:
    logo = str(getattr(settings, "PDF_LOGO_PATH", "") or "")
    return {
        "organisation_name": getattr(settings, "PDF_ORGANISATION_NAME", ""),
        "logo_url": Path(logo).resolve().as_uri() if logo and Path(logo).is_file() else "",
        "recipient": recipient,
        "printed_at": timezone.localtime(),
    }


def render_html(template: str, context: dict[str, Any], *, recipient: str) -> str:
    with translation.override("nl"):
        return render_to_string(template, {**house_context(recipient=recipient), **context})


def html_to_pdf(html: str) -> bytes:
    import weasyprint  # noqa: PLC0415 - heavy (Pango, fonts): loaded by the worker that renders

    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**PDF_OPTIONS)


def render_pdf(template: str, context: dict[str, Any], *, recipient: str) -> bytes:
    """Render `template` (extending pdf/base.html) to PDF bytes in Dutch."""
    return html_to_pdf(render_html(template, context, recipient=recipient))
