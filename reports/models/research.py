"""Research releases: one row per anonymised research export (who, when, to whom, what, which k)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Organisation, Team
from casework.roles import Role
from reports.rules import ITEM_CATEGORY_LABELS


class ResearchReleaseQuerySet(models.QuerySet["ResearchRelease"]):
    def visible_to(self, user) -> ResearchReleaseQuerySet:
        """Administrators: the organisation's releases; supervisors: those they made and those of a team
        they lead; nobody else (the research export is theirs only, DESIGN.md's matrix)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        rows = self.filter(organisation_id=user.organisation_id)
        if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
            return rows
        if user.has_role(Role.SUPERVISOR):
            led = Team.supervisors.through.objects.filter(user_id=user.pk).values("team_id")
            return rows.filter(Q(created_by_id=user.pk) | Q(team_id__in=led))
        return self.none()


class ResearchRelease(models.Model):
    """An anonymised research export as it was handed over: the record APPI asks the organisation to keep
    of anonymously processed information it provides (recipient, item categories), with the k it met.
    The file itself is not kept: it is downloaded once, when made."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    recipient = models.CharField(_("recipient"), max_length=200)
    k_requested = models.PositiveSmallIntegerField(_("k asked for"))
    k_met = models.PositiveIntegerField(_("k met"))
    row_count = models.PositiveIntegerField(_("rows"))
    item_categories = models.JSONField(_("item categories"), default=list)
    # The filters as given: a team (none: every team the maker may export) and the intake period.
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    intake_from = models.DateField(_("intake from"), null=True, blank=True)
    intake_to = models.DateField(_("intake to"), null=True, blank=True)
    # How many values were generalised to "other", per column.
    generalised = models.JSONField(default=dict, blank=True)

    objects = ResearchReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("research release")
        verbose_name_plural = _("research releases")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="research_release_org_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.created_at:%Y-%m-%d} → {self.recipient}"

    @property
    def category_labels(self) -> list[str]:
        return [str(ITEM_CATEGORY_LABELS.get(key, key)) for key in self.item_categories]
