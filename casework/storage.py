"""Storage for documents: local disk without any URL, so a file can leave only through the download view."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files have no URL (with base_url=None it would fall back to MEDIA_URL)."""

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Documents have no URL: they are served by casework.downloads after an access check."
        )
