"""The partner API's impact figures: GET /api/v1/partner/impact/, the same figures and the same hiding as
the portal's Impact page (jobs.selectors.partner_impact): aggregates of the employer's placements, retention
beside the programme's, time to fill. A figure with fewer than `minimum_placements` placements behind it
is null."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.api.partner.base import PARTNER_TAG, PartnerViewSet
from jobs.selectors.partner_impact import Impact, partner_impact

HIDDEN = "null when fewer than minimum_placements placements stand behind the figure."


class MonthCountSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month.")
    count = serializers.IntegerField()


class PlacementsFigureSerializer(serializers.Serializer):
    total = serializers.IntegerField(allow_null=True, help_text=f"Every placement, all time; {HIDDEN}")
    by_month = MonthCountSerializer(
        many=True, allow_null=True, help_text=f"Placements by month of start, the last 12 months; {HIDDEN}"
    )


class RetentionFigureSerializer(serializers.Serializer):
    retained = serializers.IntegerField(help_text="Window ended, still working at the mark.")
    left = serializers.IntegerField(help_text="Window ended, left before the mark.")
    unconfirmed = serializers.IntegerField(help_text="Window ended, nothing recorded about the mark yet.")
    within_window = serializers.IntegerField(help_text="Started, the mark still ahead (not counted as left).")
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, help_text="retained ÷ (retained + left), 0 to 1."
    )


class RetentionRowSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    employer = RetentionFigureSerializer(allow_null=True, help_text=f"Your placements; {HIDDEN}")
    programme = RetentionFigureSerializer(
        allow_null=True, help_text=f"Every partner employer's placements together; {HIDDEN}"
    )


class TimeToFillSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Openings with a confirmed hire.")
    q1_days = serializers.DecimalField(max_digits=8, decimal_places=2)
    median_days = serializers.DecimalField(max_digits=8, decimal_places=2)
    q3_days = serializers.DecimalField(max_digits=8, decimal_places=2)


class ImpactSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    minimum_placements = serializers.IntegerField()
    placements = PlacementsFigureSerializer()
    retention = RetentionRowSerializer(many=True)
    time_to_fill = TimeToFillSerializer(
        allow_null=True,
        help_text="Days from an opening's creation to its first confirmed hire (quartiles); " + HIDDEN,
    )


def _retention(figure) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {
        "retained": figure.retained,
        "left": figure.left,
        "unconfirmed": figure.unconfirmed,
        "within_window": figure.within_window,
        "rate": figure.rate,
    }


def impact_data(impact: Impact) -> dict[str, Any]:
    fill = impact.time_to_fill
    return {
        "as_of": impact.as_of,
        "minimum_placements": impact.minimum,
        "placements": {
            "total": impact.placements,
            "by_month": None
            if impact.by_month is None
            else [{"month": row.month, "count": row.count} for row in impact.by_month],
        },
        "retention": [
            {
                "months": row.months,
                "employer": _retention(row.employer),
                "programme": _retention(row.programme),
            }
            for row in impact.retention
        ],
        "time_to_fill": None
        if fill is None
        else {"count": fill.count, "q1_days": fill.q1, "median_days": fill.median, "q3_days": fill.q3},
    }


# One object, not a list: a plain view beside the router, with the partner viewsets' authentication,
# permission and JSON-only renderer.
class PartnerImpactView(APIView):
    """Your impact figures: aggregates only, about no single person."""

    authentication_classes = PartnerViewSet.authentication_classes
    permission_classes = PartnerViewSet.permission_classes
    renderer_classes = PartnerViewSet.renderer_classes
    http_method_names = ["get", "head", "options"]

    @extend_schema(summary="Your impact figures", tags=[PARTNER_TAG], responses={200: ImpactSerializer})
    def get(self, request: Request) -> Response:
        impact = partner_impact(request.user, access=getattr(self, "partner", None))
        if impact is None:  # PartnerPermission let them in: their access ended in between
            return Response(status=403)
        return Response(ImpactSerializer(impact_data(impact)).data)
