"""Template helper of the notes, tasks and documents sections: their rows and forms from the context."""

from __future__ import annotations

from typing import Any

from django import template

from casework.ui.records import section_context

register = template.Library()


@register.simple_tag(takes_context=True)
def record_section(context: template.Context, name: str) -> dict[str, Any]:
    """What one section shows, from the prefetched applicant in the context (applicant page or htmx).

    The sections are included by the applicant page as they are, so the page's view needs to know
    nothing about them; the rows come from selectors.applicant_record_prefetches.
    """
    return section_context(
        request=context["request"],
        applicant=context["applicant"],
        name=name,
        can_edit=bool(context.get("can_edit")),
        bound=context.get("record_forms"),
    )
