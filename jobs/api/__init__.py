"""The jobs REST API under /api/v1/ (registered in config/api.py)."""
