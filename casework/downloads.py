"""Serving a stored document: the one way a file leaves the documents storage (page and API alike)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers

from casework.audit import log_access
from casework.models import AccessLogEntry, Document


def document_download_response(*, user, document: Document, through: str) -> FileResponse:
    """The file as an attachment, never cached, never sniffed; the download is written to the access log.

    The caller has found `document` through Document.objects.visible_to(user) in this request.
    """
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    log_access(
        actor=user,
        kind=AccessLogEntry.Kind.DOCUMENT_DOWNLOAD,
        applicant_id=document.applicant_id,
        object_label=document.original_name,
        detail={"document": document.pk, "kind": document.kind, "through": through},
    )
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    add_never_cache_headers(response)
    return response
