"""Learning API: DRF serializers and viewsets, one module per part (courses with sessions, enrolments,
attendance, assessments); shared pieces in base.py."""
