"""Forms of the consent and sensitive-information sections: shapes only, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework import selectors
from casework.forms.base import TobiraForm, date_field
from casework.models import Applicant, ConsentPurpose, Document, FieldGroup, User


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:  # type: ignore[override]
        return f"{obj.original_name} ({obj.get_kind_display()}, {obj.uploaded_at:%Y-%m-%d})"


class ConsentForm(TobiraForm):
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", "—"), *ConsentPurpose.choices], required=False
    )
    employer_ref = forms.ChoiceField(
        label=_("Partner employer (for sharing with an employer)"),
        choices=[("", "—")],
        required=False,
        help_text=_("The partner employer the person agreed to share their information with."),
    )
    employer_name = forms.CharField(
        label=_("Or another employer's name"),
        max_length=200,
        required=False,
        help_text=_("For an employer that is not a partner in Tobira."),
    )
    scope = forms.MultipleChoiceField(
        label=_("Covers"),
        choices=FieldGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The groups of information the consent covers."),
    )
    granted_on = date_field(_("Given on"), required=True)
    expires_on = date_field(_("Expires on"), help_text=_("Leave empty if the consent does not expire."))
    form_document = DocumentChoiceField(
        label=_("Signed form"),
        queryset=Document.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Upload the signed form in the documents section first, then choose it here."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, applicant: Applicant, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents: QuerySet[Document] = (
            Document.objects.visible_to(user).filter(applicant=applicant).order_by("-uploaded_at", "-pk")
        )
        self.fields["form_document"].queryset = documents  # type: ignore[attr-defined]
        partners = selectors.consent_recipients(user)
        self.fields["employer_ref"].choices = [("", "—"), *partners]  # type: ignore[attr-defined]

    def consent_data(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(key) for key in self.fields}


class ConsentRevokeForm(TobiraForm):
    revoked_on = date_field(_("Revoked on"), required=True)


class SensitiveRecordForm(TobiraForm):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
