"""The floor: what the same stack costs with no application logic, measured next to each Tobira path.

A constant JSON answer (the cost of Django, the middleware and gunicorn) and, per model whose list is
measured, a bare DRF ModelSerializer list of 25 rows with a count over the whole table: the cheapest
honest list of that table. A Tobira list at 0.8 of its floor spends a fifth of its time on Tobira.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import generics, permissions, serializers

from casework.models import Applicant, LegalStatusPeriod
from jobs.models import Employer, JobOpening, Placement, Referral
from learning.models import Attendance, Enrollment

MODELS = {
    "applicants": Applicant,
    "legal-status-periods": LegalStatusPeriod,
    "attendance": Attendance,
    "enrollments": Enrollment,
    "employers": Employer,
    "openings": JobOpening,
    "referrals": Referral,
    "placements": Placement,
}


def constant(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"floor": True})


def _serializer_for(model: type) -> type[serializers.ModelSerializer]:
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    return type(f"{model.__name__}FloorSerializer", (serializers.ModelSerializer,), {"Meta": meta})


SERIALIZERS = {name: _serializer_for(model) for name, model in MODELS.items()}


class ModelFloor(generics.ListAPIView):
    """GET /bench-floor/<model>/: 25 rows by primary key and the count, for anyone (the data is fake)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        model = MODELS.get(self.kwargs["model"])
        if model is None:
            raise Http404
        return model.objects.order_by("pk")

    def get_serializer_class(self):
        return SERIALIZERS[self.kwargs["model"]]
