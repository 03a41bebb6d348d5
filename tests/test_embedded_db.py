from __future__ import annotations

import pytest

from codeahead.embedded_db import database_settings


def test_embedded_database_that_cannot_start_says_why_in_one_line(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        database_settings(tmp_path / "no-such-folder" / "pgdata")

    message = str(stopped.value)
    assert message.startswith("codeahead: the embedded PostgreSQL in ")
    assert "Set DATABASE_URL to use another server." in message
    assert "\n" not in message
