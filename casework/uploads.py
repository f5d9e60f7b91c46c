"""Checks for uploaded documents: kind of content by its first bytes, size, and a safe file name."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Recognised by content, never by name or the browser's claim.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    safe_name: str


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def safe_file_name(name: str, extension: str) -> str:
    """A display name without paths or control characters; the stored file gets a random name anyway."""
    base = unicodedata.normalize("NFC", name or "")
    if _UNSAFE_NAME.search(base) or base in {".", ".."}:
        raise ValidationError(
            {
                "file": _(
                    "The file name contains a path or control characters. Rename the file and try again."
                )
            },
            code="unsafe_name",
        )
    base = base.strip().strip(".")[:150] or "document"
    if not base.lower().endswith(extension) and not (extension == ".jpg" and base.lower().endswith(".jpeg")):
        base = f"{base}{extension}"
    return base


def check_upload(upload: UploadedFile) -> CheckedUpload:
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than 10 MB. Scan at a lower resolution or split it.")},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    sniffed = sniff_content_type(head)
    if sniffed is None:
        raise ValidationError(
            {"file": _("Only PDF, JPEG and PNG files can be uploaded; this file's content is none of them.")},
            code="bad_type",
        )
    content_type, extension = sniffed
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        safe_name=safe_file_name(upload.name or "", extension),
    )
