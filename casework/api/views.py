"""API views of casework: the signed-in user and the organisation's teams."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.serializers import MeSerializer, TeamSerializer
from casework.models import Team


class MeView(APIView):
    """Who the request is authenticated as, with roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    filterset_fields = ["name"]

    def get_queryset(self) -> QuerySet[Team]:
        return Team.objects.visible_to(self.request.user).prefetch_related("supervisors").order_by("name")
