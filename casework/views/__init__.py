"""Casework pages: one module per part of the case (home, accounts, applicants, legal, consent, records,
reminders, audit), shared page helpers in base.py. Nothing imports views but urls."""
