"""gunicorn's settings for Tobira's web process: ``gunicorn -c config/gunicorn.py config.wsgi``.

Environment: GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (workers, default 4),
GUNICORN_ACCESS_LOG (a file, or "-" for standard output, the default).
The access log is gunicorn's combined format plus the request's time and id, with the search parameters
(q, card, name, search) masked by config.access_log.MaskingLogger.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s %({x-request-id}i)s'
logger_class = "config.access_log.MaskingLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
