"""Forms of casework pages: one module per part of the case, shared pieces in base.py."""
