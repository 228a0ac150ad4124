"""A throwaway PostgreSQL server for the tests: Debian's binaries, a new cluster in a temporary
folder, listening on 127.0.0.1 at a free port, stopped and deleted at the end of the session.

The binaries come from Debian's ``postgresql`` package, which ``make test`` installs when it is
missing (``tools/ensure-postgres.sh``). Where they are absent (the install was impossible: no
root, no apt-get, no network) the PostgreSQL tests are skipped with that reason; where they are
present but the server does not start, the tests fail with the server's log.

initdb refuses to run as root, so as root the cluster belongs to an unprivileged user (the
``postgres`` user the Debian package creates, else ``nobody``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "sitroom"


def find_bindir() -> Path | None:
    """The folder with initdb and pg_ctl: $PG_BINDIR, Debian's newest, or the PATH."""
    if os.environ.get("PG_BINDIR"):
        p = Path(os.environ["PG_BINDIR"])
        return p if (p / "initdb").exists() else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    bindir: Path
    datadir: Path
    port: int
    user: str | None  # the unprivileged user the server runs as (when we are root)

    @property
    def admin_url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bindir / args[0]), *args[1:]], user=self.user, capture_output=True,
                              text=True, timeout=120, cwd=self.datadir.parent)

    def start(self) -> None:
        init = self._run("initdb", "-D", str(self.datadir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                         "--locale=C", "--no-sync")
        if init.returncode:
            raise RuntimeError(f"initdb failed: {init.stderr or init.stdout}")
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.datadir} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        log = self.datadir / "server.log"
        started = self._run("pg_ctl", "-D", str(self.datadir), "-o", opts, "-l", str(log), "-w", "-t", "60", "start")
        if started.returncode:
            text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {started.stderr or started.stdout}\n{text}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.datadir.parent, ignore_errors=True)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_server() -> Server:
    """Start a new cluster; raises LookupError when there are no binaries, RuntimeError when it fails."""
    bindir = find_bindir()
    if bindir is None:
        raise LookupError("PostgreSQL server binaries not found (Debian package 'postgresql'; "
                          "'make test' installs it with apt-get where it can)")
    user = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
                user = name
                break
            except KeyError:
                continue
        if user is None:
            raise RuntimeError("running as root and no unprivileged user (postgres, nobody) to run initdb as")
    base = Path(tempfile.mkdtemp(prefix="sitroom-pg-"))
    datadir = base / "data"
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    server = Server(bindir, datadir, _free_port(), user)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return server
