"""The reports app's models, one module per part (research releases)."""

from reports.models.research import ResearchRelease

__all__ = ["ResearchRelease"]
