"""The "Send message" form of a referral's thread (the portal's candidate page and the staff referral page).

Plain text only. Blank, too long and a null character are the service's to refuse (its messages name the
field `body`), so the form only carries the text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.models import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,  # the service says what is wrong with an empty message
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        # Set per form, not at import, so the number lands in the reader's language.
        self.fields["body"].help_text = _("Plain text, at most %(limit)d characters. No attachments.") % {
            "limit": MESSAGE_MAX_LENGTH
        }
