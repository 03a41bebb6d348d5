"""With DEBUG off the site refuses to start without the settings production needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_settings(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    environ.update(
        DJANGO_SETTINGS_MODULE="codeahead.settings", DATABASE_URL="postgresql://unused@127.0.0.1:1/unused"
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "codes.example.org"}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "0", "SECRET_KEY": "s" * 50}, "ALLOWED_HOSTS must be set when DEBUG is off"),
    ],
)
def test_debug_off_needs_a_secret_key_and_allowed_hosts(env, missing):
    started = start_settings(**env)

    assert started.returncode != 0 and missing in started.stderr


def test_debug_off_with_both_starts():
    started = start_settings(DEBUG="0", SECRET_KEY="s" * 50, ALLOWED_HOSTS="codes.example.org")

    assert started.returncode == 0 and started.stdout.strip() == "started"
