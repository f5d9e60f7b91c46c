"""Serializers of casework's API."""

from rest_framework import serializers

from casework.models import Team, User


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    team = serializers.CharField(source="team.name", read_only=True, default=None)

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
