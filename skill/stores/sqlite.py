"""The embedded default: one SQLite file in WAL mode, shared safely by the threads and worker processes of a host."""
from __future__ import annotations

import itertools
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from skill.errors import StoreUnavailable
from skill.stores.base import DEFAULT_KEEP_SECONDS, Store, decode, encode, log

BUSY_MS = 5000  # how long a writer waits for another to finish before giving up
PURGE_EVERY = 1000  # saves in one process between sweeps for idle records
SCHEMA = ("CREATE TABLE IF NOT EXISTS practice (user TEXT PRIMARY KEY, record TEXT NOT NULL, updated REAL NOT NULL)",
          "CREATE INDEX IF NOT EXISTS practice_updated ON practice (updated)")
UPSERT = ("INSERT INTO practice (user, record, updated) VALUES (?, ?, ?) "
          "ON CONFLICT(user) DO UPDATE SET record = excluded.record, updated = excluded.updated")
# save_if's two statements, each one atomic step: replace the record only if it is still the text read, or
# make it only if there is none (an idle one, which load treats as gone, may be written over)
REPLACE_IF = "UPDATE practice SET record = ?, updated = ? WHERE user = ? AND record = ? AND updated >= ?"
CREATE_IF = ("INSERT INTO practice (user, record, updated) VALUES (?, ?, ?) "
             "ON CONFLICT(user) DO UPDATE SET record = excluded.record, updated = excluded.updated "
             "WHERE practice.updated < ?")


class _Connection(sqlite3.Connection):
    """A connection that knows which process opened it, and can be weakly referenced."""

    pid: int


class SQLiteStore(Store):
    """Records in one table of one file; each thread has its own connection, opened on first use.

    A record not saved for keep_seconds is treated as gone: load deletes it, and purge() sweeps them all when the
    store opens and then every PURGE_EVERY saves in each process.
    """

    def __init__(self, path: Path, secret: bytes, keep_seconds: float = DEFAULT_KEEP_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(secret)
        if keep_seconds <= 0:
            raise ValueError("keep_seconds must be positive")
        self.path = Path(path)
        self.keep_seconds = keep_seconds
        self.clock = clock
        self._saves = itertools.count(1)  # next() on it is atomic under the GIL
        self._local = threading.local()
        self._open = weakref.WeakSet[_Connection]()  # a thread's connection leaves this when the thread ends
        self._inherited: list[_Connection] = []  # a parent's, after fork: never used, and never closed here
        self._lock = threading.Lock()
        self._prepare()  # fail at start, not at the first request, if the file cannot be opened
        self._sweep_at_start()

    def _prepare(self) -> None:
        """Put the file in WAL mode (which lasts) and make the table, waiting out workers that start together."""
        deadline = time.monotonic() + BUSY_MS / 1000
        while True:
            setup = self._connect()
            try:  # changing the journal mode takes a lock SQLite's busy timeout does not wait for
                mode = setup.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                for statement in SCHEMA:
                    setup.execute(statement)
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

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection; SQLite's outages (locked, disk I/O, read-only, damaged) as StoreUnavailable."""
        try:
            yield self.connection()
        except (sqlite3.ProgrammingError, sqlite3.IntegrityError):
            raise  # a mistake in this code, not an outage
        except sqlite3.DatabaseError as error:
            raise StoreUnavailable(f"{self.describe()} is unavailable ({error})") from error

    def _cutoff(self) -> float:
        return self.clock() - self.keep_seconds

    def load_versioned(self, key: str) -> tuple[dict[str, Any] | None, str | None]:
        with self._guard() as conn:
            row = conn.execute("SELECT record, updated FROM practice WHERE user = ?", (key,)).fetchone()
            if row is None:
                return None, None
            cutoff = self._cutoff()
            if row[1] < cutoff:  # idle too long; a save racing in since has a newer time and is kept
                conn.execute("DELETE FROM practice WHERE user = ? AND updated < ?", (key, cutoff))
                return None, None
        return decode(key, row[0]), row[0]

    def save(self, key: str, record: dict[str, Any]) -> None:
        with self._guard() as conn:
            conn.execute(UPSERT, (key, encode(record), self.clock()))
        self._after_save()

    def save_if(self, key: str, record: dict[str, Any], token: str | None) -> bool:
        now = self.clock()
        cutoff = now - self.keep_seconds
        with self._guard() as conn:
            if token is None:
                done = conn.execute(CREATE_IF, (key, encode(record), now, cutoff)).rowcount
            else:
                done = conn.execute(REPLACE_IF, (encode(record), now, key, token, cutoff)).rowcount
        if done:
            self._after_save()
        return done == 1

    def _after_save(self) -> None:
        if next(self._saves) % PURGE_EVERY == 0:
            self._sweep()

    def delete(self, key: str) -> None:
        with self._guard() as conn:
            conn.execute("DELETE FROM practice WHERE user = ?", (key,))

    def purge(self) -> int:
        """Delete every record idle longer than keep_seconds; how many went."""
        with self._guard() as conn:
            return self._delete_idle(conn)

    def _delete_idle(self, conn: sqlite3.Connection) -> int:
        gone = conn.execute("DELETE FROM practice WHERE updated < ?", (self._cutoff(),)).rowcount
        if gone:
            log.info("forgot %d practice records idle for more than %g days", gone, self.keep_seconds / 86400)
        return gone

    def _sweep(self) -> None:
        """purge(), where a failure only waits for the next sweep: the save that prompted it has succeeded."""
        try:
            self.purge()
        except StoreUnavailable as error:
            log.warning("could not forget idle practice records this time: %s", error)

    def _sweep_at_start(self) -> None:
        """The first sweep, on a connection closed straight after, like _prepare's (no connection crosses a fork)."""
        conn = self._connect()
        try:
            self._delete_idle(conn)
        except sqlite3.OperationalError as error:
            log.warning("could not forget idle practice records at start: %s", error)
        finally:
            conn.close()

    def count(self) -> int:
        """How many users have a record (idle ones not yet swept included)."""
        with self._guard() as conn:
            return conn.execute("SELECT count(*) FROM practice").fetchone()[0]

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
