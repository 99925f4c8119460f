"""Real servers the tests start on loopback: redis-server, stopped and restarted when a test needs a fault."""
from __future__ import annotations

import itertools
import os
import random
import shutil
import socket
import subprocess
import time
from pathlib import Path

import lanes

# Under pytest-xdist each worker takes ports from a block of its own, below the kernel's ephemeral range (32768 up),
# so two workers never pick the same port between probing it and binding it; a serial run lets the kernel choose.
_BLOCK = 400
_FIRST = 20000


def _worker_ports() -> itertools.cycle | None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ...
    if not worker.startswith("gw"):
        return None
    start = _FIRST + int(worker[2:]) * _BLOCK % (32768 - _FIRST - _BLOCK)
    ports = list(range(start, start + _BLOCK))
    random.Random(os.getpid()).shuffle(ports)  # two runs at once on one machine rarely walk the same order
    return itertools.cycle(ports)


_PORTS = _worker_ports()


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A loopback port nothing listens on: the worker's own block under xdist, else one the kernel picks."""
    if _PORTS is not None:
        for _ in range(_BLOCK):
            port = next(_PORTS)
            if _bindable(port):
                return port
        raise RuntimeError(f"no free port in {os.environ['PYTEST_XDIST_WORKER']}'s block of {_BLOCK}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """Debian's redis-server on a free loopback port, in a folder of the test's own.

    With persist, every write is appended to an AOF and fsynced, so data outlives a stop and a start, as on a
    production server; without it, a stop forgets everything (fast, for the many tests that need no restart).
    """

    def __init__(self, folder: Path, persist: bool = False) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed; `make test` installs it (.ci/system-deps)")
        self.binary = binary
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.persist = persist
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        lanes.needs("redis")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes" if self.persist else "no", "--appendfsync", "always",
             "--dir", str(self.folder), "--protected-mode", "yes", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = self.process.stderr.read() if self.process.stderr else b""
                raise RuntimeError(f"redis-server exited: {said.decode(errors='replace')}")
            if self.ping():
                return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("redis-server did not answer within 10 s")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server (its data goes with it unless it persists)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def flush(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall(b"FLUSHALL\r\n")
            assert conn.recv(16).startswith(b"+OK")
