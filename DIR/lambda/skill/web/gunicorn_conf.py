"""gunicorn's settings for production, read with `-c python:skill.web.gunicorn_conf`.

    .venv/bin/gunicorn -c python:skill.web.gunicorn_conf 'skill.web.app:create_app()'

Each worker builds its own app and opens its own store connection after the fork. Workers share SQLite safely
on one host (WAL, busy timeout, one connection per thread) and Redis across hosts (GENTLE_YOGA_STORE=redis://…).
"""
from __future__ import annotations

import os

bind = os.environ.get("GENTLE_YOGA_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads, so a worker fetching a new certificate chain (up to 5 s) does not hold up the other requests.
worker_class = "gthread"
threads = int(os.environ.get("GENTLE_YOGA_THREADS", "4"))
timeout = 30  # Alexa gives up on a skill after 8 s; a worker silent for 30 s is stuck and is replaced
graceful_timeout = 20
keepalive = 5
# Alexa's request bodies are small; refuse oversized headers before Flask sees them.
limit_request_line = 4094
limit_request_fields = 50
# No access log: the app logs what it needs without ids or bodies. Errors go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GENTLE_YOGA_LOG_LEVEL", "info")
proc_name = "gentle-yoga"
