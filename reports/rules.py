"""The numbers of reporting as pure functions: bands, k-anonymity, formula escaping (no models)."""
