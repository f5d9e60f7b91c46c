"""The dated regional minimum wage (地域別最低賃金): prefecture, yen an hour, effective from."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.models.base import prefecture_field


class MinimumWage(models.Model):
    """Seeded by a data migration from DOMAIN.md §9; administrators add each autumn's rows."""

    prefecture = prefecture_field(_("prefecture"))
    yen_per_hour = models.PositiveIntegerField(_("yen an hour"))
    effective_from = models.DateField(_("effective from"))
    approximate = models.BooleanField(
        _("date approximate"),
        default=False,
        help_text=_("The exact date was not at hand: the first day of the fiscal year's rates is used."),
    )

    class Meta:
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        ordering = ["prefecture", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "effective_from"], name="minimum_wage_unique_date"),
            models.CheckConstraint(condition=Q(yen_per_hour__gt=0), name="minimum_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_prefecture_display()} ¥{self.yen_per_hour} ({self.effective_from:%Y-%m-%d})"
