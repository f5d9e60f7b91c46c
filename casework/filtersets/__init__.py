"""FilterSets shared by the UI lists and the API: one module per part of the case, one FilterSet per listable model."""
