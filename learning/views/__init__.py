"""Learning pages: one module per part (courses, attendance, enrolments, assessments, learners), shared page
helpers in base.py. Nothing imports views but urls."""
