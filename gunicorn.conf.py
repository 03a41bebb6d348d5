"""gunicorn's settings for CodeAhead in production (`bin/serve web` passes this file).

Each value can be changed from the environment without editing the file:
GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT, GUNICORN_MAX_REQUESTS.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "codeahead.wsgi:application"

# Behind a load balancer or a proxy on the same machine; 0.0.0.0:8000 in the container.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: a page is a few milliseconds of CPU and a few queries, so two a core (plus one)
# keeps the cores busy while some wait for PostgreSQL. Each holds one database connection:
# machines x workers (+ the email workers) must stay under PostgreSQL's max_connections.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)

# A request that takes longer is killed (the database's own limit, DB_STATEMENT_TIMEOUT_MS, is
# 10 s); on SIGTERM, requests under way get this long to finish before the workers are stopped.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Longer than a load balancer's idle timeout would be pointless for sync workers; short keeps
# a worker free for the next client.
keepalive = 5

# A worker is replaced after this many requests (jittered, so they do not all restart at once):
# whatever memory one request left behind is returned.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# The application is loaded once, before the workers fork: they start faster and share its
# memory. Safe because nothing opens a database connection at import (closed below in case).
preload_app = True

# Heartbeat files in memory: a container's /tmp may be a slow overlay.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn's control socket would be one shared path for every gunicorn of the user.
control_socket_disable = True

# One line per request on stdout: time, client, request, status, size, duration in microseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: none
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def pre_fork(server, worker) -> None:
    # A connection the master opened would be shared by every forked worker: close it first.
    from django.db import connections

    connections.close_all()
