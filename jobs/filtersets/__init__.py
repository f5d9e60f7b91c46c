"""One FilterSet per listable jobs model, shared by the pages and the API."""
