"""gunicorn's settings for production, read with `-c python:skill.web.gunicorn_conf`.

Its own environment variables: GENTLE_YOGA_BIND, WEB_CONCURRENCY, GENTLE_YOGA_THREADS, GENTLE_YOGA_LOG_LEVEL
(the README's "Running with gunicorn" table lists them).

    .venv/bin/gunicorn -c python:skill.web.gunicorn_conf 'skill.web.app:create_app()'

Each worker builds its own app and opens its own store connection after the fork. Workers share SQLite safely
on one host (WAL, busy timeout, one connection per thread) and Redis across hosts (GENTLE_YOGA_STORE=redis://…).
"""
from __future__ import annotations

import logging
import os

from skill.config import LOG_FORMAT, Settings
from skill.web.app import WARNED, startup_warnings

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
# One format for gunicorn's messages and the app's, the same as `python -m skill serve` prints.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": LOG_FORMAT}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "root": {"level": loglevel.upper(), "handlers": ["stderr"]},
    "loggers": {"gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False}},
}


def when_ready(server: object) -> None:
    """Say the settings' warnings once, from the master, rather than once from every worker."""
    for warning in startup_warnings(Settings.from_env()):
        logging.getLogger("gentle_yoga.web").warning(warning)
    os.environ[WARNED] = "1"  # the workers, forked after this, stay quiet about them
