"""The import pages' forms (issue 18): the upload, the sheet, the mapping of columns and status labels,
the mode of the import. Their shape only: the import services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import rules
from casework.forms.base import TobiraForm
from casework.models import Import
from casework.services.importers import Importer


class ImportUploadForm(TobiraForm):
    target = forms.ChoiceField(label=_("Import into"), required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "CSV (UTF-8 or Shift_JIS) or Excel (.xlsx), at most 10 MB; the first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args: Any, importer: Importer, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if importer.targets is None:
            del self.fields["target"]
        else:
            self.fields["target"].label = str(importer.target_label or _("Import into"))
            target = self.fields["target"]
            assert isinstance(target, forms.ChoiceField)
            target.choices = [("", "—"), *importer.targets(user)]


class ImportSheetForm(TobiraForm):
    sheet = forms.ChoiceField(label=_("Sheet"))

    def __init__(self, *args: Any, imp: Import, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sheet = self.fields["sheet"]
        assert isinstance(sheet, forms.ChoiceField)
        sheet.choices = [
            (sheet["name"], f"{sheet['name']} ({_('hidden')})" if sheet["hidden"] else sheet["name"])
            for sheet in imp.sheets
        ]
        self.fields["sheet"].initial = imp.sheet or next(
            (sheet["name"] for sheet in imp.sheets if not sheet["hidden"]), None
        )


STATUS_PREFIX = "status-"


class ImportMappingForm(TobiraForm):
    """One select per field Tobira takes (its column in the file), then one per status label."""

    def __init__(
        self,
        *args: Any,
        importer: Importer,
        imp: Import,
        labels: list[str],
        proposed_statuses: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.keys = [field.key for field in importer.fields]
        columns = [("", _("— not in the file —")), *((header, header) for header in imp.headers)]
        mapped = imp.mapping.get("columns", {})
        for field in importer.fields:
            self.fields[field.key] = forms.ChoiceField(
                label=str(field.label),
                choices=columns,
                required=False,
                initial=mapped.get(field.key, ""),
                help_text=str(field.help),
            )
            if field.required:
                self.fields[field.key].widget.attrs["required"] = True
        self.labels = labels
        kinds = [
            ("", _("— choose a status —")),
            *((code, rule.label) for code, rule in rules.STATUS_KINDS.items()),
        ]
        statuses = imp.mapping.get("statuses", {})
        for index, label in enumerate(labels):
            self.fields[f"{STATUS_PREFIX}{index}"] = forms.ChoiceField(
                label=label,
                choices=kinds,
                required=False,
                initial=statuses.get(label) or proposed_statuses.get(label, ""),
            )

    def columns(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in self.keys}

    def statuses(self) -> dict[str, str]:
        return {
            label: self.cleaned_data.get(f"{STATUS_PREFIX}{index}") or ""
            for index, label in enumerate(self.labels)
        }

    def status_fields(self):
        return [self[f"{STATUS_PREFIX}{index}"] for index in range(len(self.labels))]

    def column_fields(self):
        return [self[key] for key in self.keys]


class ImportStartForm(TobiraForm):
    mode = forms.ChoiceField(
        label=_("What to import"),
        choices=Import.Mode.choices,
        widget=forms.RadioSelect,
        initial=Import.Mode.VALID_ONLY,
    )
