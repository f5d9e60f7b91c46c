"""Demo notes, tasks and documents for seed_demo; the sample files are generated here, never committed.

`tiny_pdf()` and `tiny_png()` build small but valid files in code (tests use them too). Everything is
written through the services, so the demo's history and access log look like real use. Dates are
relative to today, so the demo always has overdue and upcoming tasks. A record is recognised on a
second run by its applicant and its text, title or file name: running again creates nothing.
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework import services
from casework.models import Applicant, CaseNote, Document, OutgoingEmail, Task, User


def tiny_pdf(text: str = "Tobira sample document") -> bytes:
    """A one-page PDF with one line of text, with a correct cross-reference table."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 16 Tf 72 770 Td ({escaped}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png(width: int = 86, height: int = 54, colour: tuple[int, int, int] = (96, 125, 139)) -> bytes:
    """A plain RGB PNG (a card-sized grey rectangle with a lighter band), valid for any viewer."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    band = tuple(min(255, value + 80) for value in colour)
    rows = []
    for y in range(height):
        pixel = bytes(band if height // 3 <= y < height // 2 else colour)
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class DemoNote:
    person: str
    text: str
    confidential: bool = False


@dataclass(frozen=True)
class DemoTask:
    person: str
    title: str
    due_in: int | None  # days from today; negative: overdue
    done: bool = False
    assignee: str = ""  # username; empty: the person's caseworker


@dataclass(frozen=True)
class DemoDocument:
    person: str
    kind: str
    name: str
    description: str
    png: bool = False


NOTES = (
    DemoNote("suriya", "First interview: wants kitchen work again; most openings ask for Japanese N4."),
    DemoNote(
        "suriya",
        "Asked that his former employer in Colombo is never contacted for a reference: his family "
        "still lives nearby.",
        confidential=True,
    ),
    DemoNote("mehmet", "Ready for interviews; prefers construction sites in Saitama he can reach by train."),
    DemoNote("tharindu", "Asked about evening Japanese classes; gave him the LIP-Learning timetable."),
    DemoNote("kavitha", "Employer reports she is settling in well; first follow-up call went fine."),
)
TASKS = (
    DemoTask("suriya", "Book the JLPT N4 registration", due_in=-5),
    DemoTask("suriya", "Check the designation sheet wording after the renewal", due_in=10),
    DemoTask("suriya", "Call Hello Work Edogawa about kitchen openings", due_in=-12, done=True),
    DemoTask("mehmet", "Collect a copy of the renewal receipt", due_in=-2),
    DemoTask("mehmet", "Prepare interview practice", due_in=7, assignee="supervisor"),
    DemoTask("tharindu", "Enrol in the evening Japanese course", due_in=20),
    DemoTask("kavitha", "One-month follow-up with the care home", due_in=-20, done=True),
    DemoTask("zeynep", "Translate the school certificate", due_in=-1),
)
DOCUMENTS = (
    DemoDocument(
        "suriya", "residence_card", "residence-card-front.png", "Front side, scanned at intake.", png=True
    ),
    DemoDocument(
        "suriya", "designation_sheet", "designation-sheet.pdf", "Current designation sheet (指定書)."
    ),
    DemoDocument("mehmet", "consent_form", "consent-form-signed.pdf", "Signed case-management consent."),
    DemoDocument("kavitha", "certificate", "caregiver-certificate.pdf", "Caregiver training certificate."),
)


def add_demo_records(*, people: dict[str, Applicant], users: dict[str, User]) -> Counter[str]:
    """Notes (one confidential), tasks (some overdue, some done) and generated documents."""
    counts: Counter[str] = Counter()
    today = timezone.localdate()

    def worker(applicant: Applicant) -> User:
        # The person's caseworker writes; for an unassigned person, the team's supervisor.
        return (
            users.get(applicant.caseworker.username, users["supervisor"])
            if applicant.caseworker
            else users["supervisor"]
        )

    for note in NOTES:
        applicant = people.get(note.person)
        if applicant is None or CaseNote.objects.filter(applicant=applicant, text=note.text).exists():
            continue
        services.note_add(
            by=worker(applicant), applicant=applicant, text=note.text, confidential=note.confidential
        )
        counts["notes"] += 1
    for spec in TASKS:
        applicant = people.get(spec.person)
        if applicant is None or Task.objects.filter(applicant=applicant, title=spec.title).exists():
            continue
        by = worker(applicant)
        task = services.task_add(
            by=by,
            applicant=applicant,
            title=spec.title,
            due_date=today + timedelta(days=spec.due_in) if spec.due_in is not None else None,
            assignee=users[spec.assignee] if spec.assignee else by,
        )
        if spec.done:
            services.task_complete(by=by, task=task)
        counts["tasks"] += 1
    for document in DOCUMENTS:
        applicant = people.get(document.person)
        if (
            applicant is None
            or Document.objects.filter(applicant=applicant, original_name=document.name).exists()
        ):
            continue
        content = (
            tiny_png() if document.png else tiny_pdf(f"{applicant.reference_code} - {document.name} (demo)")
        )
        content_type = "image/png" if document.png else "application/pdf"
        services.document_upload(
            by=worker(applicant),
            applicant=applicant,
            upload=SimpleUploadedFile(document.name, content, content_type=content_type),
            kind=document.kind,
            description=document.description,
        )
        counts["documents"] += 1
    return counts


# One e-mail that failed for good (a caseworker's mailbox refused it), so the supervisor's and the
# administrator's homes show what a failed e-mail looks like. Keyed by its topic: added once.
FAILED_EMAIL_TOPIC = "demo:bounced-digest"


def add_demo_failed_email(*, users: dict[str, User]) -> int:
    recipient = users["caseworker2"]
    _email, created = OutgoingEmail.objects.get_or_create(
        recipient=recipient,
        topic=FAILED_EMAIL_TOPIC,
        defaults={
            "purpose": OutgoingEmail.Purpose.DIGEST,
            "to_address": recipient.email or "caseworker2@example.org",
            "subject": "Tobira: your reminders for today",
            "body": "(demo) The daily digest that could not be delivered.",
            "message_id": f"<{FAILED_EMAIL_TOPIC}.{recipient.pk}@tobira.demo>",
            "state": OutgoingEmail.State.FAILED,
            "attempts": 5,
            "last_error": "SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable (demo)",
        },
    )
    return int(created)
