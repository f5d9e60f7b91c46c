"""Django admin for casework, one module per part of the case; importing them registers their pages."""

from casework.admin import accounts, applicants, audit, legal  # noqa: F401
