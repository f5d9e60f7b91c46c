"""The reports app's models: the exports written in the background."""

from reports.models.exports import Export

__all__ = ["Export"]
