"""A private, throwaway PostgreSQL server for the tests run with ``--database postgresql``.

It needs the PostgreSQL server programs (Debian: ``apt-get install postgresql``;
``.ci/run`` installs them). The server runs from a temporary folder on a free
loopback port with trust authentication and is removed afterwards; when the
tests run as root it runs as the ``postgres`` system user, since PostgreSQL
refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Iterator, List

from sqlalchemy import create_engine, text

USER = "lotse"
_names = count(1)


class PostgresMissing(RuntimeError):
    """The PostgreSQL server programs are not installed."""


def _bin_dir() -> Path:
    """The folder with ``initdb``, ``pg_ctl`` and ``postgres`` (the newest installed version)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise PostgresMissing(
        "PostgreSQL server programs not found: install them (Debian: apt-get install postgresql)"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: List[str]) -> List[str]:
    """``command`` run as the ``postgres`` user when we are root (PostgreSQL refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield the SQLAlchemy URL of its ``postgres`` database; stop and remove it."""
    bin_dir = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="lotse-pg-"))
    data, log = folder / "data", folder / "server.log"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    try:
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8"]
        subprocess.run(_as_server_user([*initdb, "--locale=C.UTF-8"]), **run)
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]
        subprocess.run(_as_server_user(start), **run)
        try:
            yield f"postgresql+psycopg2://{USER}@127.0.0.1:{port}/postgres"
        finally:
            stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            subprocess.run(_as_server_user(stop), **run)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; its URL."""
    name = f"lotse_test_{os.getpid()}_{next(_names)}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as db:
            db.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name
