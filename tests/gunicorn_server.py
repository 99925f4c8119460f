"""The production server for tests and benchmarks: gunicorn on loopback with the skill's own config file.

It runs the README's production command (`gunicorn -c python:skill.web.gunicorn_conf … 'skill.web.app:create_app()'`)
configured only by GENTLE_YOGA_* variables, and can tell which worker process holds a given client connection,
so a test can prove that two requests really were answered by two processes.
"""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import lanes
from servers import free_port

from skill.config import ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"
APP = "skill.web.app:create_app()"


def server_env(store: str, data_dir: Path, id_secret: str, skill_id: str, workers: int = 2) -> dict[str, str]:
    """The environment of a server with this store, verification off, and nothing inherited from GENTLE_YOGA_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENTLE_YOGA_") and k != "WEB_CONCURRENCY"}
    env.update(GENTLE_YOGA_STORE=store, GENTLE_YOGA_DATA_DIR=str(data_dir), GENTLE_YOGA_ID_SECRET=id_secret,
               GENTLE_YOGA_VERIFY="off", GENTLE_YOGA_SKILL_ID=skill_id, GENTLE_YOGA_LOG_LEVEL="warning",
               WEB_CONCURRENCY=str(workers))
    return env


class Gunicorn:
    """gunicorn with gthread workers on a free loopback port; its log goes to a file in folder."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log = folder / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Gunicorn:
        """Start it and wait until every worker answers GET /healthz."""
        lanes.needs("gunicorn")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", "python:skill.web.gunicorn_conf", "--bind", f"127.0.0.1:{self.port}", APP],
                cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_text()}")
            if self.healthy() and len(self.workers()) == int(self.env.get("WEB_CONCURRENCY", "2")):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_text()}")

    def healthy(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self) -> None:
        """SIGTERM to the master, which stops its workers; SIGKILL to its process group if it hangs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def workers(self) -> list[int]:
        """The worker processes' ids: the master's children."""
        if self.process is None:
            return []
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == self.process.pid:
                found.append(int(entry))
        return sorted(found)

    def _server_inode(self, client_port: int) -> str | None:
        """The socket inode of the server end of the connection from this local port, once it is accepted."""
        inode = None
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                local, remote = (int(address.rpartition(":")[2], 16) for address in fields[1:3])
                if local == self.port and remote == client_port and fields[9] != "0":
                    inode = fields[9]
        return inode

    @staticmethod
    def _holds(pid: int, target: str) -> bool:
        """Whether process pid has a file descriptor open on target (it may have died meanwhile)."""
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            return False
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return True
            except OSError:
                continue
        return False

    def worker_serving(self, client_port: int) -> int | None:
        """The worker that holds the server end of the connection from this local port, if one has accepted it."""
        inode = self._server_inode(client_port)
        if inode is None:
            return None
        # read the workers afresh: a worker that died has been replaced
        return next((pid for pid in self.workers() if self._holds(pid, f"socket:[{inode}]")), None)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
