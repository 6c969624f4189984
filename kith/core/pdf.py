"""Documents as PDF: a Jinja2 template (extending ``core/pdf_base.jinja``) printed by WeasyPrint.

The PDF is tagged and declares itself PDF/UA-1 (structure for screen readers, the document's
language and title shown by the reader), carries the council's name and the protective
marking on every page, and says who printed it and when. WeasyPrint fetches nothing: the
stylesheet is in the template, and any image must be a ``data:`` URL.
"""

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
PDF_VARIANT = "pdf/ua-1"


def _printed_by(request: HttpRequest | None) -> str:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    name = getattr(user, "display_name", "") or user.get_full_name() or user.get_username()
    return str(name)


def _language() -> str:
    """The document's language as a BCP 47 tag (``en-gb`` → ``en-GB``)."""
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    title: str,
    request: HttpRequest | None = None,
) -> bytes:
    """Render ``template_name`` (Jinja2, extending ``core/pdf_base.jinja``) to PDF bytes.

    ``title`` is the document's title: its heading, the PDF's title metadata and what a PDF
    reader shows. The template also gets ``printed_by``, ``printed_at``, ``language`` and
    ``protective_marking``; ``context`` may override any of them.
    """
    page: dict[str, Any] = {
        "document_title": title,
        "printed_by": _printed_by(request),
        "printed_at": timezone.now(),
        "language": _language(),
        "protective_marking": PROTECTIVE_MARKING,
    }
    page.update(context)
    html = render_to_string(template_name, page, request=request)
    # Imported here: WeasyPrint is slow to import and only PDFs need it. Its progress
    # messages ("Step 1 - …") are not worth logging.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No fetching: nothing from the network or the filesystem ends up in (or leaks from) a PDF.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    document = HTML(string=html, url_fetcher=fetcher, media_type="print")
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    assert pdf is not None  # no target given: WeasyPrint returns the bytes
    return bytes(pdf)


def pdf_download(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF as a download, never cached. Name files by LA number, not by name: downloaded
    files are named where others may see them."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
