"""Thin Celery wrappers of the reports app: take ids, load, call one service, safe to run twice."""
