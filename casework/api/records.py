"""Notes, tasks and documents: list, read, add and change them; upload and download documents.

Records name their applicant by reference code. Naming an applicant one cannot see, in a POST, is a
404 (as opening one is): the issue's "a note or task on an applicant outside the caseload" answers
the same through the UI and the API. Confidential notes are absent from every response for those
who may not read them, administrators included (they read one through the logged break-glass page).
A download is checked against Document.objects.visible_to() when it is requested and written to the
access log.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable, NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from casework import selectors, services
from casework.api.base import CaseRecordViewSet
from casework.api.errors import service_errors
from casework.api.fields import (
    ApplicantReferenceField,
    PlausibleDateField,
    ServiceChoiceField,
    UserInputField,
    UserRefSerializer,
)
from casework.downloads import document_download_response
from casework.filtersets.records import CaseNoteFilterSet, DocumentFilterSet, TaskFilterSet
from casework.models import AccessLogEntry, Applicant, CaseNote, Document, Task

REFERENCE_HELP = _("The applicant's reference code.")


class ApplicantLookupMixin:
    """The applicant a new record is for, among those the user may see; anything else is a 404."""

    def applicant_or_404(self, reference_code: str) -> Applicant:
        applicant = (
            Applicant.objects.visible_to(self.request.user)  # type: ignore[attr-defined]
            .filter(reference_code=reference_code.strip().upper())
            .first()
        )
        if applicant is None:
            raise NotFound(_("You have no access to a person with this reference code."))
        return applicant


# --- Notes -----------------------------------------------------------------------------------------------


class CaseNoteSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "applicant", "author", "text", "confidential", "created_at", "updated_at"]
        read_only_fields = fields


class CaseNoteUpdateSerializer(serializers.Serializer):
    # Blank passes: the service says "Write the note." as the page does.
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    confidential = serializers.BooleanField(
        required=False,
        help_text=_("Only the author, the assigned caseworker and the team's supervisors can read it."),
    )


class CaseNoteCreateSerializer(CaseNoteUpdateSerializer):
    applicant = serializers.CharField(max_length=20, help_text=REFERENCE_HELP)


@extend_schema_view(
    list=extend_schema(
        summary="Notes on the applicants visible to you (confidential ones only where you may)"
    ),
    retrieve=extend_schema(summary="One note"),
)
class CaseNoteViewSet(
    ApplicantLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet
):
    """Case notes. Confidential notes appear only to their author, the assigned caseworker and the
    team's supervisors; only the author changes a note."""

    serializer_class = CaseNoteSerializer
    filterset_class = CaseNoteFilterSet
    access_log_kind = AccessLogEntry.Kind.APPLICANT_VIEW  # a note is read as part of the case file
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[CaseNote]:
        return (
            CaseNote.objects.visible_to(self.request.user)
            .select_related("applicant", "author")
            .order_by("-created_at", "-pk")
        )

    def _output(self, pk: int) -> dict[str, Any]:
        return CaseNoteSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Add a note", request=CaseNoteCreateSerializer, responses={201: CaseNoteSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(CaseNoteCreateSerializer)
        applicant = self.applicant_or_404(data["applicant"])
        with transaction.atomic(), service_errors():
            note = services.note_add(
                by=self.actor,
                applicant=applicant,
                text=data.get("text", ""),
                confidential=data.get("confidential", False),
            )
            output = self._output(note.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct your note or change its confidential flag (its author only)",
        request=CaseNoteUpdateSerializer,
        responses={200: CaseNoteSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        note = self.get_object()
        data = self.parsed_input(CaseNoteUpdateSerializer)
        with transaction.atomic(), service_errors():
            services.note_update(
                by=self.actor, note=note, text=data.get("text"), confidential=data.get("confidential")
            )
            output = self._output(note.pk)
        return Response(output)


# --- Tasks -----------------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    assignee = UserRefSerializer(read_only=True)
    created_by = UserRefSerializer(read_only=True)
    is_overdue = serializers.SerializerMethodField(help_text=_("Open, and the due date has passed."))

    class Meta:
        model = Task
        fields = [
            "id",
            "applicant",
            "title",
            "due_date",
            "assignee",
            "done",
            "done_at",
            "is_overdue",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_overdue(self, task: Task) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return bool(not task.done and task.due_date and task.due_date < today)


class TaskUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True)
    due_date = PlausibleDateField(required=False, allow_null=True)
    assignee = UserInputField(
        required=False,
        help_text=_("User id of the assignee: its caseworker, a supervisor of its team or an administrator."),
    )
    done = serializers.BooleanField(
        required=False, help_text=_("Tick the task done, or open it again (its assignee may do this too).")
    )


class TaskCreateSerializer(serializers.Serializer):
    applicant = serializers.CharField(max_length=20, help_text=REFERENCE_HELP)
    title = serializers.CharField(required=False, allow_blank=True)
    due_date = PlausibleDateField(required=False, allow_null=True)
    assignee = UserInputField(
        required=False,
        allow_null=True,
        help_text=_("User id of the assignee (you when left out)."),
    )


@extend_schema_view(
    list=extend_schema(summary="Tasks on the applicants visible to you (?mine=true: assigned to you)"),
    retrieve=extend_schema(summary="One task"),
)
class TaskViewSet(ApplicantLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    """Tasks on a case: title, due date, assignee, done. Filter `mine=true` for your own, `done`,
    `overdue`, `applicant` (reference code), `assignee` (user id), `due_before`."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Task]:
        return (
            Task.objects.visible_to(self.request.user)
            .select_related("applicant", "assignee", "created_by")
            .order_by(*selectors.task_order())
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _output(self, pk: int) -> dict[str, Any]:
        task = self.visible_after_write(self.get_queryset(), pk)
        return TaskSerializer(task, context=self.get_serializer_context()).data

    @extend_schema(summary="Add a task", request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request: Request) -> Response:
        data = self.parsed_input(TaskCreateSerializer)
        applicant = self.applicant_or_404(data["applicant"])
        with transaction.atomic(), service_errors():
            task = services.task_add(
                by=self.actor,
                applicant=applicant,
                title=data.get("title", ""),
                due_date=data.get("due_date"),
                assignee=data.get("assignee"),
            )
            output = self._output(task.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a task, or tick it done (done=true) or open again (done=false)",
        request=TaskUpdateSerializer,
        responses={200: TaskSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        task = self.get_object()
        data = self.parsed_input(TaskUpdateSerializer)
        done = data.pop("done", None)
        with transaction.atomic(), service_errors():
            if data:
                task = services.task_update(by=self.actor, task=task, data=data)
            if done is True:
                services.task_complete(by=self.actor, task=task)
            elif done is False:
                services.task_reopen(by=self.actor, task=task)
            output = self._output(task.pk)
        return Response(output)


# --- Documents -------------------------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    uploaded_by = UserRefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (checked and logged at every download).")
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "applicant",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "description",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str:
        return reverse("document-download", kwargs={"pk": document.pk})


class DocumentCreateSerializer(serializers.Serializer):
    applicant = serializers.CharField(max_length=20, help_text=REFERENCE_HELP)
    kind = ServiceChoiceField(choices=Document.Kind.choices, required=False)
    # Presence, emptiness, size, content and name are the service's questions (the page's messages).
    file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        use_url=False,
        help_text=_("A PDF, JPEG or PNG file of at most 10 MB (checked by its content)."),
    )
    description = serializers.CharField(required=False, allow_blank=True)


class DownloadNegotiation(DefaultContentNegotiation):
    """A download answers whatever the client accepts (a file is not rendered); errors stay JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


BINARY = OpenApiResponse(OpenApiTypes.BINARY, description=_("The file, as an attachment."))
# What a download action answers (the stored kinds: PDF, JPEG, PNG), for its schema.
DOWNLOAD_RESPONSES = {
    (200, "application/pdf"): BINARY,
    (200, "image/jpeg"): BINARY,
    (200, "image/png"): BINARY,
}


@extend_schema_view(
    list=extend_schema(summary="Documents of your own caseload, the teams you lead (administrators: all)"),
    retrieve=extend_schema(summary="One document's details (the file: download/)"),
)
class DocumentViewSet(
    ApplicantLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet
):
    """Documents of a case (PDF, JPEG, PNG; at most 10 MB; checked by content). The file is downloaded
    through `download/` only, checked and written to the access log each time."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Document]:
        return (
            Document.objects.visible_to(self.request.user)
            .select_related("applicant", "uploaded_by")
            .order_by("-uploaded_at", "-pk")
        )

    @extend_schema(
        summary="Upload a document (multipart/form-data)",
        request={"multipart/form-data": DocumentCreateSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(DocumentCreateSerializer)
        applicant = self.applicant_or_404(data["applicant"])
        with transaction.atomic(), service_errors():
            document = services.document_upload(
                by=self.actor,
                applicant=applicant,
                upload=data.get("file"),
                kind=data.get("kind", ""),
                description=data.get("description", ""),
            )
            try:
                output = DocumentSerializer(self.visible_after_write(self.get_queryset(), document.pk)).data
            except BaseException:
                # The row goes with the transaction; the stored file must go too.
                document.file.storage.delete(document.file.name)
                raise
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download the file (written to the access log)",
        responses=DOWNLOAD_RESPONSES,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="download",
        url_name="download",
        filter_backends=[],
        content_negotiation_class=DownloadNegotiation,
    )
    def download(self, request: Request, pk: str) -> FileResponse:
        return document_download_response(user=self.actor, document=self.get_object(), through="api")
