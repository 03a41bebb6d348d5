from __future__ import annotations

import json
import os
import subprocess
import sys

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
