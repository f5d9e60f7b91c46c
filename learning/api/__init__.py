"""Learning's API under /api/v1/: courses, sessions, enrolments, attendance and assessments."""
