"""Template tags of the app shell: icons from the sprite `make assets` builds, and the nav's state."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, extra_class: str = "") -> str:
    """A decorative Tabler icon (hidden from assistive technology: the text next to it says it)."""
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><use href="{}#{}"></use></svg>',
        f" {extra_class}" if extra_class else "",
        static("vendor/icons/sprite.svg"),
        name,
    )
