"""Casework API: DRF viewsets and serializers, one module per part of the case; shared pieces in base,
errors, fields and permissions."""
