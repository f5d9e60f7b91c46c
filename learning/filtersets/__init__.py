"""FilterSets shared by learning's pages and API: one module per part, one FilterSet per listable model."""
