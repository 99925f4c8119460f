"""The embedded default: one SQLite file in WAL mode, shared safely by the threads and worker processes of a host."""
from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from skill.stores.base import Store, decode, encode, log

BUSY_MS = 5000  # how long a writer waits for another to finish before giving up
SCHEMA = "CREATE TABLE IF NOT EXISTS practice (user TEXT PRIMARY KEY, record TEXT NOT NULL, updated REAL NOT NULL)"
UPSERT = ("INSERT INTO practice (user, record, updated) VALUES (?, ?, ?) "
          "ON CONFLICT(user) DO UPDATE SET record = excluded.record, updated = excluded.updated")


class _Connection(sqlite3.Connection):
    """A connection that knows which process opened it, and can be weakly referenced."""

    pid: int


class SQLiteStore(Store):
    """Records in one table of one file; each thread has its own connection, opened on first use."""

    def __init__(self, path: Path, secret: bytes) -> None:
        super().__init__(secret)
        self.path = Path(path)
        self._local = threading.local()
        self._open = weakref.WeakSet[_Connection]()  # a thread's connection leaves this when the thread ends
        self._inherited: list[_Connection] = []  # a parent's, after fork: never used, and never closed here
        self._lock = threading.Lock()
        self._prepare()  # fail at start, not at the first request, if the file cannot be opened

    def _prepare(self) -> None:
        """Put the file in WAL mode (which lasts) and make the table, waiting out workers that start together."""
        deadline = time.monotonic() + BUSY_MS / 1000
        while True:
            setup = self._connect()
            try:  # changing the journal mode takes a lock SQLite's busy timeout does not wait for
                mode = setup.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                setup.execute(SCHEMA)
                break
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            finally:
                setup.close()  # opened before a fork is opened in no worker
            time.sleep(0.01)
        if mode != "wal":
            log.warning("SQLite at %s is in %s mode, not WAL: worker processes may wait on each other", self.path, mode)

    def _connect(self) -> _Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None, factory=_Connection)
        conn.pid = os.getpid()
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            conn.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode; a power cut may lose the last saves only
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def connection(self) -> sqlite3.Connection:
        """This thread's connection in this process, opened on first use."""
        conn: _Connection | None = getattr(self._local, "conn", None)
        if conn is not None and conn.pid == os.getpid():
            return conn
        if conn is not None:
            self._inherited.append(conn)  # closing a parent's connection in a child can upset the parent's locks
        conn = self._local.conn = self._connect()
        with self._lock:
            self._open.add(conn)
        return conn

    def load(self, key: str) -> dict[str, Any] | None:
        row = self.connection().execute("SELECT record FROM practice WHERE user = ?", (key,)).fetchone()
        return None if row is None else decode(key, row[0])

    def save(self, key: str, record: dict[str, Any]) -> None:
        self.connection().execute(UPSERT, (key, encode(record), time.time()))

    def delete(self, key: str) -> None:
        self.connection().execute("DELETE FROM practice WHERE user = ?", (key,))

    def count(self) -> int:
        """How many users have a record."""
        return self.connection().execute("SELECT count(*) FROM practice").fetchone()[0]

    def describe(self) -> str:
        return f"SQLite at {self.path}"

    def close(self) -> None:
        """Close this process's connections; another live thread's stays open, as SQLite only lets it close it."""
        with self._lock:
            conns = [conn for conn in self._open if conn.pid == os.getpid()]
        for conn in conns:
            try:
                conn.close()
            except sqlite3.ProgrammingError:  # made in another thread that is still running
                continue
            with self._lock:
                self._open.discard(conn)
        self._local = threading.local()
