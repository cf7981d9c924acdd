"""A PostgreSQL server for the tests: `TEST_POSTGRES_URL` (a superuser's URL), or a throwaway
cluster this process starts with the system's `initdb`/`pg_ctl` on a free port under a
temporary directory (fsync off: nothing here must survive a crash), stopped at exit.

Each test gets an empty, migrated database: copied once from a migrated template (`CREATE
DATABASE … TEMPLATE`), then emptied after each test for the next (`fresh_database`). With
no server to be had, the PostgreSQL half is skipped with the reason (`REASON_PREFIX`,
summed up at the end of the run by tests/conftest.py); `REQUIRE_POSTGRES=1` (CI) makes
that a failure.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import count
from urllib.parse import urlsplit, urlunsplit

import asyncpg

REASON_PREFIX = "[no postgres]"
TEMPLATE = "bridge_test_template"
_numbers = count(1)


class NoPostgres(RuntimeError):
    """No server: the reason, for the skip."""


class _Server:
    def __init__(self) -> None:
        self.url: str | None = None  # a superuser's URL to any database
        self.failure: str | None = None
        self.template_ready = False
        self._dir: str | None = None


_server = _Server()


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_cluster() -> str:
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise NoPostgres("no TEST_POSTGRES_URL and no initdb/pg_ctl (apt install postgresql)")
    directory = tempfile.mkdtemp(prefix="bridge-pg-")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as `postgres`
        if shutil.which("runuser") is None:
            raise NoPostgres("running as root without runuser to start PostgreSQL as postgres")
        shutil.chown(directory, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(directory, "data")
    port = _free_port()
    try:
        subprocess.run(
            [
                *prefix,
                initdb,
                "-D",
                data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = (
            f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        subprocess.run(
            [
                *prefix,
                pg_ctl,
                "-D",
                data,
                "-o",
                options,
                "-l",
                os.path.join(directory, "log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(directory, ignore_errors=True)
        raise NoPostgres(f"could not start a PostgreSQL cluster: {exc} {detail[-300:]!r}") from exc

    def stop() -> None:
        subprocess.run(
            [*prefix, pg_ctl, "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(directory, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def server_url() -> str:
    """The superuser URL (starting the cluster on first use); `NoPostgres` when none."""
    if _server.url is None and _server.failure is None:
        try:
            _server.url = os.environ.get("TEST_POSTGRES_URL") or _start_cluster()
        except NoPostgres as exc:
            _server.failure = str(exc)
    if _server.url is None:
        raise NoPostgres(_server.failure or "no PostgreSQL")
    return _server.url


def database_url(name: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _ensure_template() -> None:
    if _server.template_ready:
        return
    from bridge.storage.postgres import PostgresStore

    admin = await asyncpg.connect(server_url())
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {TEMPLATE}")
    finally:
        await admin.close()
    store = await PostgresStore.open(database_url(TEMPLATE))
    await store.close()
    _server.template_ready = True


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """The URL of an empty, migrated database for one test.

    Creating a database costs ~0.5 s (PostgreSQL copies the template and checkpoints), so a
    database is emptied after its test instead (`TRUNCATE … RESTART IDENTITY`, ~20 ms: ids
    start at 1 again) and handed to the next one; one is created only when none is free."""
    await _ensure_template()
    if _free:
        name = _free.pop()
    else:
        name = f"bridge_test_{os.getpid()}_{next(_numbers)}"
        admin = await asyncpg.connect(server_url())
        try:
            await admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        finally:
            await admin.close()
    try:
        yield database_url(name)
    finally:
        await _empty(name)
        _free.append(name)


_free: list[str] = []


async def _empty(name: str) -> None:
    """Every table as migrations leave it: no rows, identities back to 1, the change log's
    position back to 0 (connections still open on it are ended first)."""
    conn = await asyncpg.connect(database_url(name))
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        tables = [
            row[0]
            for row in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename NOT IN ('schema_version', 'connection_log_head')"
            )
        ]
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        await conn.execute("UPDATE connection_log_head SET seq = 0")
        await conn.execute("ALTER TABLE connections ENABLE TRIGGER ALL")
    finally:
        await conn.close()
