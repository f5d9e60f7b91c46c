"""The portal's candidates filter: by one of the employer's openings and by stage (nothing else: a
filter on a hidden field would leak it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.models import JobOpening, Stage
from jobs.selectors.partner import CLOSED_STAGES, SHARED_STAGES

PORTAL_STAGES = (*SHARED_STAGES, *CLOSED_STAGES)


class OpeningChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: JobOpening) -> str:
        return obj.title


class CandidateFilterForm(forms.Form):
    opening = OpeningChoice(queryset=JobOpening.objects.none(), required=False, label=_("Opening"))
    stage = forms.ChoiceField(required=False, label=_("Stage"))

    def __init__(self, *args, openings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["opening"].queryset = openings.only("pk", "title").order_by("title", "pk")  # type: ignore[attr-defined]
        self.fields["opening"].empty_label = _("All openings")  # type: ignore[attr-defined]
        self.fields["stage"].choices = [("", _("All stages"))] + [  # type: ignore[attr-defined]
            (stage, Stage(stage).label) for stage in PORTAL_STAGES
        ]
