"""Forms of learning's pages: one module per part (courses, enrolments, attendance, assessments)."""
