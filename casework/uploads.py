"""Checks for uploaded documents: kind of content by its first bytes, size, and a safe file name."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 150

# Recognised by content, never by name or the browser's claim.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
# The extensions a name may carry for each kind of content; a name claiming one kind while the
# content is another is a disguised file.
_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/png": (".png",),
}
_CLAIMED = {extension: content_type for content_type, names in _EXTENSIONS.items() for extension in names}
_PATH_SEPARATORS = frozenset("/\\")
# Control characters (C0, C1), format characters (bidirectional overrides such as U+202E, which can
# make "cv\u202efdp.exe" read as "cvexe.pdf"), line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# Harmless here (the stored name is random and the download name is encoded), but not in a file
# name on Windows: replaced so the downloaded file can be saved as it is.
_WINDOWS_RESERVED = str.maketrans(dict.fromkeys(':*?"<>|', "_"))


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


def _unsafe_name_error() -> ValidationError:
    return ValidationError(
        {
            "file": ValidationError(
                _("The file name contains a path or control characters. Rename the file and try again."),
                code="unsafe_name",
            )
        }
    )


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return name, ""
    return stem, f".{extension}"


def safe_file_name(name: str, content_type: str) -> str:
    """A display name without paths or control characters, ending in the extension of the content.

    The stored file gets a random name anyway; this is what the list shows and the download suggests.
    """
    base = unicodedata.normalize("NFC", name or "")
    if any(c in _PATH_SEPARATORS or unicodedata.category(c) in _UNSAFE_CATEGORIES for c in base):
        raise _unsafe_name_error()
    if base.strip() in {".", ".."}:
        raise _unsafe_name_error()
    base = base.translate(_WINDOWS_RESERVED).strip().strip(".").strip()
    stem, extension = _split_extension(base)
    claimed = _CLAIMED.get(extension.lower())
    if claimed is not None and claimed != content_type:
        raise ValidationError(
            {
                "file": ValidationError(
                    _(
                        "The file is named %(extension)s but its content is not: only real PDF, JPEG and "
                        "PNG files can be uploaded."
                    )
                    % {"extension": extension},
                    code="disguised",
                )
            }
        )
    if claimed is None:
        # No extension, or one that says nothing about the content (scan.final): keep it in the stem.
        stem, extension = base, _EXTENSIONS[content_type][0]
    stem = stem.strip()[: MAX_NAME_LENGTH - len(extension)].strip() or "document"
    return f"{stem}{extension}"


def check_upload(upload: UploadedFile | None) -> CheckedUpload:
    """Refuse what is not a PDF, JPEG or PNG of at most 10 MB with a safe name (errors name `file`)."""
    if upload is None:
        raise ValidationError({"file": ValidationError(_("Choose a file to upload."), code="required")})
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": ValidationError(_("The file is empty."), code="empty")})
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is larger than 10 MB. Scan at a lower resolution or split it."),
                    code="too_large",
                )
            }
        )
    upload.seek(0)
    head = upload.read(16)
    sniffed = sniff_content_type(head)
    if sniffed is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Only PDF, JPEG and PNG files can be uploaded; this file's content is none of them."),
                    code="bad_type",
                )
            }
        )
    content_type, _extension = sniffed
    safe_name = safe_file_name(upload.name or "", content_type)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=content_type, size=size, sha256=digest.hexdigest(), safe_name=safe_name)
