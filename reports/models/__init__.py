"""The reports app's models, one module per part: the exports written in the background, research
releases."""

from reports.models.exports import Export
from reports.models.research import ResearchRelease

__all__ = ["Export", "ResearchRelease"]
