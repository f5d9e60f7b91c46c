"""Factories and files for the notes, tasks and documents tests.

Factories write rows directly (no service, no history): use the services when the behaviour under test
is theirs. The upload helpers build real (tiny) files in code: nothing binary is committed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.management.demo_records import tiny_pdf, tiny_png
from casework.models import CaseNote, Document, Task
from tests.casework.applicant_factories import ApplicantFactory
from tests.casework.factories import UserFactory

# The first bytes are what counts (the content is sniffed); the rest is filler.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def pdf_upload(name: str = "residence-card.pdf", text: str = "Tobira test") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


def png_upload(name: str = "card.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


def jpeg_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def document_storage():
    return Document._meta.get_field("file").storage


def stored_files() -> set[str]:
    root = Path(document_storage().location)
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def clean_documents() -> Iterator[None]:
    """Removes the files a test stored (the test database goes; the storage folder stays)."""
    before = stored_files()
    yield
    root = Path(document_storage().location)
    for name in stored_files() - before:
        os.remove(root / name)
        folder = (root / name).parent
        if folder != root and not any(folder.iterdir()):
            folder.rmdir()


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    applicant = factory.SubFactory(ApplicantFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Note {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    applicant = factory.SubFactory(ApplicantFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    due_date = factory.LazyFunction(timezone.localdate)
    assignee = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("assignee")


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document row pointing at a file name that need not exist (lists and query counts)."""

    class Meta:
        model = Document

    applicant = factory.SubFactory(ApplicantFactory)
    kind = Document.Kind.OTHER
    file = factory.Sequence(lambda n: f"applicants/none/{n:032x}")
    original_name = factory.Sequence(lambda n: f"scan-{n}.pdf")
    content_type = "application/pdf"
    size = 1234
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)
