"""The serializers of a referral's message thread, shared by the staff and the partner API routes."""

from __future__ import annotations

from rest_framework import serializers

from jobs.models import MessageSide, ReferralMessage


class MessageSerializer(serializers.ModelSerializer):
    side = serializers.ChoiceField(choices=MessageSide.choices, read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = ReferralMessage
        fields = ["id", "side", "author", "body", "created_at", "read_at"]
        read_only_fields = fields

    def get_author(self, message: ReferralMessage) -> str:
        return message.author.get_full_name() or message.author.username


class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="Plain text, at most 4000 characters; no HTML (it is shown as text), no attachments.",
    )
