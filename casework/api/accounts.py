"""API of accounts: the signed-in user (with roles) and the organisation's teams."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.models import Team, User


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    # null for someone in no team (administrators, trainers, employers).
    team = serializers.CharField(source="team.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "language",
            "organisation",
            "team",
            "roles",
            "is_service_account",
        ]
        read_only_fields = fields

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.roles)


class TeamSerializer(serializers.ModelSerializer):
    supervisors: serializers.SlugRelatedField = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="username"
    )

    class Meta:
        model = Team
        fields = ["id", "name", "supervisors"]
        read_only_fields = fields


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
