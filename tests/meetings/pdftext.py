"""Text of a rendered PDF for assertions.

With pypdf installed (ask for it in the dev group) the text is extracted from the PDF bytes
themselves; until then from WeasyPrint's laid-out pages of the same HTML — the text that is
drawn into the PDF, page by page, margin boxes (page numbers, footer) included.
"""

from __future__ import annotations

import io


def _walk(box, out: list[str]) -> None:
    text = getattr(box, "text", None)
    if text:
        out.append(text)
    for child in getattr(box, "children", None) or []:
        _walk(child, out)


def pages_text(*, html: str, pdf: bytes) -> list[str]:
    try:
        import pypdf
    except ImportError:
        import weasyprint

        pages = []
        for page in weasyprint.HTML(string=html).render().pages:
            out: list[str] = []
            _walk(page._page_box, out)
            pages.append(" ".join(out))
        return pages
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]
